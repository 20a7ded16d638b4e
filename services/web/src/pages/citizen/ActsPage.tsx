import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Loader, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate, formatTime, regionClockLabel } from '../../format/date';
import { formatMoney } from '../../format/money';
import { CabinetPage, refreshCabinet, Status } from './cabinet';
import { DELIVERY_RESOLUTION, unitsText } from './labels';
import { useActingFor } from './useActingFor';

// The forms (and the form library they bring) load when a person opens one: the page itself stays light.
const DisputeForm = lazy(() => import('./acts/DisputeForm').then((m) => ({ default: m.DisputeForm })));
const PartialConfirmForm = lazy(() => import('./acts/PartialConfirmForm').then((m) => ({ default: m.PartialConfirmForm })));
const RatingForm = lazy(() => import('./acts/RatingForm').then((m) => ({ default: m.RatingForm })));

type Act = CertificatesSchemas['CabinetDelivery'];
type Delivery = CertificatesSchemas['Delivery'];
type OpenForm = { actId: string; kind: 'partial' | 'dispute' };
type Outcome = { ok: true; title: string; text: string } | { ok: false; problem: Problem };

const serviceOf = (act: Pick<Act, 'service_name' | 'service_code'>) => act.service_name ?? act.service_code;

export function ActsPage() {
  const acting = useActingFor();
  const queryClient = useQueryClient();
  const enabled = !acting.needsRecipient;
  const held = $certificates.useQuery('get', '/v1/me/deliveries', { params: { query: { ...acting.meQuery, status: 'held' } } }, { enabled });
  const posted = $certificates.useQuery('get', '/v1/me/deliveries', { params: { query: { ...acting.meQuery, status: 'posted' } } }, { enabled });
  const confirmAll = $certificates.useMutation('post', '/v1/deliveries/{id}/confirm');
  const [openForm, setOpenForm] = useState<OpenForm | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const resolved = (act: Act, delivery: Delivery) => {
    setOpenForm(null);
    setOutcome({ ok: true, title: `Акт от ${formatDate(act.delivered_on)}: ${DELIVERY_RESOLUTION[delivery.resolution ?? 'confirmed']}`, text: afterResolution(delivery) });
    void refreshCabinet(queryClient);
  };

  const confirmWhole = async (act: Act) => {
    setOutcome(null);
    try {
      resolved(act, await confirmAll.mutateAsync({ params: { path: { id: act.id } }, body: {} }));
    } catch (error) {
      setOutcome({ ok: false, problem: toProblem(error) });
      void refreshCabinet(queryClient);
    }
  };

  return (
    <CabinetPage title="Акты об оказании услуг" lead="Акты, в которых поставщик отметил оказанные услуги. Проверьте их: оплата поставщику идёт только за подтверждённое.">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title={outcome.title} message={outcome.text} /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      {acting.needsRecipient ? (
        <EmptyState title="Получатель не выбран">Введите идентификатор получателя выше, чтобы увидеть его акты.</EmptyState>
      ) : (
        <>
          <section aria-labelledby="acts-held" className="stack">
            <Text as="h2" variant="header-1" id="acts-held">
              Ждут вашего подтверждения
            </Text>
            <PageState loading={held.isPending} error={held.error} retry={() => void held.refetch()}>
              {held.data && held.data.items.length > 0 ? (
                <ul className="card-list" aria-labelledby="acts-held">
                  {held.data.items.map((act) => (
                    <li key={act.id}>
                      <HeldAct
                        act={act}
                        link={acting.link}
                        openForm={openForm?.actId === act.id ? openForm.kind : null}
                        onOpen={(kind) => {
                          setOutcome(null);
                          setOpenForm(kind ? { actId: act.id, kind } : null);
                        }}
                        confirming={confirmAll.isPending && confirmAll.variables?.params.path.id === act.id}
                        onConfirmAll={() => void confirmWhole(act)}
                        onResolved={(delivery) => resolved(act, delivery)}
                      />
                    </li>
                  ))}
                </ul>
              ) : (
                <EmptyState title="Нет актов, которые ждут подтверждения">Когда поставщик отметит оказанные услуги, акт появится здесь.</EmptyState>
              )}
            </PageState>
          </section>
          <section aria-labelledby="acts-posted" className="stack">
            <Text as="h2" variant="header-1" id="acts-posted">
              Подтверждённые акты
            </Text>
            <PageState loading={posted.isPending} error={posted.error} retry={() => void posted.refetch()}>
              {posted.data && posted.data.items.length > 0 ? (
                <ul className="card-list" aria-labelledby="acts-posted">
                  {posted.data.items.map((act) => (
                    <li key={act.id}>
                      <PostedAct act={act} onRated={() => void refreshCabinet(queryClient)} />
                    </li>
                  ))}
                </ul>
              ) : (
                <EmptyState title="Подтверждённых актов пока нет">После подтверждения акта здесь можно будет оценить услугу.</EmptyState>
              )}
            </PageState>
          </section>
        </>
      )}
    </CabinetPage>
  );
}

function afterResolution(delivery: Delivery): string {
  if (delivery.resolution === 'disputed') return 'Поставщику ничего не оплачивается, объём услуги и деньги вернулись на сертификат. Если поставщик не согласен, он обратится в орган соцзащиты.';
  if (delivery.resolution === 'hold_expired') return 'Срок блокировки средств истёк, поэтому акт аннулирован и деньги вернулись на сертификат. Если услуга была оказана, поставщик оформит новый акт.';
  const paid = delivery.posted_amount ? ` Поставщику будет перечислено ${formatMoney(delivery.posted_amount)}.` : '';
  if (delivery.resolution === 'partly_disputed') {
    return `Подтверждено ${delivery.confirmed_units ?? '—'} из ${delivery.units}.${paid} Остальное вернулось на сертификат. Теперь можно оценить услугу в разделе «Подтверждённые акты».`;
  }
  return `Спасибо.${paid} Теперь можно оценить услугу в разделе «Подтверждённые акты».`;
}

function ActDetails({ act, link }: { act: Act; link: (to: string) => string }) {
  return (
    <Definitions
      items={[
        { term: 'Поставщик', value: act.provider_name },
        { term: 'Услуга', value: serviceOf(act) },
        { term: 'Дата оказания', value: formatDate(act.delivered_on) },
        { term: 'Объём', value: unitsText(act.units, act.unit) },
        { term: 'Сумма к оплате с сертификата', value: <Money amount={act.amount} /> },
        act.fee_amount !== '0.00' && act.fee_amount !== '0' ? { term: 'Ваша доля (плата получателя)', value: <Money amount={act.fee_amount} /> } : null,
        { term: 'Специалист', value: `${act.staff.name}, ${act.staff.position}` },
        { term: 'Сертификат', value: <RouterLink to={link(`/cabinet/certificates/${act.certificate_id}`)}>№ {act.certificate_number}</RouterLink> },
      ]}
    />
  );
}

function HeldAct({
  act,
  link,
  openForm,
  onOpen,
  confirming,
  onConfirmAll,
  onResolved,
}: {
  act: Act;
  link: (to: string) => string;
  openForm: OpenForm['kind'] | null;
  onOpen: (kind: OpenForm['kind'] | null) => void;
  confirming: boolean;
  onConfirmAll: () => void;
  onResolved: (delivery: Delivery) => void;
}) {
  const date = formatDate(act.delivered_on);
  const formId = `act-form-${act.id}`;
  const partialRef = useRef<HTMLButtonElement>(null);
  const disputeRef = useRef<HTMLButtonElement>(null);

  // The form's first field takes focus when it opens; closing it gives focus back to its button.
  useEffect(() => {
    if (openForm === 'partial') document.getElementById(`partial-units-${act.id}`)?.focus();
    if (openForm === 'dispute') document.getElementById(`dispute-reason-${act.id}`)?.focus();
  }, [openForm, act.id]);
  const close = (kind: OpenForm['kind']) => {
    onOpen(null);
    (kind === 'partial' ? partialRef : disputeRef).current?.focus();
  };

  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-3">
        Акт от {date}: {serviceOf(act)}
      </Text>
      <div className="row">
        <Status tone="warning">Ожидает вашего подтверждения</Status>
      </div>
      <ActDetails act={act} link={link} />
      {act.auto_confirm_at ? (
        <Text as="p" className="auto-confirm">
          Будет подтверждён автоматически {formatDate(act.auto_confirm_at)} в {formatTime(act.auto_confirm_at)} (по местному времени, {regionClockLabel(new Date(act.auto_confirm_at))}), если вы ничего не сделаете.
        </Text>
      ) : null}
      {act.can_confirm ? (
        <>
          <div className="row act-actions">
            <Button view="action" size="l" loading={confirming} onClick={onConfirmAll}>
              Подтвердить акт от {date} полностью
            </Button>
            {act.units > 1 ? (
              <Button
                ref={partialRef}
                view={openForm === 'partial' ? 'normal' : 'outlined'}
                size="l"
                onClick={() => onOpen(openForm === 'partial' ? null : 'partial')}
                extraProps={{ 'aria-expanded': openForm === 'partial', 'aria-controls': openForm === 'partial' ? formId : undefined }}
              >
                Подтвердить акт от {date} частично
              </Button>
            ) : null}
            <Button
              ref={disputeRef}
              view={openForm === 'dispute' ? 'outlined-danger' : 'outlined'}
              size="l"
              onClick={() => onOpen(openForm === 'dispute' ? null : 'dispute')}
              extraProps={{ 'aria-expanded': openForm === 'dispute', 'aria-controls': openForm === 'dispute' ? formId : undefined }}
            >
              Оспорить акт от {date}
            </Button>
          </div>
          {openForm ? (
            <div id={formId}>
              <Suspense fallback={<Loader size="s" />}>
                {openForm === 'partial' ? (
                  <PartialConfirmForm act={act} onDone={onResolved} onCancel={() => close('partial')} />
                ) : (
                  <DisputeForm act={act} onDone={onResolved} onCancel={() => close('dispute')} />
                )}
              </Suspense>
            </div>
          ) : null}
        </>
      ) : (
        <Text as="p">Акт ещё оформляется: подтвердить или оспорить его можно будет через несколько минут. Обновите страницу позже.</Text>
      )}
    </Card>
  );
}

function PostedAct({ act, onRated }: { act: Act; onRated: () => void }) {
  const date = formatDate(act.delivered_on);
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-3">
        Акт от {date}: {serviceOf(act)}
      </Text>
      <div className="row">
        <Status tone="success">{act.resolution ? `Акт ${DELIVERY_RESOLUTION[act.resolution]}` : 'Акт подтверждён'}</Status>
      </div>
      <Definitions
        items={[
          { term: 'Поставщик', value: act.provider_name },
          { term: 'Объём', value: act.confirmed_units != null && act.confirmed_units !== act.units ? `подтверждено ${unitsText(act.confirmed_units, act.unit)}, в акте ${unitsText(act.units, act.unit)}` : unitsText(act.units, act.unit) },
          { term: 'Оплачено поставщику', value: <Money amount={act.posted_amount ?? act.amount} /> },
          act.dispute_reason ? { term: 'Ваше возражение', value: act.dispute_reason } : null,
        ]}
      />
      {act.can_rate || act.feedback ? (
        <Suspense fallback={<Loader size="s" />}>
          <RatingForm act={act} onRated={onRated} />
        </Suspense>
      ) : act.feedback_given ? (
        <Text as="p">Услуга уже оценена.</Text>
      ) : (
        <Text as="p">Оценить услугу может только сам получатель, войдя в личный кабинет.</Text>
      )}
    </Card>
  );
}
