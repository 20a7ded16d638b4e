import { Router, type Request, type Response } from 'express';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { noSession, type WebSession } from '../domain/sessions';
import { closeSession, endOtherSessions, listOwnSessions, offeredUsers, openSession, refreshSession } from '../domain/web-sessions';
import { signInBody } from './auth-routes';
import { sessionDemoUsersView, sessionListView, sessionView } from './presenters';
import { clearSessionCookie, sessionCookie, setSessionCookie } from './session-guard';

// The body carries the CSRF token, so no cache may keep it.
const sendSession = (res: Response, session: WebSession) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(sessionView(session));

/** A cookie that names no live session is cleared along with the answer. */
const forgetDeadCookie = (req: Request, res: Response) => {
  if (!req.webSession && sessionCookie(req) !== undefined) clearSessionCookie(req, res);
};

/** The SPA's sign-in, session and sign-out; the token never leaves the gateway. */
export function sessionRouter(deps: Deps): Router {
  const router = Router();

  router.post('/api/session', async (req, res) => {
    const input = parseInput(signInBody, req.body);
    const session = await openSession(deps, { ...input, previous: req.webSession, address: req.ip, userAgent: req.get('user-agent') });
    setSessionCookie(req, res, session);
    sendSession(res, session);
  });

  router.get('/api/session', (req, res) => {
    forgetDeadCookie(req, res);
    if (!req.webSession) throw noSession();
    sendSession(res, req.webSession);
  });

  router.post('/api/session/refresh', async (req, res) => {
    forgetDeadCookie(req, res);
    const session = await refreshSession(deps, { session: req.webSession });
    setSessionCookie(req, res, session);
    sendSession(res, session);
  });

  router.delete('/api/session', async (req, res) => {
    await closeSession(deps, { session: req.webSession });
    clearSessionCookie(req, res);
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  router.get('/api/session/all', async (req, res) => {
    forgetDeadCookie(req, res);
    res.set('Cache-Control', 'no-store').json(sessionListView(await listOwnSessions(deps, { session: req.webSession })));
  });

  router.delete('/api/session/others', async (req, res) => {
    forgetDeadCookie(req, res);
    res.set('Cache-Control', 'no-store').json({ ended: await endOtherSessions(deps, { session: req.webSession }) });
  });

  router.get('/api/session/demo-users', (_req, res) => {
    res.json(sessionDemoUsersView(offeredUsers(deps)));
  });

  return router;
}
