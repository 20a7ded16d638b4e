import { sqlOf, type EntityManager } from '@esc/service-kit';

/** The registry's standing of providers, as its provider.* events last reported it. */

export type ProviderStanding = 'admitted' | 'suspended' | 'excluded';

export interface StandingChange {
  providerId: string;
  status: ProviderStanding;
  reason: string;
  /** ISO 8601: when the registry changed the status (its event's occurred_at). */
  changedAt: string;
}

/**
 * Records the provider's standing unless a later change is already recorded (events may arrive late
 * or out of order); true when it was recorded.
 */
export async function recordStanding(em: EntityManager, change: StandingChange): Promise<boolean> {
  const written = await sqlOf(em).run(
    `insert into certificates.provider_standing (provider_id, status, reason, changed_at) values ($1, $2, $3, $4)
     on conflict (provider_id) do update set status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at
      where certificates.provider_standing.changed_at < excluded.changed_at`,
    [change.providerId, change.status, change.reason, change.changedAt],
  );
  return written > 0;
}

/** The provider's standing here; undefined when no event about it has arrived. */
export async function standingOf(em: EntityManager, providerId: string): Promise<ProviderStanding | undefined> {
  return (await sqlOf(em).one<{ status: ProviderStanding }>(`select status from certificates.provider_standing where provider_id = $1`, [providerId]))?.status;
}
