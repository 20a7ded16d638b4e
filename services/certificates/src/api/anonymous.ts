import type { Principal } from '@esc/service-kit';

/** Whoever reads open data without signing in. */
export const ANONYMOUS: Principal = { subject: 'anonymous', kind: 'user', roles: [], scopes: [], expiresAt: Number.MAX_SAFE_INTEGER };
