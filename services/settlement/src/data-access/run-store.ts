import { sqlOf, type EntityManager, type Sql } from '@esc/service-kit';

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
  held_redemptions: number;
  held_amount: string;
}

export interface SettlementLineRow {
  provider_id: string;
  funding_mode: 'compensation' | 'state_assignment';
  budget_programme_id: string;
  budget_programme_code: string;
  service_code: string;
  service_name: string;
  unit: string;
  redemptions: number;
  units: number;
  gross_amount: string;
  fee_amount: string;
  amount: string;
}

export interface CarryoverRow {
  redemption_id: string;
  provider_id: string;
  budget_programme_id: string;
  budget_programme_code: string;
  service_code: string;
  delivered_on: string;
  amount: string;
  reason_code: 'no_payout_limit' | 'payout_limit_exceeded' | HeldReasonCode;
  reason: string;
}

/** Carryovers of acts held for review because of the provider's standing, not for want of money. */
export type HeldReasonCode = 'provider_suspended' | 'provider_excluded';
export const HELD_REASON_CODES: readonly HeldReasonCode[] = ['provider_suspended', 'provider_excluded'];

/** What one run settles: the region, the period's last day and month, and the period lines carried to. */
export interface RunScope {
  runId: string;
  regionCode: string;
  period: string;
  periodEnd: string;
  periodMonth: number;
  nextPeriod: string;
}

/** Answers the new run, or nothing when the region's run of that period exists already. */
export async function insertRequestedRun(
  sql: Sql,
  run: { id: string; regionCode: string; period: string; requestedBy: string },
): Promise<RunRow | undefined> {
  return sql.one<RunRow>(
    `insert into settlement.runs (id, region_code, period, status, requested_by) values ($1, $2, $3, 'queued', $4)
     on conflict (region_code, period) do nothing returning *`,
    [run.id, run.regionCode, run.period, run.requestedBy],
  );
}

export async function runOfPeriod(sql: Sql, regionCode: string, period: string): Promise<RunRow | undefined> {
  return sql.one<RunRow>(`select * from settlement.runs where region_code = $1 and period = $2`, [regionCode, period]);
}

/** Opens a queued run of `period` in every region with lines delivered up to `periodEnd` that no run has; answers the new ones. */
export async function insertRunsForUnsettledRegions(sql: Sql, period: string, periodEnd: string, requestedBy: string): Promise<RunRow[]> {
  return sql.rows<RunRow>(
    `insert into settlement.runs (id, region_code, period, status, requested_by)
     select gen_random_uuid(), region_code, $1, 'queued', $3
       from (select distinct region_code from settlement.unsettled where delivered_on <= $2) r
     on conflict (region_code, period) do nothing returning *`,
    [period, periodEnd, requestedBy],
  );
}

export async function findRun(sql: Sql, id: string): Promise<RunRow | undefined> {
  return sql.one<RunRow>(`select * from settlement.runs where id = $1`, [id]);
}

export async function lockRun(sql: Sql, id: string): Promise<RunRow | undefined> {
  return sql.one<RunRow>(`select * from settlement.runs where id = $1 for update`, [id]);
}

/** Locks the region's run of a period, if there is one, inside the caller's ORM transaction. */
export async function lockRunStatusOfPeriod(em: EntityManager, regionCode: string, period: string): Promise<RunRow['status'] | undefined> {
  const run = await sqlOf(em).one<{ status: RunRow['status'] }>(
    `select status from settlement.runs where region_code = $1 and period = $2 for update`,
    [regionCode, period],
  );
  return run?.status;
}

export async function runsOfRegion(sql: Sql, regionCode: string): Promise<RunRow[]> {
  return sql.rows<RunRow>(`select * from settlement.runs where region_code = $1 order by period desc`, [regionCode]);
}

export async function unfinishedRunIds(sql: Sql): Promise<string[]> {
  return (await sql.rows<{ id: string }>(`select id from settlement.runs where status in ('queued', 'running')`)).map((r) => r.id);
}

export async function runTotals(sql: Sql, runId: string): Promise<RunTotals> {
  const totals = await sql.one<RunTotals>(
    `select count(distinct provider_id)::int as providers, coalesce(sum(redemptions), 0)::int as redemptions,
            coalesce(sum(units), 0)::text as units, coalesce(sum(gross_amount), 0)::numeric(20,2)::text as gross_amount,
            coalesce(sum(fee_amount), 0)::numeric(20,2)::text as fee_amount, coalesce(sum(amount), 0)::numeric(20,2)::text as amount,
            coalesce(sum(amount) filter (where funding_mode = 'compensation'), 0)::numeric(20,2)::text as compensation_amount,
            (select count(*)::int from settlement.carryovers where run_id = $1) as carried_redemptions,
            (select coalesce(sum(amount), 0)::numeric(20,2)::text from settlement.carryovers where run_id = $1) as carried_amount,
            (select count(*)::int from settlement.carryovers where run_id = $1 and reason_code = any($2::text[])) as held_redemptions,
            (select coalesce(sum(amount), 0)::numeric(20,2)::text from settlement.carryovers where run_id = $1 and reason_code = any($2::text[])) as held_amount
       from settlement.lines where run_id = $1`,
    [runId, HELD_REASON_CODES],
  );
  return totals!;
}

export async function linesOfRun(sql: Sql, runId: string): Promise<SettlementLineRow[]> {
  return sql.rows<SettlementLineRow>(
    `select provider_id, funding_mode, budget_programme_id, budget_programme_code, service_code, service_name, unit, redemptions,
            units::int as units, gross_amount::text, fee_amount::text, amount::text
       from settlement.lines where run_id = $1 order by provider_id, budget_programme_code, service_code`,
    [runId],
  );
}

export async function carryoversOfRun(sql: Sql, runId: string): Promise<CarryoverRow[]> {
  return sql.rows<CarryoverRow>(
    `select co.redemption_id, co.provider_id, co.budget_programme_id, r.budget_programme_code, r.service_code, r.delivered_on::text,
            co.amount::text, co.reason_code, co.reason
       from settlement.carryovers co join settlement.redemptions r using (redemption_id)
      where co.run_id = $1 order by r.budget_programme_code, r.delivered_on, r.posted_at, co.redemption_id`,
    [runId],
  );
}

/** Per compensation provider of a run, what the run settled for it (only providers owed something), by provider id. */
export async function compensationEarnedByProvider(sql: Sql, runId: string): Promise<Array<{ provider_id: string; earned: string }>> {
  return sql.rows<{ provider_id: string; earned: string }>(
    `select provider_id, sum(amount)::text as earned from settlement.lines
      where run_id = $1 and funding_mode = 'compensation' group by provider_id having sum(amount) > 0 order by provider_id`,
    [runId],
  );
}

/** Two runs of one region never settle the same line: the second waits for the first's commit. */
export async function lockRegionForRun(sql: Sql, regionCode: string): Promise<void> {
  await sql.run(`select pg_advisory_xact_lock(hashtext('settlement-run/' || $1::text))`, [regionCode]);
}

/**
 * Collects the run's candidates into a temporary table: every line of the region delivered up to the
 * period's end that no run has settled yet, of programmes whose settlement period ends this month.
 */
export async function collectRunCandidates(sql: Sql, scope: RunScope): Promise<void> {
  // Settling a million lines wants memory for the sorts and hashes rather than disk.
  await sql.run(`set local work_mem = '256MB'`);
  await sql.run(
    `create temp table run_candidates on commit drop as
     select r.redemption_id, r.provider_id, r.funding_mode, r.budget_programme_id, r.budget_programme_code, r.service_code,
            r.service_name, r.unit, r.units, r.gross_amount, r.fee_amount, r.amount, r.delivered_on, r.posted_at
       from settlement.unsettled u
       join settlement.redemptions r on r.redemption_id = u.redemption_id
       left join settlement.programme_settings ps on ps.budget_programme_id = r.budget_programme_id
      where u.region_code = $1 and u.delivered_on <= $2::date
        and $3::int % coalesce(ps.period_months, 1) = 0`,
    [scope.regionCode, scope.periodEnd, scope.periodMonth],
  );
}

/** Whether any compensation candidate's provider is suspended or excluded. */
export async function candidatesOfRestrictedProviders(sql: Sql): Promise<boolean> {
  const found = await sql.one<{ found: boolean }>(
    `select exists (select 1 from run_candidates c join settlement.provider_standing s on s.provider_id = c.provider_id
                     where c.funding_mode = 'compensation' and s.status in ('suspended', 'excluded')) as found`,
  );
  return found!.found;
}

/**
 * Holds for review the compensation candidates of providers the registry suspended or excluded, as
 * the region's rule says, with the reason, and takes them out of the candidates: they stay unsettled,
 * so a later run settles them once the provider is re-admitted or the rule lets them be paid.
 * State-assignment acts are reported, never paid, so none is held. Runs before the payout limits, so
 * held acts take no share of a limit. Answers how many acts it held and their amount.
 */
export async function holdForProviderStanding(
  sql: Sql,
  scope: RunScope,
  rule: { whileSuspended: 'hold' | 'pay'; whenExcluded: 'pay_delivered_before' | 'hold' },
  timeZone: string,
): Promise<{ acts: number; amount: string }> {
  const held = await sql.one<{ acts: number; amount: string }>(
    `with held as (
     insert into settlement.carryovers (run_id, redemption_id, provider_id, budget_programme_id, amount, reason_code, reason)
     select $1, c.redemption_id, c.provider_id, c.budget_programme_id, c.amount,
            'provider_' || s.status,
            case when s.status = 'suspended'
              then format('Участие поставщика в системе сертификатов приостановлено с %s%s; по правилу региона акт ждёт проверки и будет оплачен в расчёте после восстановления допуска.',
                          to_char(s.changed_at at time zone $4, 'DD.MM.YYYY'), coalesce(' (' || s.reason || ')', ''))
              when $3 = 'hold'
              then format('Поставщик исключён из реестра %s%s; по правилу региона все его неоплаченные акты ждут проверки.',
                          to_char(s.changed_at at time zone $4, 'DD.MM.YYYY'), coalesce(' (' || s.reason || ')', ''))
              else format('Поставщик исключён из реестра %s%s; услуга оказана %s, после даты исключения, и по правилу региона ждёт проверки.',
                          to_char(s.changed_at at time zone $4, 'DD.MM.YYYY'), coalesce(' (' || s.reason || ')', ''), to_char(c.delivered_on, 'DD.MM.YYYY'))
            end
       from run_candidates c
       join settlement.provider_standing s on s.provider_id = c.provider_id
      where c.funding_mode = 'compensation'
        and ((s.status = 'suspended' and $2 = 'hold')
          or (s.status = 'excluded' and ($3 = 'hold' or c.delivered_on > (s.changed_at at time zone $4)::date)))
     returning amount)
     select count(*)::int as acts, coalesce(sum(amount), 0)::numeric(20,2)::text as amount from held`,
    [scope.runId, rule.whileSuspended, rule.whenExcluded, timeZone],
  );
  await sql.run(`delete from run_candidates c using settlement.carryovers co where co.run_id = $1 and co.redemption_id = c.redemption_id`, [
    scope.runId,
  ]);
  return held!;
}

/**
 * Carries the compensation candidates the programme's payout limit does not cover, in delivery order,
 * with the reason, and takes them out of the candidates.
 */
export async function carryOverBeyondLimits(sql: Sql, scope: RunScope): Promise<void> {
  await sql.run(
    `insert into settlement.carryovers (run_id, redemption_id, provider_id, budget_programme_id, amount, reason_code, reason)
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
    [scope.runId, scope.period, scope.nextPeriod],
  );
  await sql.run(`delete from run_candidates c using settlement.carryovers co where co.run_id = $1 and co.redemption_id = c.redemption_id`, [
    scope.runId,
  ]);
}

/** Settles the remaining candidates: out of `unsettled`, recorded as the run's members, summed into its lines. */
export async function settleCandidates(sql: Sql, scope: RunScope): Promise<void> {
  await sql.run(`delete from settlement.unsettled u using run_candidates c where u.redemption_id = c.redemption_id`);
  await sql.run(`insert into settlement.run_members (redemption_id, run_id) select redemption_id, $1 from run_candidates`, [scope.runId]);
  await sql.run(
    `insert into settlement.lines (run_id, provider_id, funding_mode, budget_programme_id, budget_programme_code, service_code,
       service_name, unit, redemptions, units, gross_amount, fee_amount, amount)
     select $1, provider_id, min(funding_mode), budget_programme_id, min(budget_programme_code), service_code,
            min(service_name), min(unit), count(*), sum(units), sum(gross_amount), sum(fee_amount), sum(amount)
       from run_candidates
      group by provider_id, budget_programme_id, service_code`,
    [scope.runId],
  );
}

export async function markRunCompleted(sql: Sql, runId: string): Promise<void> {
  await sql.run(
    `update settlement.runs set status = 'completed', completed_at = now(), started_at = coalesce(started_at, now()),
            attempts = attempts + 1, last_error = null where id = $1`,
    [runId],
  );
}

/** Counts a failed attempt of a run that has not completed, with its error. */
export async function recordRunFailure(sql: Sql, runId: string, error: string): Promise<void> {
  await sql.run(`update settlement.runs set attempts = attempts + 1, last_error = $2 where id = $1 and status <> 'completed'`, [runId, error]);
}

export async function markRunStarted(sql: Sql, runId: string): Promise<void> {
  await sql.run(`update settlement.runs set status = 'running', started_at = coalesce(started_at, now()) where id = $1 and status = 'queued'`, [runId]);
}

/** A delivery no run has settled yet; the run of its region and period will. Runs inside the consumer's transaction. */
export async function insertUnsettled(em: EntityManager, line: { redemptionId: string; regionCode: string; deliveredOn: string }): Promise<void> {
  await sqlOf(em).run(`insert into settlement.unsettled (redemption_id, region_code, delivered_on) values ($1, $2, $3)`, [
    line.redemptionId,
    line.regionCode,
    line.deliveredOn,
  ]);
}
