import { useEffect, useId, useRef, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { FormTextField } from '../../components/FormTextField';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate, formatDateTime } from '../../format/date';
import { unitCount } from '../public/dictionary';
import { Status } from '../citizen/cabinet';
import { ProviderPage, summaryOf, useProviderId } from './frame';
import { DECLINE_REASON, INBOX_STATUS } from './labels';

type InboxBooking = CertificatesSchemas['InboxBooking'];
type StatusFilter = CertificatesSchemas['BookingStatus'] | 'all';

const FILTERS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'requested', label: 'Ждут ответа' },
  { value: 'accepted', label: 'Договоры заключены' },
  { value: 'declined', label: 'Отказы' },
  { value: 'cancelled', label: 'Отменены получателями' },
  { value: 'all', label: 'Все заявки' },
];

/** After an answer or an act, every list of the provider's cabinet is read again. */
export function refreshProviderCabinet(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const path = query.queryKey[1];
      return typeof path === 'string' && (path.startsWith('/v1/providers/') || path.startsWith('/v1/bookings/'));
    },
  });
}

const serviceOf = (b: InboxBooking) => b.service_name ?? b.service_code;

export function InboxPage() {
  const providerId = useProviderId();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<StatusFilter>('requested');
  const query = $certificates.useQuery('get', '/v1/providers/{id}/inbox', {
    params: { path: { id: providerId }, query: filter === 'all' ? {} : { status: filter } },
  });
  const accept = $certificates.useMutation('post', '/v1/bookings/{id}/accept');
  const [declining, setDeclining] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: true; title: string; text: string } | { ok: false; problem: Problem } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const onAccept = async (b: InboxBooking) => {
    try {
      await accept.mutateAsync({ params: { path: { id: b.id } } });
      await refreshProviderCabinet(queryClient);
      setOutcome({ ok: true, title: 'Заявка принята', text: `Договор с получателем ${b.recipient_name} на услугу «${serviceOf(b)}» заключён. Акты об оказании услуг записывайте в разделе «Акты».` });
    } catch (error) {
      setOutcome({ ok: false, problem: toProblem(error) });
    }
  };

  const onDeclined = async (b: InboxBooking) => {
    setDeclining(null);
    await refreshProviderCabinet(queryClient);
    setOutcome({ ok: true, title: 'Отказ отправлен', text: `Получатель ${b.recipient_name} увидит причину отказа и сможет выбрать другого поставщика.` });
  };

  return (
    <ProviderPage title="Заявки получателей" lead="Заявки граждан на ваши услуги по социальным сертификатам: ответьте до указанного срока — примите заявку или откажите с причиной.">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title={outcome.title} message={outcome.text} /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      <div className="stack" style={{ gap: 4, maxWidth: 360 }}>
        <label htmlFor="inbox-filter">
          <Text variant="subheader-1">Показать</Text>
        </label>
        <NativeSelect id="inbox-filter" value={filter} options={FILTERS} onChange={(value) => setFilter(value as StatusFilter)} />
      </div>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {query.data && query.data.items.length > 0 ? (
          <ul className="card-list" aria-label="Заявки получателей">
            {query.data.items.map((b) => (
              <li key={b.id}>
                <InboxCard
                  booking={b}
                  accepting={accept.isPending && accept.variables?.params.path.id === b.id}
                  declining={declining === b.id}
                  onAccept={() => void onAccept(b)}
                  onDecline={() => setDeclining(b.id)}
                  onDeclineCancel={() => setDeclining(null)}
                  onDeclined={() => void onDeclined(b)}
                />
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title={filter === 'requested' ? 'Новых заявок нет' : 'Заявок нет'}>
            Когда гражданин выберет вас в своём сертификате, заявка появится здесь. Выберите «Все заявки», чтобы увидеть прежние.
          </EmptyState>
        )}
      </PageState>
    </ProviderPage>
  );
}

function admissionText(admission: InboxBooking['admission']): string {
  if (!admission) return 'Реестр сейчас недоступен — сведения о допуске не загружены';
  const where = admission.territory.length === 0 ? 'весь регион' : `территории ОКТМО ${admission.territory.join(', ')}`;
  return `${where}; район получателя ${admission.in_scope ? 'входит в допуск' : 'не входит в допуск — проверьте, можете ли вы оказать услугу'}`;
}

function InboxCard(props: {
  booking: InboxBooking;
  accepting: boolean;
  declining: boolean;
  onAccept: () => void;
  onDecline: () => void;
  onDeclineCancel: () => void;
  onDeclined: () => void;
}) {
  const { booking: b } = props;
  const tone = b.status === 'requested' ? 'info' : b.status === 'accepted' ? 'success' : b.status === 'declined' ? 'danger' : 'normal';
  const forWhom = ` от ${b.recipient_name} на услугу «${serviceOf(b)}»`;
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        {b.recipient_name} — {serviceOf(b)}
      </Text>
      <div className="row">
        <Status tone={tone}>{INBOX_STATUS[b.status]}</Status>
        {b.overdue ? <Status tone="danger">Срок ответа истёк</Status> : null}
      </div>
      <Definitions
        items={[
          { term: 'Сертификат', value: `№ ${b.certificate_number}, действует до ${formatDate(b.certificate_valid_to)}` },
          { term: 'Запрошено', value: `${unitCount(b.units, b.unit)}, по ${b.units_per_month} в месяц` },
          { term: 'Заявка подана', value: formatDateTime(b.requested_at) },
          b.status === 'requested' ? { term: 'Ответить до', value: `${formatDate(b.respond_by)} включительно` } : null,
          { term: 'Остаток объёма у получателя', value: `${unitCount(b.line.units_left, b.unit)} из ${unitCount(b.line.volume, b.unit)}` },
          {
            term: 'Остаток средств по услуге',
            value: (
              <>
                <Money amount={b.line.available} /> из <Money amount={b.line.value} />
              </>
            ),
          },
          { term: 'Тариф за единицу', value: <Money amount={b.line.unit_cost} /> },
          { term: 'Допуск по услуге', value: admissionText(b.admission) },
          b.status === 'accepted' ? { term: 'Оказано (в актах)', value: `${unitCount(b.units_in_use, b.unit)}, подтверждено ${unitCount(b.units_confirmed, b.unit)}` } : null,
          b.decided_at ? { term: 'Ответ дан', value: formatDateTime(b.decided_at) } : null,
          b.decline ? { term: 'Причина отказа', value: [DECLINE_REASON[b.decline.code], b.decline.reason].filter(Boolean).join(': ') } : null,
        ]}
      />
      {b.status === 'requested' && !props.declining ? (
        <div className="row">
          <Button view="action" size="l" loading={props.accepting} onClick={props.onAccept}>
            Принять заявку<span className="visually-hidden">{forWhom}</span>
          </Button>
          <Button view="outlined-danger" size="l" onClick={props.onDecline}>
            Отказать<span className="visually-hidden">{forWhom}</span>
          </Button>
        </div>
      ) : null}
      {b.status === 'requested' && props.declining ? <DeclineForm booking={b} onDone={props.onDeclined} onCancel={props.onDeclineCancel} /> : null}
      {b.status === 'accepted' ? (
        <Text as="p">
          <RouterLink to={`/provider/acts?booking=${b.id}`}>
            Записать акт<span className="visually-hidden">{forWhom}</span>
          </RouterLink>
        </Text>
      ) : null}
    </Card>
  );
}

const declineSchema = z.object({
  code: z.enum(['no_staff_in_area', 'capacity_exhausted', 'service_not_suitable', 'recipient_unreachable', 'other']),
  reason: z.string().check(z.trim(), z.minLength(1, 'Объясните получателю причину отказа'), z.maxLength(1000, 'Не длиннее 1000 знаков')),
});
type DeclineValues = z.infer<typeof declineSchema>;

function DeclineForm({ booking, onDone, onCancel }: { booking: InboxBooking; onDone: () => void; onCancel: () => void }) {
  const headingId = useId();
  const ids = { code: `decline-code-${booking.id}`, reason: `decline-reason-${booking.id}` };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const decline = $certificates.useMutation('post', '/v1/bookings/{id}/decline');
  const form = useForm<DeclineValues>({ resolver: standardSchemaResolver(declineSchema), defaultValues: { code: 'no_staff_in_area', reason: '' }, shouldFocusError: false });
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        await decline.mutateAsync({ params: { path: { id: booking.id } }, body: values });
        onDone();
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, { code: { name: 'code', id: ids.code }, reason: { name: 'reason', id: ids.reason } }));
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  return (
    <form onSubmit={submit} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h3" variant="subheader-2" id={headingId}>
        Отказ в заявке — {booking.recipient_name}
      </Text>
      <ErrorSummary items={summary} />
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor={ids.code}>
          <Text variant="subheader-1">Причина отказа</Text>
        </label>
        <Controller
          control={form.control}
          name="code"
          render={({ field }) => (
            <NativeSelect
              id={ids.code}
              value={field.value}
              options={Object.entries(DECLINE_REASON).map(([value, label]) => ({ value, label }))}
              onChange={(value) => field.onChange(value)}
            />
          )}
        />
      </div>
      <FormTextField control={form.control} name="reason" id={ids.reason} label="Пояснение для получателя" hint="Получатель увидит его в разделе «Мои обращения»." multiline />
      <div className="row">
        <Button type="submit" view="outlined-danger" size="l" loading={form.formState.isSubmitting}>
          Отправить отказ
        </Button>
        <Button view="outlined" size="l" onClick={onCancel}>
          Отмена
        </Button>
      </div>
    </form>
  );
}
