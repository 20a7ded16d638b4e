import { Loader } from '@gravity-ui/uikit';
import { Navigate, useSearchParams } from 'react-router';
import { homeFor } from '../app/cabinets';
import { usePageTitle } from '../app/usePageTitle';
import { useSession } from '../session/SessionProvider';
import { safeNext } from './SignInPage';

/** Where the gateway's callback lands: on to the page the person wanted, else their cabinet's home. */
export function SignedInPage() {
  usePageTitle('Вход выполнен');
  const { session, loading } = useSession();
  const [params] = useSearchParams();
  if (loading) return <Loader size="m" />;
  if (!session) return <Navigate to="/sign-in" replace />;
  return <Navigate to={safeNext(params.get('next')) ?? homeFor(session.user.roles)} replace />;
}
