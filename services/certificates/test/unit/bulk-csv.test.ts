import { AppError } from '@esc/service-kit';
import {
  BULK_COLUMNS,
  countDataRows,
  errorsCsv,
  failGroup,
  groupBySnils,
  groupErrors,
  MAX_LINES_PER_RECIPIENT,
  parseAmount,
  parseBulkCsv,
  parseDate,
  readLayout,
  type ParsedRow,
} from '../../src/domain/bulk-csv';

const HEADER = BULK_COLUMNS.join(';');
const TODAY = '2026-11-24';
const VALID_SNILS = '11223344595';
const OTHER_SNILS = '12345678964';

function row(fields: Partial<Record<(typeof BULK_COLUMNS)[number], string>> = {}): string {
  const r: Record<string, string> = {
    snils: VALID_SNILS,
    last_name: 'Петрова',
    first_name: 'Анна',
    middle_name: 'Ивановна',
    birth_date: '12.03.1948',
    district_code: '73701000',
    address: 'г. Ульяновск, ул. Минаева, д. 10',
    own_income: '14000',
    categories: '',
    service_code: 'HOME-HOUSEHOLD-HOUR',
    volume_per_month: '20',
    months: '6',
    ...fields,
  };
  return BULK_COLUMNS.map((c) => r[c]).join(';');
}

const file = (...rows: string[]) => [HEADER, ...rows].join('\r\n');

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('The header of a bulk issue file', () => {
  test('When the header uses semicolons in another order and case, with a BOM, then every column is found where it stands', () => {
    const reordered = ['MONTHS', ...BULK_COLUMNS.filter((c) => c !== 'months')].join(';');
    const layout = readLayout(`\ufeff${reordered}\r\n`);
    expect(layout.delimiter).toBe(';');
    expect(layout.index.months).toBe(0);
    expect(layout.index.snils).toBe(1);
    expect(layout.width).toBe(BULK_COLUMNS.length);
  });

  test('When the header uses commas and quotes, then the delimiter is a comma', () => {
    const layout = readLayout(BULK_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(layout.delimiter).toBe(',');
    expect(layout.index.service_code).toBe(BULK_COLUMNS.indexOf('service_code'));
  });

  test('When required columns are missing, then the whole file is refused naming them', () => {
    const error = thrown(() => readLayout(BULK_COLUMNS.filter((c) => c !== 'months' && c !== 'snils').join(';')));
    expect(error.code).toBe('csv_missing_columns');
    expect(error.extensions.missing_columns).toEqual(['snils', 'months']);
  });

  test('When the file is empty or blank, then it is refused as csv_empty', () => {
    expect(thrown(() => readLayout('')).code).toBe('csv_empty');
    expect(thrown(() => readLayout('  \r\n')).code).toBe('csv_empty');
  });
});

describe('Counting data rows', () => {
  test('When there are blank lines and no final newline, then only non-empty lines after the header count', () => {
    expect(countDataRows(`${HEADER}\n${row()}\n\n   \n${row()}`)).toBe(2);
  });
  test('When there is only a header (or nothing), then there are no data rows', () => {
    expect(countDataRows(`${HEADER}\r\n`)).toBe(0);
    expect(countDataRows('')).toBe(0);
  });
});

describe('Dates and amounts as spreadsheets write them', () => {
  test.each([
    ['1948-03-12', '1948-03-12'],
    ['12.03.1948', '1948-03-12'],
    ['29.02.2024', '2024-02-29'],
    ['29.02.2023', null],
    ['31.02.1950', null],
    ['1948-3-12', null],
    ['12/03/1948', null],
  ])('When the date is %s, then it reads as %s', (raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  test.each([
    ['14000', '14000.00'],
    ['14 000,50', '14000.50'],
    ['14\u00a0000.5', '14000.50'],
    ['0', '0.00'],
    ['-1', null],
    ['14000,505', null],
    ['много', null],
  ])('When the amount is %s, then it reads as %s', (raw, expected) => {
    expect(parseAmount(raw)).toBe(expected);
  });
});

describe('Parsing and validating rows', () => {
  test('When a row is valid, then it becomes a recipient row with normalised values, numbered as the spreadsheet shows it', () => {
    const [parsed] = parseBulkCsv(file(row({ snils: '112-233-445 95', own_income: '14 000,50', categories: 'rural, disability-group-1,rural' })), TODAY);
    expect(parsed).toEqual({
      rowNo: 2,
      snils: VALID_SNILS,
      row: {
        rowNo: 2,
        snils: VALID_SNILS,
        lastName: 'Петрова',
        firstName: 'Анна',
        middleName: 'Ивановна',
        birthDate: '1948-03-12',
        districtCode: '73701000',
        address: 'г. Ульяновск, ул. Минаева, д. 10',
        ownIncome: '14000.50',
        categories: ['disability-group-1', 'rural'],
        serviceCode: 'HOME-HOUSEHOLD-HOUR',
        volumePerMonth: 20,
        months: 6,
      },
    });
  });

  test('When the middle name and categories are empty, then they are null and none', () => {
    const [parsed] = parseBulkCsv(file(row({ middle_name: '', categories: '' })), TODAY);
    expect(parsed!.row).toMatchObject({ middleName: null, categories: [] });
  });

  test.each([
    ['a wrong check number', 'invalid_snils', { snils: '11223344596' }],
    ['no first name', 'missing_value', { first_name: '' }],
    ['a surname over 100 letters', 'value_too_long', { last_name: 'Я'.repeat(101) }],
    ['an address over 500 letters', 'value_too_long', { address: 'д'.repeat(501) }],
    ['a birth date after today', 'invalid_date', { birth_date: '25.11.2026' }],
    ['a birth date before 1900', 'invalid_date', { birth_date: '31.12.1899' }],
    ['a 7-digit district code', 'invalid_district_code', { district_code: '7370100' }],
    ['a negative income', 'invalid_amount', { own_income: '-5' }],
    ['a category in capitals', 'invalid_category', { categories: 'Rural' }],
    ['eleven categories', 'invalid_category', { categories: 'a,b,c,d,e,f,g,h,i,j,k' }],
    ['a service code in lowercase', 'invalid_service_code', { service_code: 'home-hour' }],
    ['a volume of 0', 'invalid_volume', { volume_per_month: '0' }],
    ['a volume over 10000', 'invalid_volume', { volume_per_month: '10001' }],
    ['a fractional volume', 'invalid_volume', { volume_per_month: '2.5' }],
    ['13 months', 'invalid_months', { months: '13' }],
    ['0 months', 'invalid_months', { months: '0' }],
  ])('When a row has %s, then it fails with %s and keeps its number', (_label, code, fields) => {
    const [parsed] = parseBulkCsv(file(row(fields)), TODAY);
    expect(parsed).toMatchObject({ rowNo: 2, error: { code } });
    expect(parsed!.row).toBeUndefined();
  });

  test('When the birth date is today, then it is accepted', () => {
    expect(parseBulkCsv(file(row({ birth_date: TODAY })), TODAY)[0]!.row?.birthDate).toBe(TODAY);
  });

  test('When a row has too few values, then it fails as malformed and still names its readable SNILS', () => {
    const [parsed] = parseBulkCsv(file(`${VALID_SNILS};Коваленко;Ольга`), TODAY);
    expect(parsed).toMatchObject({ rowNo: 2, snils: VALID_SNILS, error: { code: 'malformed_row', detail: expect.stringContaining('3 значений вместо 12') } });
  });

  test('When a bad row sits between good ones, then only it fails and the rows come back in file order', () => {
    const parsed = parseBulkCsv(file(row(), row({ snils: 'x', months: '99' }), '', row({ snils: OTHER_SNILS })), TODAY);
    expect(parsed.map((p) => [p.rowNo, p.error?.code ?? 'ok'])).toEqual([
      [2, 'ok'],
      [3, 'invalid_snils'],
      [5, 'ok'],
    ]);
  });
});

const ok = (rowNo: number, fields: Partial<ParsedRow['row'] & object> = {}): ParsedRow => {
  const base = parseBulkCsv(file(row()), TODAY)[0]!.row!;
  const r = { ...base, rowNo, ...fields };
  return { rowNo, snils: r.snils, row: r };
};

describe('A recipient is all the rows with one SNILS', () => {
  test('When rows share a SNILS, then they form one group in first-seen order; rows without a readable SNILS stay alone', () => {
    const rows: ParsedRow[] = [
      ok(2),
      ok(3, { snils: OTHER_SNILS }),
      { rowNo: 4, snils: null, error: { code: 'invalid_snils', detail: '' } },
      ok(5, { serviceCode: 'HOME-PSYCH-VISIT' }),
      { rowNo: 6, snils: null, error: { code: 'invalid_snils', detail: '' } },
    ];
    expect(groupBySnils(rows).map((g) => g.map((r) => r.rowNo))).toEqual([[2, 5], [3], [4], [6]]);
  });

  test('When every row of a group is good and consistent, then the group has no errors', () => {
    expect(groupErrors([ok(2), ok(3, { serviceCode: 'HOME-PSYCH-VISIT' })])).toBeUndefined();
  });

  test('When one row of a group is bad, then it keeps its error and the others fail because of it', () => {
    const errors = groupErrors([ok(2), { rowNo: 3, snils: VALID_SNILS, error: { code: 'invalid_volume', detail: 'объём' } }, ok(4)])!;
    expect(errors.get(3)).toEqual({ code: 'invalid_volume', detail: 'объём' });
    expect(errors.get(2)).toMatchObject({ code: 'recipient_group_failed', detail: expect.stringContaining('строке 3 (invalid_volume)') });
    expect(errors.get(4)!.code).toBe('recipient_group_failed');
  });

  test('When the same SNILS names another person, then the later row is inconsistent', () => {
    const errors = groupErrors([ok(2), ok(3, { birthDate: '1950-01-01', serviceCode: 'HOME-PSYCH-VISIT' })])!;
    expect(errors.get(3)).toMatchObject({ code: 'inconsistent_recipient', detail: expect.stringContaining('строкой 2') });
    expect(errors.get(2)!.code).toBe('recipient_group_failed');
  });

  test('When a service repeats for a recipient, then the repeat is a duplicate of the earlier row', () => {
    const errors = groupErrors([ok(2), ok(7)])!;
    expect(errors.get(7)).toMatchObject({ code: 'duplicate_service', detail: expect.stringContaining('строке 2') });
  });

  test('When a recipient has more lines than a programme holds, then the first row beyond the limit fails', () => {
    const group = Array.from({ length: MAX_LINES_PER_RECIPIENT + 1 }, (_, i) => ok(i + 2, { serviceCode: `SERVICE-${i}` }));
    const errors = groupErrors(group)!;
    expect(errors.get(MAX_LINES_PER_RECIPIENT + 2)!.code).toBe('too_many_lines');
    expect(errors.size).toBe(group.length);
  });

  test('When a group is failed at a row, then every row gets an entry', () => {
    const errors = failGroup([ok(2), ok(3)], 3, { code: 'unknown_service', detail: 'нет услуги' });
    expect([...errors.keys()]).toEqual([2, 3]);
    expect(errors.get(3)).toEqual({ code: 'unknown_service', detail: 'нет услуги' });
    expect(errors.get(2)!.detail).toContain('строке 3 (unknown_service): нет услуги');
  });
});

describe('The error report', () => {
  test('When rows failed, then the report is UTF-8 with a BOM, CRLF lines and quoted cells where a cell needs it', () => {
    const csv = errorsCsv([
      { row_no: 2, snils: VALID_SNILS, error_code: 'invalid_date', error_detail: 'Дата «31.02.1950»; проверьте' },
      { row_no: 5, snils: null, error_code: 'malformed_row', error_detail: 'кавычки "не закрыты"' },
    ]);
    expect(csv).toBe(
      '\ufeffrow_no;snils;code;detail\r\n' + `2;${VALID_SNILS};invalid_date;"Дата «31.02.1950»; проверьте"\r\n` + '5;;malformed_row;"кавычки ""не закрыты"""\r\n',
    );
  });

  test('When no row failed, then the report is the header alone', () => {
    expect(errorsCsv([])).toBe('\ufeffrow_no;snils;code;detail\r\n');
  });
});
