import { Text } from '@gravity-ui/uikit';
import { $registry } from '../../api/client';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterButton } from '../../components/RouterButton';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { ROUND_STATUS_LABELS } from '../public/dictionary';
import { CommitteePage, Section, Status, useCommitteeRegion, type Tone } from './ui';

const ROUND_TONE: Record<string, Tone> = { upcoming: 'info', open: 'success', closed: 'warning', decided: 'normal' };

/** The committee's desk: its region's selection rounds, and the way to appeals, providers and the catalog. */
export function CommitteeHomePage() {
  const region = useCommitteeRegion();
  const rounds = $registry.useQuery('get', '/v1/public/rounds', { params: { query: { region } } });
  const appeals = $registry.useQuery('get', '/v1/appeals', { params: { query: { state: 'pending' } } });
  const pendingAppeals = appeals.data?.items ?? [];
  const overdue = pendingAppeals.filter((a) => a.overdue).length;
  return (
    <CommitteePage title="Кабинет комиссии" lead="Отборы поставщиков вашего региона: объявление, рассмотрение заявок, апелляции, статусы поставщиков и нормативные затраты.">
      {pendingAppeals.length > 0 ? (
        <Text as="p" className="committee-panel card-pad">
          <RouterLink to="/committee/appeals">Апелляций ждут решения: {pendingAppeals.length}</RouterLink>
          {overdue > 0 ? `, из них с истёкшим сроком рассмотрения: ${overdue}` : ''}.
        </Text>
      ) : null}
      <Section
        id="rounds-title"
        title="Отборы"
        actions={
          <RouterButton to="/committee/rounds/new" view="action" size="l">
            Объявить отбор
          </RouterButton>
        }
      >
        <PageState loading={rounds.isPending} error={rounds.error} retry={() => void rounds.refetch()}>
          {rounds.data && rounds.data.items.length === 0 ? (
            <EmptyState title="Отборов пока нет">Объявите первый отбор: укажите услуги, территорию, сроки приёма заявок и критерии.</EmptyState>
          ) : (
            <ScrollTable caption="Отборы региона, новые сверху" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Отбор</th>
                  <th scope="col">Приём заявок</th>
                  <th scope="col">Состояние</th>
                  <th scope="col" className="num">
                    Допущено
                  </th>
                </tr>
              </thead>
              <tbody>
                {rounds.data?.items.map((round) => (
                  <tr key={round.id}>
                    <td className="overflow-safe">
                      <RouterLink to={`/committee/rounds/${round.id}`}>{round.title}</RouterLink>
                    </td>
                    <td>
                      {formatDate(round.applications_open_at)} — {formatDate(round.applications_close_at)}
                    </td>
                    <td>
                      <Status tone={ROUND_TONE[round.status]}>{ROUND_STATUS_LABELS[round.status]}</Status>
                    </td>
                    <td className="num">{round.admitted_count}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          )}
        </PageState>
      </Section>
      <Text as="p" color="secondary">
        Итоги отбора публикуются на портале по мере принятия решений; решение, обжалованное апелляцией, публикуется после её рассмотрения.
      </Text>
    </CommitteePage>
  );
}
