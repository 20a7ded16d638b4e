import { useState } from 'react';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $registry, type RegistrySchemas } from '../../api/client';
import { ProblemAlert } from '../../components/PageState';
import { formatDateTime } from '../../format/date';

type Round = RegistrySchemas['Round'];
type Application = RegistrySchemas['Application'];

/** Where the round's window stands now, and what the committee may do with it: open now, close now, publish the final results. */
export function RoundActions({ round, applications }: { round: Round; applications: Application[] | undefined }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string>();
  const path = { params: { path: { id: round.id } } };
  const openNow = $registry.useMutation('post', '/v1/rounds/{id}/open');
  const closeNow = $registry.useMutation('post', '/v1/rounds/{id}/close');
  const publish = $registry.useMutation('post', '/v1/rounds/{id}/publish');
  const error = openNow.error ?? closeNow.error ?? publish.error;

  const now = Date.now();
  const upcoming = now < Date.parse(round.applications_open_at);
  const open = !upcoming && now <= Date.parse(round.applications_close_at);
  const pending = (applications ?? []).filter((a) => a.status === 'awaiting_scoring' || a.status === 'appealed').length;

  const run = async (mutation: typeof openNow, message: string) => {
    setDone(undefined);
    await mutation.mutateAsync(path);
    await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/') });
    setDone(message);
  };

  let state: string;
  if (round.results_published_at) state = `Итоги опубликованы ${formatDateTime(round.results_published_at)}.`;
  else if (upcoming) state = `Приём заявок начнётся ${formatDateTime(round.applications_open_at)}.`;
  else if (open) state = `Идёт приём заявок до ${formatDateTime(round.applications_close_at)}.`;
  else if (pending > 0) state = `Приём заявок завершён. Ждут решения комиссии: ${pending}.`;
  else state = 'Приём заявок завершён, все заявки рассмотрены — можно опубликовать итоги.';

  return (
    <section aria-labelledby="round-state-title" className="stack card-pad committee-panel">
      <Text as="h2" variant="subheader-3" id="round-state-title">
        Приём заявок и итоги
      </Text>
      <Text as="p">{state}</Text>
      <div className="row">
        {upcoming ? (
          <Button view="action" size="l" loading={openNow.isPending} onClick={() => void run(openNow, 'Приём заявок открыт.').catch(() => undefined)}>
            Открыть приём сейчас
          </Button>
        ) : null}
        {open ? (
          <Button view="outlined" size="l" loading={closeNow.isPending} onClick={() => void run(closeNow, 'Приём заявок закрыт.').catch(() => undefined)}>
            Закрыть приём заявок
          </Button>
        ) : null}
        {!upcoming && !open && !round.results_published_at ? (
          <Button view="action" size="l" disabled={pending > 0} loading={publish.isPending} onClick={() => void run(publish, 'Итоги отбора опубликованы.').catch(() => undefined)}>
            Опубликовать итоги
          </Button>
        ) : null}
      </div>
      <div aria-live="polite">{done ? <Alert theme="success" message={done} /> : null}</div>
      {error ? <ProblemAlert error={error} /> : null}
    </section>
  );
}
