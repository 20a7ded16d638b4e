import { Router } from 'express';
import type { SigningKey } from '../domain/signing-key';
import { jwksView } from './presenters';

export function jwksRouter(keys: SigningKey[]): Router {
  const router = Router();
  const body = jwksView(keys.map((k) => k.publicJwk));
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(body);
  });
  return router;
}
