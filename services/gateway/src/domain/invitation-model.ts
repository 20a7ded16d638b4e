/** A single-use link a provider's admin sends to bring a person into the organisation's cabinet. */
export interface Invitation {
  id: string;
  providerId: string;
  role: 'provider_admin' | 'provider_staff';
  email: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
}

/** A representative of a registered organisation asking its admin for access. */
export interface JoinRequestRow {
  id: string;
  accountId: string;
  name: string;
  orgPosition: string | null;
  providerId: string;
  createdAt: string;
}
