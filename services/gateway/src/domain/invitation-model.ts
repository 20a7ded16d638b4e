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
