import { Loader } from '@gravity-ui/uikit';
import { Navigate, useSearchParams } from 'react-router';
import { $gateway } from '../api/client';
import { homeFor } from '../app/cabinets';
import { usePageTitle } from '../app/usePageTitle';
import { useSession } from '../session/SessionProvider';
import { safeNext } from './SignInPage';

/**
 * Where the gateway's callback lands: on to the page the person wanted, else their cabinet's home;
 * a representative of an organisation not yet in the marketplace is led to its registration.
 */
export function SignedInPage() {
  usePageTitle('Вход выполнен');
  const { session, loading } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const askOnboarding = !!session && !next && !session.user.provider_id;
  const onboarding = $gateway.useQuery('get', '/api/onboarding', {}, { enabled: askOnboarding, retry: false });
  if (loading || (askOnboarding && onboarding.isPending)) return <Loader size="m" />;
  if (!session) return <Navigate to="/sign-in" replace />;
  if (askOnboarding && onboarding.data?.can_register) return <Navigate to="/onboarding" replace />;
  return <Navigate to={next ?? homeFor(session.user.roles)} replace />;
}
