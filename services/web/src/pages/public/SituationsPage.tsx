import { Card, Text } from '@gravity-ui/uikit';
import { $registry } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { REGION } from './dictionary';

/** Life situations: routes across agencies for what happened to a person, each on its own page. */
export function SituationsPage() {
  usePageTitle('Жизненные ситуации');
  const situations = $registry.useQuery('get', '/v1/life-situations', { params: { query: { region: REGION } } });
  const items = situations.data?.items ?? [];
  return (
    <div className="navigator stack">
      <Text as="h1" variant="header-2" className="page-title">
        Жизненные ситуации
      </Text>
      <Text>
        Выберите, что случилось, — мы подскажем по шагам, какую помощь можно получить, куда обращаться и с чего начать. Часть мер назначается без
        заявления.
      </Text>
      <PageState loading={situations.isPending} error={situations.error} retry={() => void situations.refetch()}>
        {items.length === 0 ? (
          <EmptyState title="Жизненные ситуации пока не описаны">Посмотрите каталог услуг или позвоните на горячую линию — вам подскажут.</EmptyState>
        ) : (
          <ul className="grid-cards plain-grid">
            {items.map((situation) => (
              <li key={situation.code}>
                <Card view="outlined" className="card-pad stack" style={{ gap: 8, height: '100%' }}>
                  <Text as="h2" variant="subheader-3" className="nav-heading overflow-safe">
                    <RouterLink to={`/situations/${situation.code}`}>{situation.title}</RouterLink>
                  </Text>
                  <Text>{situation.summary}</Text>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </PageState>
    </div>
  );
}
