import ExcelJS from 'exceljs';
import { Money } from '@esc/money';
import type { Principal } from '@esc/service-kit';
import { onRawConnection } from '../data-access/connections';
import * as store from '../data-access/provider-money-store';
import { standingOf } from '../data-access/standing-store';
import { providerScope } from './access';
import { businessDateTime, regionTimeZone } from './business-time';
import type { Deps } from './context';
import { rub, toCsv } from './exports';
import { nextPeriod, parsePeriod } from './periods';

/** Days a payout is expected to take after its run forms the batch: the second officer's approval, the file, the bank. */
export const PAYMENT_EXPECTED_DAYS = 10;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export type PayoutStage = 'in_batch' | 'sent' | 'paid' | 'returned' | 'withheld';

export function stageOf(p: Pick<store.ProviderPayoutRow, 'status' | 'batch_status'>): PayoutStage {
  if (p.status === 'pending') return p.batch_status === 'approved' ? 'sent' : 'in_batch';
  if (p.status === 'in_transit') return 'sent';
  return p.status;
}

export interface HeldForReview {
  acts: number;
  amount: string;
  reasonCode: 'provider_suspended' | 'provider_excluded' | null;
  reason: string | null;
}

const russianDay = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** What the provider reads about its acts held for review: why, and when they are paid (how many and how much is said beside it). */
export function heldReason(held: Pick<HeldForReview, 'acts' | 'amount' | 'reasonCode'>, standing: { status: string; reason: string | null; changedOn: string } | undefined): string | null {
  if (!held.reasonCode || held.acts === 0) return null;
  const why = standing?.reason ? ` (${standing.reason})` : '';
  if (standing?.status === 'admitted') return `Акты задержаны на время приостановления участия; допуск восстановлен ${russianDay(standing.changedOn)}, они будут оплачены в следующем расчёте.`;
  if (standing?.status === 'excluded') {
    return `Поставщик исключён из реестра ${russianDay(standing.changedOn)}${why}: акты ждут проверки финансовым органом и пока не оплачиваются.`;
  }
  const since = standing ? ` с ${russianDay(standing.changedOn)}${why}` : '';
  return `Участие в системе сертификатов приостановлено${since}: акты ждут проверки и будут оплачены в расчёте после восстановления допуска.`;
}

export interface ProviderMoney {
  providerId: string;
  unsettled: { acts: number; amount: string; expectedPaymentOn: string | null };
  held: HeldForReview;
  periods: store.ProviderPeriodRow[];
  payouts: Array<store.ProviderPayoutRow & { stage: PayoutStage; expectedPaymentOn: string | null }>;
}

/** A provider's money, act to bank: what is posted and waits for a run, the settled months, each payout's stage. */
export async function providerMoney(deps: Deps, principal: Principal, input: { providerId: string }): Promise<ProviderMoney> {
  const { regionCode } = providerScope(principal, input.providerId);
  return onRawConnection(deps.orm, async (sql) => {
    const unsettled = await store.unsettledOfProvider(sql, input.providerId, regionCode);
    const held = await store.heldOfProvider(sql, input.providerId, regionCode);
    const standing = held.acts > 0 ? await standingOf(sql, input.providerId) : undefined;
    const periods = await store.periodsOfProvider(sql, input.providerId, regionCode);
    const payouts = await store.payoutStagesOfProvider(sql, input.providerId, regionCode);
    // Dated by the provider's region's clock (its people carry no region claim): the region its acts or payouts name.
    const zone = () => regionTimeZone(deps.regionTimeZones, payouts[0]?.region_code ?? unsettled.region_code ?? regionCode ?? '');
    const nextRun = () => `${nextPeriod(businessDateTime(deps.clock(), zone()).date.slice(0, 7))}-01`;
    return {
      providerId: input.providerId,
      unsettled: { acts: unsettled.acts, amount: unsettled.amount, expectedPaymentOn: unsettled.acts > 0 ? addDays(nextRun(), PAYMENT_EXPECTED_DAYS) : null },
      held: {
        acts: held.acts,
        amount: held.amount,
        reasonCode: held.reason_code,
        reason: heldReason(
          { acts: held.acts, amount: held.amount, reasonCode: held.reason_code },
          standing && { status: standing.status, reason: standing.reason, changedOn: businessDateTime(new Date(standing.changed_at), zone()).date },
        ),
      },
      periods,
      payouts: payouts.map((p) => {
        const stage = stageOf(p);
        const formedOn = businessDateTime(new Date(p.batch_formed_at), zone()).date;
        return { ...p, stage, expectedPaymentOn: stage === 'in_batch' || stage === 'sent' ? addDays(formedOn, PAYMENT_EXPECTED_DAYS) : null };
      }),
    };
  });
}

const STAGE_RU: Record<PayoutStage, string> = {
  in_batch: 'в реестре, ждёт утверждения',
  sent: 'отправлена в банк',
  paid: 'исполнена банком',
  returned: 'возвращена банком',
  withheld: 'удержана в счёт задолженности',
};

export interface PeriodStatement {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** One month of the provider's settlement as a spreadsheet: its lines, a totals row, and its payouts. */
export async function providerPeriodStatement(deps: Deps, principal: Principal, input: { providerId: string; period: string; format: 'csv' | 'xlsx' }): Promise<PeriodStatement> {
  const { regionCode } = providerScope(principal, input.providerId);
  parsePeriod(input.period);
  const { lines, payouts } = await onRawConnection(deps.orm, async (sql) => ({
    lines: await store.periodLinesOfProvider(sql, input.providerId, input.period, regionCode),
    payouts: (await store.payoutStagesOfProvider(sql, input.providerId, regionCode)).filter((p) => p.period === input.period),
  }));
  const sum = (pick: (l: store.StatementLineRow) => string) => Money.sum(lines.map((l) => Money.parse(pick(l)))).toString();
  const header = ['Программа', 'Код услуги', 'Услуга', 'Единица', 'Актов', 'Единиц', 'Стоимость, руб.', 'Плата получателей, руб.', 'Компенсация, руб.'];
  const rows: Array<Array<string | number>> = lines.map((l) => [l.budget_programme_code, l.service_code, l.service_name, l.unit, l.redemptions, l.units, l.gross_amount, l.fee_amount, l.amount]);
  const totals: Array<string | number> = [
    'Итого',
    '',
    '',
    '',
    lines.reduce((n, l) => n + l.redemptions, 0),
    lines.reduce((n, l) => n + l.units, 0),
    sum((l) => l.gross_amount),
    sum((l) => l.fee_amount),
    sum((l) => l.amount),
  ];
  const payoutHeader = ['Выплата', 'Начислено, руб.', 'Удержано, руб.', 'К перечислению, руб.', 'Состояние', 'Дата банка', 'Причина'];
  const payoutRows = payouts.map((p) => [p.reference, p.earned, p.withheld, p.amount, STAGE_RU[stageOf(p)], p.booked_on ?? '', p.return_reason ?? p.withheld_reason ?? '']);
  const base = `provider-${input.providerId.slice(0, 8)}-${input.period}`;
  const MONEY_COLUMNS = new Set([6, 7, 8]);
  if (input.format === 'csv') {
    const money = (row: Array<string | number>, cols: Set<number>) => row.map((v, i) => (cols.has(i) && typeof v === 'string' ? rub(v) : v));
    const body = toCsv(header, [
      ...rows.map((r) => money(r, MONEY_COLUMNS)),
      money(totals, MONEY_COLUMNS),
      [],
      payoutHeader,
      ...payoutRows.map((r) => money(r, new Set([1, 2, 3]))),
    ]);
    return { fileName: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body };
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ЕСС: кабинет поставщика';
  const sheet = workbook.addWorksheet(`Расчёт ${input.period}`);
  sheet.addRow(header).font = { bold: true };
  const num = (row: Array<string | number>, cols: Set<number>) => row.map((v, i) => (cols.has(i) && typeof v === 'string' && v !== '' ? Number(v) : v));
  for (const r of rows) sheet.addRow(num(r, MONEY_COLUMNS));
  sheet.addRow(num(totals, MONEY_COLUMNS)).font = { bold: true };
  for (const c of MONEY_COLUMNS) sheet.getColumn(c + 1).numFmt = '#,##0.00';
  header.forEach((h, i) => (sheet.getColumn(i + 1).width = Math.max(12, h.length + 2)));
  const paid = workbook.addWorksheet('Выплаты');
  paid.addRow(payoutHeader).font = { bold: true };
  for (const r of payoutRows) paid.addRow(num(r, new Set([1, 2, 3])));
  for (const c of [2, 3, 4]) paid.getColumn(c).numFmt = '#,##0.00';
  return { fileName: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
