import { CHANGE, type DeficitEntry } from './labels';

const COLUMNS: Array<[string, (row: DeficitEntry, district: string) => string | number | null]> = [
  ['Месяц', () => null],
  ['ОКТМО', (r) => r.district_code],
  ['Район', (_r, district) => district],
  ['Код услуги', (r) => r.service_code],
  ['Услуга', (r) => r.service_name],
  ['Признаны нуждающимися, чел.', (r) => r.recognised_people],
  ['Объём программ в месяц', (r) => r.programme_volume],
  ['Строк без поставщика', (r) => r.lines_without_provider],
  ['Строк ждут подтверждения записи', (r) => r.lines_waiting_booking],
  ['Объём без сертификата в месяц', (r) => r.uncertified_volume],
  ['Ожидают, чел.', (r) => r.waiting_people],
  ['Ожидающий объём в месяц', (r) => r.waiting_volume],
  ['Средний срок ожидания, дней', (r) => r.waiting_days_avg],
  ['Наибольший срок ожидания, дней', (r) => r.waiting_days_max],
  ['Поставщиков', (r) => r.providers],
  ['Мощность в месяц', (r) => r.capacity],
  ['Занято в месяц', (r) => r.booked],
  ['Свободно в месяц', (r) => r.free],
  ['Дефицит в месяц', (r) => r.deficit],
  ['Дефицит в прошлом расчёте', (r) => r.previous_deficit],
  ['Изменение', (r) => CHANGE[r.change]],
];

const cell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[";\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The register as CSV for a spreadsheet: semicolons and a BOM, as Russian Excel opens them. */
export function deficitsCsv(month: string, rows: DeficitEntry[], districtName: (oktmo: string) => string): string {
  const lines = [COLUMNS.map(([title]) => title).join(';')];
  for (const row of rows) lines.push(COLUMNS.map(([title, pick]) => cell(title === 'Месяц' ? month : pick(row, districtName(row.district_code)))).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Hands a text to the browser as a file to save. */
export function download(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
