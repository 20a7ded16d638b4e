import { Card, Text } from '@gravity-ui/uikit';
import { $gateway } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState } from '../../components/PageState';
import { ProviderPage, useProviderId } from './frame';

const ROLE: Record<string, string> = {
  provider_admin: 'Администратор: заявки на отбор, профиль, документы, ответы на заявки, акты',
  provider_staff: 'Сотрудник: ответы на заявки граждан и акты',
};

/**
 * Who can sign in to the cabinet. Until staff accounts are managed here, the people are the
 * sign-in's own list (the demo users carrying this organisation's id).
 */
export function StaffPage() {
  const providerId = useProviderId();
  const users = $gateway.useQuery('get', '/api/session/demo-users');
  const ours = users.data?.items.filter((u) => u.provider_id === providerId) ?? [];
  return (
    <ProviderPage title="Сотрудники" lead="Кто имеет доступ к кабинету организации. Приглашать и отключать сотрудников можно будет здесь же, когда появится управление учётными записями.">
      <PageState loading={users.isPending} error={users.error} retry={() => void users.refetch()}>
        {ours.length ? (
          <ul className="card-list" aria-label="Сотрудники с доступом">
            {ours.map((u) => (
              <li key={u.username}>
                <Card className="card-pad stack" view="outlined">
                  <Text as="h2" variant="subheader-3">
                    {u.name}
                  </Text>
                  <Definitions items={[{ term: 'Права', value: u.roles.map((r) => ROLE[r] ?? r).join('; ') }, { term: 'Имя для входа', value: u.username }]} />
                </Card>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="Список недоступен">Список сотрудников ведётся в системе входа; обратитесь к администратору портала.</EmptyState>
        )}
      </PageState>
    </ProviderPage>
  );
}
