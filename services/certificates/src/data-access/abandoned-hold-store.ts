import { sqlOf, type EntityManager } from '@esc/service-kit';

/** Ledger holds placed under acts' ids whose acts were never written, kept against the ids once found. */

export interface AbandonedHold {
  id: string;
  certificate_id: string;
  amount: string;
  placed_at: string;
}

/**
 * Of these act ids, those with no act that a hold belongs to (none, or one refused: a refused act holds
 * nothing, and a hold under its id was placed by an attempt that lost to the refusal) and not yet kept
 * as abandoned.
 */
export async function idsWithoutAct(em: EntityManager, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await sqlOf(em).rows<{ id: string }>(
    `select i.id from unnest($1::uuid[]) as i(id)
      where not exists (select 1 from certificates.deliveries d where d.id = i.id and d.status <> 'refused')
        and not exists (select 1 from certificates.abandoned_holds a where a.id = i.id)`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Keeps the hold's id as abandoned, unless its act exists by now. Takes the row locks of the
 * certificate's lines first — the locks every recording on the certificate takes, in the same order —
 * so a resend of the act either wrote its act before (and this finds it) or meets this id after.
 * Answers whether it was kept.
 */
export async function claimAbandonedHold(em: EntityManager, hold: AbandonedHold): Promise<boolean> {
  const sql = sqlOf(em);
  const lines = await sql.rows(`select id from certificates.certificate_lines where certificate_id = $1 order by id for update`, [hold.certificate_id]);
  if (!lines.length) return false;
  const kept = await sql.rows(
    `insert into certificates.abandoned_holds (id, certificate_id, amount, placed_at)
     select $1, $2, $3, $4 where not exists (select 1 from certificates.deliveries d where d.id = $1 and d.status <> 'refused')
     on conflict (id) do nothing
     returning id`,
    [hold.id, hold.certificate_id, hold.amount, hold.placed_at],
  );
  return kept.length > 0;
}

/** Abandoned holds not yet voided in the ledger, oldest found first. */
export function abandonedHoldsToVoid(em: EntityManager, limit: number): Promise<AbandonedHold[]> {
  return sqlOf(em).rows<AbandonedHold>(
    `select id, certificate_id, amount::text as amount, placed_at from certificates.abandoned_holds where voided_at is null order by found_at limit $1`,
    [limit],
  );
}

export async function markAbandonedHoldsVoided(em: EntityManager, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await sqlOf(em).run(`update certificates.abandoned_holds set voided_at = clock_timestamp() where id = any($1::uuid[]) and voided_at is null`, [ids]);
}
