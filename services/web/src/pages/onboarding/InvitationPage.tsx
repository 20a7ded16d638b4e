import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { $gateway } from '../../api/client';
import { toProblem } from '../../api/problem';
import { PageState } from '../../components/PageState';
import { usePageTitle } from '../../app/usePageTitle';
import { formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';

/** Where an invitation's link opens: what it offers, and after signing in through Госуслуги, «Принять приглашение». */
export function InvitationPage() {
  usePageTitle('Приглашение в организацию');
  const { token = '' } = useParams();
  const { session } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invitation = $gateway.useQuery('get', '/api/invitations/{token}', { params: { path: { token } } }, { retry: false });
  const accept = $gateway.useMutation('post', '/api/invitations/{token}/accept', {
    onSuccess: (data) => {
      queryClient.setQueryData($gateway.queryOptions('get', '/api/session', {}).queryKey, data.session);
      navigate('/provider');
    },
  });
  const here = `/invitations/${token}`;
  return (
    <div className="stack" style={{ maxWidth: 640 }}>
      <Text as="h1" variant="header-2" className="page-title">
        Приглашение в организацию
      </Text>
      <PageState loading={invitation.isPending} error={invitation.error}>
        {invitation.data ? (
          <Card className="card-pad stack" view="outlined">
            <Text>
              Вас приглашают в кабинет поставщика социальных услуг как {invitation.data.role === 'provider_admin' ? 'администратора' : 'сотрудника'}. Приглашение отправлено на{' '}
              {invitation.data.email} и действует до {formatDateTime(invitation.data.expires_at)}.
            </Text>
            {invitation.data.status !== 'pending' ? (
              <Alert theme="warning" message={invitation.data.status === 'accepted' ? 'Это приглашение уже использовано.' : 'Срок приглашения истёк. Попросите прислать новое.'} />
            ) : session ? (
              <div>
                <Button view="action" size="l" loading={accept.isPending} onClick={() => accept.mutate({ params: { path: { token } } })}>
                  Принять приглашение
                </Button>
              </div>
            ) : (
              <div>
                <Button view="action" size="l" href={`/api/auth/login?return_to=${encodeURIComponent(here)}`}>
                  Войти через Госуслуги, чтобы принять
                </Button>
              </div>
            )}
            {accept.error ? <Alert theme="danger" message={toProblem(accept.error).detail} /> : null}
          </Card>
        ) : null}
      </PageState>
    </div>
  );
}
