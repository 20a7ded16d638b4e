import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { $gateway, gatewayApi, setCsrfToken } from '../api/client';
import { toProblem } from '../api/problem';
import type { gateway } from '@esc/api-types';

export type Session = gateway.components['schemas']['Session'];
export type SessionUser = Session['user'];

interface SessionState {
  session: Session | null;
  loading: boolean;
  signOut(): Promise<void>;
  extend(): Promise<void>;
  hasRole(...roles: string[]): boolean;
}

// The key openapi-react-query gives the session query, so that remember() updates that very query.
const SESSION_KEY = $gateway.queryOptions('get', '/api/session', {}).queryKey;

const SessionContext = createContext<SessionState | null>(null);

/**
 * The signed-in person as the gateway keeps them: the browser has only the session cookie, so this
 * asks `/api/session`. Signing in is a page navigation through the identity provider (see SignInPage);
 * the app only reads and ends sessions.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = $gateway.useQuery('get', '/api/session', {}, { retry: false, staleTime: Infinity });
  const session = query.isSuccess ? (query.data as Session) : null;
  useEffect(() => setCsrfToken(session?.csrf_token), [session?.csrf_token]);

  // What one person's session fetched must not be shown to the next one on this browser.
  const forgetOthersData = useCallback(() => queryClient.removeQueries({ predicate: (q) => q.queryKey[1] !== '/api/session' }), [queryClient]);

  const remember = useCallback(
    (next: Session | null) => {
      setCsrfToken(next?.csrf_token);
      queryClient.setQueryData(SESSION_KEY, next);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    await gatewayApi.DELETE('/api/session').catch(() => undefined);
    forgetOthersData();
    remember(null);
  }, [forgetOthersData, remember]);

  const extend = useCallback(async () => {
    const { data, error, response } = await gatewayApi.POST('/api/session/refresh');
    if (error || !data) throw toProblem(error, response.status);
    remember(data);
  }, [remember]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      loading: query.isPending,
      signOut,
      extend,
      hasRole: (...roles) => !!session && session.user.roles.some((r) => roles.includes(r)),
    }),
    [session, query.isPending, signOut, extend],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** Seconds left until the session expires, ticking once a second. */
export function useSecondsLeft(expiresAt: string | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return expiresAt ? Math.max(0, Math.round((Date.parse(expiresAt) - now) / 1000)) : undefined;
}
