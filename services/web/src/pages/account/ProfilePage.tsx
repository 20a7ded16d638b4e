import { Alert, Button, Card, Label, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $gateway } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { PageState } from '../../components/PageState';
import { usePageTitle } from '../../app/usePageTitle';
import { formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { ROLE_NAMES } from './roles';

/** «Мой профиль»: who the person is here, and their sessions, the others of which they can end. */
export function ProfilePage() {
  usePageTitle('Мой профиль');
  const { session } = useSession();
  const queryClient = useQueryClient();
  const sessions = $gateway.useQuery('get', '/api/session/all');
  const endOthers = $gateway.useMutation('delete', '/api/session/others', {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: $gateway.queryOptions('get', '/api/session/all').queryKey }),
  });
  if (!session) return null;
  const others = sessions.data?.items.filter((item) => !item.current).length ?? 0;
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Мой профиль
      </Text>
      <Card className="card-pad stack" view="outlined">
        <Definitions
          items={[
            { term: 'Имя', value: session.user.name },
            { term: 'Роли', value: session.user.roles.map((role) => ROLE_NAMES[role] ?? role).join(', ') || 'нет' },
            ...(session.user.region_code ? [{ term: 'Регион', value: session.user.region_code }] : []),
          ]}
        />
      </Card>
      <Text as="h2" variant="header-1">
        Сеансы
      </Text>
      <Text color="secondary">Сеанс завершается после 30 минут без действий и не позже чем через 12 часов после входа.</Text>
      {endOthers.isSuccess ? <Alert theme="success" message={`Завершено других сеансов: ${endOthers.data.ended}.`} /> : null}
      <PageState loading={sessions.isPending} error={sessions.error} retry={() => void sessions.refetch()}>
        <ul className="card-list" aria-label="Мои сеансы">
          {sessions.data?.items.map((item) => (
            <li key={item.id}>
              <Card className="card-pad stack" view="outlined">
                <Text variant="subheader-2">
                  {item.user_agent ? describeBrowser(item.user_agent) : 'Браузер не указан'} {item.current ? <Label theme="normal" size="m">этот сеанс</Label> : null}
                </Text>
                <Definitions
                  items={[
                    { term: 'Вход', value: formatDateTime(item.created_at) },
                    { term: 'Последнее действие', value: formatDateTime(item.last_seen_at) },
                    { term: 'Завершится', value: formatDateTime(item.expires_at) },
                    ...(item.address ? [{ term: 'Адрес', value: item.address }] : []),
                  ]}
                />
              </Card>
            </li>
          ))}
        </ul>
      </PageState>
      <div style={{ maxWidth: 360 }}>
        <Button view="outlined-danger" size="l" width="max" disabled={others === 0} loading={endOthers.isPending} onClick={() => endOthers.mutate({})}>
          Завершить другие сеансы
        </Button>
      </div>
    </div>
  );
}

/** The browser's family in words a person recognises, from its User-Agent. */
function describeBrowser(userAgent: string): string {
  const family = /YaBrowser/.test(userAgent) ? 'Яндекс Браузер' : /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom/.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Браузер';
  const system = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : '';
  return system ? `${family}, ${system}` : family;
}
