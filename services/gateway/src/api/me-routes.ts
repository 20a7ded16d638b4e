import { Router } from 'express';
import { authenticate, type TokenVerifier } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { describeCaller } from '../domain/sign-in';
import { meView } from './presenters';

export function meRouter(verifier: TokenVerifier, deps: Deps): Router {
  const router = Router();
  router.get('/v1/me', authenticate(verifier), (req, res) => {
    res.json(meView(describeCaller(deps, req.principal!, {})));
  });
  return router;
}
