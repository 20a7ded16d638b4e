import { bankFile } from './bank-files';
import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';

export { bankFile };

let pain001Xsd: string | undefined;

/** Validates a pain.001 document against the official ISO schema pain.001.001.09.xsd (libxml2 in WebAssembly). */
export async function pain001SchemaErrors(xml: Buffer | string): Promise<string[]> {
  pain001Xsd ??= bankFile('xsd', 'pain.001.001.09.xsd').toString('utf8');
  const result = await validateXML({
    xml: [{ fileName: 'payouts.xml', contents: typeof xml === 'string' ? xml : xml.toString('utf8') }],
    schema: [{ fileName: 'pain.001.001.09.xsd', contents: pain001Xsd }],
    maxMemoryPages: 4096,
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

export interface Pain001Tx {
  instrId: string;
  endToEndId: string;
  amount: string;
  currency: string;
  name: string;
  inn: string;
  kpp: string | undefined;
  account: string;
  bic: string;
  bankName: string;
  ustrd: string[];
  additional: string[];
}

/** A pain.001 parsed back the way a bank reads it: header counts and sums, and every transaction. */
export function parsePain001(xml: Buffer | string) {
  const doc = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['CdtTrfTxInf', 'Othr', 'Ustrd', 'AddtlRmtInf', 'PmtInf'].includes(name),
  }).parse(typeof xml === 'string' ? xml : xml.toString('utf8'));
  const root = doc.Document.CstmrCdtTrfInitn;
  const pmtInf = root.PmtInf[0];
  const txs: Pain001Tx[] = (pmtInf.CdtTrfTxInf ?? []).map((t: any) => ({
    instrId: t.PmtId.InstrId,
    endToEndId: t.PmtId.EndToEndId,
    amount: t.Amt.InstdAmt['#text'],
    currency: t.Amt.InstdAmt['@_Ccy'],
    name: t.Cdtr.Nm,
    inn: t.Cdtr.Id.OrgId.Othr.find((o: any) => o.SchmeNm.Prtry === 'INN')?.Id,
    kpp: t.Cdtr.Id.OrgId.Othr.find((o: any) => o.SchmeNm.Prtry === 'KPP')?.Id,
    account: t.CdtrAcct.Id.Othr[0].Id,
    bic: t.CdtrAgt.FinInstnId.ClrSysMmbId.MmbId,
    bankName: t.CdtrAgt.FinInstnId.Nm,
    ustrd: t.RmtInf?.Ustrd ?? [],
    additional: t.RmtInf?.Strd?.AddtlRmtInf ?? [],
  }));
  return {
    namespace: doc.Document['@_xmlns'] as string,
    msgId: root.GrpHdr.MsgId as string,
    creDtTm: root.GrpHdr.CreDtTm as string,
    nbOfTxs: root.GrpHdr.NbOfTxs as string,
    ctrlSum: root.GrpHdr.CtrlSum as string,
    paymentInfos: root.PmtInf.length as number,
    pmtNbOfTxs: pmtInf.NbOfTxs as string,
    pmtCtrlSum: pmtInf.CtrlSum as string,
    reqdExctnDt: pmtInf.ReqdExctnDt.Dt as string,
    debtorAccount: pmtInf.DbtrAcct.Id.Othr[0].Id as string,
    txs,
  };
}

/** A 1CClientBankExchange file parsed into its header and documents, the way an accounting program reads it. */
export function parseOneC(buffer: Buffer) {
  const text = iconv.decode(buffer, 'win1251');
  const lines = text.split('\r\n');
  const docs: Array<Record<string, string>> = [];
  const header: Record<string, string> = {};
  let doc: Record<string, string> | undefined;
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [key, ...rest] = line.split('=');
    const value = rest.join('=');
    if (key === 'СекцияДокумент') doc = { 'СекцияДокумент': value };
    else if (key === 'КонецДокумента') {
      docs.push(doc!);
      doc = undefined;
    } else if (doc) doc[key!] = value;
    else header[key!] = value;
  }
  return { first: lines[0], last: lines.filter(Boolean).at(-1), header, docs, text };
}

/** Kopecks of a `12.34` amount, for sums that must tie out exactly. */
export const kopecks = (amount: string) => {
  const [rub = '0', kop = ''] = amount.split('.');
  return BigInt(rub) * 100n + BigInt(kop.padEnd(2, '0'));
};
export const roubles = (k: bigint) => `${k / 100n}.${String(k % 100n).padStart(2, '0')}`;
