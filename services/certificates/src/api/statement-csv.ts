import type { Money } from '@esc/money';
import type { Statement } from '../domain/statement';
import { actStatusLabel, CERTIFICATE_STATUS, generatedAt, movementTitle, regionClock, ruDate, unitLabel, validity } from './statement-format';

type Cell = string | number | Money | null;

/** Amounts as Russian Excel reads numbers: a decimal comma and no grouping. */
const amount = (m: Money) => m.toString().replace('.', ',');

/**
 * A text cell, quoted where it holds the separator, a quote or a line break; one that a spreadsheet
 * would take for a formula (=, +, -, @) is prefixed with an apostrophe.
 */
function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return amount(value);
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const row = (...cells: Cell[]) => cells.map(cell).join(';');

/** The statement as Excel opens it: UTF-8 with a BOM, `;` between fields, CRLF, sections split by an empty line. */
export function statementCsv(s: Statement): string {
  const c = s.certificate;
  const header = [
    row('Выписка по социальному сертификату', c.number),
    row('Сформирована', `${generatedAt(s)}`),
    row('Владелец', s.holder.name),
    row('СНИЛС', s.holder.snils),
    row('Регион', c.region_code),
    row('Дата выдачи', ruDate(c.issued_on)),
    row('Срок действия', validity(s)),
    row('Статус', CERTIFICATE_STATUS[c.status]),
    ...(c.status_reason ? [row('Основание статуса', c.status_reason)] : []),
    row('Стоимость услуг, руб.', amountOf(c.gross_amount)),
    row('Плата получателя (442-ФЗ), руб.', amountOf(c.fee_amount)),
    row('Номинал сертификата, руб.', amountOf(c.value)),
  ];
  const lines = [
    row('Услуги'),
    row('№', 'Код услуги', 'Услуга', 'Ед. изм.', 'Объём', 'Цена за ед., руб.', 'Номинал, руб.', 'Записано ед.', 'Подтверждено ед.', 'Удержано, руб.', 'Оплачено, руб.', 'Возвращено в бюджет, руб.', 'Доступно, руб.'),
    ...s.lines.map(({ line: l, money: m }) =>
      row(l.line_no, l.service_code, l.service_name, unitLabel(l.unit), l.volume, amountOf(l.unit_cost), m.value, l.units_booked, l.units_confirmed, m.held, m.spent, m.released, m.available),
    ),
  ];
  const t = s.totals;
  const movements = [
    row('Движение средств'),
    row(
      'Дата',
      'Операция',
      'Дата оказания',
      'Поставщик',
      'Услуга',
      'Ед.',
      'Сумма акта, руб.',
      'Статус акта',
      'Зачислено, руб.',
      'Удержано, руб.',
      'Оплачено поставщику, руб.',
      'Возвращено на сертификат, руб.',
      'Возвращено в бюджет, руб.',
      'Доступно после операции, руб.',
    ),
    ...s.movements.map((m) =>
      row(
        regionClock(m.at, s.time_zone),
        movementTitle(m),
        m.delivered_on ? ruDate(m.delivered_on) : null,
        m.provider_name,
        m.line_no ? `${m.line_no}. ${m.service_name}` : null,
        m.units,
        m.amount,
        actStatusLabel(m),
        m.credited,
        m.held,
        m.spent,
        m.returned,
        m.released,
        m.available_after,
      ),
    ),
    row('Итого', null, null, null, null, null, null, null, t.credited, t.held, t.spent, t.returned, t.released, t.available),
  ];
  const note = s.ties_out
    ? []
    : [
        row(
          'Примечание',
          `Итоги по актам расходятся с учётом средств (леджером): доступно ${amountOf(s.balance.available)}, удержано ${amountOf(s.balance.held)}, оплачено ${amountOf(s.balance.spent)}, возвращено в бюджет ${amountOf(s.balance.released)}. Обычно это временно, пока по акту не получен ответ леджера; если расхождение не исчезнет, обратитесь в орган социальной защиты.`,
        ),
      ];
  return `\ufeff${[...header, '', ...lines, '', ...movements, ...(note.length ? ['', ...note] : [])].join('\r\n')}\r\n`;
}

const amountOf = (decimal: string) => decimal.replace('.', ',');
