import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RefusalDetails, refusalFromProblem } from '../../components/RefusalDetails';
import { RouterLink } from '../../components/RouterLink';
import { plural } from '../../format/date';
import { CabinetPage, refreshCabinet, Status } from './cabinet';
import { newRequestId } from './ids';
import { accessibilityLabel } from '../public/dictionary';
import { CERTIFICATE_STATUS, FUNDING_MODE, formatRating, refusalName, unitsText } from './labels';
import { useActingFor } from './useActingFor';

type ProviderOption = CertificatesSchemas['ProviderOption'];
type CertificateLine = CertificatesSchemas['CertificateLine'];
type Booking = CertificatesSchemas['Booking'];

const BOOKABLE: ReadonlyArray<CertificatesSchemas['CertificateStatus']> = ['issued', 'active'];

interface Choice {
  provider: ProviderOption;
  /** One id per choice: pressing «Подтвердить» twice (or retrying after a lost answer) books once. */
  requestId: string;
}

export function BookProviderPage() {
  const { id = '', lineId = '' } = useParams();
  const acting = useActingFor();
  const queryClient = useQueryClient();
  const certificate = $certificates.useQuery('get', '/v1/certificates/{id}', { params: { path: { id } } });
  const providers = $certificates.useQuery('get', '/v1/certificates/{id}/lines/{lineId}/providers', { params: { path: { id, lineId } } });
  const book = $certificates.useMutation('post', '/v1/certificates/{id}/bookings');
  const [choice, setChoice] = useState<Choice | null>(null);
  const [booked, setBooked] = useState<{ booking: Booking; providerName: string } | null>(null);
  const [failure, setFailure] = useState<Problem | null>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  const line = certificate.data?.services.find((l) => l.line_id === lineId);
  const bookable = !!certificate.data && !!line && BOOKABLE.includes(certificate.data.status) && line.volume > line.units_booked;
  const certificateLink = acting.link(`/cabinet/certificates/${id}`);

  useEffect(() => {
    if (choice) confirmRef.current?.focus();
  }, [choice]);
  useEffect(() => {
    if (booked || failure) outcomeRef.current?.focus();
  }, [booked, failure]);

  const confirm = async () => {
    if (!choice) return;
    setFailure(null);
    try {
      const booking = await book.mutateAsync({
        params: { path: { id } },
        body: { id: choice.requestId, line_id: lineId, provider_id: choice.provider.provider_id },
      });
      setBooked({ booking, providerName: choice.provider.name });
      setChoice(null);
      void refreshCabinet(queryClient);
    } catch (error) {
      const problem = toProblem(error);
      setFailure(problem);
      // A refusal is final for this choice: another attempt (even at the same provider) is a new request.
      if (refusalFromProblem(problem)) {
        setChoice(null);
        void providers.refetch();
      }
    }
  };

  const heading = line ? `Выбор поставщика: ${line.service_name}` : 'Выбор поставщика';
  const inDistrict = providers.data?.items.filter((p) => p.in_recipient_district) ?? [];
  const elsewhere = providers.data?.items.filter((p) => !p.in_recipient_district) ?? [];

  return (
    <CabinetPage title="Выбор поставщика" heading={heading}>
      <Text as="p">
        <RouterLink to={certificateLink}>Вернуться к сертификату{certificate.data ? ` № ${certificate.data.number}` : ''}</RouterLink>
      </Text>
      <PageState loading={certificate.isPending || providers.isPending} error={certificate.error ?? providers.error} retry={() => void (certificate.refetch(), providers.refetch())}>
        {certificate.data && !line ? (
          <EmptyState title="Услуга не найдена">В этом сертификате нет такой услуги. Вернитесь к сертификату и выберите услугу из списка.</EmptyState>
        ) : null}
        {line && !booked && !bookable ? (
          <EmptyState title="Записаться по этой услуге сейчас нельзя">
            {certificate.data && !BOOKABLE.includes(certificate.data.status)
              ? `Сертификат в состоянии «${CERTIFICATE_STATUS[certificate.data.status]}»: записываться к поставщикам можно только по действующему сертификату.`
              : 'Весь объём этой услуги уже записан к поставщикам. Состояние записей — в разделе «Мои записи».'}
          </EmptyState>
        ) : null}
        {line && bookable ? <LineSummary line={line} /> : null}

        {booked ? (
          <div ref={outcomeRef} tabIndex={-1} className="focus-target">
            <Alert
              theme="success"
              title={
                <Text as="h2" variant="subheader-3">
                  Заявка отправлена поставщику «{booked.providerName}»
                </Text>
              }
              message={
                <div className="stack">
                  <Text as="p">
                    Что дальше: поставщик должен рассмотреть заявку и принять её (тогда заключается договор) или отказать с объяснением причины. Обычно это занимает
                    несколько рабочих дней. Пока поставщик не ответил, заявку можно отменить.
                  </Text>
                  <Text as="p">
                    Состояние заявки видно в разделе <RouterLink to={acting.link('/cabinet/bookings')}>«Мои записи»</RouterLink>; вернуться к{' '}
                    <RouterLink to={certificateLink}>сертификату</RouterLink>.
                  </Text>
                </div>
              }
            />
          </div>
        ) : null}

        {failure ? (
          <div ref={outcomeRef} tabIndex={-1} className="focus-target">
            {refusalFromProblem(failure) ? (
              <RefusalDetails refusal={refusalFromProblem(failure)!} name={refusalName(failure.code)} title="Запись не оформлена" headingLevel={2} />
            ) : (
              <ProblemAlert error={failure} />
            )}
          </div>
        ) : null}

        {choice ? (
          <Card className="card-pad stack confirm-box" view="outlined" theme="info">
            <section aria-labelledby="confirm-heading" className="stack">
              <Text as="h2" variant="subheader-3" id="confirm-heading" ref={confirmRef} tabIndex={-1} className="focus-target">
                Подтвердите запись к поставщику «{choice.provider.name}»
              </Text>
              <Text as="p">
                Поставщику уйдёт заявка на услугу «{line?.service_name}»
                {line ? ` — ${unitsText(line.volume - line.units_booked, line.unit)}, по ${line.volume_per_month} в месяц` : ''}. Деньги с сертификата не списываются, пока вы
                не подтвердите акт об оказанных услугах.
              </Text>
              <div className="row">
                <Button view="action" size="l" loading={book.isPending} onClick={() => void confirm()}>
                  Подтвердить запись к «{choice.provider.name}»
                </Button>
                <Button view="outlined" size="l" onClick={() => setChoice(null)} disabled={book.isPending}>
                  Выбрать другого поставщика
                </Button>
              </div>
            </section>
          </Card>
        ) : null}

        {!booked && bookable && providers.data ? (
          providers.data.items.length === 0 ? (
            <EmptyState title="Сейчас нет поставщиков со свободными местами">
              Все допущенные поставщики этой услуги заняты на нужный объём. Места освобождаются, когда завершаются другие договоры: загляните позже или обратитесь к
              специалисту органа социальной защиты.
            </EmptyState>
          ) : (
            <>
              <ProviderGroup
                title="В вашем районе"
                empty="В вашем районе нет поставщиков со свободными местами — посмотрите поставщиков из других районов ниже."
                providers={inDistrict}
                onChoose={(provider) => {
                  setFailure(null);
                  setChoice({ provider, requestId: newRequestId() });
                }}
                chosen={choice?.provider.provider_id}
              />
              {elsewhere.length > 0 ? (
                <ProviderGroup
                  title="В других районах"
                  providers={elsewhere}
                  onChoose={(provider) => {
                    setFailure(null);
                    setChoice({ provider, requestId: newRequestId() });
                  }}
                  chosen={choice?.provider.provider_id}
                />
              ) : null}
            </>
          )
        ) : null}
      </PageState>
    </CabinetPage>
  );
}

function LineSummary({ line }: { line: CertificateLine }) {
  const free = line.volume - line.units_booked;
  return (
    <Text as="p">
      Нужно записать: {unitsText(free, line.unit)} ({unitsText(line.volume_per_month, line.unit)} в месяц; всего по сертификату — {unitsText(line.volume, line.unit)}). Ниже — поставщики, допущенные к этой услуге, у которых есть свободные
      места; сначала те, что работают в вашем районе.
    </Text>
  );
}

function ProviderGroup({
  title,
  empty,
  providers,
  onChoose,
  chosen,
}: {
  title: string;
  empty?: string;
  providers: ProviderOption[];
  onChoose: (provider: ProviderOption) => void;
  chosen: string | undefined;
}) {
  const headingId = title === 'В вашем районе' ? 'providers-here' : 'providers-elsewhere';
  return (
    <section aria-labelledby={headingId} className="stack">
      <Text as="h2" variant="header-1" id={headingId}>
        {title}
      </Text>
      {providers.length === 0 ? (
        <Text as="p">{empty}</Text>
      ) : (
        <ul className="card-list" aria-labelledby={headingId}>
          {providers.map((provider) => (
            <li key={provider.provider_id}>
              <ProviderCard provider={provider} onChoose={onChoose} chosen={chosen === provider.provider_id} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProviderCard({ provider, onChoose, chosen }: { provider: ProviderOption; onChoose: (p: ProviderOption) => void; chosen: boolean }) {
  const rating =
    provider.rating == null || provider.rating_count === 0
      ? 'оценок пока нет'
      : `${formatRating(provider.rating)} из 5 (${provider.rating_count} ${plural(provider.rating_count, 'оценка', 'оценки', 'оценок')})`;
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-3">
        {provider.name}
      </Text>
      <div className="row">
        {provider.in_recipient_district ? <Status tone="success">В вашем районе</Status> : <Status tone="normal">В другом районе</Status>}
        {chosen ? <Status tone="info">Выбран</Status> : null}
      </div>
      <Definitions
        items={[
          { term: 'Рейтинг', value: rating },
          { term: 'Свободных мест в месяц', value: String(provider.free_capacity_per_month) },
          { term: 'Тип поставщика', value: FUNDING_MODE[provider.funding_mode] },
          {
            term: provider.locations.length > 1 ? 'Адреса' : 'Адрес',
            value:
              provider.locations.length === 0 ? (
                '—'
              ) : (
                <ul className="address-list">
                  {provider.locations.map((location) => (
                    <li key={location.address}>{location.address}</li>
                  ))}
                </ul>
              ),
          },
          {
            term: 'Доступность для людей с инвалидностью',
            value: provider.accessibility.length === 0 ? 'сведений нет' : provider.accessibility.map((a) => accessibilityLabel(a).toLowerCase()).join(', '),
          },
        ]}
      />
      <div>
        <Button view={chosen ? 'normal' : 'outlined'} size="l" onClick={() => onChoose(provider)} extraProps={{ 'aria-pressed': chosen }}>
          Выбрать «{provider.name}»
        </Button>
      </div>
    </Card>
  );
}
