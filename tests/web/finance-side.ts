import { Client } from 'pg';
import { DEMO_BUDGET_PROGRAMME_ID } from '../../infra/dev/seed-certificates';
import { todayInRegion, ZABOTA_ID } from './provider-side';
import type { WebStack } from './stack';

export { DEMO_BUDGET_PROGRAMME_ID };

async function api(stack: WebStack, base: string, username: string, method: string, path: string, body?: unknown): Promise<any> {
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
