import { Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { toProblem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { refusalLabel, REFUSAL_LABELS } from './dictionary';

const points = (value: string | null) => (value == null ? '—' : value.replace('.', ','));

/** The published decisions of one round: who was admitted, who was refused and why. */
export function RoundResultsPage() {
  const { id = '' } = useParams();
  const results = $registry.useQuery('get', '/v1/rounds/{id}/results', { params: { path: { id } } });
  const title = results.data
    ? `Итоги отбора «${results.data.title}»`
    : results.error
      ? toProblem(results.error).status === 404
        ? 'Отбор не найден'
        : 'Не удалось открыть итоги отбора'
      : 'Итоги отбора';
  usePageTitle(title);
  const items = results.data?.items ?? [];
  const admitted = items.filter((i) => i.outcome === 'admitted').length;
  const codes = [...new Set(items.map((i) => i.refusal_code).filter((c): c is string => !!c))];
  return (
    <div className="navigator stack">
      <Text color="secondary">
        <RouterLink to="/rounds">Все отборы</RouterLink>
      </Text>
      <Text as="h1" variant="header-2" className="page-title overflow-safe">
        {title}
      </Text>
      <PageState loading={results.isPending} error={results.error} retry={() => void results.refetch()}>
        <article className="stack">
          {items.length === 0 ? (
            <EmptyState title="Решения ещё не приняты">Комиссия пока не рассмотрела заявки. Итоги появятся здесь, как только будут приняты решения.</EmptyState>
          ) : (
            <>
              <Text>
                Рассмотрено заявок: {items.length}, допущено: {admitted}, отказано: {items.length - admitted}.
              </Text>
              <div className="table-scroll" role="region" aria-labelledby="results-caption" tabIndex={0}>
                <table className="nav-table">
                  <caption id="results-caption" className="visually-hidden">
                    Решения по заявкам
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Организация</th>
                      <th scope="col">Решение</th>
                      <th scope="col" className="num">
                        Баллы
                      </th>
                      <th scope="col">Причина отказа</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((item) => (
                      <tr key={item.provider_id}>
                        <th scope="row" style={{ fontWeight: 'normal' }} className="overflow-safe">
                          {item.outcome === 'admitted' ? <RouterLink to={`/providers/${item.provider_id}`}>{item.provider_name}</RouterLink> : item.provider_name}
                        </th>
                        <td>{item.outcome === 'admitted' ? 'Допущена' : 'Отказано'}</td>
                        <td className="num">{points(item.total_points)}</td>
                        <td>{item.refusal_code ? refusalLabel(item.refusal_code) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {codes.some((c) => c in REFUSAL_LABELS) ? (
                <Text color="secondary">
                  Организация, получившая отказ, может подать жалобу в комиссию в срок, указанный в решении, или подать заявку в следующий отбор,
                  устранив причины отказа.
                </Text>
              ) : null}
            </>
          )}
        </article>
      </PageState>
    </div>
  );
}
