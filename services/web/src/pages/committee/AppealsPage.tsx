import { Card, Text } from '@gravity-ui/uikit';
import { $registry, type RegistrySchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDateTime } from '../../format/date';
import { refusalLabel } from '../public/dictionary';
import { APPLICATION_STATUS } from './labels';
import { CommitteePage, Section, Status } from './ui';

type AppealItem = RegistrySchemas['AppealItem'];

/** The appeal queue: pending appeals by their deadline, each linked to the decision appealed against; then the decided ones. */
export function AppealsPage() {
  const pending = $registry.useQuery('get', '/v1/appeals', { params: { query: { state: 'pending' } } });
  const decided = $registry.useQuery('get', '/v1/appeals', { params: { query: { state: 'decided' } } });
  return (
    <CommitteePage title="Апелляции" back={{ to: '/committee', label: 'Кабинет комиссии' }} lead="Комиссия рассматривает апелляцию в течение 10 календарных дней после подачи. Решение принимается на экране заявки.">
      <Section id="pending-title" title="Ждут решения">
        <PageState loading={pending.isPending} error={pending.error} retry={() => void pending.refetch()}>
          {pending.data?.items.length === 0 ? (
            <EmptyState title="Апелляций, ожидающих решения, нет" />
          ) : (
            <ol className="card-list" aria-labelledby="pending-title">
              {[...(pending.data?.items ?? [])]
                .sort((a, b) => Date.parse(a.respond_by) - Date.parse(b.respond_by))
                .map((item) => (
                  <li key={item.application_id}>
                    <AppealCard item={item} />
                  </li>
                ))}
            </ol>
          )}
        </PageState>
      </Section>
      <Section id="decided-title" title="Рассмотренные">
        <PageState loading={decided.isPending} error={decided.error} retry={() => void decided.refetch()}>
          {decided.data?.items.length === 0 ? (
            <EmptyState title="Рассмотренных апелляций пока нет" />
          ) : (
            <ol className="card-list" aria-labelledby="decided-title">
              {decided.data?.items.map((item) => (
                <li key={item.application_id}>
                  <AppealCard item={item} />
                </li>
              ))}
            </ol>
          )}
        </PageState>
      </Section>
    </CommitteePage>
  );
}

function AppealCard({ item }: { item: AppealItem }) {
  const status = APPLICATION_STATUS[item.status];
  const refusal = item.appealed_decision?.refusal;
  return (
    <Card view="outlined" className="card-pad stack">
      <Text as="h3" variant="subheader-3">
        <RouterLink to={`/committee/rounds/${item.round_id}/applications/${item.application_id}`}>
          {item.status === 'appealed' ? 'Рассмотреть апелляцию' : 'Апелляция'}: {item.provider_name}
        </RouterLink>
      </Text>
      <div className="row">
        <Status tone={status.tone}>{status.label}</Status>
        {item.overdue ? <Status tone="danger">Срок рассмотрения истёк</Status> : null}
      </div>
      <Definitions
        items={[
          { term: 'Отбор', value: <RouterLink to={`/committee/rounds/${item.round_id}`}>{item.round_title}</RouterLink> },
          { term: 'Подана', value: formatDateTime(item.appeal.filed_at) },
          item.status === 'appealed' ? { term: 'Решить до', value: formatDateTime(item.respond_by) } : null,
          { term: 'Доводы поставщика', value: item.appeal.reason },
          item.appealed_decision
            ? {
                term: 'Обжалованное решение',
                value: `${formatDateTime(item.appealed_decision.decided_at)}: ${refusal ? `${refusalLabel(refusal.code)}. ${refusal.reason}` : 'допущена'}`,
              }
            : null,
          item.decision?.reason ? { term: 'Решение по апелляции', value: item.decision.reason } : null,
        ]}
      />
    </Card>
  );
}
