import { dirname, join } from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { Money } from '@esc/money';
import type { Statement } from '../domain/statement';
import { actStatusLabel, CERTIFICATE_STATUS, generatedAt, movementTitle, regionClock, ruDate, unitLabel, validity } from './statement-format';

// pdfmake's bundled Roboto has Cyrillic and ₽. The renderer may read these files and nothing else: no
// URL and no other local path is ever fetched, whatever a document says.
const ROBOTO_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const font = (file: string) => join(ROBOTO_DIR, file);
const ROBOTO = { normal: font('Roboto-Regular.ttf'), bold: font('Roboto-Medium.ttf'), italics: font('Roboto-Italic.ttf'), bolditalics: font('Roboto-MediumItalic.ttf') };
const FONT_FILES = new Set(Object.values(ROBOTO));
pdfmake.setFonts({ Roboto: ROBOTO });
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => FONT_FILES.has(path));

/** "1 234,50 ₽" from the amount's decimal string. */
const rub = (m: Money | string) => (typeof m === 'string' ? Money.parse(m) : m).format();
/** Movement columns stay empty where nothing moved, so each row shows only what it did. */
const rubOrBlank = (m: Money) => (m.isZero() ? '' : rub(m));

const num = (text: string, bold = false): TableCell => ({ text, alignment: 'right', bold, noWrap: true });

/** Thin rules under the header and between rows, tight padding: twelve columns fit a landscape A4 page. */
const GRID: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? 0 : i === 1 ? 1 : 0.5),
  vLineWidth: () => 0,
  hLineColor: (i) => (i === 1 ? '#333' : '#bbb'),
  paddingLeft: (i) => (i === 0 ? 0 : 3),
  paddingRight: (i, node) => (i === (node.table.widths?.length ?? 0) - 1 ? 0 : 3),
  paddingTop: () => 2,
  paddingBottom: () => 2,
};
const head = (labels: string[]): TableCell[] => labels.map((text) => ({ text, style: 'th' }));

/** The statement as an A4 (landscape) PDF with Russian labels. */
export function statementPdf(s: Statement): Promise<Buffer> {
  const c = s.certificate;
  const t = s.totals;
  const general: Array<[string, string]> = [
    ['Владелец', s.holder.name],
    ['СНИЛС', s.holder.snils],
    ['Регион', c.region_code],
    ['Дата выдачи', ruDate(c.issued_on)],
    ['Срок действия', validity(s)],
    ['Статус', CERTIFICATE_STATUS[c.status] + (c.status_reason ? ` — ${c.status_reason}` : '')],
    ['Стоимость услуг', rub(c.gross_amount)],
    ['Плата получателя (442-ФЗ)', rub(c.fee_amount)],
    ['Номинал сертификата', rub(c.value)],
  ];
  const content: Content[] = [
    { text: `Выписка по социальному сертификату № ${c.number}`, style: 'title' },
    { text: `Сформирована ${generatedAt(s)}`, style: 'muted' },
    { text: 'I. Общие сведения', style: 'h2' },
    {
      table: { widths: [170, '*'], body: general.map(([label, value]) => [{ text: label, style: 'muted' }, { text: value }]) },
      layout: 'noBorders',
    },
    { text: 'II. Услуги и средства по ним', style: 'h2' },
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: [16, '*', 40, 34, 54, 58, 40, 40, 56, 56, 56, 58],
        body: [
          head(['№', 'Услуга', 'Ед. изм.', 'Объём', 'Цена за ед.', 'Номинал', 'Записано', 'Подтв.', 'Удержано', 'Оплачено', 'Возвращено в бюджет', 'Доступно']),
          ...s.lines.map(({ line: l, money: m }): TableCell[] => [
            String(l.line_no),
            `${l.service_name} (${l.service_code})`,
            unitLabel(l.unit),
            num(String(l.volume)),
            num(rub(l.unit_cost)),
            num(rub(m.value)),
            num(String(l.units_booked)),
            num(String(l.units_confirmed)),
            num(rub(m.held)),
            num(rub(m.spent)),
            num(rub(m.released)),
            num(rub(m.available), true),
          ]),
        ],
      },
      layout: GRID,
      style: 'table',
    },
    { text: 'III. Договоры, акты и движение средств', style: 'h2' },
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: [44, 78, 80, '*', 20, 54, 62, 54, 54, 54, 54, 58],
        body: [
          head(['Дата', 'Операция', 'Поставщик', 'Услуга', 'Ед.', 'Сумма акта', 'Статус акта', 'Зачислено', 'Удержано', 'Оплачено поставщику', 'Возвращено в бюджет', 'Доступно после']),
          ...s.movements.map((m): TableCell[] => [
            regionClock(m.at, s.time_zone),
            m.delivered_on ? `${movementTitle(m)}, оказано ${ruDate(m.delivered_on)}` : movementTitle(m),
            m.provider_name ?? '',
            m.line_no ? `${m.line_no}. ${m.service_name}` : '',
            m.units === null ? '' : num(String(m.units)),
            m.amount ? num(rub(m.amount)) : '',
            actStatusLabel(m),
            num(rubOrBlank(m.credited)),
            num(rubOrBlank(m.held)),
            num(rubOrBlank(m.spent)),
            num(rubOrBlank(m.released)),
            num(rub(m.available_after)),
          ]),
          [
            { text: 'Итого', bold: true, colSpan: 7 },
            '',
            '',
            '',
            '',
            '',
            '',
            num(rub(t.credited), true),
            num(rub(t.held), true),
            num(rub(t.spent), true),
            num(rub(t.released), true),
            num(rub(t.available), true),
          ],
        ],
      },
      layout: GRID,
      style: 'table',
    },
    {
      text: `Доступно: ${rub(t.available)}. Удержано по актам, ожидающим подтверждения: ${rub(t.held)}. Оплачено поставщикам: ${rub(t.spent)}. Возвращено в бюджет: ${rub(t.released)}.`,
      margin: [0, 10, 0, 0],
    },
    s.ties_out
      ? { text: 'Итоги совпадают с учётом средств (леджером) на момент формирования выписки.', style: 'muted' }
      : {
          text: `Итоги по актам расходятся с учётом средств (леджером): доступно ${rub(s.balance.available)}, удержано ${rub(s.balance.held)}, оплачено ${rub(s.balance.spent)}, возвращено в бюджет ${rub(s.balance.released)}. Обычно это временно, пока по акту не получен ответ леджера; если расхождение не исчезнет, обратитесь в орган социальной защиты.`,
          color: '#a12',
        },
  ];
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [30, 30, 30, 40],
    info: { title: `Выписка по сертификату ${c.number}`, subject: 'Выписка по социальному сертификату', creator: 'Маркетплейс социальных сертификатов' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    styles: {
      title: { fontSize: 15, bold: true, margin: [0, 0, 0, 4] },
      h2: { fontSize: 11, bold: true, margin: [0, 12, 0, 4] },
      muted: { color: '#555' },
      th: { bold: true, fontSize: 8, color: '#333' },
      table: { fontSize: 7.5 },
    },
    footer: (page, pages) => ({ text: `Выписка по сертификату ${c.number} · стр. ${page} из ${pages}`, alignment: 'right', fontSize: 8, color: '#555', margin: [30, 10, 30, 0] }),
    content,
  };
  return pdfmake.createPdf(doc).getBuffer();
}
