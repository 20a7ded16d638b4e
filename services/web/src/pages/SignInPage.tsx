import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useSearchParams } from 'react-router';
import { usePageTitle } from '../app/usePageTitle';
import { problemMessage } from '../i18n/problem-messages';

/** A path inside the app only: anything else would make the sign-in an open redirect. */
export const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : null);

/**
 * Sign-in goes through Госуслуги (ЕСИА) over OpenID Connect: the button leaves the app for the
 * gateway's /api/auth/login, the identity provider, and the gateway's callback, which comes back to
 * /signed-in. On a development stand the provider is the development ЕСИА with its one-click list of demo users.
 */
export function SignInPage() {
  usePageTitle('Вход');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const error = params.get('error');
  const landing = `/signed-in${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  return (
    <div className="stack" style={{ maxWidth: 560 }}>
      <Text as="h1" variant="header-2" className="page-title">
        Вход в личный кабинет
      </Text>
      {params.get('expired') ? <Alert theme="warning" message="Сеанс завершён по истечении времени. Войдите снова." /> : null}
      {error ? <Alert theme="danger" title="Войти не удалось" message={problemMessage(error)} /> : null}
      <Card className="card-pad stack">
        <Text>
          Вход выполняется через портал Госуслуг (ЕСИА): гражданин входит как физическое лицо, представитель организации — как её сотрудник. Роли в кабинетах назначает
          администратор маркетплейса.
        </Text>
        <div>
          <Button view="action" size="l" width="max" href={`/api/auth/login?return_to=${encodeURIComponent(landing)}`}>
            Войти через Госуслуги
          </Button>
        </div>
        <Text color="secondary">На учебном стенде откроется учебная страница Госуслуг со списком демонстрационных пользователей: выберите, кем войти.</Text>
      </Card>
    </div>
  );
}
