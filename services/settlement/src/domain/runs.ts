import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { conflict, notFound, type Principal } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction, type SqlClient } from '@esc/service-kit/hot';
import { one, rows } from '../data-access/sql';
import { assertCanReadRegion, assertFinanceOf } from './access';
import { nextPeriod, parsePeriod } from './periods';

export interface RunRow {
  id: string;
  region_code: string;
  period: string;
  status: 'queued' | 'running' | 'completed';
  requested_by: string;
  attempts: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  last_error: string | null;
}

export interface RunTotals {
  providers: number;
  redemptions: number;
  units: string;
  gross_amount: string;
  fee_amount: string;
  amount: string;
  compensation_amount: string;
  carried_redemptions: number;
  carried_amount: string;
}

/** Opens the run of a region and period, or answers the one that exists: a run is never created twice. */
export async function requestRun(orm: MikroORM, principal: Principal, regionCode: string, period: string): Promise<{ run: RunRow; created: boolean }> {
  assertFinanceOf(principal, regionCode);
  parsePeriod(period);
  return withSqlTransaction(orm, async (sql) => {
    const inserted = await one<RunRow>(
      sql,
      `insert into settlement.runs (id, region_code, period, status, requested_by) values ($1, $2, $3, 'queued', $4)
       on conflict (region_code, period) do nothing returning *`,
      [randomUUID(), regionCode, period, principal.subject],
    );
    if (inserted) return { run: inserted, created: true };
    const existing = await one<RunRow>(sql, `select * from settlement.runs where region_code = $1 and period = $2`, [regionCode, period]);
    return { run: existing!, created: false };
  });
}

/** Runs the scheduler opens for the month just ended, in every region with unsettled lines. */
export async function scheduleRuns(orm: MikroORM, period: string): Promise<RunRow[]> {
  const { end } = parsePeriod(period);
  return withSqlTransaction(orm, (sql) =>
    rows<RunRow>(
      sql,
      `insert into settlement.runs (id, region_code, period, status, requested_by)
       select gen_random_uuid(), region_code, $1, 'queued', 'scheduler'
         from (select distinct region_code from settlement.unsettled where delivered_on <= $2) r
       on conflict (region_code, period) do nothing returning *`,
      [period, end],
    ),
  );
}

export async function findRun(sql: SqlClient, id: string): Promise<RunRow> {
  const run = await one<RunRow>(sql, `select * from settlement.runs where id = $1`, [id]);
  if (!run) throw notFound('run_not_found', `Расчёт ${id} не найден.`, { run_id: id });
  return run;
}

export async function getRun(orm: MikroORM, principal: Principal, id: string): Promise<RunRow & { totals: RunTotals }> {
  return withSqlClient(orm, async (sql) => {
    const run = await findRun(sql, id);
    assertCanReadRegion(principal, run.region_code);
    return { ...run, totals: await runTotals(sql, id) };
  });
}

export async function listRuns(orm: MikroORM, principal: Principal, regionCode: string): Promise<RunRow[]> {
  assertCanReadRegion(principal, regionCode);
  return withSqlClient(orm, (sql) => rows<RunRow>(sql, `select * from settlement.runs where region_code = $1 order by period desc`, [regionCode]));
}

export async function runTotals(sql: SqlClient, runId: string): Promise<RunTotals> {
  const t = await one<RunTotals>(
    sql,
    `select count(distinct provider_id)::int as providers, coalesce(sum(redemptions), 0)::int as redemptions,
            coalesce(sum(units), 0)::text as units, coalesce(sum(gross_amount), 0)::numeric(20,2)::text as gross_amount,
            coalesce(sum(fee_amount), 0)::numeric(20,2)::text as fee_amount, coalesce(sum(amount), 0)::numeric(20,2)::text as amount,
            coalesce(sum(amount) filter (where funding_mode = 'compensation'), 0)::numeric(20,2)::text as compensation_amount,
            (select count(*)::int from settlement.carryovers where run_id = $1) as carried_redemptions,
            (select coalesce(sum(amount), 0)::numeric(20,2)::text from settlement.carryovers where run_id = $1) as carried_amount
       from settlement.lines where run_id = $1`,
    [runId],
  );
  return t!;
}

/**
 * The run itself, as one transaction: it settles every line delivered up to the period's end that no
 * run has settled yet (late and carried lines included), pays compensation lines in delivery order
 * while the programme's payout limit for the period allows, and carries the rest with the reason.
 * A run that dies rolls back whole and the next attempt starts over; a completed run is left alone.
 */
export async function executeRun(orm: MikroORM, runId: string): Promise<'completed' | 'already_completed'> {
  try {
    return await withSqlTransaction(orm, async (sql) => {
      const run = await one<RunRow>(sql, `select * from settlement.runs where id = $1 for update`, [runId]);
      if (!run) throw notFound('run_not_found', `Расчёт ${runId} не найден.`);
      if (run.status === 'completed') return 'already_completed' as const;
      // Two runs of one region never settle the same line.
      await sql.query({ text: `select pg_advisory_xact_lock(hashtext('settlement-run/' || $1::text))`, values: [run.region_code] });
      const period = parsePeriod(run.period);
      const next = nextPeriod(run.period);

      // Settling a million lines wants memory for the sorts and hashes rather than disk.
      await sql.query({ text: `set local work_mem = '256MB'` });
      await sql.query({
        text: `create temp table run_candidates on commit drop as
               select r.redemption_id, r.provider_id, r.funding_mode, r.budget_programme_id, r.budget_programme_code, r.service_code,
                      r.service_name, r.unit, r.units, r.gross_amount, r.fee_amount, r.amount, r.delivered_on, r.posted_at
                 from settlement.unsettled u
                 join settlement.redemptions r on r.redemption_id = u.redemption_id
                 left join settlement.programme_settings ps on ps.budget_programme_id = r.budget_programme_id
                where u.region_code = $1 and u.delivered_on <= $2::date
                  and $3::int % coalesce(ps.period_months, 1) = 0`,
        values: [run.region_code, period.end, period.month],
      });

      await sql.query({
        text: `insert into settlement.carryovers (run_id, redemption_id, provider_id, budget_programme_id, amount, reason_code, reason)
               select $1, c.redemption_id, c.provider_id, c.budget_programme_id, c.amount,
                      case when c.limit_amount is null then 'no_payout_limit' else 'payout_limit_exceeded' end,
                      case when c.limit_amount is null
                        then format('Лимит выплат по программе %s на период %s не установлен финансовым органом; строка перенесена на период %s.',
                                    c.budget_programme_code, $2::text, $3::text)
                        else format('Не вошло в лимит выплат по программе %s на период %s (%s руб.): нарастающим итогом в порядке оказания %s руб.; строка перенесена на период %s.',
                                    c.budget_programme_code, $2::text, c.limit_amount, c.running, $3::text)
                      end
                 from (select rc.redemption_id, rc.provider_id, rc.budget_programme_id, rc.budget_programme_code, rc.amount, l.amount as limit_amount,
                              sum(rc.amount) over (partition by rc.budget_programme_id
                                                   order by rc.delivered_on, rc.posted_at, rc.redemption_id) as running
                         from run_candidates rc
                         left join settlement.payout_limits l on l.budget_programme_id = rc.budget_programme_id and l.period = $2
                        where rc.funding_mode = 'compensation'
                          -- Only programmes that do not fit whole need the ordered running total.
                          and rc.budget_programme_id in (
                                select t.budget_programme_id
                                  from (select budget_programme_id, sum(amount) as total from run_candidates
                                         where funding_mode = 'compensation' group by budget_programme_id) t
                                  left join settlement.payout_limits tl on tl.budget_programme_id = t.budget_programme_id and tl.period = $2
                                 where tl.amount is null or t.total > tl.amount)) c
                where c.limit_amount is null or c.running > c.limit_amount`,
        values: [runId, run.period, next],
      });
      await sql.query({
        text: `delete from run_candidates c using settlement.carryovers co where co.run_id = $1 and co.redemption_id = c.redemption_id`,
        values: [runId],
      });
      await sql.query({
        text: `delete from settlement.unsettled u using run_candidates c where u.redemption_id = c.redemption_id`,
      });
      await sql.query({
        text: `insert into settlement.run_members (redemption_id, run_id) select redemption_id, $1 from run_candidates`,
        values: [runId],
      });
      await sql.query({
        text: `insert into settlement.lines (run_id, provider_id, funding_mode, budget_programme_id, budget_programme_code, service_code,
                 service_name, unit, redemptions, units, gross_amount, fee_amount, amount)
               select $1, provider_id, min(funding_mode), budget_programme_id, min(budget_programme_code), service_code,
                      min(service_name), min(unit), count(*), sum(units), sum(gross_amount), sum(fee_amount), sum(amount)
                 from run_candidates
                group by provider_id, budget_programme_id, service_code`,
        values: [runId],
      });
      await sql.query({
        text: `update settlement.runs set status = 'completed', completed_at = now(), started_at = coalesce(started_at, now()),
                      attempts = attempts + 1, last_error = null where id = $1`,
        values: [runId],
      });
      return 'completed' as const;
    });
  } catch (err) {
    await withSqlClient(orm, (sql) =>
      sql.query({ text: `update settlement.runs set attempts = attempts + 1, last_error = $2 where id = $1 and status <> 'completed'`, values: [runId, String((err as Error).message).slice(0, 500)] }),
    ).catch(() => undefined);
    throw err;
  }
}

/** Marks a run as being worked on (outside the run's own transaction, so readers see it). */
export async function markRunStarted(orm: MikroORM, runId: string): Promise<void> {
  await withSqlClient(orm, (sql) =>
    sql.query({ text: `update settlement.runs set status = 'running', started_at = coalesce(started_at, now()) where id = $1 and status = 'queued'`, values: [runId] }),
  );
}

export async function runLines(orm: MikroORM, principal: Principal, runId: string) {
  return withSqlClient(orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertCanReadRegion(principal, run.region_code);
    return rows(
      sql,
      `select provider_id, funding_mode, budget_programme_id, budget_programme_code, service_code, service_name, unit, redemptions,
              units::int as units, gross_amount::text, fee_amount::text, amount::text
         from settlement.lines where run_id = $1 order by provider_id, budget_programme_code, service_code`,
      [runId],
    );
  });
}

export async function runCarryovers(orm: MikroORM, principal: Principal, runId: string) {
  return withSqlClient(orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertCanReadRegion(principal, run.region_code);
    return rows(
      sql,
      `select co.redemption_id, co.provider_id, co.budget_programme_id, r.budget_programme_code, r.service_code, r.delivered_on::text,
              co.amount::text, co.reason_code, co.reason
         from settlement.carryovers co join settlement.redemptions r using (redemption_id)
        where co.run_id = $1 order by r.budget_programme_code, r.delivered_on, r.posted_at, co.redemption_id`,
      [runId],
    );
  });
}

export function assertRunCompleted(run: RunRow): void {
  if (run.status !== 'completed') {
    throw conflict('run_not_completed', `Расчёт за ${run.period} ещё выполняется (статус ${run.status}); дождитесь завершения.`, { run_id: run.id });
  }
}
