import { Alert, Card, Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RefusalDetails } from '../../components/RefusalDetails';
import { RouterButton } from '../../components/RouterButton';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime } from '../../format/date';
import { CabinetPage, CERTIFICATE_TONE, ExpiryMark, Status } from './cabinet';
import { BOOKING_STATUS, CERTIFICATE_STATUS, DECLINE_CODE, DELIVERY_RESOLUTION, DELIVERY_STATUS, formatSnils, refusalName, SERVICE_FORM, unitsText } from './labels';
import { useActingFor } from './useActingFor';

type Certificate = CertificatesSchemas['Certificate'];
type CertificateLine = CertificatesSchemas['CertificateLine'];
type CabinetCertificate = CertificatesSchemas['CabinetCertificate'];
type CabinetLine = CertificatesSchemas['CabinetCertificateLine'];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const BOOKABLE: ReadonlyArray<Certificate['status']> = ['issued', 'active'];

export function CertificatePage() {
  const { id = '' } = useParams();
  const acting = useActingFor();
  const certificate = $certificates.useQuery('get', '/v1/certificates/{id}', { params: { path: { id } } });
  // The money of each line comes from the cabinet list (the ledger's figures to the kopeck). A case
  // worker reads it for the certificate's holder.
  const holder = certificate.data?.general.holder.recipient_id;
  const recipientId = acting.canActFor ? (acting.recipientId ?? holder) : acting.recipientId;
  const mine = $certificates.useQuery(
    'get',
    '/v1/me/certificates',
    { params: { query: recipientId ? { recipient_id: recipientId } : {} } },
    { enabled: !acting.canActFor || !!recipientId },
  );
  const cabinet = mine.data?.items.find((item) => item.id === id);
  const title = certificate.data ? `Сертификат № ${certificate.data.number}` : 'Сертификат';

  return (
    <CabinetPage title={title}>
      <PageState loading={certificate.isPending} error={certificate.error} retry={() => void certificate.refetch()}>
        {certificate.data ? (
          <CertificateView certificate={certificate.data} cabinet={cabinet} moneyError={mine.error} moneyLoading={mine.isPending && mine.fetchStatus !== 'idle'} link={acting.link} />
        ) : null}
      </PageState>
    </CabinetPage>
  );
}

function CertificateView({
  certificate,
  cabinet,
  moneyError,
  moneyLoading,
  link,
}: {
  certificate: Certificate;
  cabinet: CabinetCertificate | undefined;
  moneyError: unknown;
  moneyLoading: boolean;
  link: (to: string) => string;
}) {
  const statement = `/api/certificates/v1/certificates/${certificate.id}/statement`;
  return (
    <>
      <div className="row">
        <Status tone={CERTIFICATE_TONE[certificate.status]}>{CERTIFICATE_STATUS[certificate.status]}</Status>
        {cabinet ? <ExpiryMark daysLeft={cabinet.expires_in_days} /> : null}
      </div>
      {certificate.status_reason ? <Text>Причина: {certificate.status_reason}</Text> : null}
      {certificate.refusal ? (
        <RefusalDetails refusal={certificate.refusal} name={refusalName(certificate.refusal.code)} title="Почему сертификат не выдан" headingLevel={2} />
      ) : null}
      <nav aria-label="Выписка по сертификату" className="row">
        <a className="download-link" href={`${statement}?format=pdf`} download>
          Выписка (PDF)
        </a>
        <a className="download-link" href={`${statement}?format=csv`} download>
          Выписка (CSV)
        </a>
      </nav>
      {moneyError ? <ProblemAlert error={moneyError} /> : null}
      <General certificate={certificate} cabinet={cabinet} />
      <Services certificate={certificate} cabinet={cabinet} moneyLoading={moneyLoading} link={link} />
      <Contracts certificate={certificate} link={link} />
    </>
  );
}

function General({ certificate, cabinet }: { certificate: Certificate; cabinet: CabinetCertificate | undefined }) {
  const { general } = certificate;
  const balance = cabinet?.balance;
  return (
    <section aria-labelledby="section-general" className="stack">
      <Text as="h2" variant="header-1" id="section-general">
        1. Общие сведения
      </Text>
      <Definitions
        items={[
          { term: 'Номер', value: certificate.number },
          { term: 'Получатель', value: general.holder.name ?? '—' },
          general.holder.snils ? { term: 'СНИЛС', value: formatSnils(general.holder.snils) } : null,
          // issued_by is the case worker's account id, which means nothing to the holder; the issuing body does.
          { term: 'Кто выдал', value: `Орган социальной защиты населения, регион ${general.issuer.region_code}` },
          { term: 'Дата выдачи', value: formatDate(general.issued_on) },
          { term: 'Срок действия', value: `с ${formatDate(general.valid_from)} по ${formatDate(general.valid_to)}` },
          { term: 'Стоимость услуг по программе', value: <Money amount={certificate.gross_amount} /> },
          { term: 'Плата получателя за весь срок', value: <Money amount={certificate.fee_amount} /> },
          { term: 'Номинал сертификата', value: <Money amount={certificate.value} /> },
          balance ? { term: 'Доступно', value: <Money amount={balance.available} /> } : null,
          balance ? { term: 'Заблокировано до подтверждения актов', value: <Money amount={balance.held} /> } : null,
          balance ? { term: 'Оплачено поставщикам', value: <Money amount={balance.spent} /> } : null,
          certificate.released_amount !== '0.00' && certificate.released_amount !== '0'
            ? { term: 'Возвращено в бюджет', value: <Money amount={certificate.released_amount} /> }
            : null,
        ]}
      />
      {cabinet?.balance_unavailable ? <Text>Остаток сейчас недоступен: не удалось получить данные учётной системы. Попробуйте обновить страницу позже.</Text> : null}
      {balance && !balance.ties_out ? (
        <Alert
          theme="warning"
          message={
            <>
              Суммы по услугам пока не сходятся с учётной системой (разница: доступно <Money amount={balance.unattributed.available} />, заблокировано{' '}
              <Money amount={balance.unattributed.held} />, оплачено <Money amount={balance.unattributed.spent} />
              ). Обычно это проходит за несколько минут; итоговые суммы выше взяты из учётной системы.
            </>
          }
        />
      ) : null}
      <FeeCalculation fee={general.fee_calculation} />
    </section>
  );
}

const decimal = (value: string) => value.replace('.', ',');

function FeeCalculation({ fee }: { fee: Certificate['general']['fee_calculation'] }) {
  return (
    <section aria-labelledby="section-fee" className="stack">
      <Text as="h3" variant="subheader-3" id="section-fee">
        Расчёт платы за услуги
      </Text>
      {fee.rule === 'free' ? (
        <Text as="p">
          Услуги предоставляются бесплатно: среднедушевой доход <Money amount={fee.per_capita_income} /> не больше предельной величины{' '}
          <Money amount={fee.limit_income} /> ({decimal(fee.limit_coefficient)} × прожиточный минимум <Money amount={fee.subsistence_minimum} />
          ).
        </Text>
      ) : (
        <Text as="p">
          Среднедушевой доход <Money amount={fee.per_capita_income} /> больше предельной величины <Money amount={fee.limit_income} /> (
          {decimal(fee.limit_coefficient)} × прожиточный минимум <Money amount={fee.subsistence_minimum} />
          ), поэтому часть стоимости оплачивает получатель. В месяц — не больше <Money amount={fee.monthly_cap_home_and_day_care.rounded} /> за услуги на дому и
          в полустационарной форме (50 % разницы между доходом и предельной величиной) и не больше <Money amount={fee.monthly_cap_residential.rounded} /> за
          стационарные услуги (75 % дохода).
        </Text>
      )}
      <Definitions
        items={[
          { term: 'Доход семьи в месяц', value: <Money amount={fee.income.total} /> },
          { term: 'Членов семьи', value: String(fee.income.persons) },
          { term: 'Плата получателя за весь срок', value: <Money amount={fee.total_fee} /> },
        ]}
      />
      {fee.months.length > 0 ? (
        <ScrollTable caption="Плата по месяцам">
          <thead>
            <tr>
              <th scope="col">Месяц</th>
              <th scope="col">Форма</th>
              <th scope="col">Стоимость услуг</th>
              <th scope="col">Плата получателя</th>
            </tr>
          </thead>
          <tbody>
            {fee.months.map((month) => (
              <tr key={`${month.month}-${month.category}`}>
                <td>{month.month}-й</td>
                <td>{month.category === 'residential' ? 'стационарная' : 'на дому и полустационарная'}</td>
                <td>
                  <Money amount={month.cost} />
                </td>
                <td>
                  <Money amount={month.fee} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : null}
    </section>
  );
}

function Services({
  certificate,
  cabinet,
  moneyLoading,
  link,
}: {
  certificate: Certificate;
  cabinet: CabinetCertificate | undefined;
  moneyLoading: boolean;
  link: (to: string) => string;
}) {
  const bookable = BOOKABLE.includes(certificate.status);
  return (
    <section aria-labelledby="section-services" className="stack">
      <Text as="h2" variant="header-1" id="section-services">
        2. Услуги
      </Text>
      {!bookable ? <Text>Записаться к поставщику сейчас нельзя: {CERTIFICATE_STATUS[certificate.status].toLowerCase()}.</Text> : null}
      {certificate.services.length === 0 ? (
        <EmptyState title="В сертификате нет услуг" />
      ) : (
        <ul className="card-list" aria-label="Услуги по сертификату">
          {certificate.services.map((line) => (
            <li key={line.line_id}>
              <ServiceLine
                certificateId={certificate.id}
                line={line}
                money={cabinet?.lines.find((l) => l.line_id === line.line_id)}
                moneyLoading={moneyLoading}
                bookable={bookable}
                link={link}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ServiceLine({
  certificateId,
  line,
  money,
  moneyLoading,
  bookable,
  link,
}: {
  certificateId: string;
  line: CertificateLine;
  money: CabinetLine | undefined;
  moneyLoading: boolean;
  bookable: boolean;
  link: (to: string) => string;
}) {
  const free = Math.max(0, line.volume - line.units_booked);
  const pending = moneyLoading ? 'Загрузка…' : '—';
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-3">
        {line.line_no}. {line.service_name}
      </Text>
      <Definitions
        items={[
          { term: 'Форма обслуживания', value: SERVICE_FORM[line.form] },
          { term: 'Объём', value: `${unitsText(line.volume_per_month, line.unit)} в месяц × ${line.months} мес. = ${unitsText(line.volume, line.unit)}` },
          { term: 'Стоимость единицы', value: <Money amount={line.unit_cost} /> },
          { term: 'Номинал по услуге', value: <Money amount={line.value} /> },
          { term: 'Доступно', value: money ? <Money amount={money.available} /> : pending },
          { term: 'Заблокировано до подтверждения актов', value: money ? <Money amount={money.held} /> : pending },
          { term: 'Оплачено поставщикам', value: money ? <Money amount={money.spent} /> : pending },
          money && money.released !== '0.00' && money.released !== '0' ? { term: 'Возвращено в бюджет', value: <Money amount={money.released} /> } : null,
          { term: 'Записано к поставщикам', value: unitsText(line.units_booked, line.unit) },
          { term: 'Оказано и подтверждено', value: unitsText(line.units_confirmed, line.unit) },
          line.providers.length > 0
            ? {
                term: 'Поставщики',
                value: line.providers.map((p) => `${p.provider_name} (${BOOKING_STATUS[p.status].toLowerCase()})`).join('; '),
              }
            : null,
        ]}
      />
      {bookable && free > 0 ? (
        <div>
          <RouterButton to={link(`/cabinet/certificates/${certificateId}/lines/${line.line_id}/book`)}>
            Выбрать поставщика<span className="visually-hidden"> для услуги «{line.service_name}»</span>
          </RouterButton>
        </div>
      ) : bookable ? (
        <Text>Весь объём услуги уже записан к поставщикам.</Text>
      ) : null}
    </Card>
  );
}

function Contracts({ certificate, link }: { certificate: Certificate; link: (to: string) => string }) {
  const serviceName = (lineId: string) => certificate.services.find((l) => l.line_id === lineId)?.service_name ?? '';
  const units = (lineId: string, n: number) => unitsText(n, certificate.services.find((l) => l.line_id === lineId)?.unit ?? 'ед.');
  return (
    <section aria-labelledby="section-contracts" className="stack">
      <Text as="h2" variant="header-1" id="section-contracts">
        3. Договоры и акты
      </Text>
      {certificate.contracts.length === 0 ? (
        <EmptyState title="Договоров пока нет">Выберите поставщика для услуги выше: после его согласия здесь появится договор, а затем акты об оказанных услугах.</EmptyState>
      ) : (
        <ul className="card-list" aria-label="Договоры">
          {certificate.contracts.map((contract) => (
            <li key={contract.id}>
              <Card className="card-pad stack" view="outlined">
                <Text as="h3" variant="subheader-3">
                  {contract.provider_name} — {serviceName(contract.line_id)}
                </Text>
                <div className="row">
                  <Status tone={contract.status === 'accepted' ? 'success' : contract.status === 'requested' ? 'info' : 'danger'}>{BOOKING_STATUS[contract.status]}</Status>
                </div>
                <Definitions
                  items={[
                    { term: 'Заявка подана', value: formatDateTime(contract.requested_at) },
                    contract.decided_at ? { term: 'Решение', value: formatDateTime(contract.decided_at) } : null,
                    { term: 'Объём по договору', value: `${units(contract.line_id, contract.units)}, по ${contract.units_per_month} в месяц` },
                    { term: 'Оказано и подтверждено', value: units(contract.line_id, contract.units_confirmed) },
                    contract.decline
                      ? { term: 'Причина отказа', value: [DECLINE_CODE[contract.decline.code], contract.decline.reason].filter(Boolean).join(': ') }
                      : null,
                  ]}
                />
                {contract.deliveries.length > 0 ? (
                  <ScrollTable caption={`Акты по договору с «${contract.provider_name}»`}>
                    <thead>
                      <tr>
                        <th scope="col">Дата оказания</th>
                        <th scope="col">Единиц</th>
                        <th scope="col">Сумма</th>
                        <th scope="col">Состояние</th>
                        <th scope="col">Оплачено</th>
                      </tr>
                    </thead>
                    <tbody>
                      {contract.deliveries.map((act) => (
                        <tr key={act.id}>
                          <td>{formatDate(act.delivered_on)}</td>
                          <td>{act.confirmed_units != null && act.confirmed_units !== act.units ? `${act.confirmed_units} из ${act.units}` : act.units}</td>
                          <td>
                            <Money amount={act.amount} />
                          </td>
                          <td>
                            {act.resolution ? capitalize(DELIVERY_RESOLUTION[act.resolution]) : DELIVERY_STATUS[act.status]}
                            {act.status === 'held' ? ` до ${formatDateTime(act.confirm_by)}` : ''}
                          </td>
                          <td>
                            <Money amount={act.posted_amount} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </ScrollTable>
                ) : (
                  <Text>Актов по этому договору пока нет.</Text>
                )}
                {contract.deliveries.some((act) => act.status === 'held') ? (
                  <Text>
                    Есть акты, которые ждут вашего подтверждения: <RouterLink to={link('/cabinet/acts')}>перейти к актам</RouterLink>.
                  </Text>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
