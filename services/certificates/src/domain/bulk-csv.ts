import { parse } from 'csv-parse/sync';
import { isMoneyString, Money } from '@esc/money';
import { AppError } from '@esc/service-kit';
import { MAX_PROGRAMME_MONTHS } from './assessments';
import { formatSnils, isValidSnils, normaliseSnils } from './snils';

/** The columns of a bulk issue file, in the order of the template; the header may list them in any order. */
export const BULK_COLUMNS = [
  'snils',
  'last_name',
  'first_name',
  'middle_name',
  'birth_date',
  'district_code',
  'address',
  'own_income',
  'categories',
  'service_code',
  'volume_per_month',
  'months',
] as const;
export type BulkColumn = (typeof BULK_COLUMNS)[number];
const OPTIONAL: ReadonlySet<BulkColumn> = new Set(['middle_name', 'categories']);

export const MAX_BULK_ROWS = 200_000;
export const MAX_LINES_PER_RECIPIENT = 20;

/** A row the file got wrong: its number as Excel shows it (the header is row 1), a stable code and what to fix, in Russian. */
export interface RowError {
  code: string;
  detail: string;
}

export interface BulkRow {
  rowNo: number;
  snils: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  districtCode: string;
  address: string;
  ownIncome: string;
  categories: string[];
  serviceCode: string;
  volumePerMonth: number;
  months: number;
}

export type ParsedRow = { rowNo: number; snils: string | null; row: BulkRow; error?: undefined } | { rowNo: number; snils: string | null; row?: undefined; error: RowError };

export interface CsvLayout {
  delimiter: ';' | ',';
  /** Column index of each known column. */
  index: Record<BulkColumn, number>;
  width: number;
}

const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * Reads the header: `;` (what Excel saves in a Russian locale) or `,`, column names in any order and
 * case. A missing column refuses the whole file before any work starts.
 */
export function readLayout(csv: string): CsvLayout {
  const text = stripBom(csv);
  const end = text.search(/\r?\n/);
  const header = (end === -1 ? text : text.slice(0, end)).trim();
  if (!header) throw new AppError('validation', 'csv_empty', 'Файл пуст: первой строкой должен идти заголовок с названиями столбцов, дальше — строки получателей.');
  const delimiter = (header.split(';').length >= header.split(',').length ? ';' : ',') as CsvLayout['delimiter'];
  const names = header.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, '').trim().toLowerCase());
  const missing = BULK_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new AppError(
      'validation',
      'csv_missing_columns',
      `В заголовке файла нет столбцов: ${missing.join(', ')}. Нужны столбцы ${BULK_COLUMNS.join(delimiter)} (разделитель «;» или «,»).`,
      { missing_columns: missing, expected_columns: BULK_COLUMNS },
    );
  }
  const index = Object.fromEntries(BULK_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<BulkColumn, number>;
  return { delimiter, index, width: names.length };
}

/** Data rows (not counting the header and empty lines): a quick count for the progress bar before parsing. */
export function countDataRows(csv: string): number {
  let rows = 0;
  let start = 0;
  for (;;) {
    const end = csv.indexOf('\n', start);
    const line = csv.slice(start, end === -1 ? undefined : end);
    if (line.trim()) rows++;
    if (end === -1) break;
    start = end + 1;
  }
  return Math.max(0, rows - 1);
}

/** Parses and validates every data row; a bad row becomes an error for that row and never stops the others. */
export function parseBulkCsv(csv: string, today: string): ParsedRow[] {
  const layout = readLayout(csv);
  const out: ParsedRow[] = [];
  const records = parse(stripBom(csv), {
    delimiter: layout.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
    info: true,
    from_line: 2,
    on_skip: (err) => {
      const lines = (err as { lines?: number } | undefined)?.lines;
      if (lines) out.push({ rowNo: lines, snils: null, error: { code: 'malformed_row', detail: `Строку не удалось прочитать: ${err?.message ?? 'ошибка кавычек'}. Проверьте кавычки и разделители.` } });
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  for (const { record, info } of records) out.push(validateRow(record, info.lines, layout, today));
  return out.sort((a, b) => a.rowNo - b.rowNo);
}

function fail(rowNo: number, snils: string | null, code: string, detail: string): ParsedRow {
  return { rowNo, snils, error: { code, detail } };
}

const COLUMN_NAMES: Record<BulkColumn, string> = {
  snils: 'СНИЛС',
  last_name: 'фамилия',
  first_name: 'имя',
  middle_name: 'отчество',
  birth_date: 'дата рождения',
  district_code: 'код района (ОКТМО)',
  address: 'адрес',
  own_income: 'собственный доход',
  categories: 'категории',
  service_code: 'код услуги',
  volume_per_month: 'объём в месяц',
  months: 'число месяцев',
};

export function validateRow(record: string[], rowNo: number, layout: CsvLayout, today: string): ParsedRow {
  const value = (c: BulkColumn) => (record[layout.index[c]] ?? '').trim();
  const rawSnils = value('snils');
  const snilsDigits = normaliseSnils(rawSnils);
  const snils = /^\d{11}$/.test(snilsDigits) ? snilsDigits : null;
  if (record.length !== layout.width) {
    return fail(rowNo, snils, 'malformed_row', `В строке ${record.length} значений вместо ${layout.width}: проверьте разделители «${layout.delimiter}» и кавычки.`);
  }
  for (const c of BULK_COLUMNS) {
    if (!OPTIONAL.has(c) && !value(c)) return fail(rowNo, snils, 'missing_value', `Не заполнен столбец ${c} (${COLUMN_NAMES[c]}).`);
  }
  if (!snils || !isValidSnils(snils)) {
    return fail(rowNo, snils, 'invalid_snils', `СНИЛС ${rawSnils} указан с ошибкой: нужно 11 цифр, и контрольное число должно сходиться. Сверьте номер со страховым свидетельством.`);
  }
  for (const c of ['last_name', 'first_name', 'middle_name'] as const) {
    if (value(c).length > 100) return fail(rowNo, snils, 'value_too_long', `Столбец ${c} (${COLUMN_NAMES[c]}) длиннее 100 знаков.`);
  }
  if (value('address').length > 500) return fail(rowNo, snils, 'value_too_long', 'Адрес длиннее 500 знаков.');
  const birthDate = parseDate(value('birth_date'));
  if (!birthDate || birthDate > today || birthDate < '1900-01-01') {
    return fail(rowNo, snils, 'invalid_date', `Дата рождения «${value('birth_date')}» не распознана или невозможна: укажите её как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД, не позже сегодняшнего дня.`);
  }
  const districtCode = value('district_code');
  if (!/^[0-9]{8}([0-9]{3})?$/.test(districtCode)) {
    return fail(rowNo, snils, 'invalid_district_code', `Код района «${districtCode}» должен быть кодом ОКТМО из 8 или 11 цифр.`);
  }
  const ownIncome = parseAmount(value('own_income'));
  if (!ownIncome) {
    return fail(rowNo, snils, 'invalid_amount', `Доход «${value('own_income')}» должен быть неотрицательной суммой в рублях, не более двух знаков после запятой, например 14000,50.`);
  }
  const categories = value('categories')
    .split(/[\s,|]+/)
    .filter(Boolean);
  const badCategory = categories.find((c) => !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(c));
  if (badCategory || categories.length > 10) {
    return fail(rowNo, snils, 'invalid_category', `Категория «${badCategory ?? categories.join(',')}» записана неверно: коды категорий — строчные латинские буквы, цифры, «-» и «_», не больше 10, через запятую.`);
  }
  const serviceCode = value('service_code');
  if (!/^[A-Z0-9][A-Z0-9-]{1,63}$/.test(serviceCode)) {
    return fail(rowNo, snils, 'invalid_service_code', `Код услуги «${serviceCode}» записан неверно: заглавные латинские буквы, цифры и дефисы, как в перечне услуг.`);
  }
  const volumePerMonth = parseWhole(value('volume_per_month'));
  if (volumePerMonth === null || volumePerMonth < 1 || volumePerMonth > 10_000) {
    return fail(rowNo, snils, 'invalid_volume', `Объём в месяц «${value('volume_per_month')}» должен быть целым числом от 1 до 10000.`);
  }
  const months = parseWhole(value('months'));
  if (months === null || months < 1 || months > MAX_PROGRAMME_MONTHS) {
    return fail(rowNo, snils, 'invalid_months', `Число месяцев «${value('months')}» должно быть целым числом от 1 до ${MAX_PROGRAMME_MONTHS}.`);
  }
  return {
    rowNo,
    snils,
    row: {
      rowNo,
      snils,
      lastName: value('last_name'),
      firstName: value('first_name'),
      middleName: value('middle_name') || null,
      birthDate,
      districtCode,
      address: value('address'),
      ownIncome,
      categories: [...new Set(categories)].sort(),
      serviceCode,
      volumePerMonth,
      months,
    },
  };
}

/** ГГГГ-ММ-ДД or ДД.ММ.ГГГГ (what Excel shows in a Russian locale), a real calendar date. */
export function parseDate(raw: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = raw.includes('.') ? [m[3]!, m[2]!, m[1]!] : [m[1]!, m[2]!, m[3]!];
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Roubles as Excel writes them: "14000", "14 000,50", "14000.5". */
export function parseAmount(raw: string): string | null {
  const s = raw.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!isMoneyString(s) || s.startsWith('-')) return null;
  return Money.parse(s).toString();
}

function parseWhole(raw: string): number | null {
  return /^\d{1,6}$/.test(raw) ? Number(raw) : null;
}

/** The file's rows by recipient: every row with the same SNILS is one recipient's programme, in first-seen order. */
export function groupBySnils(rows: ParsedRow[]): ParsedRow[][] {
  const groups = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    const key = r.snils ?? `row/${r.rowNo}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/**
 * Checks a recipient's rows against each other: the first bad row fails the group, and its other rows
 * are reported as failed because of it, so no recipient gets half a programme.
 */
export function groupErrors(group: ParsedRow[]): Map<number, RowError> | undefined {
  const bad = group.find((r) => r.error);
  if (bad) return failGroup(group, bad.rowNo, bad.error!);
  const rows = group.map((r) => r.row!);
  const first = rows[0]!;
  for (const r of rows.slice(1)) {
    if (r.lastName !== first.lastName || r.firstName !== first.firstName || r.middleName !== first.middleName || r.birthDate !== first.birthDate) {
      return failGroup(group, r.rowNo, {
        code: 'inconsistent_recipient',
        detail: `ФИО или дата рождения не совпадают со строкой ${first.rowNo} того же СНИЛС ${formatSnils(first.snils)}: проверьте, не перепутан ли СНИЛС.`,
      });
    }
    const twin = rows.find((o) => o !== r && o.rowNo < r.rowNo && o.serviceCode === r.serviceCode);
    if (twin) {
      return failGroup(group, r.rowNo, { code: 'duplicate_service', detail: `Услуга ${r.serviceCode} уже указана для этого получателя в строке ${twin.rowNo}: объедините строки.` });
    }
  }
  if (rows.length > MAX_LINES_PER_RECIPIENT) {
    return failGroup(group, rows[MAX_LINES_PER_RECIPIENT]!.rowNo, {
      code: 'too_many_lines',
      detail: `У получателя больше ${MAX_LINES_PER_RECIPIENT} услуг в файле; индивидуальная программа вмещает не больше ${MAX_LINES_PER_RECIPIENT} строк.`,
    });
  }
  return undefined;
}

/** The row at fault keeps its own code; the recipient's other rows say which row stopped them. */
export function failGroup(group: ParsedRow[], rowNo: number, error: RowError): Map<number, RowError> {
  const errors = new Map<number, RowError>();
  for (const r of group) {
    errors.set(
      r.rowNo,
      r.rowNo === rowNo
        ? error
        : { code: 'recipient_group_failed', detail: `Сертификат получателю не выдан из-за ошибки в строке ${rowNo} (${error.code}): ${error.detail}` },
    );
  }
  return errors;
}

/** The error report as Excel opens it: UTF-8 with a BOM, `;` between fields, quotes where needed. */
export function errorsCsv(rows: Array<{ row_no: number; snils: string | null; error_code: string; error_detail: string }>): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = ['row_no;snils;code;detail', ...rows.map((r) => [r.row_no, r.snils, r.error_code, r.error_detail].map(cell).join(';'))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
