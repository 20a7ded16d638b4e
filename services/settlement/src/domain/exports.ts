import iconv from 'iconv-lite';
import { unprocessable } from '@esc/service-kit';
import type { Payer } from '../config';
import type { BatchRow, PayoutRow } from '../data-access/batch-store';
import { isoDateTimeWithOffset, russianDate, type BusinessDateTime } from './business-time';

export type ExportFormat = '1c' | 'pain001' | 'csv';

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** A payout to transfer, with the number of its payment order. */
export type OrderedPayout = PayoutRow & { payment_order_number: number };

/** What a payment file is made of: the approved batch, its payment orders and when they were drawn up (the region's clock). */
export interface PaymentFileInput {
  batch: BatchRow;
  payouts: readonly OrderedPayout[];
  payer: Payer;
  drawnUp: BusinessDateTime;
}

/** One line, single spaces: line breaks and runs of spaces never reach a payment file. */
export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const codePoints = (s: string) => Array.from(s).length;

/**
 * `text` in at most `max` characters, cut after the last whole word that fits (then without a
 * dangling comma, dash or opening quote); a single word longer than `max` is cut at `max`.
 */
export function shortenAtWord(text: string, max: number): string {
  const s = oneLine(text);
  if (codePoints(s) <= max) return s;
  const head = Array.from(s).slice(0, max + 1).join('');
  const cut = head.lastIndexOf(' ');
  if (cut <= 0) return Array.from(s).slice(0, max).join('');
  return head.slice(0, cut).replace(/[\s,;:«„“"(\-–—]+$/u, '');
}

/** `text` in pieces of at most `max` characters split between words; the pieces joined with a space give `text` back. */
export function splitAtWords(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = oneLine(text);
  while (rest) {
    const chars = Array.from(rest);
    if (chars.length <= max) {
      pieces.push(rest);
      break;
    }
    const head = chars.slice(0, max + 1).join('');
    const cut = head.lastIndexOf(' ');
    if (cut > 0) {
      pieces.push(head.slice(0, cut));
      rest = rest.slice(cut + 1);
    } else {
      const piece = chars.slice(0, max).join('');
      pieces.push(piece);
      rest = rest.slice(piece.length);
    }
  }
  return pieces;
}

export function paymentPurpose(batch: BatchRow, p: PayoutRow): string {
  return oneLine(
    `Компенсация поставщику социальных услуг за ${batch.period} (442-ФЗ ст. 30 ч. 8) по социальным сертификатам. ${p.reference}. Без налога (НДС)`,
  );
}

/** The federal cities whose region code in a BIC (its 3rd and 4th digits, OKATO) names the city itself. */
const FEDERAL_CITIES: Readonly<Record<string, string>> = { '45': 'г. Москва', '40': 'г. Санкт-Петербург', '67': 'г. Севастополь' };

/**
 * The city of a payee's bank («г. Ульяновск», 1C `ПолучательБанк2`). The registry gives a bank's BIC and
 * name only, so it is read from a name ending in «г. <город>», or from the BIC when its region is a
 * federal city; otherwise it is left empty, as the format allows (the BIC identifies the bank).
 */
export function bankCityOf(bankName: string, bic: string): string {
  const named = /(?:^|[\s/,])(?<![вВ]\s)[гГ]\.\s*([А-ЯЁ][А-Яа-яЁё]*(?:[\s-][А-ЯЁ][А-Яа-яЁё]*)*)\s*$/u.exec(oneLine(bankName));
  if (named) return `г. ${named[1]}`;
  return FEDERAL_CITIES[bic.slice(2, 4)] ?? '';
}

const inWindows1251 = new Map<string, boolean>();

/** The characters of `text` that windows-1251 cannot carry (iconv would write «?» for each). */
export function outsideWindows1251(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) {
    let ok = inWindows1251.get(ch);
    if (ok === undefined) {
      ok = iconv.decode(iconv.encode(ch, 'win1251'), 'win1251') === ch;
      inWindows1251.set(ch, ok);
    }
    if (!ok) found.add(ch);
  }
  return [...found];
}

interface Unencodable {
  provider_id: string | null;
  name: string;
  inn: string;
  field: string;
  characters: string[];
}

/**
 * A 1C file is windows-1251, and a name with a letter it lacks («Мәрхәмәт») would reach the bank as
 * «М?рх?м?т». A payee's name is never changed behind the officers' backs (nor transliterated: the bank
 * compares it with the account holder's), so the file is refused, naming each provider and letter;
 * pain.001 and CSV are UTF-8 and carry the name as it is.
 */
function assertEncodableIn1251(payouts: readonly OrderedPayout[], payer: Payer): void {
  const problems: Unencodable[] = [];
  const check = (who: Omit<Unencodable, 'field' | 'characters'>, field: string, value: string) => {
    const characters = outsideWindows1251(value);
    if (characters.length) problems.push({ ...who, field, characters });
  };
  const payerAsParty = { provider_id: null, name: payer.name, inn: payer.inn };
  check(payerAsParty, 'наименование плательщика', payer.name);
  check(payerAsParty, 'банк плательщика', `${payer.bankName} ${payer.bankCity}`);
  for (const p of payouts) {
    const who = { provider_id: p.provider_id, name: oneLine(p.provider_name), inn: p.inn };
    check(who, 'наименование', p.provider_name);
    check(who, 'наименование банка', p.bank_name);
  }
  if (!problems.length) return;
  const listed = problems
    .slice(0, 5)
    .map((u) => `«${u.name}» (ИНН ${u.inn}), ${u.field}: ${u.characters.map((c) => `«${c}»`).join(', ')}`)
    .join('; ');
  const more = problems.length > 5 ? `; и ещё ${problems.length - 5}` : '';
  throw unprocessable(
    'not_encodable_in_1c',
    `Файл 1С не сформирован: в нём кодировка Windows-1251, а в реквизитах есть буквы, которых в ней нет, — банк получил бы вместо них «?». ${listed}${more}. Наименование получателя без ведома не меняется: исправьте его в реестре поставщиков (как в учредительных документах и в банке получателя) или выгрузите реестр в формате ISO 20022 (pain.001) или CSV — они в UTF-8 и передают наименование как есть.`,
    { providers: problems },
  );
}

/**
 * 1CClientBankExchange 1.03, windows-1251, CRLF: one «Платежное поручение» per payout, numbered and
 * dated as drawn up. The reference travels in the purpose; `Код` is the УИН field, 0 when there is none.
 */
export function toOneC({ batch, payouts, payer, drawnUp }: PaymentFileInput): ExportFile {
  assertEncodableIn1251(payouts, payer);
  const date = russianDate(drawnUp);
  const lines: string[] = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'Отправитель=ЕСС Маркетплейс социальных сертификатов',
    'Получатель=',
    `ДатаСоздания=${date}`,
    `ВремяСоздания=${drawnUp.time}`,
    `ДатаНачала=${date}`,
    `ДатаКонца=${date}`,
    `РасчСчет=${payer.account}`,
    'Документ=Платежное поручение',
  ];
  for (const p of payouts) {
    const name = oneLine(p.provider_name);
    lines.push(
      'СекцияДокумент=Платежное поручение',
      `Номер=${p.payment_order_number}`,
      `Дата=${date}`,
      `Сумма=${p.amount}`,
      `ПлательщикСчет=${payer.account}`,
      `Плательщик=ИНН ${payer.inn} ${oneLine(payer.name)}`,
      `ПлательщикИНН=${payer.inn}`,
      `ПлательщикКПП=${payer.kpp}`,
      `Плательщик1=${oneLine(payer.name)}`,
      `ПлательщикРасчСчет=${payer.account}`,
      `ПлательщикБанк1=${oneLine(payer.bankName)}`,
      `ПлательщикБанк2=${oneLine(payer.bankCity)}`,
      `ПлательщикБИК=${payer.bic}`,
      `ПлательщикКорсчет=${payer.correspondentAccount}`,
      `ПолучательСчет=${p.bank_account}`,
      `Получатель=ИНН ${p.inn} ${name}`,
      `ПолучательИНН=${p.inn}`,
      `ПолучательКПП=${p.kpp ?? ''}`,
      `Получатель1=${name}`,
      `ПолучательРасчСчет=${p.bank_account}`,
      `ПолучательБанк1=${oneLine(p.bank_name)}`,
      `ПолучательБанк2=${bankCityOf(p.bank_name, p.bank_bic)}`,
      `ПолучательБИК=${p.bank_bic}`,
      `ПолучательКорсчет=${p.bank_correspondent_account ?? ''}`,
      'ВидОплаты=01',
      'Очередность=5',
      'Код=0',
      `НазначениеПлатежа=${paymentPurpose(batch, p)}`,
      'КонецДокумента',
    );
  }
  lines.push('КонецФайла');
  return {
    fileName: `payouts-${batch.region_code}-${batch.period}-${batch.id.slice(0, 8)}.txt`,
    contentType: 'text/plain; charset=windows-1251',
    body: iconv.encode(lines.join('\r\n') + '\r\n', 'win1251'),
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** ISO 20022 Max140Text: names and texts of pain.001. */
const MAX_TEXT = 140;
/** `Strd/AddtlRmtInf` may repeat three times. */
const MAX_ADDITIONAL_REMITTANCE = 3;

/** pain.001 `Nm` of a party: the whole name when it fits in 140 characters, else cut at a word. */
export const partyName = (name: string): string => shortenAtWord(name, MAX_TEXT);

/**
 * The remittance information of a payout: the purpose in `Ustrd` (in 140-character pieces, so nothing
 * is cut), and when `Cdtr/Nm` had to be shortened, the payee's full name in `Strd/AddtlRmtInf` (up to
 * three pieces of 140, 420 characters).
 */
function remittance(batch: BatchRow, p: PayoutRow): string {
  const ustrd = splitAtWords(paymentPurpose(batch, p), MAX_TEXT).map((piece) => `<Ustrd>${xml(piece)}</Ustrd>`);
  const fullName = oneLine(p.provider_name);
  const strd =
    partyName(fullName) === fullName
      ? ''
      : `<Strd>${splitAtWords(fullName, MAX_TEXT)
          .slice(0, MAX_ADDITIONAL_REMITTANCE)
          .map((piece) => `<AddtlRmtInf>${xml(piece)}</AddtlRmtInf>`)
          .join('')}</Strd>`;
  return `<RmtInf>${ustrd.join('')}${strd}</RmtInf>`;
}

/** Kopecks of a `12.34` amount. */
const kopecks = (amount: string) => {
  const [rub = '0', kop = ''] = amount.split('.');
  return BigInt(rub) * 100n + BigInt(kop.padEnd(2, '0').slice(0, 2));
};

/**
 * ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiation), valid against the ISO schema: EndToEndId
 * carries the payout reference, InstrId the payment order number; CreDtTm is the region's local time
 * with its offset, ReqdExctnDt the region's business date.
 */
export function toPain001({ batch, payouts, payer, drawnUp }: PaymentFileInput): ExportFile {
  const control = payouts.reduce((sum, p) => sum + kopecks(p.amount), 0n);
  const ctrlSum = `${control / 100n}.${String(control % 100n).padStart(2, '0')}`;
  const msgId = `ESC-${batch.id.replace(/-/g, '').slice(0, 30)}`;
  const tx = payouts
    .map(
      (p) => `      <CdtTrfTxInf>
        <PmtId><InstrId>${p.payment_order_number}</InstrId><EndToEndId>${p.reference}</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="RUB">${p.amount}</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>RUCBC</Cd></ClrSysId><MmbId>${p.bank_bic}</MmbId></ClrSysMmbId><Nm>${xml(partyName(p.bank_name))}</Nm></FinInstnId></CdtrAgt>
        <Cdtr><Nm>${xml(partyName(p.provider_name))}</Nm><Id><OrgId><Othr><Id>${p.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr>${
          p.kpp ? `<Othr><Id>${p.kpp}</Id><SchmeNm><Prtry>KPP</Prtry></SchmeNm></Othr>` : ''
        }</OrgId></Id></Cdtr>
        <CdtrAcct><Id><Othr><Id>${p.bank_account}</Id></Othr></Id><Ccy>RUB</Ccy></CdtrAcct>
        ${remittance(batch, p)}
      </CdtTrfTxInf>`,
    )
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${isoDateTimeWithOffset(drawnUp)}</CreDtTm>
      <NbOfTxs>${payouts.length}</NbOfTxs>
      <CtrlSum>${ctrlSum}</CtrlSum>
      <InitgPty><Nm>${xml(partyName(payer.name))}</Nm><Id><OrgId><Othr><Id>${payer.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr></OrgId></Id></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>${msgId}</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <NbOfTxs>${payouts.length}</NbOfTxs>
      <CtrlSum>${ctrlSum}</CtrlSum>
      <ReqdExctnDt><Dt>${drawnUp.date}</Dt></ReqdExctnDt>
      <Dbtr><Nm>${xml(partyName(payer.name))}</Nm><Id><OrgId><Othr><Id>${payer.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr><Othr><Id>${payer.kpp}</Id><SchmeNm><Prtry>KPP</Prtry></SchmeNm></Othr></OrgId></Id></Dbtr>
      <DbtrAcct><Id><Othr><Id>${payer.account}</Id></Othr></Id><Ccy>RUB</Ccy></DbtrAcct>
      <DbtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>RUCBC</Cd></ClrSysId><MmbId>${payer.bic}</MmbId></ClrSysMmbId><Nm>${xml(partyName(payer.bankName))}</Nm></FinInstnId></DbtrAgt>
${tx}
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
`;
  return {
    fileName: `payouts-${batch.region_code}-${batch.period}-${batch.id.slice(0, 8)}.xml`,
    contentType: 'application/xml; charset=utf-8',
    body: Buffer.from(body, 'utf8'),
  };
}

/** A CSV cell for Excel: `;`-separated, quoted when it holds a separator, quote or line break. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  // A name starting with = + @ (or - not followed by a digit) would run as a formula in Excel.
  if (/^([=+@\t\r]|-(?![0-9]))/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Amounts in a Russian-locale spreadsheet: a decimal comma. */
export const rub = (amount: string | null | undefined) => (amount === null || amount === undefined ? '' : amount.replace('.', ','));

/** `;`-separated UTF-8 with a BOM and CRLF, as Excel in a Russian locale opens it. */
export function toCsv(header: string[], data: Array<Array<string | number | null | undefined>>): Buffer {
  const text = [header, ...data].map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export const PAYOUT_CSV_HEADER = [
  'Номер', 'Ссылка', 'Поставщик', 'ИНН', 'КПП', 'БИК', 'Банк', 'Расчётный счёт', 'Корр. счёт', 'Начислено', 'Удержано', 'К перечислению', 'Назначение платежа',
];

/** The registry of payment orders for people: `Номер` is the payment order's number, as in the 1C file. */
export function toPayoutCsv({ batch, payouts }: PaymentFileInput): ExportFile {
  return {
    fileName: `payouts-${batch.region_code}-${batch.period}-${batch.id.slice(0, 8)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: toCsv(
      PAYOUT_CSV_HEADER,
      payouts.map((p) => [
        p.payment_order_number, p.reference, p.provider_name, p.inn, p.kpp, p.bank_bic, p.bank_name, p.bank_account, p.bank_correspondent_account,
        rub(p.earned), rub(p.withheld), rub(p.amount), paymentPurpose(batch, p),
      ]),
    ),
  };
}
