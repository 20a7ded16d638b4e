import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '@esc/service-kit';

export type StatementFormat = '1c' | 'camt053';

export interface ParsedLine {
  number: number;
  /** How the bank names the document: 1C «Номер», camt.053 the entry's and the transaction's references. */
  bankRef: string | null;
  /** The document's own date (1C «Дата»); null in camt.053. */
  documentDate: string | null;
  direction: 'debit' | 'credit';
  amount: string;
  bookedOn: string | null;
  counterpartyName: string | null;
  counterpartyInn: string | null;
  counterpartyAccount: string | null;
  /**
   * Every account the bank names for the counterparty: 1C writes «…Счет» and «…РасчСчет», which differ
   * in indirect settlements (through a correspondent bank); camt.053 names one.
   */
  counterpartyAccounts: string[];
  purpose: string | null;
  reference: string | null;
  bankReason: string | null;
  /** camt.053 RvslInd: the entry undoes an earlier entry of the opposite direction. */
  reversal: boolean;
}

export interface ParsedStatement {
  format: StatementFormat;
  /** The account the lines are of (a 1C file is read by our account's section, or refused). */
  account: string;
  /** Every account the file has a section (or a header line) for. */
  accounts: string[];
  statementRef: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  lines: ParsedLine[];
}

export interface ParseOptions {
  /** Our payout account: a 1C file with sections for several accounts is read by this one's section. */
  account: string;
}

/** A statement none of whose accounts is the one payouts are made from. */
export function notOurAccount(accounts: readonly string[], ours: string): AppError {
  return refuse('unknown_account', `Выписка по счёту ${accounts.join(', ')}, а выплаты идут со счёта ${ours}. Загрузите выписку по счёту выплат.`, {
    statement_account: accounts[0],
  });
}

export const PAYOUT_REFERENCE = /ESC[0-9]{12}/;
const AMOUNT = /^(0|[1-9][0-9]{0,17})([.,][0-9]{1,2})?$/;

const refuse = (code: string, detail: string, ext: Record<string, unknown> = {}) => new AppError('unprocessable', code, detail, ext);

function normaliseAmount(raw: string, where: string): string {
  const s = raw.trim();
  if (!AMOUNT.test(s)) throw refuse('invalid_amount', `${where}: сумма «${s}» не является суммой в рублях с копейками. Файл не загружен; выгрузите выписку из банка заново.`);
  const [int, frac = ''] = s.replace(',', '.').split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
}

const kopecks = (amount: string) => BigInt(amount.replace('.', ''));
const roubles = (k: bigint) => `${k / 100n}.${String(k % 100n).padStart(2, '0')}`;

/** `YYYY-MM-DD` when the day exists in the calendar. */
function calendarDate(year: string, month: string, day: string): string | null {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d <= daysInMonth ? `${year}-${month}-${day}` : null;
}

const invalidDate = (where: string, field: string, value: string, form: string) =>
  refuse(
    'invalid_date',
    `${where}: в поле «${field}» дата «${value}», такой даты нет в календаре (ожидается ${form}). Файл не загружен, ничего не изменено; выгрузите выписку из банка заново, а если ошибка повторится — сообщите о ней банку.`,
    { line: where, field, value },
  );

/**
 * A 1C date (ДД.ММ.ГГГГ) as the region's business date, exactly as written: no time zone is applied
 * to a date. Empty is null; anything else that is not a real day refuses the file.
 */
function oneCDate(value: string | undefined, where: string, field: string): string | null {
  const s = (value ?? '').trim();
  if (!s) return null;
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  const date = m ? calendarDate(m[3]!, m[2]!, m[1]!) : null;
  if (!date) throw invalidDate(where, field, s, 'ДД.ММ.ГГГГ');
  return date;
}

/**
 * A camt.053 ISODate or ISODateTime: the date the bank wrote (its offset, when given, says where the
 * bank's day is, so the written date is kept rather than moved to another zone).
 */
function camtDate(value: string | null, where: string, field: string): string | null {
  if (value === null || value === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/.exec(value);
  const date = m ? calendarDate(m[1]!, m[2]!, m[3]!) : null;
  if (!date) throw invalidDate(where, field, value, 'ГГГГ-ММ-ДД');
  return date;
}

const RETURN_REASONS: Record<string, string> = {
  AC01: 'Неверный номер счёта получателя',
  AC04: 'Счёт получателя закрыт',
  AC06: 'Счёт получателя заблокирован',
  AG01: 'Операция по счёту запрещена',
  BE01: 'Получатель не соответствует владельцу счёта',
  MS02: 'Отказ получателя',
  MS03: 'Причина не указана банком',
  RC01: 'Неверный БИК банка получателя',
};

/** The first payout reference found in the texts, in the order given. */
const referenceIn = (...texts: Array<string | null | undefined>): string | null => {
  for (const t of texts) {
    const found = t ? PAYOUT_REFERENCE.exec(t)?.[0] : undefined;
    if (found) return found;
  }
  return null;
};

const ONE_C_ENCODINGS: Record<string, { iconv: string; name: string }> = {
  windows: { iconv: 'win1251', name: 'Windows-1251' },
  dos: { iconv: 'cp866', name: '866 (DOS)' },
};

/**
 * The value of `Кодировка=` in the header and the encoding the header is actually written in
 * (the key itself is Cyrillic, so only the right decoding finds it).
 */
function declaredOneCEncoding(head: Buffer): { declared: string; writtenIn: string } | undefined {
  for (const writtenIn of ['win1251', 'cp866', 'utf8']) {
    const declared = /Кодировка=([^\r\n]*)/.exec(iconv.decode(head, writtenIn))?.[1]?.trim();
    if (declared !== undefined) return { declared, writtenIn };
  }
  return head.toString('latin1').includes('Windows') ? { declared: 'Windows', writtenIn: 'win1251' } : undefined;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * 1CClientBankExchange (ВерсияФормата 1.02/1.03), Кодировка=Windows (1251) or DOS (866), CRLF or LF.
 * A file may hold sections for several accounts: the one for `options.account` is read, another
 * account's section is ignored, a document that is not paid from or to our account is refused, and
 * so is a file without our account.
 */
export function parseOneC(file: Buffer, options: ParseOptions): ParsedStatement {
  const withoutBom = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? file.subarray(3) : file;
  if (!withoutBom.subarray(0, 20).toString('latin1').startsWith('1CClientBankExchange')) {
    throw refuse('not_1c_statement', 'Файл не начинается со строки 1CClientBankExchange: это не выписка в формате обмена с «1С». Выгрузите выписку в формате 1С из системы «Банк-клиент».');
  }
  const header = declaredOneCEncoding(withoutBom.subarray(0, 1024));
  const declared = header?.declared;
  const encoding = ONE_C_ENCODINGS[(declared ?? '').toLowerCase()];
  if (!encoding) throw refuse('wrong_encoding', `В заголовке выписки указана кодировка «${declared ?? 'не указана'}»; поддерживаются Windows и DOS. Файл не загружен.`);
  if ((withoutBom.some((b) => b >= 0x80) && isUtf8(withoutBom)) || header?.writtenIn === 'utf8') {
    throw refuse(
      'wrong_encoding',
      `Файл сохранён в кодировке UTF-8, а в заголовке указано «Кодировка=${declared}» (${encoding.name}). Файл не загружен: выгрузите выписку заново в кодировке ${encoding.name}.`,
    );
  }
  if (header && header.writtenIn !== encoding.iconv) {
    const actual = Object.values(ONE_C_ENCODINGS).find((e) => e.iconv === header.writtenIn)!;
    throw refuse(
      'wrong_encoding',
      `Файл записан в кодировке ${actual.name}, а в заголовке указано «Кодировка=${declared}» (${encoding.name}). Файл не загружен: выгрузите выписку заново, чтобы кодировка совпадала с заголовком.`,
    );
  }
  const text = iconv.decode(withoutBom, encoding.iconv);

  const rows = text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (rows[rows.length - 1] !== 'КонецФайла') {
    throw refuse('truncated_file', 'В выписке нет завершающей строки «КонецФайла»: файл обрезан при передаче. Ни одна строка не загружена; выгрузите выписку заново.');
  }
  const head: Record<string, string> = {};
  const headAccounts: string[] = [];
  const sections: Array<Record<string, string>> = [];
  const docs: Array<Record<string, string>> = [];
  let section: 'head' | 'account' | 'doc' = 'head';
  let doc: Record<string, string> = {};
  for (const row of rows.slice(1, -1)) {
    const eq = row.indexOf('=');
    const key = eq < 0 ? row : row.slice(0, eq);
    const value = eq < 0 ? '' : row.slice(eq + 1);
    if (key === 'СекцияРасчСчет') {
      if (section === 'doc') throw refuse('truncated_file', `Документ № ${doc['Номер'] ?? '?'} не закрыт строкой «КонецДокумента». Файл не загружен; выгрузите выписку заново.`);
      section = 'account';
      sections.push({});
    } else if (key === 'КонецРасчСчет') section = 'head';
    else if (key === 'СекцияДокумент') {
      if (section === 'doc') throw refuse('truncated_file', `Документ № ${doc['Номер'] ?? '?'} не закрыт строкой «КонецДокумента». Файл не загружен; выгрузите выписку заново.`);
      section = 'doc';
      doc = { 'СекцияДокумент': value };
    } else if (key === 'КонецДокумента') {
      if (section !== 'doc') throw refuse('malformed_statement', '«КонецДокумента» без начала документа. Файл не загружен.');
      docs.push(doc);
      section = 'head';
    } else if (section === 'doc') doc[key] = value;
    else if (section === 'account') sections[sections.length - 1]![key] = value;
    else if (key === 'РасчСчет') headAccounts.push(value);
    else head[key] = value;
  }
  if (section === 'doc') throw refuse('truncated_file', 'Последний документ выписки не закрыт строкой «КонецДокумента». Файл не загружен; выгрузите выписку заново.');

  const accounts = [...new Set([...sections.map((s) => s['РасчСчет']), ...headAccounts].filter((a): a is string => !!a))];
  if (accounts.length === 0) throw refuse('malformed_statement', 'В выписке не указан расчётный счёт (РасчСчет). Файл не загружен.');
  if (!accounts.includes(options.account)) throw notOurAccount(accounts, options.account);
  const account = options.account;
  const ours = sections.find((s) => s['РасчСчет'] === account) ?? (sections.length === 1 && !sections[0]!['РасчСчет'] ? sections[0]! : {});
  const others = accounts.filter((a) => a !== account);

  let debits = 0n;
  let credits = 0n;
  const lines = docs.map((d, i): ParsedLine => {
    const number = d['Номер'] || String(i + 1);
    const where = `Документ № ${number}`;
    const documentDate = oneCDate(d['Дата'], where, 'Дата');
    const dated = documentDate ? `${where} от ${d['Дата']!.trim()}` : where;
    const amount = normaliseAmount(d['Сумма'] ?? '', dated);
    const payerAccount = d['ПлательщикСчет'] || d['ПлательщикРасчСчет'] || null;
    const payeeAccount = d['ПолучательСчет'] || d['ПолучательРасчСчет'] || null;
    const isOurs = (a: string | undefined) => a === account;
    let direction: 'debit' | 'credit';
    if (isOurs(d['ПлательщикСчет']) || isOurs(d['ПлательщикРасчСчет'])) direction = 'debit';
    else if (isOurs(d['ПолучательСчет']) || isOurs(d['ПолучательРасчСчет'])) direction = 'credit';
    else {
      throw refuse(
        'line_not_for_account',
        `${dated}: ни плательщик (счёт ${payerAccount ?? 'не указан'}), ни получатель (счёт ${payeeAccount ?? 'не указан'}) не владеют счётом выписки ${account}` +
          `${others.length ? `; документы по счёту ${others.join(', ')} в выписке по счёту выплат не принимаются` : ''}. ` +
          `Файл не загружен, ничего не изменено: выгрузите из банка выписку только по счёту ${account}.`,
        { document: number, statement_account: account },
      );
    }
    const dateField = direction === 'debit' ? 'ДатаСписано' : 'ДатаПоступило';
    const bookedOn = oneCDate(d[dateField], dated, dateField);
    if (direction === 'debit') debits += kopecks(amount);
    else credits += kopecks(amount);
    const purpose = d['НазначениеПлатежа'] || null;
    return {
      number: i + 1,
      bankRef: number,
      documentDate,
      direction,
      amount,
      bookedOn: bookedOn ?? documentDate,
      counterpartyName: (direction === 'debit' ? d['Получатель1'] || d['Получатель'] : d['Плательщик1'] || d['Плательщик']) || null,
      counterpartyInn: (direction === 'debit' ? d['ПолучательИНН'] : d['ПлательщикИНН']) || null,
      counterpartyAccount: direction === 'debit' ? payeeAccount : payerAccount,
      counterpartyAccounts: [
        ...new Set(
          (direction === 'debit' ? [d['ПолучательСчет'], d['ПолучательРасчСчет']] : [d['ПлательщикСчет'], d['ПлательщикРасчСчет']]).filter((a): a is string => !!a),
        ),
      ],
      purpose,
      reference: referenceIn(d['Код'], purpose),
      bankReason: direction === 'credit' ? purpose : null,
      reversal: false,
    };
  });
  for (const [field, movements, what] of [
    ['ВсегоСписано', debits, 'списаний'],
    ['ВсегоПоступило', credits, 'поступлений'],
  ] as const) {
    const declaredTotal = ours[field];
    if (declaredTotal === undefined || declaredTotal === '') continue;
    if (kopecks(normaliseAmount(declaredTotal, field)) !== movements) {
      throw refuse(
        'totals_mismatch',
        `Итог «${field}» ${declaredTotal} по счёту ${account} не равен сумме ${what} документов выписки (${roubles(movements)}); в файле не хватает документов. Файл не загружен.`,
      );
    }
  }
  const where = 'Заголовок выписки';
  return {
    format: '1c',
    account,
    accounts,
    statementRef: null,
    dateFrom: oneCDate(ours['ДатаНачала'] ?? head['ДатаНачала'], where, 'ДатаНачала'),
    dateTo: oneCDate(ours['ДатаКонца'] ?? head['ДатаКонца'], where, 'ДатаКонца'),
    lines,
  };
}

type Xml = Record<string, unknown>;
const obj = (v: unknown): Xml => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Xml) : {});
const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  const t = obj(v)['#text'];
  return typeof t === 'string' ? t.trim() : typeof t === 'number' ? String(t) : null;
};
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, key) => obj(cur)[key], v);
const texts = (v: unknown): string | null => arr(v).map(text).filter(Boolean).join(' ') || null;

function partyInn(party: unknown): string | null {
  for (const other of arr(at(party, 'Id', 'OrgId', 'Othr'))) {
    const scheme = text(at(other, 'SchmeNm', 'Prtry')) ?? text(at(other, 'SchmeNm', 'Cd'));
    const id = text(at(other, 'Id'));
    if (id && (!scheme || scheme === 'INN' || scheme === 'TXID')) return id;
  }
  return null;
}

/**
 * The XML text in the encoding its declaration names (UTF-8 when none): a Russian bank may write
 * windows-1251. Bytes that are not what the declaration says refuse the file rather than garble it.
 */
function decodeXml(file: Buffer): string {
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) file = file.subarray(3);
  else if ((file[0] === 0xff && file[1] === 0xfe) || (file[0] === 0xfe && file[1] === 0xff)) return iconv.decode(file, 'utf16');
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(file.subarray(0, 200).toString('latin1'))?.[1];
  const encoding = (declared ?? 'UTF-8').toLowerCase();
  if (encoding === 'utf-8' || encoding === 'utf8') {
    if (!isUtf8(file)) {
      throw refuse(
        'wrong_encoding',
        `Файл выписки не в кодировке UTF-8, ${declared ? 'указанной в его заголовке XML' : 'а другой кодировки в заголовке XML не указано'}. Файл не загружен: выгрузите выписку заново в UTF-8 или с верной кодировкой в заголовке.`,
      );
    }
    return file.toString('utf8');
  }
  if (!iconv.encodingExists(encoding)) {
    throw refuse('wrong_encoding', `В заголовке XML указана кодировка «${declared}», она не поддерживается. Файл не загружен: выгрузите выписку в UTF-8 или Windows-1251.`);
  }
  return iconv.decode(file, encoding);
}

/**
 * ISO 20022 camt.053 (BankToCustomerStatement), versions 001.02–001.08. Each transaction of an entry
 * is a line: a batch-booked entry's amounts are per transaction (`Amt` or `AmtDtls/TxAmt/Amt`) and
 * must add up to the entry; a lone transaction takes the entry's booked amount. The payout reference
 * is looked for in the transaction's references, its remittance texts and the entry's additional
 * information (`AddtlNtryInf`, where some banks put everything).
 */
export function parseCamt053(file: Buffer): ParsedStatement {
  const source = decodeXml(file);
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw refuse(
      'malformed_xml',
      `Файл выписки не является корректным XML (строка ${valid.err.line}, позиция ${valid.err.col}: ${valid.err.msg}); вероятно, он обрезан. Ни одна строка не загружена; выгрузите выписку заново.`,
    );
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, removeNSPrefix: true }).parse(source) as Xml;
  const statements = arr(at(doc, 'Document', 'BkToCstmrStmt', 'Stmt'));
  if (statements.length !== 1) {
    throw refuse('malformed_statement', statements.length === 0 ? 'В файле нет выписки camt.053 (Document/BkToCstmrStmt/Stmt).' : 'В файле несколько выписок; загрузите их по одной.');
  }
  const stmt = statements[0];
  const account = text(at(stmt, 'Acct', 'Id', 'Othr', 'Id')) ?? text(at(stmt, 'Acct', 'Id', 'IBAN'));
  if (!account) throw refuse('malformed_statement', 'В выписке не указан счёт (Stmt/Acct/Id). Файл не загружен.');
  const rubles = (amount: unknown, where: string) => {
    const currency = obj(amount)['@Ccy'];
    if (currency !== undefined && currency !== 'RUB') throw refuse('wrong_currency', `${where}: сумма в валюте ${String(currency)}; выплаты ведутся в рублях. Файл не загружен.`);
    return normaliseAmount(text(amount) ?? '', where);
  };
  const lines: ParsedLine[] = [];
  arr(at(stmt, 'Ntry')).forEach((entry, e) => {
    const ntryRef = text(at(entry, 'NtryRef'));
    const where = `Запись № ${e + 1}${ntryRef ? ` (NtryRef ${ntryRef})` : ''}`;
    const indicator = text(at(entry, 'CdtDbtInd'));
    if (indicator !== 'DBIT' && indicator !== 'CRDT') throw refuse('malformed_statement', `${where}: нет признака CdtDbtInd (DBIT/CRDT). Файл не загружен.`);
    const direction = indicator === 'DBIT' ? 'debit' : 'credit';
    const reversal = text(at(entry, 'RvslInd')) === 'true';
    const entryAmount = rubles(at(entry, 'Amt'), where);
    const bookedOn = camtDate(text(at(entry, 'BookgDt', 'Dt')), where, 'BookgDt/Dt') ?? camtDate(text(at(entry, 'BookgDt', 'DtTm')), where, 'BookgDt/DtTm');
    const entryInfo = text(at(entry, 'AddtlNtryInf'));
    const entryServicerRef = text(at(entry, 'AcctSvcrRef'));
    const details = arr(at(entry, 'NtryDtls')).flatMap((d) => arr(at(d, 'TxDtls')));
    const txs = details.length ? details : [{}];
    const amounts =
      txs.length === 1
        ? [entryAmount]
        : txs.map((tx, t) => {
            const txAmount = at(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? at(tx, 'Amt');
            return rubles(txAmount, `${where}, операция № ${t + 1}`);
          });
    const total = amounts.reduce((s, a) => s + kopecks(a), 0n);
    if (total !== kopecks(entryAmount)) {
      throw refuse('totals_mismatch', `${where}: сумма операций записи ${roubles(total)} не равна сумме записи ${entryAmount}. Файл не загружен; выгрузите выписку заново.`);
    }
    txs.forEach((tx, t) => {
      const party = direction === 'debit' ? at(tx, 'RltdPties', 'Cdtr') : (at(tx, 'RltdPties', 'Dbtr') ?? at(tx, 'RltdPties', 'Cdtr'));
      const partyAccount = direction === 'debit' ? at(tx, 'RltdPties', 'CdtrAcct') : (at(tx, 'RltdPties', 'DbtrAcct') ?? at(tx, 'RltdPties', 'CdtrAcct'));
      const refs = at(tx, 'Refs');
      const endToEnd = text(at(refs, 'EndToEndId'));
      const remittance = texts(at(tx, 'RmtInf', 'Ustrd'));
      const creditorRefs = texts(arr(at(tx, 'RmtInf', 'Strd')).map((s) => at(s, 'CdtrRefInf', 'Ref')));
      const txInfo = text(at(tx, 'AddtlTxInf'));
      const reasonCode = text(at(tx, 'RtrInf', 'Rsn', 'Cd')) ?? text(at(tx, 'RtrInf', 'Rsn', 'Prtry'));
      const reasonInfo = texts(at(tx, 'RtrInf', 'AddtlInf'));
      const purpose = remittance ?? txInfo ?? entryInfo;
      const returnReason = reasonCode || reasonInfo;
      const bankReason =
        reversal || returnReason
          ? [
              reversal ? `Сторно ${direction === 'debit' ? 'ранее зачисленной суммы' : 'ранее списанной суммы'}` : null,
              reasonCode ? `${reasonCode}: ${RETURN_REASONS[reasonCode] ?? 'код причины возврата'}` : null,
              reasonInfo,
              returnReason ? txInfo : null,
            ]
              .filter(Boolean)
              .join('. ')
          : direction === 'credit'
            ? purpose
            : null;
      const counterpartyAccount = text(at(partyAccount, 'Id', 'Othr', 'Id')) ?? text(at(partyAccount, 'Id', 'IBAN'));
      lines.push({
        number: lines.length + 1,
        bankRef:
          [ntryRef, entryServicerRef, text(at(refs, 'AcctSvcrRef')), text(at(refs, 'InstrId')), endToEnd, text(at(refs, 'TxId'))].filter(Boolean).join(' / ') ||
          null,
        documentDate: null,
        direction,
        amount: amounts[t]!,
        bookedOn,
        counterpartyName: text(at(party, 'Nm')) ?? text(at(party, 'Pty', 'Nm')),
        counterpartyInn: partyInn(party) ?? partyInn(at(party, 'Pty')),
        counterpartyAccount,
        counterpartyAccounts: counterpartyAccount ? [counterpartyAccount] : [],
        purpose,
        reference: referenceIn(endToEnd, text(at(refs, 'InstrId')), text(at(refs, 'TxId')), remittance, creditorRefs, txInfo, entryInfo),
        bankReason,
        reversal,
      });
    });
  });
  const where = 'Выписка (Stmt/FrToDt)';
  return {
    format: 'camt053',
    account,
    accounts: [account],
    statementRef: text(at(stmt, 'Id')),
    dateFrom: camtDate(text(at(stmt, 'FrToDt', 'FrDtTm')), where, 'FrDtTm'),
    dateTo: camtDate(text(at(stmt, 'FrToDt', 'ToDtTm')), where, 'ToDtTm'),
    lines,
  };
}

export function parseStatement(format: StatementFormat, file: Buffer, options: ParseOptions): ParsedStatement {
  return format === '1c' ? parseOneC(file, options) : parseCamt053(file);
}

/**
 * What makes a statement the same statement whatever its bytes: the account, the period and the
 * documents as parsed (in any order), not line ends, the encoding, the creation time or the
 * sender's name. Two files with equal fingerprints are one import. Only what the bank wrote goes in
 * (not our reading of it, such as a return code's wording); `v` names this canonical form.
 */
export function statementFingerprint(statement: ParsedStatement): string {
  const documents = statement.lines
    .map((l) =>
      JSON.stringify([
        l.bankRef,
        l.documentDate,
        l.direction,
        l.amount,
        l.bookedOn,
        l.counterpartyName,
        l.counterpartyInn,
        l.counterpartyAccounts,
        l.purpose,
        l.reference,
        l.reversal,
      ]),
    )
    .sort();
  const canonical = JSON.stringify({ v: 1, format: statement.format, account: statement.account, ref: statement.statementRef, from: statement.dateFrom, to: statement.dateTo, documents });
  return createHash('sha256').update(canonical).digest('hex');
}
