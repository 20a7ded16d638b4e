import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { AuthService } from '../domain/auth';
import type { IssuedToken } from '../domain/token-issuer';
import { userView } from './user-view';

export const signInBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

const serviceTokenBody = z.object({
  grant_type: z.literal('client_credentials').optional(),
  client_id: z.string().min(1).max(100),
  client_secret: z.string().min(1).max(500),
  scope: z.string().max(1000).optional(),
});

// RFC 6749 §4.4.2: a form request names its grant type.
const serviceTokenForm = serviceTokenBody.extend({ grant_type: z.literal('client_credentials') });

// RFC 6749 §5.1: token responses must not be cached.
const sendToken = (res: Response, token: IssuedToken, extra: Record<string, unknown>) =>
  res
    .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .json({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, ...extra });

export const SERVICE_TOKEN_PATH = '/v1/auth/service-token';

export function authRouter(auth: AuthService): Router {
  const router = Router();

  router.post('/v1/auth/sign-in', (req, res) => {
    const input = parseInput(signInBody, req.body);
    const { token, user } = auth.signIn(input.username, input.password);
    sendToken(res, token, { user: userView(user) });
  });

  router.post(SERVICE_TOKEN_PATH, (req, res) => {
    const input = parseInput(req.is('application/x-www-form-urlencoded') ? serviceTokenForm : serviceTokenBody, req.body);
    const { token, scopes } = auth.issueServiceToken(input.client_id, input.client_secret, input.scope);
    sendToken(res, token, { scope: scopes.join(' ') });
  });

  router.get('/v1/auth/demo-users', (_req, res) => {
    const users = auth.listDemoUsers();
    res.json({ items: users.map((user) => ({ username: user.username, ...userView(user) })) });
  });

  return router;
}
