import { Router, type Response } from 'express';
import { parseInput } from '@esc/service-kit';
import type { SignInMethod } from '../domain/session-sign-in';
import { noSession, type SessionService, type WebSession } from '../domain/sessions';
import { signInBody } from './auth-routes';
import { clearSessionCookie, sessionCookie, setSessionCookie } from './session-guard';
import { userView } from './user-view';

// The body carries the CSRF token, so no cache may keep it.
const sendSession = (res: Response, session: WebSession) =>
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
    user: userView(session.user),
    expires_at: session.expiresAt,
    csrf_token: session.csrfToken,
  });

/** The SPA's sign-in, session and sign-out; the token never leaves the gateway. */
export function sessionRouter(sessions: SessionService, signInMethod: SignInMethod): Router {
  const router = Router();

  router.post('/api/session', async (req, res) => {
    const input = parseInput(signInBody, req.body);
    const user = await signInMethod.signIn(input);
    // A new id on every sign-in, so an id planted in the browser beforehand is worth nothing.
    if (req.webSession) await sessions.close(req.webSession.id);
    const session = await sessions.open(user);
    setSessionCookie(req, res, session);
    sendSession(res, session);
  });

  router.get('/api/session', (req, res) => {
    if (!req.webSession) {
      if (sessionCookie(req) !== undefined) clearSessionCookie(req, res);
      throw noSession();
    }
    sendSession(res, req.webSession);
  });

  router.post('/api/session/refresh', async (req, res) => {
    if (!req.webSession) {
      if (sessionCookie(req) !== undefined) clearSessionCookie(req, res);
      throw noSession();
    }
    const session = await sessions.refresh(req.webSession);
    setSessionCookie(req, res, session);
    sendSession(res, session);
  });

  router.delete('/api/session', async (req, res) => {
    if (req.webSession) await sessions.close(req.webSession.id);
    clearSessionCookie(req, res);
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  router.get('/api/session/demo-users', (_req, res) => {
    const { enabled, users } = signInMethod.offeredUsers();
    res.json({
      enabled,
      items: users.map((user) => ({
        username: user.username,
        name: user.name,
        roles: user.roles,
        ...(user.regionCode ? { region_code: user.regionCode } : {}),
        ...(user.providerId ? { provider_id: user.providerId } : {}),
      })),
    });
  });

  return router;
}
