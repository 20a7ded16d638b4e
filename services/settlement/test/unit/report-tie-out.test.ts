import type { LedgerAccount } from '@esc/ledger-client';
import { batchTieOut, buildPeriodReport, buildReconciliationReport, periodReportRows, tieOutCheck } from '../../src/domain/reports';

const account = (credits: string, debits: string, balance: string) =>
  ({ credits_posted: credits, debits_posted: debits, balance: { posted: balance } }) as unknown as LedgerAccount;

describe('tie-out of settlement against the ledger', () => {
  test('figures equal as money tie out whatever their written form', () => {
    expect(tieOutCheck('x', '16150.95', '16150.95').ok).toBe(true);
    expect(tieOutCheck('x', '100', '100.00').ok).toBe(true);
    expect(tieOutCheck('x', '0.00', '-0.00').ok).toBe(true);
    expect(tieOutCheck('x', '16150.95', '16150.96').ok).toBe(false);
  });

  test('a batch past its draft is compared with its in-transit account; accounts not opened yet count as zero', () => {
    const checks = batchTieOut({
      regionCode: '73',
      batch: { sums: { approved: '16150.95', in_transit: '0.00', settled: '16150.95' }, inTransitAccount: account('16150.95', '16150.95', '0.00') },
      paidInRegion: '8150.95',
      bankSettledAccount: undefined,
    });
    expect(checks.map((c) => [c.settlement, c.ledger, c.ok])).toEqual([
      ['16150.95', '16150.95', true],
      ['16150.95', '16150.95', true],
      ['0.00', '0.00', true],
      ['8150.95', '0.00', false],
    ]);
    expect(checks[3]!.check).toContain('по региону 73');
  });

  test('without a batch to compare only the region’s bank settlement is checked', () => {
    const checks = batchTieOut({ regionCode: '73', paidInRegion: '0.00', bankSettledAccount: undefined });
    expect(checks).toHaveLength(1);
    expect(checks[0]!.ok).toBe(true);
  });
});

const line = (over: Record<string, unknown>) => ({
  provider_id: 'A',
  funding_mode: 'compensation' as const,
  budget_programme_code: 'SOC-HOME-73',
  service_code: 'HOUR',
  service_name: 'Час помощи',
  unit: 'hour',
  units: '14',
  assigned: null,
  gross_amount: '4900.00',
  fee_amount: '500.00',
  amount: '4400.00',
  provider_name: 'Забота',
  inn: '7830002293',
  payout_amount: '6650.95',
  withheld: '0.00',
  payout_status: 'in_transit',
  reference: 'ESC730000000001',
  ...over,
});

describe('period report', () => {
  const lines = [
    line({}),
    line({ service_code: 'PSYCH', amount: '2250.95' }),
    line({ provider_id: 'K', provider_name: null, inn: null, amount: '1750.00', payout_amount: '1500.00', withheld: '250.00', payout_status: 'paid', reference: 'ESC2' }),
    line({ provider_id: 'S', funding_mode: 'state_assignment', assigned: 100, units: '20', provider_name: null, inn: null, payout_amount: null, withheld: null, payout_status: null, reference: null }),
  ];
  const rows = periodReportRows('2026-10', lines, new Map([['K', { name: 'Клевер', inn: '732500123456' }]]));

  test('the payout shows once per provider, on its first line, with its status in words', () => {
    expect(rows.map((r) => [r.provider_id, r.payout, r.withheld, r.payout_status])).toEqual([
      ['A', '6650.95', '0.00', 'отправлена в банк'],
      ['A', null, null, null],
      ['K', '1500.00', '250.00', 'исполнена банком'],
      ['S', null, null, 'без выплаты (госзадание)'],
    ]);
  });

  test('a provider without a payout is named from the directory; state assignment lines show the assigned volume', () => {
    expect(rows[2]).toMatchObject({ provider_name: 'Клевер', inn: '732500123456', funding_mode: 'компенсация' });
    expect(rows[3]).toMatchObject({ provider_name: null, funding_mode: 'госзадание', units: 20, assigned_units: 100 });
    expect(rows[0]).toMatchObject({ assigned_units: null, service: 'HOUR Час помощи', units: 14 });
  });

  const totals = {
    providers: 3,
    redemptions: 6,
    units: '36',
    gross_amount: '16401.00',
    fee_amount: '750.05',
    amount: '15400.95',
    compensation_amount: '8400.95',
    carried_redemptions: 1,
    carried_amount: '4000.00',
    held_redemptions: 0,
    held_amount: '0.00',
  };

  test('what the run owes compensation providers ties out to what the batch pays plus what it withholds', () => {
    const report = buildPeriodReport({ run: { period: '2026-10', region_code: '73' }, rows, totals, carried: { n: 1, amount: '4000.00' }, hasBatch: true, batchTieOut: [] });
    expect(report.totals).toMatchObject({ units: 36, payout: '8150.95', withheld: '250.00', carried_redemptions: 1, carried_amount: '4000.00' });
    expect(report.tie_out[0]).toMatchObject({ settlement: '8400.95', ledger: '8400.95', ok: true });
    expect(report.tie_out_ok).toBe(true);
  });

  test('a kopeck short is not tied out; before a batch exists the check passes by definition', () => {
    const short = { ...totals, compensation_amount: '8400.96' };
    const withBatch = buildPeriodReport({ run: { period: '2026-10', region_code: '73' }, rows, totals: short, carried: { n: 0, amount: '0.00' }, hasBatch: true, batchTieOut: [] });
    expect(withBatch.tie_out_ok).toBe(false);
    const noBatch = buildPeriodReport({ run: { period: '2026-10', region_code: '73' }, rows, totals: short, carried: { n: 0, amount: '0.00' }, hasBatch: false, batchTieOut: [] });
    expect(noBatch.tie_out_ok).toBe(true);
  });
});

describe('reconciliation report', () => {
  const payouts = [
    { reference: 'R1', provider_name: 'A', inn: '1', amount: '6650.95', status: 'paid', booked_on: '2026-11-05', statement_id: 's', match_method: 'reference', return_reason: null },
    { reference: 'R2', provider_name: 'B', inn: '2', amount: '8000.00', status: 'returned', booked_on: '2026-11-05', statement_id: 's', match_method: 'manual', return_reason: 'AC04' },
    { reference: 'R3', provider_name: 'C', inn: '3', amount: '1500.00', status: 'in_transit', booked_on: null, statement_id: null, match_method: null, return_reason: null },
  ];
  const discrepancies = [
    { reference: null, counterparty_name: 'X', counterparty_inn: null, amount: '10.00', booked_on: null, statement_id: 's', discrepancy_code: 'unmatched', discrepancy_reason: 'нет', resolution: 'dismissed', resolution_note: 'не наш' },
    { reference: null, counterparty_name: 'Y', counterparty_inn: null, amount: '11.00', booked_on: null, statement_id: 's', discrepancy_code: 'unmatched', discrepancy_reason: 'нет', resolution: null, resolution_note: null },
  ];

  test('sums by what the bank did, counts open discrepancies, and words each row', () => {
    const report = buildReconciliationReport({ batch: { id: 'b', period: '2026-10', region_code: '73', status: 'approved' }, payouts, discrepancies, tieOut: [] });
    expect(report.totals).toEqual({ approved: '16150.95', in_transit: '1500.00', paid: '6650.95', returned: '8000.00', open_discrepancies: 1 });
    expect(report.rows.map((r) => r.match)).toEqual(['по ссылке', 'вручную', null, 'unmatched', 'unmatched']);
    expect(report.rows[3]).toMatchObject({ status: 'разобрано: не наша выплата', note: 'нет Решение: не наш' });
    expect(report.rows[4]).toMatchObject({ status: 'не разобрано', note: 'нет' });
  });

  test('a draft batch has approved nothing yet', () => {
    const report = buildReconciliationReport({ batch: { id: 'b', period: '2026-10', region_code: '73', status: 'draft' }, payouts: [], discrepancies: [], tieOut: [] });
    expect(report.totals).toMatchObject({ approved: '0.00', in_transit: '0.00', open_discrepancies: 0 });
  });
});
