import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError, parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { beginSignIn, finishSignIn } from '../domain/web-sessions';
import { clearLoginCookie, loginCookie, ownOrigin, setLoginCookie, setSessionCookie } from './session-guard';

export interface OidcRouteOptions {
  publicOrigin: string | undefined;
  /** OIDC_REDIRECT_URI, when the gateway is reached at an address it cannot tell from the request. */
  redirectUri: string | undefined;
  loginTtlSeconds: number;
}

const loginQuery = z.object({ return_to: z.string().max(500).optional() });
// What a callback may carry: the code flow's answer (RFC 6749 §4.1.2, RFC 9207) or its error; anything else is not one.
const callbackQuery = z
  .object({
    code: z.string().min(1).max(2000).optional(),
    state: z.string().min(1).max(500).optional(),
    iss: z.string().max(500).optional(),
    session_state: z.string().max(500).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  })
  .strict();

const clientOf = (req: Request) => ({ address: req.ip, userAgent: req.get('user-agent') });

/** Whether the browser navigated here (a person sees a page) or a program asked (it reads problem+json). */
const wantsPage = (req: Request) => (req.get('accept') ?? '').includes('text/html');

/** The web app's sign-in through the identity provider: GET /api/auth/login, then the provider sends the browser to GET /api/auth/callback. */
export function oidcRouter(deps: Deps, options: OidcRouteOptions): Router {
  const router = Router();
  const redirectUriFor = (req: Request) => options.redirectUri ?? `${ownOrigin(req, options.publicOrigin)}/api/auth/callback`;

  router.get('/api/auth/login', async (req, res) => {
    const query = parseInput(loginQuery, req.query);
    const { loginId, url } = await beginSignIn(deps, { ...clientOf(req), redirectUri: redirectUriFor(req), returnTo: query.return_to });
    setLoginCookie(req, res, loginId, options.loginTtlSeconds);
    res.set('Cache-Control', 'no-store').redirect(303, url);
  });

  router.get('/api/auth/callback', async (req, res) => {
    const loginId = loginCookie(req);
    clearLoginCookie(req, res);
    try {
      const parsed = callbackQuery.safeParse(req.query);
      if (!parsed.success) {
        throw new AppError('validation', 'sign_in_callback_invalid', 'Адрес возврата после входа повреждён. Начните вход заново со страницы входа.');
      }
      const query = new URLSearchParams(Object.entries(parsed.data).filter((e): e is [string, string] => e[1] !== undefined));
      const { session, returnTo } = await finishSignIn(deps, { ...clientOf(req), loginId, query, previous: req.webSession });
      setSessionCookie(req, res, session);
      res.set('Cache-Control', 'no-store').redirect(303, returnTo);
    } catch (err) {
      // A person whose sign-in failed lands on the sign-in page, which says why in Russian; programs get the problem.
      if (err instanceof AppError && wantsPage(req)) {
        res.set('Cache-Control', 'no-store').redirect(303, `/sign-in?error=${encodeURIComponent(err.code)}`);
        return;
      }
      throw err;
    }
  });

  return router;
}
