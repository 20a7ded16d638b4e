import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { createNotificationsService, NOTIFICATIONS_CONSUMER, type NotificationsService } from 'notifications/src/app';
import { OneCFile } from 'settlement/test/bank-files';
import { startSettlement, toBase64, ZABOTA_ID, type SettlementHarness } from 'settlement/test/harness';

/**
 * Settlement's notices travel the whole way while the notifications service is stopped: a batch
 * formed by one finance officer asks the region's other officer to approve it; the bank statement
 * tells the provider its payout arrived and finance which lines matched nothing. Started, the
 * notifications service delivers each once, to those people only.
 */

const PERIOD = '2026-10';
const PROGRAMME = { id: '5f0c8f52-8d1e-4a3c-9d0b-73000000e001', code: 'SOC-HOME-73' };
const PAYER_ACCOUNT = '03221643730000006800';

let h: SettlementHarness;
let notifications: NotificationsService;
let url: string;

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  const queue = `notifications-inbox-${tag}`;
  h = await startSettlement('e2e_finance_notices', { QUEUE_PREFIX: `test-${tag}`, NOTIFICATIONS_QUEUE: queue, OUTBOX_RELAY_ENABLED: true });
  notifications = await createNotificationsService({
    DATABASE_URL: h.db.url,
    JWKS_URL: h.gateway.jwksUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `test-${tag}`,
    INBOX_QUEUE: queue,
    CONSUMERS_ENABLED: false,
  });
  url = (await notifications.start(0)).url;
}, 90_000);

afterAll(async () => {
  await notifications?.stop();
  await h?.stop();
});

const inboxOf = async (username: string) => (await httpClient(url, await h.gateway.signIn(username)).get('/v1/notifications')).body as { items: Array<Record<string, any>> };

test('a batch to approve, a payout paid and unmatched statement lines reach finance and the provider once each after notifications starts', async () => {
  await h.deliver({ providerId: ZABOTA_ID, programmeId: PROGRAMME.id, programmeCode: PROGRAMME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 3, unitCost: '1234.56', deliveredOn: '2026-10-05' });
  await h.consumed(1);
  const a = await h.as('finance-73-a');
  const b = await h.as('finance-73-b');
  expect((await a.call('PUT', `/v1/payout-limits/${PROGRAMME.id}/${PERIOD}`, { region_code: '73', amount: '1000000.00' })).status).toBe(200);
  const run = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
  await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${run.body.id}`)).body.status, (s) => s === 'completed');
  const batchId = (await a.post(`/v1/runs/${run.body.id}/batch`)).body.id as string;
  expect((await b.post(`/v1/batches/${batchId}/approve`)).status).toBe(202);
  await h.waitFor('batch approved', async () => (await b.get(`/v1/batches/${batchId}`)).body.status, (s) => s === 'approved');
  const [p] = (await a.get(`/v1/batches/${batchId}/payouts`)).body.items;
  const file = OneCFile.read('onec/donkombank-kl_to_1c.orig.txt')
    .replace('40702810400000004583', PAYER_ACCOUNT)
    .set('302', {
      'Сумма': p.amount,
      'ПолучательСчет': p.bank_account,
      'ПолучательРасчСчет': p.bank_account,
      'ПолучательИНН': p.inn,
      'Получатель': `ИНН ${p.inn} ${p.provider_name}`,
      'Получатель1': p.provider_name,
      'ПолучательБИК': p.bank_bic,
      'ПолучательКПП': p.kpp ?? '',
      'Код': p.reference,
      'НазначениеПлатежа': `Компенсация поставщику социальных услуг за ${PERIOD} ${p.reference}`,
    })
    .retotal(PAYER_ACCOUNT);
  const statement = await a.post('/v1/statements', { format: '1c', content_base64: toBase64(file.bytes()) });
  expect(statement.status).toBe(201);
  const unmatched = statement.body.lines.filter((l: { outcome: string }) => l.outcome === 'discrepancy').length;
  expect(unmatched).toBeGreaterThan(0);
  expect((await inboxOf('finance-73-b')).items).toEqual([]);

  notifications.startConsumer();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows: Array<{ n: number }> = await notifications.orm.em.fork().execute(`select count(*)::int as n from notifications.processed_events where consumer = ?`, [NOTIFICATIONS_CONSUMER]);
    if (rows[0]!.n >= 3) break;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of 3 events handled`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));

  const second = (await inboxOf('finance-73-b')).items;
  expect(second.map((n) => n.kind).sort()).toEqual(['batch_awaiting_approval', 'statement_lines_unmatched']);
  expect(second.find((n) => n.kind === 'batch_awaiting_approval')!.subject).toEqual({ type: 'batch', id: batchId });
  expect(second.find((n) => n.kind === 'statement_lines_unmatched')!.title).toMatch(new RegExp(`^В выписке банка ${unmatched} строк[аи]? без сопоставления$`));
  // The officer who formed the batch is not asked to approve it; the unmatched lines are hers to resolve too.
  expect((await inboxOf('finance-73-a')).items.map((n) => n.kind)).toEqual(['statement_lines_unmatched']);
  const provider = (await inboxOf('zabota-admin')).items;
  expect(provider.map((n) => n.kind)).toEqual(['payout_paid']);
  expect(provider[0]!.title).toBe('Выплата за октябрь 2026 зачислена');
  expect(provider[0]!.body).toContain(`на счёт ${p.bank_account}`);
  expect((await inboxOf('rehab-admin')).items).toEqual([]);
  expect((await inboxOf('citizen-ivanova')).items).toEqual([]);
});
