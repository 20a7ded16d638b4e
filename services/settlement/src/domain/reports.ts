import ExcelJS from 'exceljs';
import { Money } from '@esc/money';
import { ledgerAccountIds, type LedgerAccount } from '@esc/ledger-client';
import type { Principal, Sql } from '@esc/service-kit';
import * as batchStore from '../data-access/batch-store';
import type { BatchRow } from '../data-access/batch-store';
import { onRawConnection } from '../data-access/connections';
import * as reportStore from '../data-access/report-store';
import type {
  BatchPayoutSums,
  PeriodReportLine,
  ProviderCarryover,
  ProviderLine,
  ProviderPayout,
  ReconciliationDiscrepancy,
  ReconciliationPayout,
} from '../data-access/report-store';
import { runTotals, type RunRow, type RunTotals } from '../data-access/run-store';
import { assertCanReadRegion, providerScope } from './access';
import { findBatch } from './batches';
import type { Deps } from './context';
import { rub, toCsv } from './exports';
import { findRun } from './runs';

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
  filtered?: boolean;
}

const STATUS_RU: Record<string, string> = {
  pending: 'в реестре, не утверждена',
  in_transit: 'отправлена в банк',
  paid: 'исполнена банком',
  returned: 'возвращена банком',
  withheld: 'удержана в счёт задолженности',
};

const sumOf = (values: Array<string | null | undefined>) => Money.sum(values.filter((v): v is string => !!v).map(Money.parse)).toString();

/** One figure of settlement against the ledger's: they must be equal to the kopeck. */
export function tieOutCheck(check: string, settlement: string, ledger: string): TieOut {
  return { check, settlement, ledger, ok: Money.parse(settlement).equals(Money.parse(ledger)) };
}

/** What the batch tie-out compares: settlement's sums and the ledger's accounts (absent until first posted). */
export interface BatchTieOutFigures {
  regionCode: string;
  /** Only a batch past its draft has ledger postings to compare. */
  batch?: { sums: BatchPayoutSums; inTransitAccount: LedgerAccount | undefined };
  paidInRegion: string;
  bankSettledAccount: LedgerAccount | undefined;
}

/** The batch's money in settlement against the ledger's accounts: every figure must be equal. */
export function batchTieOut(figures: BatchTieOutFigures): TieOut[] {
  const checks: TieOut[] = [];
  if (figures.batch) {
    const { sums, inTransitAccount: account } = figures.batch;
    checks.push(
      tieOutCheck('Утверждено к выплате = кредит счёта «выплаты в пути» реестра', sums.approved, account?.credits_posted ?? '0.00'),
      tieOutCheck('Исполнено и возвращено банком = дебет счёта «выплаты в пути»', sums.settled, account?.debits_posted ?? '0.00'),
      tieOutCheck('В пути = остаток счёта «выплаты в пути»', sums.in_transit, account?.balance.posted ?? '0.00'),
    );
  }
  checks.push(
    tieOutCheck(
      `Исполнено банком по региону ${figures.regionCode} (все реестры) = кредит счёта «расчёты с банком»`,
      figures.paidInRegion,
      figures.bankSettledAccount?.credits_posted ?? '0.00',
    ),
  );
  return checks;
}

/** Settlement's figures for the batch tie-out, read before the ledger's. */
async function batchTieOutSettlement(sql: Sql, batch: BatchRow | undefined, regionCode: string) {
  const sums = batch && batch.status !== 'draft' ? await reportStore.batchPayoutSums(sql, batch.id) : undefined;
  return { sums, paid: await reportStore.paidInRegion(sql, regionCode) };
}

async function batchTieOutFigures(
  deps: Deps,
  batch: BatchRow | undefined,
  regionCode: string,
  settlement: { sums: BatchPayoutSums | undefined; paid: string },
): Promise<BatchTieOutFigures> {
  const inTransitAccount = batch && settlement.sums ? await deps.ledger.getAccount(ledgerAccountIds.payoutsInTransit(batch.id)) : undefined;
  const bankSettledAccount = await deps.ledger.getAccount(ledgerAccountIds.bankSettled(regionCode));
  return {
    regionCode,
    batch: batch && settlement.sums ? { sums: settlement.sums, inTransitAccount } : undefined,
    paidInRegion: settlement.paid,
    bankSettledAccount,
  };
}

export type PeriodReportRow = ReturnType<typeof periodReportRows>[number];

/**
 * One row per run line, the provider's name and INN from its payout or else from the directory; the
 * payout is per provider, so it is shown once, on the provider's first line.
 */
export function periodReportRows(period: string, lines: readonly PeriodReportLine[], directory: ReadonlyMap<string, { name: string; inn: string }>) {
  const seenPayout = new Set<string>();
  return lines.map((l) => {
    const d = directory.get(l.provider_id);
    const firstOfProvider = !seenPayout.has(l.provider_id);
    seenPayout.add(l.provider_id);
    return {
      period,
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
      payout_status:
        firstOfProvider && l.payout_status
          ? (STATUS_RU[l.payout_status] ?? l.payout_status)
          : l.funding_mode === 'state_assignment'
            ? 'без выплаты (госзадание)'
            : null,
      reference: firstOfProvider ? l.reference : null,
    };
  });
}

/**
 * The period report: the run's lines with payouts, its totals, and the tie-out, led by the check that
 * what the run owes compensation providers is what the batch pays and withholds (once there is a batch).
 */
export function buildPeriodReport(input: {
  run: Pick<RunRow, 'period' | 'region_code'>;
  rows: PeriodReportRow[];
  totals: RunTotals;
  carried: { n: number; amount: string };
  hasBatch: boolean;
  batchTieOut: TieOut[];
}): Report {
  const { run, rows, totals, carried } = input;
  const payoutTotal = sumOf(rows.map((r) => r.payout));
  const withheldTotal = sumOf(rows.map((r) => r.withheld));
  const paidAndWithheld = Money.parse(payoutTotal).add(Money.parse(withheldTotal));
  const tieOut = [
    {
      check: 'Начислено к компенсации (строки расчёта) = удержано + к выплате',
      settlement: totals.compensation_amount,
      ledger: paidAndWithheld.toString(),
      ok: !input.hasBatch || Money.parse(totals.compensation_amount).equals(paidAndWithheld),
    },
    ...input.batchTieOut,
  ];
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
    rows,
    totals: {
      units: Number(totals.units),
      gross_amount: totals.gross_amount,
      fee_amount: totals.fee_amount,
      amount: totals.amount,
      payout: payoutTotal,
      withheld: withheldTotal,
      carried_redemptions: carried.n,
      carried_amount: carried.amount,
    },
    tie_out: tieOut,
    tie_out_ok: tieOut.every((t) => t.ok),
  };
}

export interface PeriodReportFilter {
  providerId?: string;
  serviceCode?: string;
}

/**
 * Only the rows asked for, their totals summed from them; the tie-out stays the whole run's, since the
 * ledger's accounts are not per service.
 */
export function filterPeriodReport(report: Report, filter: PeriodReportFilter): Report {
  if (!filter.providerId && !filter.serviceCode) return report;
  const rows = report.rows.filter(
    (r) => (!filter.providerId || r.provider_id === filter.providerId) && (!filter.serviceCode || String(r.service).split(' ')[0] === filter.serviceCode),
  );
  const sum = (key: string) => sumOf(rows.map((r) => r[key] as string | null));
  return {
    ...report,
    filtered: true,
    rows,
    totals: {
      units: rows.reduce((n, r) => n + Number(r.units ?? 0), 0),
      gross_amount: sum('gross_amount'),
      fee_amount: sum('fee_amount'),
      amount: sum('amount'),
      payout: sum('payout'),
      withheld: sum('withheld'),
    },
  };
}

/** Per period and provider: delivered volume, amounts, fees, payout and its status, with the ledger tie-out. */
export async function periodReport(deps: Deps, principal: Principal, input: { runId: string } & PeriodReportFilter): Promise<Report> {
  const { runId } = input;
  const loaded = await onRawConnection(deps.orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertCanReadRegion(principal, run.region_code);
    const batchId = await batchStore.batchIdOfRun(sql, runId);
    const batch = batchId ? await findBatch(sql, batchId) : undefined;
    const lines = await reportStore.periodReportLines(sql, runId, run.period, batch?.id ?? null);
    const carried = await reportStore.carriedOfRun(sql, runId);
    const totals = await runTotals(sql, runId);
    const settlement = await batchTieOutSettlement(sql, batch, run.region_code);
    return { run, batch, lines, carried, totals, settlement };
  });
  const { run, batch, lines } = loaded;
  const unnamed = [...new Set(lines.filter((l) => !l.provider_name).map((l) => l.provider_id))];
  const directory = unnamed.length ? await deps.directory.get(unnamed) : new Map<string, { name: string; inn: string }>();
  const figures = await batchTieOutFigures(deps, batch, run.region_code, loaded.settlement);
  const report = buildPeriodReport({
    run,
    rows: periodReportRows(run.period, lines, directory),
    totals: loaded.totals,
    carried: loaded.carried,
    hasBatch: batch !== undefined,
    batchTieOut: batchTieOut(figures),
  });
  return filterPeriodReport(report, input);
}

const MATCH_RU: Record<string, string> = { reference: 'по ссылке', inn_amount: 'по ИНН и сумме', manual: 'вручную' };

/** The reconciliation report of a batch: its payouts with what the bank said, the region's discrepancies, the tie-out. */
export function buildReconciliationReport(input: {
  batch: Pick<BatchRow, 'id' | 'period' | 'region_code' | 'status'>;
  payouts: readonly ReconciliationPayout[];
  discrepancies: readonly ReconciliationDiscrepancy[];
  tieOut: TieOut[];
}): Report {
  const { batch, payouts, discrepancies, tieOut } = input;
  const rows: Array<Record<string, string | number | null>> = [
    ...payouts.map((p) => ({
      kind: 'выплата',
      reference: p.reference,
      counterparty: p.provider_name,
      inn: p.inn,
      amount: p.amount,
      status: STATUS_RU[p.status] ?? p.status,
      booked_on: p.booked_on,
      statement_id: p.statement_id,
      match: p.match_method ? (MATCH_RU[p.match_method] ?? null) : null,
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
    rows,
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
}

/** Per payout of a batch: what the bank said, with the statement line; discrepancies; the ledger tie-out. */
export async function reconciliationReport(deps: Deps, principal: Principal, input: { batchId: string }): Promise<Report> {
  const loaded = await onRawConnection(deps.orm, async (sql) => {
    const batch = await findBatch(sql, input.batchId);
    assertCanReadRegion(principal, batch.region_code);
    const payouts = await reportStore.reconciliationPayouts(sql, input.batchId);
    const discrepancies = await reportStore.reconciliationDiscrepancies(sql, batch.region_code);
    const settlement = await batchTieOutSettlement(sql, batch, batch.region_code);
    return { batch, payouts, discrepancies, settlement };
  });
  const figures = await batchTieOutFigures(deps, loaded.batch, loaded.batch.region_code, loaded.settlement);
  return buildReconciliationReport({ ...loaded, tieOut: batchTieOut(figures) });
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

export interface ProviderSettlement {
  provider_id: string;
  lines: ProviderLine[];
  payouts: ProviderPayout[];
  returns: ProviderPayout[];
  carried: ProviderCarryover[];
}

/** A provider's own settlement: lines per period, payouts with the bank's outcome, and what was carried and why. */
export async function providerSettlement(deps: Deps, principal: Principal, input: { providerId: string }): Promise<ProviderSettlement> {
  const { regionCode } = providerScope(principal, input.providerId);
  return onRawConnection(deps.orm, async (sql) => {
    const lines = await reportStore.linesOfProvider(sql, input.providerId, regionCode);
    const payouts = await reportStore.payoutsOfProvider(sql, input.providerId, regionCode);
    const carried = await reportStore.carryoversOfProvider(sql, input.providerId, regionCode);
    return { provider_id: input.providerId, lines, payouts, returns: payouts.filter((p) => p.status === 'returned'), carried };
  });
}
