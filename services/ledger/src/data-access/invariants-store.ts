import { IsolationLevel } from '@mikro-orm/core';
import { sqlOf, type EntityManager, type Sql } from '@esc/service-kit';

export interface InvariantCheck {
  name: string;
  ok: boolean;
  detail: string;
  violations: Record<string, unknown>[];
}

export interface InvariantReport {
  ok: boolean;
  checked_at: string;
  accounts: number;
  transfers: number;
  entries: number;
  checks: InvariantCheck[];
}

const SAMPLE = 20;

function violations(sql: Sql, query: string): Promise<Record<string, unknown>[]> {
  return sql.rows(`${query} limit ${SAMPLE}`);
}

/** Runs in one repeatable-read snapshot so that concurrent transfers cannot make a check disagree with itself. */
export async function checkInvariants(em: EntityManager): Promise<InvariantReport> {
  return em.transactional(
    async (tx) => {
      const sql = sqlOf(tx);
      const counts = await sql.one<{ accounts: string; transfers: string; entries: string; checked_at: string }>(
        `select (select count(*) from ledger.accounts)::text as accounts,
                (select count(*) from ledger.transfers where rejection is null)::text as transfers,
                (select count(*) from ledger.entries)::text as entries, clock_timestamp() as checked_at`,
      );
      const checks: InvariantCheck[] = [];
      const add = (name: string, detail: string, rows: Record<string, unknown>[]) => checks.push({ name, ok: rows.length === 0, detail, violations: rows });

      add(
        'debits_equal_credits',
        'Over the whole ledger, posted debits equal posted credits and pending debits equal pending credits, in account balances and in entries.',
        await violations(
          sql,
          `select a.ledger, sum(a.debits_posted)::text as debits_posted, sum(a.credits_posted)::text as credits_posted,
                  sum(a.debits_pending)::text as debits_pending, sum(a.credits_pending)::text as credits_pending,
                  e.debit_posted::text as entries_debit_posted, e.credit_posted::text as entries_credit_posted
             from ledger.accounts a
             cross join lateral (select coalesce(sum(posted_delta) filter (where side = 'debit'), 0) as debit_posted,
                                        coalesce(sum(posted_delta) filter (where side = 'credit'), 0) as credit_posted
                                   from ledger.entries) e
            group by a.ledger, e.debit_posted, e.credit_posted
           having sum(a.debits_posted) <> sum(a.credits_posted) or sum(a.debits_pending) <> sum(a.credits_pending)
               or e.debit_posted <> e.credit_posted`,
        ),
      );
      add(
        'transfers_balanced',
        'Every applied transfer has exactly one debit and one credit entry of the same amount.',
        await violations(
          sql,
          `select t.id, count(e.seq) as entries from ledger.transfers t
             left join ledger.entries e on e.transfer_id = t.id
            where t.rejection is null
            group by t.id
           having count(e.seq) <> 2 or count(*) filter (where e.side = 'debit') <> 1
               or min(e.posted_delta) <> max(e.posted_delta) or min(e.pending_delta) <> max(e.pending_delta)`,
        ),
      );
      add(
        'entries_reference_their_transfer',
        'Every entry belongs to an applied transfer and to that transfer’s debit or credit account on the entry’s side.',
        await violations(
          sql,
          `select e.seq, e.transfer_id, e.account_id, e.side from ledger.entries e
             left join ledger.transfers t on t.id = e.transfer_id and t.rejection is null
            where t.id is null
               or e.account_id <> case e.side when 'debit' then t.debit_account_id else t.credit_account_id end
               or not exists (select 1 from ledger.accounts a where a.id = e.account_id)`,
        ),
      );
      add(
        'balances_equal_entries',
        'Every account’s four balances equal the sums of its entries and its last entry’s running balances.',
        await violations(
          sql,
          `select a.id, a.debits_posted::text, s.debits_posted::text as entries_debits_posted,
                  a.credits_posted::text, s.credits_posted::text as entries_credits_posted,
                  a.debits_pending::text, s.debits_pending::text as entries_debits_pending,
                  a.credits_pending::text, s.credits_pending::text as entries_credits_pending
             from ledger.accounts a
             left join lateral (
               select coalesce(sum(posted_delta) filter (where side = 'debit'), 0) as debits_posted,
                      coalesce(sum(posted_delta) filter (where side = 'credit'), 0) as credits_posted,
                      coalesce(sum(pending_delta) filter (where side = 'debit'), 0) as debits_pending,
                      coalesce(sum(pending_delta) filter (where side = 'credit'), 0) as credits_pending
                 from ledger.entries e where e.account_id = a.id) s on true
             left join lateral (
               select * from ledger.entries e where e.account_id = a.id order by seq desc limit 1) last on true
            where a.debits_posted <> s.debits_posted or a.credits_posted <> s.credits_posted
               or a.debits_pending <> s.debits_pending or a.credits_pending <> s.credits_pending
               or (last.seq is not null and (last.debits_posted <> a.debits_posted or last.credits_posted <> a.credits_posted
                   or last.debits_pending <> a.debits_pending or last.credits_pending <> a.credits_pending))`,
        ),
      );
      add(
        'pending_equals_open_holds',
        'Every account’s pending balances equal the sum of its holds that are neither posted nor voided.',
        await violations(
          sql,
          `with open_holds as (
             select t.debit_account_id, t.credit_account_id, t.amount from ledger.transfers t
              where t.rejection is null and (t.flags & 2) <> 0
                and not exists (select 1 from ledger.transfers r where r.pending_id = t.id and r.rejection is null))
           select a.id, a.debits_pending::text, a.credits_pending::text,
                  coalesce((select sum(amount) from open_holds h where h.debit_account_id = a.id), 0)::text as open_debit_holds,
                  coalesce((select sum(amount) from open_holds h where h.credit_account_id = a.id), 0)::text as open_credit_holds
             from ledger.accounts a
            where a.debits_pending <> coalesce((select sum(amount) from open_holds h where h.debit_account_id = a.id), 0)
               or a.credits_pending <> coalesce((select sum(amount) from open_holds h where h.credit_account_id = a.id), 0)`,
        ),
      );
      add(
        'constrained_accounts_not_below_zero',
        'No account flagged debits ≤ credits (or credits ≤ debits) breaks its constraint, pending holds included.',
        await violations(
          sql,
          `select id, code, debits_posted::text, debits_pending::text, credits_posted::text, credits_pending::text
             from ledger.accounts
            where (debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted)
               or (credits_must_not_exceed_debits and credits_posted + credits_pending > debits_posted)`,
        ),
      );
      return {
        ok: checks.every((c) => c.ok),
        checked_at: counts!.checked_at,
        accounts: Number(counts!.accounts),
        transfers: Number(counts!.transfers),
        entries: Number(counts!.entries),
        checks,
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
