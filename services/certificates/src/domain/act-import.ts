import { parse } from 'csv-parse/sync';
import { uuidV5 } from '@esc/ledger-client';
import { AppError, forbidden, type Principal } from '@esc/service-kit';
import { parseDate } from './bulk-csv';
import type { Deps } from './context';
import { recordDelivery } from './deliveries';
import { isProviderOf } from './access';

export const ACT_COLUMNS = ['booking_id', 'delivered_on', 'units', 'staff_name', 'staff_position'] as const;
export const MAX_ACT_ROWS = 1000;

export interface ActImportRow {
  row: number;
  outcome: 'recorded' | 'failed';
  bookingId: string | null;
  deliveryId: string | null;
  code: string | null;
  message: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

function layoutOf(text: string): { delimiter: ';' | ','; index: Record<(typeof ACT_COLUMNS)[number], number> } {
  const end = text.search(/\r?\n/);
  const header = (end === -1 ? text : text.slice(0, end)).trim();
  if (!header) throw new AppError('validation', 'csv_empty', 'Файл пуст: первой строкой должен идти заголовок с названиями столбцов, дальше — строки актов.');
  const delimiter = header.split(';').length >= header.split(',').length ? ';' : ',';
  const names = header.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, '').trim().toLowerCase());
  const missing = ACT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new AppError('validation', 'csv_missing_columns', `В заголовке файла нет столбцов: ${missing.join(', ')}. Нужны столбцы ${ACT_COLUMNS.join(delimiter)}.`, {
      missing_columns: missing,
      expected_columns: ACT_COLUMNS,
    });
  }
  return { delimiter, index: Object.fromEntries(ACT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof ACT_COLUMNS)[number], number> };
}

const failed = (row: number, bookingId: string | null, deliveryId: string | null, code: string, message: string): ActImportRow => ({ row, outcome: 'failed', bookingId, deliveryId, code, message });

/**
 * Acts from a provider's CSV file, each row recorded as one act is (its own transaction, its own
 * refusal), so a bad row is reported and the good ones are recorded. A row's act id is derived from
 * the import's id and its line number, which makes sending the same file again answer as before.
 */
export async function importActs(deps: Deps, principal: Principal, input: { providerId: string; id: string; csv: string }): Promise<ActImportRow[]> {
  if (!isProviderOf(principal, input.providerId)) throw forbidden('Акты записывают только сотрудники самого поставщика.', 'not_your_provider');
  const text = stripBom(input.csv);
  const { delimiter, index } = layoutOf(text);
  const out: ActImportRow[] = [];
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
    info: true,
    from_line: 2,
    on_skip: (err) => {
      const lines = (err as { lines?: number } | undefined)?.lines;
      if (lines) out.push(failed(lines, null, null, 'malformed_row', `Строка ${lines}: не удалось прочитать — проверьте кавычки и разделители.`));
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  if (records.length + out.length === 0) throw new AppError('validation', 'csv_empty', 'В файле нет ни одной строки акта под заголовком.');
  if (records.length > MAX_ACT_ROWS) throw new AppError('too_large', 'csv_too_many_rows', `В файле ${records.length} строк; за один раз можно загрузить не больше ${MAX_ACT_ROWS}.`);
  for (const { record, info } of records) {
    const row = info.lines;
    const cell = (c: (typeof ACT_COLUMNS)[number]) => (record[index[c]] ?? '').trim();
    const bookingId = cell('booking_id');
    const deliveredOn = parseDate(cell('delivered_on'));
    const units = /^\d{1,5}$/.test(cell('units')) ? Number(cell('units')) : NaN;
    const name = cell('staff_name');
    const position = cell('staff_position');
    const problems = [
      UUID.test(bookingId) ? null : 'номер записи (booking_id) не похож на идентификатор',
      deliveredOn ? null : 'дата оказания должна быть в виде ДД.ММ.ГГГГ',
      units >= 1 && units <= 10_000 ? null : 'объём — целое число от 1 до 10000',
      name && name.length <= 200 ? null : 'укажите ФИО работника (до 200 знаков)',
      position && position.length <= 200 ? null : 'укажите должность работника (до 200 знаков)',
    ].filter((p): p is string => !!p);
    if (problems.length) {
      out.push(failed(row, UUID.test(bookingId) ? bookingId : null, null, 'validation_failed', `Строка ${row}: ${problems.join('; ')}.`));
      continue;
    }
    const deliveryId = uuidV5(String(row), input.id);
    try {
      await recordDelivery(deps, principal, { booking_id: bookingId, id: deliveryId, delivered_on: deliveredOn!, units, staff: { name, position } });
      out.push({ row, outcome: 'recorded', bookingId, deliveryId, code: null, message: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      out.push(failed(row, bookingId, error.kind === 'unprocessable' ? deliveryId : null, error.code, `Строка ${row}: ${error.detail}`));
    }
  }
  return out.sort((a, b) => a.row - b.row);
}
