import ExcelJS from 'exceljs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Money } from '@esc/money';
import { ledgerAccountIds, type LedgerClient } from '@esc/ledger-client';
import { type Principal } from '@esc/service-kit';
import { withSqlClient, type SqlClient } from '@esc/service-kit/hot';
import { one, rows } from '../data-access/sql';
import type { ProviderDirectory } from '../clients/provider-directory';
import { assertCanReadRegion } from './access';
import { findBatch, type BatchRow } from './batches';
import { rub, toCsv } from './exports';
import { findRun, runTotals } from './runs';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

interface Column {
  key: string;
  title: string;
  money?: boolean;
}

export interface TieOut {
  check: string;
  settlement: string;
  ledger: string;
  ok: boolean;
}

export interface Report {
  title: string;
  columns: Column[];
  rows: Array<Record<string, string | number | null>>;
  totals: Record<string, string | number | null>;
  tie_out: TieOut[];
  tie_out_ok: boolean;
}

const STATUS_RU: Record<string, string> = {
  pending: 'в реестре, не утверждена',
  in_transit: 'отправлена в банк',
  paid: 'исполнена банком',
  returned: 'возвращена банком',
  withheld: 'удержана в счёт задолженности',
};

const sumOf = (values: Array<string | null | undefined>) => Money.sum(values.filter((v): v is string => !!v).map(Money.parse)).toString();

/** The batch's money in settlement against the ledger's accounts: every figure must be equal. */
async function batchTieOut(sql: SqlClient, ledger: LedgerClient, batch: BatchRow | undefined, regionCode: string): Promise<TieOut[]> {
  const checks: TieOut[] = [];
  if (batch && batch.status !== 'draft') {
    const s = (await one<{ approved: string; in_transit: string; settled: string }>(
      sql,
      `select coalesce(sum(amount) filter (where status in ('in_transit', 'paid', 'returned')), 0)::numeric(20,2)::text as approved,
              coalesce(sum(amount) filter (where status = 'in_transit'), 0)::numeric(20,2)::text as in_transit,
              coalesce(sum(amount) filter (where status in ('paid', 'returned')), 0)::numeric(20,2)::text as settled
         from settlement.payouts where batch_id = $1`,
      [batch.id],
    ))!;
    const account = await ledger.getAccount(ledgerAccountIds.payoutsInTransit(batch.id));
    const credits = account?.credits_posted ?? '0.00';
    const debits = account?.debits_posted ?? '0.00';
    const balance = account?.balance.posted ?? '0.00';
    checks.push(
      { check: 'Утверждено к выплате = кредит счёта «выплаты в пути» реестра', settlement: s.approved, ledger: credits, ok: Money.parse(s.approved).equals(Money.parse(credits)) },
      { check: 'Исполнено и возвращено банком = дебет счёта «выплаты в пути»', settlement: s.settled, ledger: debits, ok: Money.parse(s.settled).equals(Money.parse(debits)) },
      { check: 'В пути = остаток счёта «выплаты в пути»', settlement: s.in_transit, ledger: balance, ok: Money.parse(s.in_transit).equals(Money.parse(balance)) },
    );
  }
  const paid = (await one<{ paid: string }>(
    sql,
    `select coalesce(sum(amount), 0)::numeric(20,2)::text as paid from settlement.payouts where region_code = $1 and status = 'paid'`,
    [regionCode],
  ))!.paid;
  const settled = await ledger.getAccount(ledgerAccountIds.bankSettled(regionCode));
  const bankCredits = settled?.credits_posted ?? '0.00';
  checks.push({
    check: `Исполнено банком по региону ${regionCode} (все реестры) = кредит счёта «расчёты с банком»`,
    settlement: paid,
    ledger: bankCredits,
    ok: Money.parse(paid).equals(Money.parse(bankCredits)),
  });
  return checks;
}

/** Per period and provider: delivered volume, amounts, fees, payout and its status, with the ledger tie-out. */
export async function periodReport(orm: MikroORM, ledger: LedgerClient, directory: ProviderDirectory, principal: Principal, runId: string): Promise<Report> {
  return withSqlClient(orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertCanReadRegion(principal, run.region_code);
    const batchRow = await one<{ id: string }>(sql, `select id from settlement.payout_batches where run_id = $1`, [runId]);
    const batch = batchRow ? await findBatch(sql, batchRow.id) : undefined;
    const lines = await rows<{
      provider_id: string; funding_mode: string; budget_programme_code: string; service_code: string; service_name: string; unit: string;
      units: string; assigned: number | null; gross_amount: string; fee_amount: string; amount: string;
      provider_name: string | null; inn: string | null; payout_amount: string | null; withheld: string | null; payout_status: string | null; reference: string | null;
    }>(
      sql,
      `select l.provider_id, l.funding_mode, l.budget_programme_code, l.service_code, l.service_name, l.unit, l.units::text,
              a.units as assigned, l.gross_amount::text, l.fee_amount::text, l.amount::text,
              p.provider_name, p.inn, p.amount::text as payout_amount, p.withheld::text, p.status as payout_status, p.reference
         from settlement.lines l
         left join settlement.assignments a on a.provider_id = l.provider_id and a.service_code = l.service_code and a.period = $2
         left join settlement.payouts p on p.provider_id = l.provider_id and p.batch_id = $3
        where l.run_id = $1 order by l.provider_id, l.budget_programme_code, l.service_code`,
      [runId, run.period, batch?.id ?? null],
    );
    const unnamed = [...new Set(lines.filter((l) => !l.provider_name).map((l) => l.provider_id))];
    const names = unnamed.length ? await directory.get(unnamed) : new Map();
    const carried = (await one<{ n: number; amount: string }>(
      sql,
      `select count(*)::int as n, coalesce(sum(amount), 0)::numeric(20,2)::text as amount from settlement.carryovers where run_id = $1`,
      [runId],
    ))!;
    const seenPayout = new Set<string>();
    const reportRows = lines.map((l) => {
      const d = names.get(l.provider_id);
      // The payout is per provider: shown once, on the provider's first line.
      const firstOfProvider = !seenPayout.has(l.provider_id);
      seenPayout.add(l.provider_id);
      return {
        period: run.period,
        provider_id: l.provider_id,
        provider_name: l.provider_name ?? d?.name ?? null,
        inn: l.inn ?? d?.inn ?? null,
        funding_mode: l.funding_mode === 'compensation' ? 'компенсация' : 'госзадание',
        programme: l.budget_programme_code,
        service: `${l.service_code} ${l.service_name}`,
        unit: l.unit,
        units: Number(l.units),
        assigned_units: l.funding_mode === 'state_assignment' ? (l.assigned ?? null) : null,
        gross_amount: l.gross_amount,
        fee_amount: l.fee_amount,
        amount: l.amount,
        payout: firstOfProvider ? l.payout_amount : null,
        withheld: firstOfProvider ? l.withheld : null,
        payout_status: firstOfProvider && l.payout_status ? STATUS_RU[l.payout_status] ?? l.payout_status : l.funding_mode === 'state_assignment' ? 'без выплаты (госзадание)' : null,
        reference: firstOfProvider ? l.reference : null,
      };
    });
    const totals = await runTotals(sql, runId);
    const payoutTotal = sumOf(reportRows.map((r) => r.payout));
    const tieOut = await batchTieOut(sql, ledger, batch, run.region_code);
    tieOut.unshift({
      check: 'Начислено к компенсации (строки расчёта) = удержано + к выплате',
      settlement: totals.compensation_amount,
      ledger: Money.parse(payoutTotal).add(Money.parse(sumOf(reportRows.map((r) => r.withheld)))).toString(),
      ok: !batch || Money.parse(totals.compensation_amount).equals(Money.parse(payoutTotal).add(Money.parse(sumOf(reportRows.map((r) => r.withheld))))),
    });
    return {
      title: `Расчёт с поставщиками за ${run.period}, регион ${run.region_code}`,
      columns: [
        { key: 'period', title: 'Период' },
        { key: 'provider_name', title: 'Поставщик' },
        { key: 'inn', title: 'ИНН' },
        { key: 'funding_mode', title: 'Финансирование' },
        { key: 'programme', title: 'Программа' },
        { key: 'service', title: 'Услуга' },
        { key: 'unit', title: 'Единица' },
        { key: 'units', title: 'Оказано единиц' },
        { key: 'assigned_units', title: 'Госзадание, единиц' },
        { key: 'gross_amount', title: 'Стоимость по нормативу', money: true },
        { key: 'fee_amount', title: 'Плата получателей', money: true },
        { key: 'amount', title: 'К компенсации', money: true },
        { key: 'payout', title: 'Выплата', money: true },
        { key: 'withheld', title: 'Удержано', money: true },
        { key: 'payout_status', title: 'Статус выплаты' },
        { key: 'reference', title: 'Ссылка платежа' },
      ],
      rows: reportRows,
      totals: {
        units: Number(totals.units),
        gross_amount: totals.gross_amount,
        fee_amount: totals.fee_amount,
        amount: totals.amount,
        payout: payoutTotal,
        withheld: sumOf(reportRows.map((r) => r.withheld)),
        carried_redemptions: carried.n,
        carried_amount: carried.amount,
      },
      tie_out: tieOut,
      tie_out_ok: tieOut.every((t) => t.ok),
    };
  });
}

/** Per payout of a batch: what the bank said, with the statement line; discrepancies; the ledger tie-out. */
export async function reconciliationReport(orm: MikroORM, ledger: LedgerClient, principal: Principal, batchId: string): Promise<Report> {
  return withSqlClient(orm, async (sql) => {
    const batch = await findBatch(sql, batchId);
    assertCanReadRegion(principal, batch.region_code);
    const payouts = await rows<{ reference: string; provider_name: string; inn: string; amount: string; status: string; booked_on: string | null; statement_id: string | null; match_method: string | null; return_reason: string | null }>(
      sql,
      `select p.reference, p.provider_name, p.inn, p.amount::text, p.status, l.booked_on::text, l.statement_id, l.match_method, p.return_reason
         from settlement.payouts p left join settlement.statement_lines l on l.id = p.statement_line_id
        where p.batch_id = $1 and p.status <> 'withheld' order by p.number`,
      [batchId],
    );
    const discrepancies = await rows<{ reference: string | null; counterparty_name: string | null; counterparty_inn: string | null; amount: string; booked_on: string | null; statement_id: string; discrepancy_code: string; discrepancy_reason: string; resolution: string | null; resolution_note: string | null }>(
      sql,
      `select l.reference, l.counterparty_name, l.counterparty_inn, l.amount::text, l.booked_on::text, l.statement_id, l.discrepancy_code, l.discrepancy_reason,
              l.resolution, l.resolution_note
         from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id
        where s.region_code = $1 and l.discrepancy_code is not null order by s.imported_at, l.number`,
      [batch.region_code],
    );
    const reportRows: Array<Record<string, string | number | null>> = [
      ...payouts.map((p) => ({
        kind: 'выплата',
        reference: p.reference,
        counterparty: p.provider_name,
        inn: p.inn,
        amount: p.amount,
        status: STATUS_RU[p.status] ?? p.status,
        booked_on: p.booked_on,
        statement_id: p.statement_id,
        match: p.match_method === 'reference' ? 'по ссылке' : p.match_method === 'inn_amount' ? 'по ИНН и сумме' : p.match_method === 'manual' ? 'вручную' : null,
        note: p.return_reason,
      })),
      ...discrepancies.map((d) => ({
        kind: 'расхождение',
        reference: d.reference,
        counterparty: d.counterparty_name,
        inn: d.counterparty_inn,
        amount: d.amount,
        status: d.resolution === 'dismissed' ? 'разобрано: не наша выплата' : d.resolution === 'matched' ? 'разобрано: сопоставлено' : 'не разобрано',
        booked_on: d.booked_on,
        statement_id: d.statement_id,
        match: d.discrepancy_code,
        note: [d.discrepancy_reason, d.resolution_note].filter(Boolean).join(' Решение: '),
      })),
    ];
    const byStatus = (status: string) => sumOf(payouts.filter((p) => p.status === status).map((p) => p.amount));
    const tieOut = await batchTieOut(sql, ledger, batch, batch.region_code);
    return {
      title: `Сверка реестра выплат ${batch.period}, регион ${batch.region_code} (${batch.id})`,
      columns: [
        { key: 'kind', title: 'Вид' },
        { key: 'reference', title: 'Ссылка' },
        { key: 'counterparty', title: 'Получатель' },
        { key: 'inn', title: 'ИНН' },
        { key: 'amount', title: 'Сумма', money: true },
        { key: 'status', title: 'Статус' },
        { key: 'booked_on', title: 'Дата по выписке' },
        { key: 'statement_id', title: 'Выписка' },
        { key: 'match', title: 'Сопоставление' },
        { key: 'note', title: 'Причина / примечание' },
      ],
      rows: reportRows,
      totals: {
        approved: batch.status === 'draft' ? '0.00' : sumOf(payouts.filter((p) => p.status !== 'pending').map((p) => p.amount)),
        in_transit: byStatus('in_transit'),
        paid: byStatus('paid'),
        returned: byStatus('returned'),
        open_discrepancies: discrepancies.filter((d) => !d.resolution).length,
      },
      tie_out: tieOut,
      tie_out_ok: tieOut.every((t) => t.ok),
    };
  });
}

export function reportCsv(report: Report): Buffer {
  const data = report.rows.map((r) => report.columns.map((c) => (c.money ? rub(r[c.key] as string | null) : r[c.key])));
  const blank = report.columns.map(() => '');
  const totals = report.columns.map((c, i) => (i === 0 ? 'Итого' : c.money ? rub(report.totals[c.key] as string | undefined) : (report.totals[c.key] ?? '')));
  const tie = [
    [...blank],
    ['Сверка с учётом (ledger)', 'В расчётах', 'В учёте', 'Совпадает'],
    ...report.tie_out.map((t) => [t.check, rub(t.settlement), rub(t.ledger), t.ok ? 'да' : 'НЕТ']),
  ];
  return toCsv(report.columns.map((c) => c.title), [...data, totals, ...tie]);
}

export async function reportXlsx(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ЕСС: расчёты с поставщиками';
  const sheet = workbook.addWorksheet('Отчёт');
  sheet.addRow([report.title]).font = { bold: true };
  const header = sheet.addRow(report.columns.map((c) => c.title));
  header.font = { bold: true };
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  for (const r of report.rows) sheet.addRow(report.columns.map((c) => (c.money ? num(r[c.key]) : (r[c.key] ?? null))));
  const totals = sheet.addRow(report.columns.map((c, i) => (i === 0 ? 'Итого' : c.money ? num(report.totals[c.key]) : (report.totals[c.key] ?? null))));
  totals.font = { bold: true };
  report.columns.forEach((c, i) => {
    if (c.money) sheet.getColumn(i + 1).numFmt = '#,##0.00';
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(12, c.title.length + 2));
  });
  const tie = workbook.addWorksheet('Сверка с учётом');
  tie.addRow(['Проверка', 'В расчётах', 'В учёте', 'Совпадает']).font = { bold: true };
  for (const t of report.tie_out) tie.addRow([t.check, Number(t.settlement), Number(t.ledger), t.ok ? 'да' : 'НЕТ']);
  tie.getColumn(1).width = 80;
  tie.getColumn(2).numFmt = '#,##0.00';
  tie.getColumn(3).numFmt = '#,##0.00';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A provider's own settlement: lines per period, payouts with the bank's outcome, and what was carried and why. */
export async function providerSettlement(orm: MikroORM, providerId: string, regionCode: string | undefined) {
  return withSqlClient(orm, async (sql) => {
    const lines = await rows(
      sql,
      `select r.period, r.region_code, l.budget_programme_code, l.service_code, l.service_name, l.unit, l.redemptions, l.units::int as units,
              l.gross_amount::text, l.fee_amount::text, l.amount::text, l.funding_mode
         from settlement.lines l join settlement.runs r on r.id = l.run_id
        where l.provider_id = $1 and ($2::text is null or r.region_code = $2) order by r.period, l.budget_programme_code, l.service_code`,
      [providerId, regionCode ?? null],
    );
    const payouts = await rows(
      sql,
      `select p.id, b.period, p.reference, p.earned::text, p.withheld::text, p.amount::text, p.withheld_reason, p.status, p.settled_at, p.return_reason,
              p.bank_bic, p.bank_account
         from settlement.payouts p join settlement.payout_batches b on b.id = p.batch_id
        where p.provider_id = $1 and ($2::text is null or p.region_code = $2) order by b.period, p.reference`,
      [providerId, regionCode ?? null],
    );
    const carried = await rows(
      sql,
      `select r.period, co.redemption_id, co.amount::text, co.reason_code, co.reason
         from settlement.carryovers co join settlement.runs r on r.id = co.run_id
        where co.provider_id = $1 and ($2::text is null or r.region_code = $2) order by r.period, co.redemption_id`,
      [providerId, regionCode ?? null],
    );
    return {
      provider_id: providerId,
      lines,
      payouts,
      returns: payouts.filter((p) => (p as { status: string }).status === 'returned'),
      carried,
    };
  });
}
