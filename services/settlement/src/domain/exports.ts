import iconv from 'iconv-lite';
import type { Payer } from '../config';
import type { BatchRow, PayoutRow } from '../data-access/batch-store';

export type ExportFormat = '1c' | 'pain001' | 'csv';

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

const ddmmyyyy = (d: Date) =>
  `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export function paymentPurpose(batch: BatchRow, p: PayoutRow): string {
  return oneLine(
    `Компенсация поставщику социальных услуг за ${batch.period} (442-ФЗ ст. 30 ч. 8) по социальным сертификатам. ${p.reference}. Без налога (НДС)`,
  );
}

/** 1CClientBankExchange 1.03, windows-1251, CRLF: one «Платежное поручение» per payout. */
export function toOneC(batch: BatchRow, payouts: PayoutRow[], payer: Payer, now: Date): ExportFile {
  const date = ddmmyyyy(now);
  const lines: string[] = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'Отправитель=ЕСС Маркетплейс социальных сертификатов',
    'Получатель=',
    `ДатаСоздания=${date}`,
    `ВремяСоздания=${now.toISOString().slice(11, 19)}`,
    `ДатаНачала=${date}`,
    `ДатаКонца=${date}`,
    `РасчСчет=${payer.account}`,
    'Документ=Платежное поручение',
  ];
  for (const p of payouts) {
    lines.push(
      'СекцияДокумент=Платежное поручение',
      `Номер=${p.number}`,
      `Дата=${date}`,
      `Сумма=${p.amount}`,
      `ПлательщикСчет=${payer.account}`,
      `Плательщик=ИНН ${payer.inn} ${payer.name}`,
      `ПлательщикИНН=${payer.inn}`,
      `ПлательщикКПП=${payer.kpp}`,
      `Плательщик1=${payer.name}`,
      `ПлательщикРасчСчет=${payer.account}`,
      `ПлательщикБанк1=${payer.bankName}`,
      `ПлательщикБИК=${payer.bic}`,
      `ПлательщикКорсчет=${payer.correspondentAccount}`,
      `ПолучательСчет=${p.bank_account}`,
      `Получатель=ИНН ${p.inn} ${oneLine(p.provider_name)}`,
      `ПолучательИНН=${p.inn}`,
      `ПолучательКПП=${p.kpp ?? ''}`,
      `Получатель1=${oneLine(p.provider_name)}`,
      `ПолучательРасчСчет=${p.bank_account}`,
      `ПолучательБанк1=${oneLine(p.bank_name)}`,
      `ПолучательБИК=${p.bank_bic}`,
      `ПолучательКорсчет=${p.bank_correspondent_account ?? ''}`,
      'ВидОплаты=01',
      'Очередность=5',
      `Код=${p.reference}`,
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

/** ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiation); EndToEndId carries the payout reference. */
export function toPain001(batch: BatchRow, payouts: PayoutRow[], payer: Payer, now: Date): ExportFile {
  const control = payouts.reduce((sum, p) => sum + BigInt(p.amount.replace('.', '')), 0n);
  const ctrlSum = `${control / 100n}.${String(control % 100n).padStart(2, '0')}`;
  const msgId = `ESC-${batch.id.replace(/-/g, '').slice(0, 30)}`;
  const tx = payouts
    .map(
      (p) => `      <CdtTrfTxInf>
        <PmtId><InstrId>${p.number}</InstrId><EndToEndId>${p.reference}</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="RUB">${p.amount}</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>RUCBC</Cd></ClrSysId><MmbId>${p.bank_bic}</MmbId></ClrSysMmbId><Nm>${xml(p.bank_name)}</Nm></FinInstnId></CdtrAgt>
        <Cdtr><Nm>${xml(p.provider_name)}</Nm><Id><OrgId><Othr><Id>${p.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr>${
          p.kpp ? `<Othr><Id>${p.kpp}</Id><SchmeNm><Prtry>KPP</Prtry></SchmeNm></Othr>` : ''
        }</OrgId></Id></Cdtr>
        <CdtrAcct><Id><Othr><Id>${p.bank_account}</Id></Othr></Id><Ccy>RUB</Ccy></CdtrAcct>
        <RmtInf><Ustrd>${xml(paymentPurpose(batch, p).slice(0, 140))}</Ustrd></RmtInf>
      </CdtTrfTxInf>`,
    )
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${now.toISOString().slice(0, 19)}</CreDtTm>
      <NbOfTxs>${payouts.length}</NbOfTxs>
      <CtrlSum>${ctrlSum}</CtrlSum>
      <InitgPty><Nm>${xml(payer.name)}</Nm><Id><OrgId><Othr><Id>${payer.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr></OrgId></Id></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>${msgId}</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <NbOfTxs>${payouts.length}</NbOfTxs>
      <CtrlSum>${ctrlSum}</CtrlSum>
      <ReqdExctnDt><Dt>${isoDate(now)}</Dt></ReqdExctnDt>
      <Dbtr><Nm>${xml(payer.name)}</Nm><Id><OrgId><Othr><Id>${payer.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr><Othr><Id>${payer.kpp}</Id><SchmeNm><Prtry>KPP</Prtry></SchmeNm></Othr></OrgId></Id></Dbtr>
      <DbtrAcct><Id><Othr><Id>${payer.account}</Id></Othr></Id><Ccy>RUB</Ccy></DbtrAcct>
      <DbtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>RUCBC</Cd></ClrSysId><MmbId>${payer.bic}</MmbId></ClrSysMmbId><Nm>${xml(payer.bankName)}</Nm></FinInstnId></DbtrAgt>
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

export function toPayoutCsv(batch: BatchRow, payouts: PayoutRow[]): ExportFile {
  return {
    fileName: `payouts-${batch.region_code}-${batch.period}-${batch.id.slice(0, 8)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: toCsv(
      PAYOUT_CSV_HEADER,
      payouts.map((p) => [
        p.number, p.reference, p.provider_name, p.inn, p.kpp, p.bank_bic, p.bank_name, p.bank_account, p.bank_correspondent_account,
        rub(p.earned), rub(p.withheld), rub(p.amount), paymentPurpose(batch, p),
      ]),
    ),
  };
}
