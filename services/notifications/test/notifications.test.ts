import { randomUUID } from 'node:crypto';
import { sqlOf } from '@esc/service-kit';
import { actRecorded as act, IVANOVA, SMIRNOV, startNotifications, ZABOTA, type NotificationsHarness } from './harness';


let h: NotificationsHarness;

beforeAll(async () => {
  h = await startNotifications('notifications');
});
afterAll(async () => {
  await h?.stop();
});

async function inboxOf(username: string) {
  const res = await (await h.as(username)).get('/v1/notifications');
  expect(res.status).toBe(200);
  return res.body as { items: Array<Record<string, any>>; unread: number };
}

async function untilHandled(count: number) {
  await h.waitFor(`${count} events handled`, () => h.handled(), (n) => n >= count);
}

describe('notices from events', () => {
  test('an act recorded tells the citizen to confirm or dispute it by the date, in Russian', async () => {
    const before = await h.handled();
    const payload = act(IVANOVA);
    await h.publish('act.recorded', payload);
    await untilHandled(before + 1);
    const inbox = await inboxOf('citizen-ivanova');
    const notice = inbox.items.find((n) => n.subject?.id === payload.delivery_id)!;
    expect(notice).toMatchObject({ kind: 'act_recorded', title: 'Подтвердите оказанную услугу', action_due_at: '2026-12-10T09:30:00.000Z', read_at: null });
    expect(notice.subject).toEqual({ type: 'delivery', id: payload.delivery_id });
    // The deadline in the region's own time (Ulyanovsk, UTC+4), with what happens if nothing is done.
    expect(notice.body).toContain('до 10.12.2026, 13:30 (МСК+1)');
    expect(notice.body).toContain('Подтвердите или оспорьте');
    expect(notice.body).toContain('«Социально-бытовые услуги на дому» (3 ед.) 04.12.2026');
  });

  test('a booking accepted, a booking declined with its reason, a certificate issued reach the citizen; a new booking reaches the provider’s people', async () => {
    const before = await h.handled();
    const bookingId = randomUUID();
    const common = { booking_id: bookingId, recipient_snils: SMIRNOV, region_code: '73', provider_name: 'АНО «Забота»', service_name: 'Социальное такси' };
    await h.publish('booking.created', { booking_id: bookingId, provider_id: ZABOTA, region_code: '73', certificate_number: '73-2026-000018', service_name: 'Социальное такси', units: 2 });
    await h.publish('booking.accepted', common);
    await h.publish('booking.declined', { ...common, booking_id: randomUUID(), reason: 'нет свободных специалистов в вашем районе' });
    await h.publish('certificate.issued', { certificate_id: randomUUID(), certificate_number: '73-2026-000018', recipient_snils: SMIRNOV, region_code: '73', valid_until: '2027-12-31' });
    await untilHandled(before + 4);

    const smirnov = await inboxOf('citizen-smirnov');
    expect(smirnov.items.map((n) => n.kind)).toEqual(['certificate_issued', 'booking_declined', 'booking_accepted']);
    expect(smirnov.unread).toBe(3);
    expect(smirnov.items[1]!.body).toContain('Причина: нет свободных специалистов в вашем районе.');
    expect(smirnov.items[1]!.body).toContain('выберите другого поставщика');
    expect(smirnov.items[0]!.body).toContain('действует до 31.12.2027');

    for (const person of ['zabota-admin', 'zabota-staff']) {
      const provider = await inboxOf(person);
      expect(provider.items).toHaveLength(1);
      expect(provider.items[0]).toMatchObject({ kind: 'booking_created', title: 'Новая запись на услугу', subject: { type: 'booking', id: bookingId } });
      expect(provider.items[0]!.body).toContain('Примите запись или откажите');
    }
    expect((await inboxOf('rehab-admin')).items).toHaveLength(0);
  });
});

describe('the inbox is the caller’s own', () => {
  test('a citizen never sees another citizen’s notice, and cannot read or mark it', async () => {
    const before = await h.handled();
    const theirs = act(SMIRNOV, { service_name: 'Уход за лежачим больным' });
    await h.publish('act.recorded', theirs);
    await untilHandled(before + 1);

    const ivanova = await inboxOf('citizen-ivanova');
    expect(ivanova.items.some((n) => n.subject?.id === theirs.delivery_id)).toBe(false);
    expect(JSON.stringify(ivanova)).not.toContain('Уход за лежачим больным');
    const smirnovNotice = (await inboxOf('citizen-smirnov')).items.find((n) => n.subject?.id === theirs.delivery_id)!;
    const refused = await (await h.as('citizen-ivanova')).post(`/v1/notifications/${smirnovNotice.id}/read`);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('notification_not_found');
    expect((await inboxOf('citizen-smirnov')).items.find((n) => n.id === smirnovNotice.id)!.read_at).toBeNull();
    // The provider's people do not read the citizen's notices either, nor do other roles.
    expect((await inboxOf('zabota-admin')).items.every((n) => n.kind === 'booking_created')).toBe(true);
    expect((await inboxOf('caseworker-73')).items).toEqual([]);
  });

  test('marking read lowers the unread count once; repeating it keeps the first read time', async () => {
    const client = await h.as('citizen-smirnov');
    const before = await inboxOf('citizen-smirnov');
    const target = before.items.find((n) => n.read_at === null)!;
    const first = await client.post(`/v1/notifications/${target.id}/read`);
    expect(first.status).toBe(200);
    expect(first.body.read_at).toEqual(expect.any(String));
    const again = await client.post(`/v1/notifications/${target.id}/read`);
    expect(again.body.read_at).toBe(first.body.read_at);
    expect((await inboxOf('citizen-smirnov')).unread).toBe(before.unread - 1);
  });

  test('newest first, paged by `before`; bad input is a problem, a service token is refused', async () => {
    const client = await h.as('citizen-smirnov');
    const all = (await client.get('/v1/notifications')).body.items as Array<{ created_at: string; id: string }>;
    const sorted = [...all].sort((a, b) => b.created_at.localeCompare(a.created_at));
    expect(all.map((n) => n.id)).toEqual(sorted.map((n) => n.id));
    const page1 = await client.get('/v1/notifications?limit=2');
    expect(page1.body.items).toHaveLength(2);
    const page2 = await client.get(`/v1/notifications?limit=2&before=${encodeURIComponent(page1.body.items[1].created_at)}`);
    expect(page2.body.items[0].id).toBe(all[2]!.id);

    expect((await client.get('/v1/notifications?limit=0')).body.code).toBe('validation_failed');
    expect((await client.post('/v1/notifications/not-a-uuid/read')).status).toBe(400);
    expect((await client.post(`/v1/notifications/${randomUUID()}/read`)).status).toBe(404);
    const service = await h.gateway.serviceToken('certificates');
    const { httpClient } = await import('@esc/testing');
    expect((await httpClient(h.url, service).get('/v1/notifications')).status).toBe(403);
    expect((await httpClient(h.url).get('/v1/notifications')).status).toBe(401);
  });
});

describe('delivery', () => {
  test('a redelivered event adds no second notice (one per event, person and channel)', async () => {
    const eventId = randomUUID();
    const payload = act(IVANOVA);
    const before = await h.handled();
    await h.publish('act.recorded', payload, eventId);
    await untilHandled(before + 1);
    // The same event id published again, and the same notice row offered again under the unique key.
    await h.publish('act.recorded', payload, eventId);
    await sqlOf(h.service.orm.em.fork()).run(`delete from notifications.processed_events where event_id = $1`, [eventId]);
    const { NOTICE_HANDLERS } = await import('../src/domain/deliver');
    await NOTICE_HANDLERS['act.recorded']({ id: eventId, topic: 'act.recorded', occurred_at: new Date().toISOString(), payload }, h.service.orm.em.fork());
    const rows = await sqlOf(h.service.orm.em.fork()).rows(`select id from notifications.notifications where event_id = $1`, [eventId]);
    expect(rows).toHaveLength(1);
  });

  test('events published while the service is stopped wait in the queue and are each delivered once after it starts', async () => {
    const before = await h.handled();
    await h.stopService();
    const payloads = Array.from({ length: 5 }, () => act(IVANOVA));
    for (const p of payloads) await h.publish('act.recorded', p);
    await h.startService();
    await untilHandled(before + 5);
    const inbox = await inboxOf('citizen-ivanova');
    for (const p of payloads) expect(inbox.items.filter((n) => n.subject?.id === p.delivery_id)).toHaveLength(1);
  });

  test('an event that lacks what its notice needs fails (kept in the queue for an admin), and delivers nothing', async () => {
    const before = await h.handled();
    const eventId = await h.publish('act.recorded', { delivery_id: randomUUID() });
    await h.publish('certificate.issued', { certificate_id: randomUUID(), certificate_number: '73-1', recipient_snils: IVANOVA, region_code: '73', valid_until: '2027-01-31' });
    await untilHandled(before + 1);
    const rows = await sqlOf(h.service.orm.em.fork()).rows(`select 1 from notifications.processed_events where event_id = $1`, [eventId]);
    expect(rows).toHaveLength(0);
  });
});
