import { Client } from 'pg';
import { DEMO_BUDGET_PROGRAMME_ID } from '../../infra/dev/seed-certificates';
import { OneCFile } from '../../services/settlement/test/bank-files';
import { todayInRegion, ZABOTA_ID } from './provider-side';
import type { WebStack } from './stack';

export { DEMO_BUDGET_PROGRAMME_ID };

export async function api(stack: WebStack, base: string, username: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await stack.tokenFor(username)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => null)) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Services delivered and confirmed, as they happen in the marketplace: «Забота» records acts on
 * Ivanova's accepted booking (the demo data's), she confirms each, and the certificates service's
 * outbox carries redemption.posted to settlement. Resolves once settlement has taken them all in.
 */
export async function deliverAndConfirm(stack: WebStack, units: number[]): Promise<Array<{ id: string; amount: string }>> {
  const bookings = await api(stack, stack.certificatesUrl, 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/bookings?status=accepted`);
  const booking = bookings.items.find((b: any) => b.service_code === 'HOME-HOUSEHOLD-HOUR');
  if (!booking) throw new Error(`no accepted booking: ${JSON.stringify(bookings.items)}`);
  const acts: Array<{ id: string; amount: string }> = [];
  for (const n of units) {
    const act = await api(stack, stack.certificatesUrl, 'zabota-admin', 'POST', `/v1/bookings/${booking.id}/deliveries`, {
      delivered_on: todayInRegion(),
      units: n,
      staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
    });
    await api(stack, stack.certificatesUrl, 'citizen-ivanova', 'POST', `/v1/deliveries/${act.id}/confirm`, {});
    acts.push({ id: act.id, amount: act.amount });
  }
  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    for (let i = 0; ; i++) {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from settlement.redemptions');
      if (rows[0]!.n >= acts.length) break;
      if (i > 150) throw new Error(`settlement took in ${rows[0]!.n} of ${acts.length} redemptions`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await db.end();
  }
  return acts;
}

/** The settlement API as a demo user, for setting up what the journey does not show. */
export async function asSettlement(stack: WebStack, username: string) {
  return (method: string, path: string, body?: unknown) => api(stack, stack.settlementUrl, username, method, path, body);
}

interface PayoutLike {
  reference: string;
  amount: string;
  inn: string;
  kpp: string | null;
  provider_name: string;
  bank_account: string;
  bank_bic: string;
}

const PAYER = { account: '03221643730000006800', inn: '7325000052', name: 'Министерство социального развития Ульяновской области' };
const DONKOMBANK = { file: 'onec/donkombank-kl_to_1c.orig.txt', account: '40702810400000004583' };

/**
 * A real bank's 1C statement (the Донкомбанк file of shared/bank-formats) cut to its documents on our
 * payer account: one pays `paid` as exported, one brings `returned` (when given) back with the bank's
 * reason, and the bank's own commission order stays, matching nothing.
 */
export function statementWith(paid: PayoutLike, returned: PayoutLike | null, reason = ''): Buffer {
  const file = OneCFile.read(DONKOMBANK.file).replace(DONKOMBANK.account, PAYER.account);
  const keep = returned ? ['1084052', '300', '299'] : ['1084052', '300'];
  const documents = file.documents();
  for (const [first, last] of [...documents].reverse()) {
    if (!keep.some((n) => file.lines.slice(first, last).includes(`Номер=${n}`))) file.lines.splice(first, last - first + 1);
  }
  file
    .set('300', {
      'Сумма': paid.amount,
      'ПолучательСчет': paid.bank_account,
      'ПолучательРасчСчет': paid.bank_account,
      'ПолучательИНН': paid.inn,
      'Получатель': `ИНН ${paid.inn} ${paid.provider_name}`,
      'Получатель1': paid.provider_name,
      'ПолучательБИК': paid.bank_bic,
      'ПолучательКПП': paid.kpp ?? '',
      'Код': paid.reference,
      'НазначениеПлатежа': `Компенсация поставщику социальных услуг ${paid.reference}`,
    });
  if (returned) {
    file.set('299', {
      'Сумма': returned.amount,
      'ПлательщикСчет': returned.bank_account,
      'ПлательщикРасчСчет': returned.bank_account,
      'ПлательщикИНН': returned.inn,
      'Плательщик': `ИНН ${returned.inn} ${returned.provider_name}`,
      'Плательщик1': returned.provider_name,
      'ПлательщикБИК': returned.bank_bic,
      'ПлательщикКПП': returned.kpp ?? '',
      'ПолучательСчет': PAYER.account,
      'ПолучательРасчСчет': PAYER.account,
      'ПолучательИНН': PAYER.inn,
      'Получатель': `ИНН ${PAYER.inn} ${PAYER.name}`,
      'Получатель1': PAYER.name,
      'Код': returned.reference,
      'НазначениеПлатежа': `${reason} ${returned.reference}`,
    });
  }
  file.retotal(PAYER.account);
  return file.bytes();
}

/** A completed run of the region's current period with «Забота»'s confirmed services in it, made through the APIs unless the journey made one. */
export async function ensureSettledPeriod(stack: WebStack): Promise<string> {
  const call = await asSettlement(stack, 'finance-73-a');
  const period = todayInRegion().slice(0, 7);
  const existing = (await call('GET', '/v1/runs?region_code=73')).items.find((r: any) => r.period === period);
  if (existing) return period;
  await deliverAndConfirm(stack, [2]);
  await call('PUT', `/v1/payout-limits/${DEMO_BUDGET_PROGRAMME_ID}/${period}`, { region_code: '73', amount: '100000.00' });
  const run = await call('POST', '/v1/runs', { region_code: '73', period });
  for (let i = 0; (await call('GET', `/v1/runs/${run.id}`)).status !== 'completed'; i++) {
    if (i > 100) throw new Error('the run did not complete');
    await new Promise((r) => setTimeout(r, 200));
  }
  return period;
}
