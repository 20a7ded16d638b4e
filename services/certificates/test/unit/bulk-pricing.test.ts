import { derivedTransferId, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError } from '@esc/service-kit';
import type { RegistryService } from '../../src/clients/registry-client';
import type { BulkRow } from '../../src/domain/bulk-csv';
import {
  checkGroup,
  failedRows,
  issueOrders,
  programmeLinesFor,
  recipientFromRow,
  refusedForBudget,
  registerConflict,
  rowResultsOf,
  samePerson,
} from '../../src/domain/bulk-pricing';
import type { Recipient } from '../../src/domain/recipients';

const HOUSEHOLD: RegistryService = { code: 'HOME-HOUSEHOLD-HOUR', name: 'Помощь по хозяйству', form: 'home', unit: 'час', standard: { max_volume_per_month: 40 } };
const PSYCH: RegistryService = { code: 'HOME-PSYCH-VISIT', name: 'Психологическая помощь', form: 'home', unit: 'посещение', standard: { max_volume_per_month: 8 } };
const DAY_CARE: RegistryService = { code: 'DAY-CARE', name: 'Дневное пребывание', form: 'day_care', unit: 'день', standard: {} };
const catalog = new Map<string, RegistryService | undefined>([
  [HOUSEHOLD.code, HOUSEHOLD],
  [PSYCH.code, PSYCH],
  [DAY_CARE.code, DAY_CARE],
  ['NO-SUCH-SERVICE', undefined],
]);

function bulkRow(fields: Partial<BulkRow> = {}): BulkRow {
  return {
    rowNo: 2,
    snils: '11223344595',
    lastName: 'Фёдорова',
    firstName: 'Мария',
    middleName: 'Петровна',
    birthDate: '1948-03-12',
    districtCode: '73701000',
    address: 'г. Ульяновск',
    ownIncome: '14000.00',
    categories: [],
    serviceCode: HOUSEHOLD.code,
    volumePerMonth: 20,
    months: 6,
    ...fields,
  };
}

const registered = (fields: Partial<Recipient> = {}): Recipient => ({
  ...recipientFromRow(bulkRow(), '73', 'caseworker:1', 'a0000000-0000-4000-8000-000000000001', new Date('2026-11-01T00:00:00Z')),
  ...fields,
});

describe('A recipient’s rows against the catalog’s standards', () => {
  test('When every service exists and every volume is within its standard, then the rows become programme lines with the catalog’s names', () => {
    const lines = programmeLinesFor([bulkRow(), bulkRow({ rowNo: 3, serviceCode: PSYCH.code, volumePerMonth: 8, months: 3 })], catalog);
    expect(lines).toEqual([
      { service_code: HOUSEHOLD.code, volume_per_month: 20, months: 6, service_name: HOUSEHOLD.name, form: 'home', unit: 'час', max_volume_per_month: 40 },
      { service_code: PSYCH.code, volume_per_month: 8, months: 3, service_name: PSYCH.name, form: 'home', unit: 'посещение', max_volume_per_month: 8 },
    ]);
  });

  test('When a service’s standard sets no maximum, then any volume goes and the line says there is none', () => {
    expect(programmeLinesFor([bulkRow({ serviceCode: DAY_CARE.code, volumePerMonth: 10_000 })], catalog)).toEqual([
      expect.objectContaining({ service_code: DAY_CARE.code, volume_per_month: 10_000, max_volume_per_month: null }),
    ]);
  });

  test('When a volume exceeds the standard by one, then that row fails with the maximum in the words', () => {
    const failure = programmeLinesFor([bulkRow(), bulkRow({ rowNo: 3, serviceCode: PSYCH.code, volumePerMonth: 9 })], catalog);
    expect(failure).toEqual({ rowNo: 3, code: 'volume_beyond_standard', detail: expect.stringContaining('(8 в месяц)') });
  });

  test('When a service is not in the catalog, then the first such row fails as unknown_service', () => {
    const failure = programmeLinesFor([bulkRow({ rowNo: 4, serviceCode: 'NO-SUCH-SERVICE' }), bulkRow({ rowNo: 5, serviceCode: 'ELSE' })], catalog);
    expect(failure).toEqual({ rowNo: 4, code: 'unknown_service', detail: 'В перечне услуг нет услуги с кодом NO-SUCH-SERVICE.' });
  });
});

describe('The registered person against the file', () => {
  test('When the names differ only in case, spaces and ё, then it is the same person', () => {
    expect(samePerson(registered(), bulkRow({ lastName: ' ФЕДОРОВА ', firstName: 'мария' }))).toBe(true);
  });

  test('When the birth date differs by a day, then it is someone else', () => {
    expect(samePerson(registered(), bulkRow({ birthDate: '1948-03-13' }))).toBe(false);
  });

  test('When nobody is registered with the SNILS, then there is no conflict', () => {
    expect(registerConflict(undefined, bulkRow(), '73')).toBeUndefined();
  });

  test('When the registered person lives in another region, then the group fails at its first row as recipient_other_region', () => {
    expect(registerConflict(registered({ region_code: '77' }), bulkRow({ rowNo: 9 }), '73')).toEqual({
      rowNo: 9,
      code: 'recipient_other_region',
      detail: expect.stringContaining('региона 77'),
    });
  });

  test('When the SNILS belongs to someone else, then the group fails as recipient_mismatch naming both people', () => {
    const conflict = registerConflict(registered(), bulkRow({ lastName: 'Зуев', firstName: 'Иван', middleName: null, birthDate: '1951-05-06' }), '73');
    expect(conflict).toMatchObject({ rowNo: 2, code: 'recipient_mismatch' });
    expect(conflict!.detail).toContain('112-233-445 95');
    expect(conflict!.detail).toContain('получателю Фёдорова Мария Петровна, 1948-03-12 г. р.');
    expect(conflict!.detail).toContain('в файле — Зуев Иван, 1951-05-06 г. р.');
  });

  test('When the catalog refuses a line and the person also mismatches, then the catalog’s refusal is the one reported', () => {
    const checked = checkGroup([bulkRow({ serviceCode: 'NO-SUCH-SERVICE' })], catalog, registered({ region_code: '77' }), '73');
    expect(checked.failure?.code).toBe('unknown_service');
  });

  test('When the lines are good and the person is the registered one, then the group is planned with its lines', () => {
    const checked = checkGroup([bulkRow()], catalog, registered(), '73');
    expect(checked.failure).toBeUndefined();
    expect(checked.lines).toHaveLength(1);
  });
});

describe('A recipient the file registers', () => {
  test('When a row registers someone, then the recipient carries the file’s person, the region and who sent it, with no phone or household', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(recipientFromRow(bulkRow({ categories: ['rural'], middleName: null }), '73', 'caseworker:1', 'id-1', now)).toEqual({
      id: 'id-1',
      snils: '11223344595',
      region_code: '73',
      last_name: 'Фёдорова',
      first_name: 'Мария',
      middle_name: null,
      birth_date: '1948-03-12',
      district_code: '73701000',
      address: 'г. Ульяновск',
      phone: null,
      categories: ['rural'],
      own_income: '14000.00',
      household: [],
      created_by: 'caseworker:1',
      created_at: now,
      updated_at: now,
    });
  });
});

const ALLOCATION = 'b0000000-0000-4000-8000-00000000000a';
const certificate = (id: string, value: string, status = 'issuing') => ({ id, number: `73-2026-${id.slice(-7)}`, value, status, region_code: '73' });

describe('Charging the budget allocation', () => {
  test('When certificates are issuing, then each gets an account and a transfer of its value from the allocation, with ids derived from it', () => {
    const a = 'c0000000-0000-4000-8000-000000000001';
    const orders = issueOrders([certificate(a, '37488.00')], ALLOCATION);
    expect(orders.accounts).toEqual([{ id: a, ledger: 'RUB', code: 'certificate', owner: { type: 'certificate', id: a }, region_code: '73', metadata: { number: '73-2026-0000001' } }]);
    expect(orders.transfers).toEqual([
      { id: derivedTransferId(a, 'issue'), debit_account_id: ALLOCATION, credit_account_id: a, amount: '37488.00', code: 'issue_certificate', reference: 'Сертификат 73-2026-0000001' },
    ]);
    expect(orders.transferCertificates).toEqual([a]);
  });

  test('When a certificate is worth nothing (the fee covers it), then its account is opened but nothing is moved', () => {
    const orders = issueOrders([certificate('c0000000-0000-4000-8000-000000000002', '0.00')], ALLOCATION);
    expect(orders.accounts).toHaveLength(1);
    expect(orders.transfers).toEqual([]);
  });

  test('When a previous run finished some certificates, then only the ones still issuing are asked for, in order', () => {
    const ids = ['c0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000005'];
    const orders = issueOrders([certificate(ids[0]!, '10.00', 'issued'), certificate(ids[1]!, '20.00'), certificate(ids[2]!, '30.00', 'refused')], ALLOCATION);
    expect(orders.accounts.map((a) => a.id)).toEqual([ids[1]]);
    expect(orders.transferCertificates).toEqual([ids[1]]);
  });

  test('When the ledger answers insufficient funds for some transfers, then exactly those certificates are refused for the budget', () => {
    const refused = refusedForBudget(
      ['c1', 'c2', 'c3', 'c4'],
      [
        { id: 't1', status: 'created' },
        { id: 't2', status: 'failed', code: 'insufficient_funds' },
        { id: 't3', status: 'failed', code: 'insufficient_funds' },
        { id: 't4', status: 'exists' },
      ] satisfies LedgerTransferResult[],
    );
    expect(refused).toEqual(['c2', 'c3']);
  });

  test('When the ledger fails a transfer for another reason, then the file stops instead of refusing the certificate', () => {
    let error: unknown;
    try {
      refusedForBudget(['c1'], [{ id: 't1', status: 'failed', code: 'account_not_found' }]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'ledger_refused', detail: expect.stringContaining('account_not_found') });
  });
});

describe('Each row’s line in the report', () => {
  const refusal = { reason: 'Средства закончились.', next_steps: 'Подождите финансирования.' };

  test('When a certificate was issued, then all its rows are issued with it; when refused, they fail as budget_exhausted with the refusal’s words', () => {
    const results = rowResultsOf(
      [
        { certificateId: 'c1', rows: [{ rowNo: 2, snils: 's1' }, { rowNo: 3, snils: 's1' }] },
        { certificateId: 'c2', rows: [{ rowNo: 4, snils: 's2' }] },
      ],
      new Map([
        ['c1', 'issued'],
        ['c2', 'refused'],
      ]),
      refusal,
    );
    expect(results).toEqual([
      { row_no: 2, snils: 's1', status: 'issued', certificate_id: 'c1', error_code: null, error_detail: null },
      { row_no: 3, snils: 's1', status: 'issued', certificate_id: 'c1', error_code: null, error_detail: null },
      { row_no: 4, snils: 's2', status: 'failed', certificate_id: 'c2', error_code: 'budget_exhausted', error_detail: 'Средства закончились. Подождите финансирования.' },
    ]);
  });

  test.each([
    ['still issuing', 'issuing'],
    ['missing', undefined],
  ])('When a certificate is %s after the ledger, then nothing is reported and the file is resumed later', (_label, status) => {
    const statuses = new Map<string, string>(status ? [['c1', status]] : []);
    expect(() => rowResultsOf([{ certificateId: 'c1', rows: [{ rowNo: 2, snils: 's1' }] }], statuses, refusal)).toThrow(
      expect.objectContaining({ code: 'issue_incomplete', kind: 'unavailable' }),
    );
  });

  test('When a group failed, then each of its rows is reported with its own error and no certificate', () => {
    const errors = new Map([
      [5, { code: 'invalid_date', detail: 'дата' }],
      [6, { code: 'recipient_group_failed', detail: 'из-за строки 5' }],
    ]);
    expect(
      failedRows(
        [
          { rowNo: 5, snils: 's' },
          { rowNo: 6, snils: null },
        ],
        errors,
      ),
    ).toEqual([
      { row_no: 5, snils: 's', status: 'failed', certificate_id: null, error_code: 'invalid_date', error_detail: 'дата' },
      { row_no: 6, snils: null, status: 'failed', certificate_id: null, error_code: 'recipient_group_failed', error_detail: 'из-за строки 5' },
    ]);
  });
});
