import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { startRegistry, type RegistryHarness } from 'registry/test/harness';
import { zabotaRegistration } from 'registry/test/fixtures';
import { createNotificationsService, NOTIFICATIONS_CONSUMER, type NotificationsService } from '../src/app';

/**
 * The committee's decisions travel the whole way: registry writes them to its outbox in the
 * decision's transaction, its relay routes them to the notifications queue, and the notifications
 * service — stopped while the committee decides — tells the provider's people each once when it starts.
 */

const hour = 3600_000;
let registry: RegistryHarness;
let notifications: NotificationsService;
let url: string;

function roundBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Отбор исполнителей услуг по социальному сертификату, Ульяновск, 2027',
    region_code: '73',
    territory: ['73701000', '73705000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 24 * hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [
      { code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: 10, source: 'auto' },
      { code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' },
    ],
    threshold: '40',
    sonko_preference_points: '5',
    ...overrides,
  };
}

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  const queue = `notifications-inbox-${tag}`;
  registry = await startRegistry('notifications_from_registry', { OUTBOX_RELAY_ENABLED: true, NOTIFICATIONS_QUEUE: queue, QUEUE_PREFIX: `test-${tag}` });
  notifications = await createNotificationsService({
    DATABASE_URL: registry.service.config.DATABASE_URL,
    JWKS_URL: `${registry.gatewayUrl}/.well-known/jwks.json`,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `test-${tag}`,
    INBOX_QUEUE: queue,
    CONSUMERS_ENABLED: false,
  });
  url = (await notifications.start(0)).url;
  const registered = await (await registry.as('zabota-admin')).post('/v1/providers', zabotaRegistration());
  if (registered.status !== 201) throw new Error(JSON.stringify(registered.body));
}, 90_000);

afterAll(async () => {
  await notifications?.stop();
  await registry?.stop();
});

const inboxOf = async (username: string) => (await httpClient(url, await registry.token(username)).get('/v1/notifications')).body as { items: Array<Record<string, any>> };

test('decisions taken while notifications is stopped reach the provider’s people once it starts: admitted, refused with the appeal deadline, the appeal decided', async () => {
  const committee = await registry.as('committee-73');
  const zabota = await registry.as('zabota-admin');
  const first = (await committee.post('/v1/rounds', roundBody())).body;
  const admittedApp = (await zabota.post(`/v1/rounds/${first.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] })).body;
  expect((await committee.post(`/v1/rounds/${first.id}/applications/${admittedApp.id}/decision`, { scores: { qualified_staff: 6 } })).body.status).toBe('admitted');

  const second = (await committee.post('/v1/rounds', roundBody({ title: 'Дополнительный отбор', service_codes: ['HOME-PSYCH-VISIT'] }))).body;
  const refusedApp = (await zabota.post(`/v1/rounds/${second.id}/applications`, { service_codes: ['HOME-PSYCH-VISIT'] })).body;
  const refused = await committee.post(`/v1/rounds/${second.id}/applications/${refusedApp.id}/decision`, { scores: { qualified_staff: 0 } });
  expect(refused.body.status).toBe('refused');
  expect((await zabota.post(`/v1/rounds/${second.id}/applications/${refusedApp.id}/appeal`, { reason: 'Доля квалифицированного персонала подтверждена дипломами' })).status).toBe(200);
  const appeal = await committee.post(`/v1/rounds/${second.id}/applications/${refusedApp.id}/appeal/decision`, { reason: 'Дипломы представлены', scores: { qualified_staff: 8 } });
  expect(appeal.body.status).toBe('admitted');
  // Nothing yet: the notifications service is not consuming, the events wait in the queue.
  expect((await inboxOf('zabota-staff')).items).toEqual([]);

  notifications.startConsumer();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows: Array<{ n: number }> = await notifications.orm.em.fork().execute(`select count(*)::int as n from notifications.processed_events where consumer = ?`, [NOTIFICATIONS_CONSUMER]);
    if (rows[0]!.n >= 3) break;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of 3 decisions handled`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));

  const items = (await inboxOf('zabota-staff')).items;
  expect(items.map((n) => n.kind).sort()).toEqual(['round_appeal_decided', 'round_application_decided', 'round_application_decided']);
  const byApp = (id: string, kind: string) => items.filter((n) => n.subject.id === id && n.kind === kind);
  expect(byApp(admittedApp.id, 'round_application_decided')).toHaveLength(1);
  expect(byApp(admittedApp.id, 'round_application_decided')[0]!.title).toBe(`Заявка допущена: отбор «${first.title}»`);
  const [refusal] = byApp(refusedApp.id, 'round_application_decided');
  expect(refusal!.title).toBe('Заявка не прошла отбор «Дополнительный отбор»');
  expect(refusal!.action_due_at).toBe(new Date(refused.body.decision.refusal.appeal_deadline).toISOString());
  expect(refusal!.body).toMatch(/Срок апелляции — до \d\d\.\d\d\.\d{4}, \d\d:\d\d \(МСК\+1\)/);
  expect(byApp(refusedApp.id, 'round_appeal_decided')[0]!.body).toContain('Причина: Дипломы представлены.');
  expect((await inboxOf('rehab-admin')).items).toEqual([]);
  expect((await inboxOf('citizen-ivanova')).items).toEqual([]);
});
