import type { SignedInUser } from '../domain/token-issuer';

export const userView = (user: SignedInUser) => ({
  id: user.id,
  name: user.name,
  roles: user.roles,
  ...(user.regionCode ? { region_code: user.regionCode } : {}),
  ...(user.providerId ? { provider_id: user.providerId } : {}),
  ...(user.snils ? { snils: user.snils } : {}),
});
