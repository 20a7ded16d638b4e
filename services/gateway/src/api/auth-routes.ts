import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { issueServiceToken, listDemoUsers, signIn } from '../domain/sign-in';
import { demoUsersView, serviceTokenResultView, signInResultView } from './presenters';

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
const sendToken = (res: Response, body: object) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(body);

export const SERVICE_TOKEN_PATH = '/v1/auth/service-token';

export function authRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/auth/sign-in', (req, res) => {
    const { token, user } = signIn(deps, parseInput(signInBody, req.body));
    sendToken(res, signInResultView(token, user));
  });

  router.post(SERVICE_TOKEN_PATH, (req, res) => {
    const input = parseInput(req.is('application/x-www-form-urlencoded') ? serviceTokenForm : serviceTokenBody, req.body);
    const { token, scopes } = issueServiceToken(deps, { clientId: input.client_id, clientSecret: input.client_secret, scope: input.scope });
    sendToken(res, serviceTokenResultView(token, scopes));
  });

  router.get('/v1/auth/demo-users', (_req, res) => {
    res.json(demoUsersView(listDemoUsers(deps)));
  });

  return router;
}
