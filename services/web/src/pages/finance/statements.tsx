import type { SettlementSchemas } from '../../api/client';
import type { Tone } from './finance';

export type StatementLine = SettlementSchemas['StatementLine'];

export const OUTCOME: Record<StatementLine['outcome'], { text: string; tone: Tone }> = {
  paid: { text: 'Исполнено банком', tone: 'success' },
  returned: { text: 'Возвращено банком', tone: 'danger' },
  discrepancy: { text: 'Расхождение', tone: 'warning' },
};

export const RESOLUTION: Record<NonNullable<StatementLine['resolution']>, string> = {
  matched: 'Разобрано: сопоставлено с выплатой',
  dismissed: 'Разобрано: не выплата реестра',
};

export const MATCH: Record<NonNullable<StatementLine['match_method']>, string> = {
  reference: 'по ссылке платежа',
  inn_amount: 'по ИНН и сумме',
  manual: 'вручную',
};

export const FORMAT: Record<SettlementSchemas['Statement']['format'], string> = { '1c': '1С (1CClientBankExchange)', camt053: 'ISO 20022 camt.053' };

/** The file as base64 for the JSON body, read in chunks so a large statement does not overflow the call stack. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
