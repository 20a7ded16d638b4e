import { Router } from 'express';
import { authenticate, type TokenVerifier } from '@esc/service-kit';
import type { AuthService } from '../domain/auth';

export function meRouter(verifier: TokenVerifier, auth: AuthService): Router {
  const router = Router();
  router.get('/v1/me', authenticate(verifier), (req, res) => {
    const principal = req.principal!;
    const user = principal.kind === 'user' ? auth.findUser(principal.subject) : undefined;
    res.json({
      subject: principal.subject,
      kind: principal.kind,
      ...(user ? { name: user.name } : {}),
      roles: principal.roles,
      scopes: principal.scopes,
      ...(principal.regionCode ? { region_code: principal.regionCode } : {}),
      ...(principal.providerId ? { provider_id: principal.providerId } : {}),
      ...(principal.snils ? { snils: principal.snils } : {}),
      expires_at: new Date(principal.expiresAt).toISOString(),
    });
  });
  return router;
}
