import cookieParser from 'cookie-parser';
import { Router, type Request, type Response } from 'express';
import { AppError } from '@esc/service-kit';
import { secretsMatch } from '../domain/secrets';
import type { SessionService, WebSession } from '../domain/sessions';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The SPA's live web session named by the `esc_session` cookie (only under /api). */
      webSession?: WebSession;
    }
  }
}

export const SESSION_COOKIE = 'esc_session';
export const CSRF_HEADER = 'X-CSRF-Token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrfFailed = () =>
  new AppError('forbidden', 'csrf_failed', 'Запрос отклонён из соображений безопасности. Обновите страницу и повторите действие.');

const originOf = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
};

/** The origin the browser sees: the configured one, else this request's own scheme and Host (X-Forwarded-* when trusted). */
export const ownOrigin = (req: Request, publicOrigin: string | undefined) => publicOrigin ?? originOf(`${req.protocol}://${req.host}`);

/** Origin first; browsers that omit it on a same-origin request still send Sec-Fetch-Site or a Referer. */
export function fromOwnOrigin(req: Request, publicOrigin: string | undefined): boolean {
  const expected = ownOrigin(req, publicOrigin);
  if (!expected) return false;
  const origin = req.get('origin');
  if (origin !== undefined) return originOf(origin) === expected;
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite === 'same-origin';
  return originOf(req.get('referer')) === expected;
}

export const LOGIN_COOKIE = 'esc_login';
const LOGIN_COOKIE_PATH = '/api/auth';

/** Binds a started sign-in to this browser until its callback (or 10 minutes). */
export function setLoginCookie(req: Request, res: Response, loginId: string, ttlSeconds: number): void {
  res.cookie(LOGIN_COOKIE, loginId, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: LOGIN_COOKIE_PATH, maxAge: ttlSeconds * 1000 });
}

export function clearLoginCookie(req: Request, res: Response): void {
  res.clearCookie(LOGIN_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: LOGIN_COOKIE_PATH });
}

export const loginCookie = (req: Request): string | undefined => (req.cookies as Record<string, string> | undefined)?.[LOGIN_COOKIE];

export function setSessionCookie(req: Request, res: Response, session: WebSession): void {
  res.cookie(SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: Math.max(0, Date.parse(session.expiresAt) - Date.now()),
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}

export const sessionCookie = (req: Request): string | undefined => (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];

/**
 * Runs before anything under /api reads the body: finds the web session and refuses state-changing
 * requests that do not come from our own pages. Sign-in has no session yet, so only its origin is checked.
 */
export function sessionGuard(sessions: SessionService, publicOrigin: string | undefined): Router {
  const router = Router();
  router.use('/api', cookieParser(), async (req, _res, next) => {
    req.webSession = await sessions.find(sessionCookie(req));
    if (!STATE_CHANGING.has(req.method)) return next();
    if (!fromOwnOrigin(req, publicOrigin)) throw csrfFailed();
    const signingIn = req.method === 'POST' && req.path.replace(/\/+$/, '') === '/session';
    if (!signingIn && req.webSession && !secretsMatch(req.get(CSRF_HEADER) ?? '', req.webSession.csrfToken)) throw csrfFailed();
    next();
  });
  return router;
}
