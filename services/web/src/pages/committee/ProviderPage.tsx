import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useParams } from 'react-router';
import { z } from 'zod/mini';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDateTime } from '../../format/date';
import { summaryOfErrors } from './forms';
import { PROVIDER_STATUS, type ProviderStatus } from './labels';
import { OrganisationDetails } from './OrganisationDetails';
import { CommitteePage, Section, Status } from './ui';

type Provider = RegistrySchemas['Provider'];

/** What the committee may move a provider to from its status (the registry's own transitions). */
const NEXT: Record<ProviderStatus, Array<{ status: ProviderStatus; label: string }>> = {
  applicant: [{ status: 'excluded', label: 'Исключить из реестра' }],
  under_review: [{ status: 'excluded', label: 'Исключить из реестра' }],
  admitted: [
    { status: 'suspended', label: 'Приостановить' },
    { status: 'excluded', label: 'Исключить из реестра' },
  ],
  suspended: [
    { status: 'admitted', label: 'Возобновить допуск' },
    { status: 'excluded', label: 'Исключить из реестра' },
  ],
  excluded: [],
};

/** A provider as the committee keeps it: its data and documents, a change of status with a reason, and the history of changes. */
export function ProviderPage() {
  const { id = '' } = useParams();
  const provider = $registry.useQuery('get', '/v1/providers/{id}', { params: { path: { id } } });
  const history = $registry.useQuery('get', '/v1/providers/{id}/status-history', { params: { path: { id } } });
  const p = provider.data;
  return (
    <CommitteePage title={p ? (p.short_name ?? p.name ?? 'Поставщик') : 'Поставщик'} back={{ to: '/committee/providers', label: 'Реестр поставщиков' }}>
      <PageState loading={provider.isPending} error={provider.error} retry={() => void provider.refetch()}>
        {p ? (
          <div className="committee-split">
            <OrganisationDetails provider={p} />
            <div className="stack">
              <StatusForm provider={p} />
              <Section id="history-title" title="История статусов">
                <PageState loading={history.isPending} error={history.error} retry={() => void history.refetch()}>
                  {history.data?.items.length === 0 ? (
                    <EmptyState title="Статус не менялся" />
                  ) : (
                    <ScrollTable caption="История статусов, от новых к старым" captionHidden>
                      <thead>
                        <tr>
                          <th scope="col">Когда</th>
                          <th scope="col">Статус</th>
                          <th scope="col">Причина</th>
                          <th scope="col">Кто</th>
                        </tr>
                      </thead>
                      <tbody>
                        {[...(history.data?.items ?? [])].reverse().map((h, index) => (
                          <tr key={`${h.at}-${index}`}>
                            <td>{formatDateTime(h.at)}</td>
                            <td>
                              {h.from_status ? `${PROVIDER_STATUS[h.from_status].label} → ` : ''}
                              {PROVIDER_STATUS[h.to_status].label}
                            </td>
                            <td className="overflow-safe">{h.reason}</td>
                            <td>{actorText(h.actor)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </ScrollTable>
                  )}
                </PageState>
              </Section>
            </div>
          </div>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}

function actorText(actor: string): string {
  if (actor.startsWith('system:')) return 'Реестр (автоматически)';
  if (actor.startsWith('committee:')) return 'Комиссия по отбору';
  if (actor.startsWith('admin:')) return 'Администратор';
  if (actor.startsWith('provider_admin:')) return 'Поставщик';
  return actor;
}

const schema = z.object({
  status: z.string().check(z.minLength(1, 'Выберите новый статус')),
  reason: z.string().check(z.trim(), z.minLength(10, 'Укажите причину (не короче 10 знаков): поставщик и получатели увидят её'), z.maxLength(2000, 'Не длиннее 2000 знаков')),
});
type Values = z.infer<typeof schema>;
const ids = { status: 'provider-status', reason: 'provider-status-reason' };

function StatusForm({ provider }: { provider: Provider }) {
  const queryClient = useQueryClient();
  const options = NEXT[provider.status];
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState<string>();
  const change = $registry.useMutation('post', '/v1/providers/{id}/status');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { status: options[0]?.status ?? '', reason: '' }, shouldFocusError: false });
  const current = PROVIDER_STATUS[provider.status];

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setDone(undefined);
      try {
        const next = await change.mutateAsync({ params: { path: { id: provider.id } }, body: { status: values.status as ProviderStatus, reason: values.reason.trim() } });
        await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/') });
        form.reset({ status: NEXT[next.status][0]?.status ?? '', reason: '' });
        setDone(`Статус изменён: ${PROVIDER_STATUS[next.status].label.toLowerCase()}.`);
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, { status: { name: 'status', id: ids.status }, reason: { name: 'reason', id: ids.reason } }));
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, (path) => ids[path as keyof typeof ids])),
  );

  return (
    <section aria-labelledby="status-title" className="stack committee-panel card-pad">
      <Text as="h2" variant="header-1" id="status-title">
        Статус в реестре
      </Text>
      <div className="row">
        <Text>Сейчас:</Text>
        <Status tone={current.tone}>{current.label}</Status>
      </div>
      <div aria-live="polite">{done ? <Alert theme="success" message={done} /> : null}</div>
      {options.length === 0 ? (
        <Text as="p">Поставщик исключён из реестра; его статус больше не меняется.</Text>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          <ErrorSummary items={summary} />
          <div className="field">
            <label htmlFor={ids.status} className="field__label">
              Что сделать
            </label>
            <NativeSelect id={ids.status} value={form.watch('status')} options={options.map((o) => ({ value: o.status, label: o.label }))} onChange={(value) => form.setValue('status', value)} />
          </div>
          <FormTextField control={form.control} name="reason" id={ids.reason} label="Причина" hint="Например: выявлены нарушения при оказании услуг, акт проверки № …" multiline />
          <div className="row">
            <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
              Изменить статус
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
