import { sqlOf, type EntityManager, type Sql } from '@esc/service-kit';

/** The registry's standing of a provider, as its provider.* events last reported it. */
export type ProviderStanding = 'admitted' | 'suspended' | 'excluded';

export interface StandingChange {
  providerId: string;
  status: ProviderStanding;
  reason: string | null;
  /** ISO 8601: when the registry changed the status (its event's occurred_at). */
  changedAt: string;
  eventId: string;
}

export interface StandingRow {
  provider_id: string;
  status: ProviderStanding;
  reason: string | null;
  changed_at: string;
}

/**
 * Records the provider's standing unless a later change is already recorded (events may arrive late
 * or out of order); true when it was recorded.
 */
export async function recordStanding(em: EntityManager, change: StandingChange): Promise<boolean> {
  const written = await sqlOf(em).run(
    `insert into settlement.provider_standing (provider_id, status, reason, changed_at, event_id) values ($1, $2, $3, $4, $5)
     on conflict (provider_id) do update set status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at,
            event_id = excluded.event_id, recorded_at = now()
      where settlement.provider_standing.changed_at < excluded.changed_at`,
    [change.providerId, change.status, change.reason, change.changedAt, change.eventId],
  );
  return written > 0;
}

export async function standingOf(sql: Sql, providerId: string): Promise<StandingRow | undefined> {
  return sql.one<StandingRow>(
    `select provider_id, status, reason, to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as changed_at
       from settlement.provider_standing where provider_id = $1`,
    [providerId],
  );
}

export type WhileSuspended = 'hold' | 'pay';
export type WhenExcluded = 'pay_delivered_before' | 'hold';

export interface StandingRule {
  regionCode: string;
  whileSuspended: WhileSuspended;
  whenExcluded: WhenExcluded;
  /** Null while the region runs on the defaults. */
  updatedBy: string | null;
  updatedAt: string | null;
}

interface StandingRuleRow {
  region_code: string;
  while_suspended: WhileSuspended;
  when_excluded: WhenExcluded;
  updated_by: string;
  updated_at: string;
}

const ruleOf = (row: StandingRuleRow): StandingRule => ({
  regionCode: row.region_code,
  whileSuspended: row.while_suspended,
  whenExcluded: row.when_excluded,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

const RULE_COLUMNS = `region_code, while_suspended, when_excluded, updated_by, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at`;

/** The region's rule as stored; undefined while the region runs on the defaults. */
export async function findStandingRule(sql: Sql, regionCode: string): Promise<StandingRule | undefined> {
  const row = await sql.one<StandingRuleRow>(`select ${RULE_COLUMNS} from settlement.standing_rules where region_code = $1`, [regionCode]);
  return row && ruleOf(row);
}

export async function saveStandingRule(sql: Sql, rule: { regionCode: string; whileSuspended: WhileSuspended; whenExcluded: WhenExcluded; updatedBy: string }): Promise<StandingRule> {
  const row = await sql.one<StandingRuleRow>(
    `insert into settlement.standing_rules (region_code, while_suspended, when_excluded, updated_by) values ($1, $2, $3, $4)
     on conflict (region_code) do update set while_suspended = excluded.while_suspended, when_excluded = excluded.when_excluded,
            updated_by = excluded.updated_by, updated_at = now()
     returning ${RULE_COLUMNS}`,
    [rule.regionCode, rule.whileSuspended, rule.whenExcluded, rule.updatedBy],
  );
  return ruleOf(row!);
}
