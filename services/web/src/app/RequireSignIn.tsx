import { Loader, Text } from '@gravity-ui/uikit';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';

/** Cabinet pages: sign in first (and come back here), and only for the roles the page serves. */
export function RequireSignIn({ roles, audience = 'получателей сертификатов и специалистов органов соцзащиты' }: { roles: string[]; audience?: string }) {
  const { session, loading, hasRole } = useSession();
  const location = useLocation();
  if (loading) return <Loader size="m" />;
  if (!session) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!hasRole(...roles)) {
    return (
      <div className="stack">
        <Text as="h1" variant="header-2">
          Раздел недоступен
        </Text>
        <Text>Этот раздел предназначен для {audience}. Войдите под другой учётной записью.</Text>
      </div>
    );
  }
  return <Outlet />;
}
