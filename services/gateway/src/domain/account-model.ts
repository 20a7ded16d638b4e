import type { Role } from '@esc/service-kit';

/** A person's account in the marketplace; `subject` is the `sub` of every token the gateway signs for them. */
export interface Account {
  id: string;
  subject: string;
  name: string;
  snils: string | null;
  birthDate: string | null;
  orgInn: string | null;
  orgOgrn: string | null;
  orgName: string | null;
  orgPosition: string | null;
  createdAt: string;
  lastSignInAt: string | null;
}

/** A role granted inside the marketplace, with who granted it and, once revoked, who revoked it. */
export interface Grant {
  id: string;
  accountId: string;
  role: Role;
  regionCode: string | null;
  providerId: string | null;
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
}

/** What the identity provider said about a person, checked (see identity-claims.ts). */
export interface IdentityClaims {
  issuer: string;
  subject: string;
  name: string;
  snils?: string;
  birthDate?: string;
  trusted: boolean;
  org?: { inn: string; ogrn?: string; name?: string; position?: string };
}
