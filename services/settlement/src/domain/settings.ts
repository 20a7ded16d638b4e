import type { MikroORM } from '@mikro-orm/postgresql';
import { Money } from '@esc/money';
import { conflict, type Principal } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction } from '@esc/service-kit/hot';
import { one, rows } from '../data-access/sql';
import { assertCanReadRegion, assertFinanceOf } from './access';
import { parsePeriod } from './periods';

export interface PayoutLimit {
  budget_programme_id: string;
  period: string;
  region_code: string;
  amount: string;
  set_by: string;
  set_at: string;
}

/**
 * The cash limit of a programme for a period: what the run may pay out at most. It can change until
 * the region's run for that period has started; after that the run's decision stands.
 */
export async function setPayoutLimit(
  orm: MikroORM,
  principal: Principal,
  input: { budgetProgrammeId: string; period: string; regionCode: string; amount: string },
): Promise<PayoutLimit> {
  assertFinanceOf(principal, input.regionCode);
  parsePeriod(input.period);
  const amount = Money.parse(input.amount);
  return withSqlTransaction(orm, async (sql) => {
    const run = await one<{ status: string }>(
      sql,
      `select status from settlement.runs where region_code = $1 and period = $2 for update`,
      [input.regionCode, input.period],
    );
    if (run && run.status !== 'queued') {
      throw conflict('period_already_settled', `Расчёт за ${input.period} уже выполнен или выполняется; лимит этого периода изменить нельзя. Установите лимит следующего периода.`);
    }
    const existing = await one<{ region_code: string }>(
      sql,
      `select region_code from settlement.payout_limits where budget_programme_id = $1 and period = $2`,
      [input.budgetProgrammeId, input.period],
    );
    if (existing && existing.region_code !== input.regionCode) {
      throw conflict('programme_of_other_region', `Программа ${input.budgetProgrammeId} относится к региону ${existing.region_code}.`);
    }
    return (await one<PayoutLimit>(
      sql,
      `insert into settlement.payout_limits (budget_programme_id, period, region_code, amount, set_by) values ($1, $2, $3, $4, $5)
       on conflict (budget_programme_id, period) do update set amount = excluded.amount, set_by = excluded.set_by, set_at = now()
       returning budget_programme_id, period, region_code, amount::text, set_by, set_at`,
      [input.budgetProgrammeId, input.period, input.regionCode, amount.toString(), principal.subject],
    ))!;
  });
}

export async function listPayoutLimits(orm: MikroORM, principal: Principal, regionCode: string, period?: string): Promise<PayoutLimit[]> {
  assertCanReadRegion(principal, regionCode);
  return withSqlClient(orm, (sql) =>
    rows<PayoutLimit>(
      sql,
      `select budget_programme_id, period, region_code, amount::text, set_by, set_at from settlement.payout_limits
        where region_code = $1 and ($2::text is null or period = $2) order by period, budget_programme_id`,
      [regionCode, period ?? null],
    ),
  );
}

export async function setProgrammePeriod(orm: MikroORM, principal: Principal, budgetProgrammeId: string, periodMonths: number) {
  assertFinanceOf(principal, principal.regionCode ?? '—');
  return withSqlTransaction(orm, async (sql) => {
    const seen = await one<{ region_code: string }>(sql, `select region_code from settlement.redemptions where budget_programme_id = $1 limit 1`, [
      budgetProgrammeId,
    ]);
    if (seen) assertFinanceOf(principal, seen.region_code);
    return (await one(
      sql,
      `insert into settlement.programme_settings (budget_programme_id, period_months, updated_by) values ($1, $2, $3)
       on conflict (budget_programme_id) do update set period_months = excluded.period_months, updated_by = excluded.updated_by, updated_at = now()
       returning budget_programme_id, period_months, updated_by, updated_at`,
      [budgetProgrammeId, periodMonths, principal.subject],
    ))!;
  });
}

export interface Assignment {
  provider_id: string;
  service_code: string;
  period: string;
  region_code: string;
  units: number;
  set_by: string;
  set_at: string;
}

/** The volume a state-assignment provider is to deliver for a service in a period (госзадание). */
export async function setAssignment(
  orm: MikroORM,
  principal: Principal,
  input: { providerId: string; serviceCode: string; period: string; regionCode: string; units: number },
): Promise<Assignment> {
  assertFinanceOf(principal, input.regionCode);
  parsePeriod(input.period);
  return withSqlTransaction(orm, async (sql) =>
    (await one<Assignment>(
      sql,
      `insert into settlement.assignments (provider_id, service_code, period, region_code, units, set_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (provider_id, service_code, period) do update set units = excluded.units, set_by = excluded.set_by, set_at = now()
       returning *`,
      [input.providerId, input.serviceCode, input.period, input.regionCode, input.units, principal.subject],
    ))!,
  );
}
