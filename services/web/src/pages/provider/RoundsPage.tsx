import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { TextField } from '../../forms/TextField';
import { formatDate, formatDateTime, plural } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { Status, type Tone } from '../citizen/cabinet';
import { ProviderPage, useProviderId } from './frame';
import { DocumentUpload } from './rounds/DocumentUpload';

type Item = RegistrySchemas['PublicRound'] & { fitting: string[]; application: RegistrySchemas['Application'] | null };
type Application = RegistrySchemas['Application'];

const APPLICATION_STATUS: Record<Application['status'], { text: string; tone: Tone }> = {
  awaiting_scoring: { text: 'Заявка подана, ждёт оценки комиссии', tone: 'info' },
  admitted: { text: 'Допущена: организация включена в реестр по услугам отбора', tone: 'success' },
  refused: { text: 'Отказано', tone: 'danger' },
  appealed: { text: 'Подана апелляция, ждёт решения комиссии', tone: 'info' },
  appeal_rejected: { text: 'Апелляция отклонена', tone: 'danger' },
  withdrawn: { text: 'Заявка отозвана', tone: 'normal' },
};

const RESULT: Record<RegistrySchemas['CriterionResult']['result'], string> = { pass: 'выполнен', fail: 'не выполнен', scored: 'оценён' };

export function RoundsPage() {
  const providerId = useProviderId();
  const isAdmin = useSession().hasRole('provider_admin');
  const queryClient = useQueryClient();
  const rounds = $registry.useQuery('get', '/v1/providers/{id}/rounds', { params: { path: { id: providerId } } });
  const documents = $registry.useQuery('get', '/v1/providers/{id}/documents', { params: { path: { id: providerId } } });
  const [outcome, setOutcome] = useState<{ ok: true; title: string; text: string } | { ok: false; problem: Problem } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('/v1/providers/') });
  const done = async (title: string, text: string) => {
    await refresh();
    setOutcome({ ok: true, title, text });
  };
  const failed = (error: unknown) => setOutcome({ ok: false, problem: toProblem(error) });

  const items: Item[] = rounds.data?.items.map((i) => ({ ...i.round, fitting: i.fitting_services, application: i.application })) ?? [];
  return (
    <ProviderPage title="Отборы поставщиков" lead="Отборы, подходящие вашим услугам и территории: подайте заявку с документами, следите за решением комиссии, при отказе исправьте замечания или подайте апелляцию.">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title={outcome.title} message={outcome.text} /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      <PageState loading={rounds.isPending} error={rounds.error} retry={() => void rounds.refetch()}>
        {items.length ? (
          <ul className="card-list" aria-label="Отборы">
            {items.map((round) => (
              <li key={round.id}>
                <RoundCard round={round} isAdmin={isAdmin} onDone={done} onFailed={failed} />
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="Подходящих отборов сейчас нет">Когда комиссия объявит отбор по вашим услугам и территории, он появится здесь.</EmptyState>
        )}
      </PageState>

      <Text as="h2" variant="subheader-3">
        Документы организации
      </Text>
      <Text as="p">Формальная проверка заявки читает загруженные документы: справку об отсутствии задолженности, лицензии и другие.</Text>
      <PageState loading={documents.isPending} error={documents.error}>
        {documents.data?.items.length ? (
          <ul aria-label="Загруженные документы">
            {documents.data.items.map((d) => (
              <li key={d.id}>
                {d.title} ({d.file_name}){d.valid_until ? `, действует до ${formatDate(d.valid_until)}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="Документы не загружены" />
        )}
      </PageState>
      {isAdmin ? <DocumentUpload providerId={providerId} onUploaded={(title) => void done('Документ загружен', `«${title}» сохранён в реестре.`)} /> : null}
    </ProviderPage>
  );
}

function RoundCard({ round, isAdmin, onDone, onFailed }: { round: Item; isAdmin: boolean; onDone: (title: string, text: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const names = new Map(round.services.map((s) => [s.code, s.name]));
  const a = round.application;
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        {round.title}
      </Text>
      <div className="row">
        <Status tone={round.status === 'open' ? 'success' : 'normal'}>{round.status === 'open' ? 'Приём заявок открыт' : round.status === 'upcoming' ? 'Приём заявок ещё не начался' : 'Приём заявок завершён'}</Status>
        {a ? <Status tone={APPLICATION_STATUS[a.status].tone}>{APPLICATION_STATUS[a.status].text}</Status> : null}
      </div>
      <Definitions
        items={[
          { term: 'Приём заявок', value: `с ${formatDateTime(round.applications_open_at)} по ${formatDateTime(round.applications_close_at)}` },
          { term: 'Ваши услуги в отборе', value: round.fitting.map((c) => names.get(c) ?? c).join('; ') || '—' },
          { term: 'Территория (ОКТМО)', value: round.territory.join(', ') },
        ]}
      />
      {!a && round.status === 'open' && isAdmin ? <ApplyForm round={round} names={names} onDone={onDone} onFailed={onFailed} /> : null}
      {!a && round.status === 'open' && !isAdmin ? <Text as="p">Заявку подаёт администратор организации.</Text> : null}
      {a ? <ApplicationDetails round={round} application={a} isAdmin={isAdmin} onDone={onDone} onFailed={onFailed} /> : null}
    </Card>
  );
}

function ApplyForm({ round, names, onDone, onFailed }: { round: Item; names: Map<string, string>; onDone: (t: string, x: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const [chosen, setChosen] = useState<string[]>(round.fitting);
  const [error, setError] = useState<string | null>(null);
  const apply = $registry.useMutation('post', '/v1/rounds/{id}/applications');
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!chosen.length) return setError('Отметьте хотя бы одну услугу');
    setError(null);
    try {
      const application = await apply.mutateAsync({ params: { path: { id: round.id } }, body: { service_codes: chosen } });
      await onDone(
        application.status === 'refused' ? 'Заявка не прошла формальную проверку' : 'Заявка подана',
        application.status === 'refused' ? 'Ниже — что не так, что исправить и до какого срока можно подать апелляцию.' : `Заявка на отбор «${round.title}» прошла формальную проверку и ждёт оценки комиссии.`,
      );
    } catch (e) {
      onFailed(e);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack act-form" aria-label={`Заявка на отбор «${round.title}»`}>
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={error ? `apply-error-${round.id}` : undefined}>
        <legend>
          <Text variant="subheader-1">Услуги, по которым вы участвуете</Text>
        </legend>
        {round.fitting.map((code) => (
          <Checkbox
            key={code}
            size="l"
            checked={chosen.includes(code)}
            onUpdate={(on) => setChosen((prev) => (on ? [...prev, code] : prev.filter((c) => c !== code)))}
            content={names.get(code) ?? code}
          />
        ))}
      </fieldset>
      {error ? (
        <Text id={`apply-error-${round.id}`} color="danger" role="alert">
          {error}
        </Text>
      ) : null}
      <Text as="p" color="secondary">
        К заявке прилагаются документы организации из раздела «Документы организации» ниже.
      </Text>
      <div>
        <Button type="submit" view="action" size="l" loading={apply.isPending}>
          Подать заявку<span className="visually-hidden"> на отбор «{round.title}»</span>
        </Button>
      </div>
    </form>
  );
}

function CriteriaTable({ caption, criteria }: { caption: string; criteria: RegistrySchemas['CriterionResult'][] }) {
  return (
    <div className="stack" style={{ gap: 8 }}>
      <Text as="h3" variant="subheader-2">
        {caption}
      </Text>
      <ul className="stack" style={{ gap: 8, margin: 0, paddingLeft: 20 }}>
        {criteria.map((c) => (
          <li key={c.code}>
            <strong>{c.name}</strong>: {RESULT[c.result]}
            {c.points != null ? `, ${c.points} ${plural(c.points, 'балл', 'балла', 'баллов')}${c.weighted_points ? ` (с учётом веса — ${c.weighted_points})` : ''}` : ''}. {c.detail}
            {c.what_to_fix ? ` Что исправить: ${c.what_to_fix}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ApplicationDetails(props: { round: Item; application: Application; isAdmin: boolean; onDone: (t: string, x: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const { round, application: a, isAdmin } = props;
  const withdraw = $registry.useMutation('post', '/v1/rounds/{id}/applications/{applicationId}/withdraw');
  const appeal = $registry.useMutation('post', '/v1/rounds/{id}/applications/{applicationId}/appeal');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const refusal = a.decision?.refusal;
  const canAppeal = isAdmin && a.status === 'refused' && refusal && new Date(refusal.appeal_deadline) > new Date();
  const path = { id: round.id, applicationId: a.id };

  const onWithdraw = async () => {
    try {
      await withdraw.mutateAsync({ params: { path } });
      await props.onDone('Заявка отозвана', `Заявка на отбор «${round.title}» отозвана и не будет оцениваться.`);
    } catch (e) {
      props.onFailed(e);
    }
  };
  const onAppeal = async (event: React.FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 10) return setReasonError('Опишите, с чем вы не согласны (не короче 10 знаков)');
    setReasonError(undefined);
    try {
      await appeal.mutateAsync({ params: { path }, body: { reason: reason.trim() } });
      await props.onDone('Апелляция подана', 'Комиссия рассмотрит заявку повторно и примет решение с обоснованием.');
    } catch (e) {
      props.onFailed(e);
    }
  };

  return (
    <div className="stack">
      <Definitions
        items={[
          { term: 'Заявка подана', value: formatDateTime(a.submitted_at) },
          a.decision ? { term: 'Решение', value: `${a.decision.outcome === 'admitted' ? 'допустить' : 'отказать'}, ${formatDateTime(a.decision.decided_at)}` } : null,
          a.decision?.total_points != null ? { term: 'Сумма баллов', value: `${a.decision.total_points} при проходном ${a.decision.threshold}` } : null,
          refusal ? { term: 'Причина отказа', value: refusal.reason } : null,
          refusal ? { term: 'Апелляция — до', value: formatDateTime(refusal.appeal_deadline) } : null,
          a.decision?.reason ? { term: 'Обоснование комиссии', value: a.decision.reason } : null,
          a.appeal ? { term: 'Ваша апелляция', value: `${a.appeal.reason} (${formatDateTime(a.appeal.filed_at)})` } : null,
        ]}
      />
      <CriteriaTable caption="Формальная проверка" criteria={a.formal_results} />
      {a.decision ? <CriteriaTable caption="Оценка по критериям" criteria={a.decision.criteria.filter((c) => c.kind !== 'formal')} /> : null}
      {refusal?.what_to_fix.length ? (
        <div className="stack" style={{ gap: 8 }}>
          <Text as="h3" variant="subheader-2">
            Что исправить
          </Text>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {refusal.what_to_fix.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <Text as="p">{refusal.how_to_appeal}</Text>
        </div>
      ) : null}
      {isAdmin && a.status === 'awaiting_scoring' ? (
        <div>
          <Button view="outlined-danger" size="l" loading={withdraw.isPending} onClick={() => void onWithdraw()}>
            Отозвать заявку<span className="visually-hidden"> на отбор «{round.title}»</span>
          </Button>
        </div>
      ) : null}
      {canAppeal ? (
        <form onSubmit={(e) => void onAppeal(e)} noValidate className="stack act-form" aria-label="Апелляция">
          <TextField id={`appeal-${a.id}`} label="С чем вы не согласны" multiline value={reason} error={reasonError} onChange={(e) => setReason(e.target.value)} />
          <div>
            <Button type="submit" view="action" size="l" loading={appeal.isPending}>
              Подать апелляцию
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
