import type { Principal, Role } from '@esc/service-kit';

export function person(subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal {
  return { subject, kind: 'user', roles, scopes: [], expiresAt: Number.MAX_SAFE_INTEGER, ...extra };
}

export const financeOf = (region: string, subject: string) => person(subject, ['finance'], { regionCode: region });

/** The AppError code a call throws, or undefined when it returns. */
export function codeThrown(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
