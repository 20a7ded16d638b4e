import iconv from 'iconv-lite';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '@esc/service-kit';

export type StatementFormat = '1c' | 'camt053';

export interface ParsedLine {
  number: number;
  direction: 'debit' | 'credit';
  amount: string;
  bookedOn: string | null;
  counterpartyName: string | null;
  counterpartyInn: string | null;
  counterpartyAccount: string | null;
  purpose: string | null;
  reference: string | null;
  bankReason: string | null;
}

export interface ParsedStatement {
  format: StatementFormat;
  account: string;
  statementRef: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  lines: ParsedLine[];
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

const ruDate = (s: string | undefined): string | null => {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec((s ?? '').trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
};

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

/** 1CClientBankExchange (ВерсияФормата 1.02/1.03), Кодировка=Windows (1251) or DOS (866). */
export function parseOneC(file: Buffer): ParsedStatement {
  const withoutBom = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? file.subarray(3) : file;
  if (!withoutBom.subarray(0, 20).toString('latin1').startsWith('1CClientBankExchange')) {
    throw refuse('not_1c_statement', 'Файл не начинается со строки 1CClientBankExchange: это не выписка в формате обмена с «1С». Выгрузите выписку в формате 1С из системы «Банк-клиент».');
  }
  const header = withoutBom.subarray(0, 400).toString('latin1');
  const declared = /Кодировка=(\S+)/.exec(iconv.decode(withoutBom.subarray(0, 400), 'win1251'))?.[1] ?? (header.includes('Windows') ? 'Windows' : undefined);
  const hasHighBytes = withoutBom.some((b) => b >= 0x80);
  const validUtf8 = hasHighBytes && Buffer.from(withoutBom.toString('utf8'), 'utf8').equals(withoutBom);
  if (declared === 'Windows' && validUtf8) {
    throw refuse('wrong_encoding', 'Файл сохранён в кодировке UTF-8, а в заголовке указано «Кодировка=Windows» (Windows-1251). Файл не загружен: выгрузите выписку заново в кодировке Windows-1251.');
  }
  let text: string;
  if (declared === 'Windows') text = iconv.decode(withoutBom, 'win1251');
  else if (declared === 'DOS') text = iconv.decode(withoutBom, 'cp866');
  else throw refuse('wrong_encoding', `В заголовке выписки указана кодировка «${declared ?? 'не указана'}»; поддерживаются Windows и DOS. Файл не загружен.`);

  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (rows[rows.length - 1] !== 'КонецФайла') {
    throw refuse('truncated_file', 'В выписке нет завершающей строки «КонецФайла»: файл обрезан при передаче. Ни одна строка не загружена; выгрузите выписку заново.');
  }
  const head: Record<string, string> = {};
  const account: Record<string, string> = {};
  const docs: Array<Record<string, string>> = [];
  let section: 'head' | 'account' | 'doc' = 'head';
  let doc: Record<string, string> = {};
  for (const row of rows.slice(1, -1)) {
    const eq = row.indexOf('=');
    const key = eq < 0 ? row : row.slice(0, eq);
    const value = eq < 0 ? '' : row.slice(eq + 1);
    if (key === 'СекцияРасчСчет') section = 'account';
    else if (key === 'КонецРасчСчет') section = 'head';
    else if (key === 'СекцияДокумент') {
      if (section === 'doc') throw refuse('truncated_file', `Документ № ${doc['Номер'] ?? '?'} не закрыт строкой «КонецДокумента». Файл не загружен; выгрузите выписку заново.`);
      section = 'doc';
      doc = { 'СекцияДокумент': value };
    } else if (key === 'КонецДокумента') {
      if (section !== 'doc') throw refuse('malformed_statement', '«КонецДокумента» без начала документа. Файл не загружен.');
      docs.push(doc);
      section = 'head';
    } else if (section === 'doc') doc[key] = value;
    else if (section === 'account') account[key] = value;
    else head[key] = value;
  }
  if (section === 'doc') throw refuse('truncated_file', 'Последний документ выписки не закрыт строкой «КонецДокумента». Файл не загружен; выгрузите выписку заново.');
  const ourAccount = account['РасчСчет'] ?? head['РасчСчет'];
  if (!ourAccount) throw refuse('malformed_statement', 'В выписке не указан расчётный счёт (РасчСчет). Файл не загружен.');

  let debits = 0n;
  const lines = docs.map((d, i): ParsedLine => {
    const where = `Документ № ${d['Номер'] ?? i + 1}`;
    const amount = normaliseAmount(d['Сумма'] ?? '', where);
    const payerAccount = d['ПлательщикСчет'] || d['ПлательщикРасчСчет'];
    const payeeAccount = d['ПолучательСчет'] || d['ПолучательРасчСчет'];
    let direction: 'debit' | 'credit';
    if (payerAccount === ourAccount) direction = 'debit';
    else if (payeeAccount === ourAccount) direction = 'credit';
    else throw refuse('line_not_for_account', `${where}: ни плательщик, ни получатель не владеют счётом ${ourAccount} из заголовка выписки. Файл не загружен.`);
    if (direction === 'debit') debits += BigInt(amount.replace('.', ''));
    const purpose = d['НазначениеПлатежа'] ?? null;
    const reference = PAYOUT_REFERENCE.exec(`${d['Код'] ?? ''} ${purpose ?? ''}`)?.[0] ?? null;
    return {
      number: i + 1,
      direction,
      amount,
      bookedOn: ruDate(direction === 'debit' ? d['ДатаСписано'] : d['ДатаПоступило']) ?? ruDate(d['Дата']),
      counterpartyName: (direction === 'debit' ? d['Получатель1'] || d['Получатель'] : d['Плательщик1'] || d['Плательщик']) ?? null,
      counterpartyInn: (direction === 'debit' ? d['ПолучательИНН'] : d['ПлательщикИНН']) || null,
      counterpartyAccount: (direction === 'debit' ? payeeAccount : payerAccount) || null,
      purpose,
      reference,
      bankReason: direction === 'credit' ? purpose : null,
    };
  });
  const declaredDebits = account['ВсегоСписано'];
  if (declaredDebits !== undefined && declaredDebits !== '') {
    const expected = BigInt(normaliseAmount(declaredDebits, 'ВсегоСписано').replace('.', ''));
    if (expected !== debits) {
      throw refuse('totals_mismatch', `Итог «ВсегоСписано» ${declaredDebits} не равен сумме списаний документов выписки; в файле не хватает документов. Файл не загружен.`);
    }
  }
  return {
    format: '1c',
    account: ourAccount,
    statementRef: null,
    dateFrom: ruDate(account['ДатаНачала'] ?? head['ДатаНачала']),
    dateTo: ruDate(account['ДатаКонца'] ?? head['ДатаКонца']),
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
  return typeof t === 'string' ? t.trim() : null;
};
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, key) => obj(cur)[key], v);

function partyInn(party: unknown): string | null {
  for (const other of arr(at(party, 'Id', 'OrgId', 'Othr'))) {
    const scheme = text(at(other, 'SchmeNm', 'Prtry')) ?? text(at(other, 'SchmeNm', 'Cd'));
    const id = text(at(other, 'Id'));
    if (id && (!scheme || scheme === 'INN' || scheme === 'TXID')) return id;
  }
  return null;
}

/** ISO 20022 camt.053 (BankToCustomerStatement), versions 001.02–001.08. */
export function parseCamt053(file: Buffer): ParsedStatement {
  const source = file.toString('utf8');
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
  const lines: ParsedLine[] = [];
  for (const entry of arr(at(stmt, 'Ntry'))) {
    const indicator = text(at(entry, 'CdtDbtInd'));
    if (indicator !== 'DBIT' && indicator !== 'CRDT') throw refuse('malformed_statement', `Запись выписки без признака CdtDbtInd (DBIT/CRDT). Файл не загружен.`);
    const direction = indicator === 'DBIT' ? 'debit' : 'credit';
    const details = arr(at(entry, 'NtryDtls', 'TxDtls'));
    const entryAmount = text(at(entry, 'Amt'));
    const currency = obj(at(entry, 'Amt'))['@Ccy'];
    if (currency !== undefined && currency !== 'RUB') throw refuse('wrong_currency', `Запись выписки в валюте ${String(currency)}; выплаты ведутся в рублях. Файл не загружен.`);
    const txs = details.length ? details : [{}];
    for (const tx of txs) {
      const amountText = text(at(tx, 'Amt')) ?? (txs.length === 1 ? entryAmount : null);
      const where = `Запись № ${lines.length + 1}`;
      const amount = normaliseAmount(amountText ?? '', where);
      const party = direction === 'debit' ? at(tx, 'RltdPties', 'Cdtr') : (at(tx, 'RltdPties', 'Dbtr') ?? at(tx, 'RltdPties', 'Cdtr'));
      const partyAccount = direction === 'debit' ? at(tx, 'RltdPties', 'CdtrAcct') : (at(tx, 'RltdPties', 'DbtrAcct') ?? at(tx, 'RltdPties', 'CdtrAcct'));
      const purpose = arr(at(tx, 'RmtInf', 'Ustrd')).map(text).filter(Boolean).join(' ') || null;
      const endToEnd = text(at(tx, 'Refs', 'EndToEndId'));
      const reasonCode = text(at(tx, 'RtrInf', 'Rsn', 'Cd'));
      const reasonInfo = arr(at(tx, 'RtrInf', 'AddtlInf')).map(text).filter(Boolean).join(' ');
      const reference = PAYOUT_REFERENCE.exec(`${endToEnd ?? ''} ${purpose ?? ''}`)?.[0] ?? null;
      lines.push({
        number: lines.length + 1,
        direction,
        amount,
        bookedOn: text(at(entry, 'BookgDt', 'Dt')) ?? text(at(entry, 'BookgDt', 'DtTm'))?.slice(0, 10) ?? null,
        counterpartyName: text(at(party, 'Nm')) ?? text(at(party, 'Pty', 'Nm')),
        counterpartyInn: partyInn(party) ?? partyInn(at(party, 'Pty')),
        counterpartyAccount: text(at(partyAccount, 'Id', 'Othr', 'Id')) ?? text(at(partyAccount, 'Id', 'IBAN')),
        purpose,
        reference,
        bankReason:
          reasonCode || reasonInfo
            ? [reasonCode ? `${reasonCode}: ${RETURN_REASONS[reasonCode] ?? 'код причины возврата'}` : null, reasonInfo || null].filter(Boolean).join('. ')
            : direction === 'credit'
              ? purpose
              : null,
      });
    }
  }
  return {
    format: 'camt053',
    account,
    statementRef: text(at(stmt, 'Id')),
    dateFrom: text(at(stmt, 'FrToDt', 'FrDtTm'))?.slice(0, 10) ?? null,
    dateTo: text(at(stmt, 'FrToDt', 'ToDtTm'))?.slice(0, 10) ?? null,
    lines,
  };
}

export function parseStatement(format: StatementFormat, file: Buffer): ParsedStatement {
  return format === '1c' ? parseOneC(file) : parseCamt053(file);
}
