import type { Principal } from '@esc/service-kit';

/**
 * Whose notices a person reads. A citizen's are addressed by SNILS, as the services know them; a
 * provider's by the provider, read by its people with a provider role; a region's finance office's by
 * the region, read by its finance officers (role-based audiences). A notice may leave out one person
 * of its audience (the officer who formed a batch is not asked to approve it).
 */
export const citizenKey = (snils: string) => `citizen:${snils}`;
export const providerKey = (providerId: string) => `provider:${providerId}`;
export const financeKey = (regionCode: string) => `finance:${regionCode}`;

export function personKeysOf(principal: Principal): string[] {
  if (principal.kind !== 'user') return [];
  const keys: string[] = [];
  if (principal.roles.includes('citizen') && principal.snils) keys.push(citizenKey(principal.snils));
  if ((principal.roles.includes('provider_admin') || principal.roles.includes('provider_staff')) && principal.providerId) keys.push(providerKey(principal.providerId));
  if (principal.roles.includes('finance') && principal.regionCode) keys.push(financeKey(principal.regionCode));
  return keys;
}
