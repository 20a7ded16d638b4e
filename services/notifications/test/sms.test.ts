import { randomUUID } from 'node:crypto';
import { sqlOf } from '@esc/service-kit';
import type { SmsSender } from '../src/domain/context';
import { startDevMailbox, type DevMailbox } from '../src/dev-mailbox';
import { actRecorded as act, IVANOVA, SMIRNOV, startNotifications, ZABOTA, type NotificationsHarness } from './harness';


/** The development adapter, behind an operator that is down while `down` holds: the sender must retry. */
let down = false;
let mailbox: DevMailbox;
let h: NotificationsHarness;
const flaky: { inner?: SmsSender } = {};
const operator: SmsSender = {
  async send(message) {
    if (down) throw new Error('оператор не отвечает');
    await flaky.inner!.send(message);
  },
};

beforeAll(async () => {
  mailbox = await startDevMailbox();
  h = await startNotifications('notifications_sms', { SMTP_URL: mailbox.url, EMAIL_EVERY_MS: 50, EMAIL_RETRY_BASE_MS: 100, SMS_ADAPTER: 'dev', SMS_RETRY_BASE_MS: 100 }, { sms: operator });
  const { devSmsSender } = await import('../src/clients/dev-sms');
  flaky.inner = devSmsSender(h.service.orm);
});
afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

const smsTo = (phone: string) =>
  sqlOf(h.service.orm.em.fork()).rows<{ text: string }>(`select text from notifications.dev_sms where phone = $1 order by id`, [phone]);
const rows = (subjectId: string, channel: string) =>
  sqlOf(h.service.orm.em.fork()).rows<{ status: string; attempts: number; last_error: string | null }>(
    `select status, attempts, last_error from notifications.notifications where channel = $2 and subject_id = $1`,
    [subjectId, channel],
  );
const mailTo = (address: string) => mailbox.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));

test('the settings list every kind of a citizen’s notices with their defaults; a phone is set; a malformed one and another audience’s kind are refused', async () => {
  const ivanova = await h.as('citizen-ivanova');
  const initial = (await ivanova.get('/v1/notification-settings')).body;
  expect(initial).toMatchObject({ email: null, phone: null });
  const kinds = initial.channels.map((c: { kind: string }) => c.kind);
  expect(kinds).toEqual(expect.arrayContaining(['act_recorded', 'booking_declined', 'certificate_issued']));
  expect(kinds).not.toContain('booking_created');
  expect(initial.channels.find((c: { kind: string }) => c.kind === 'act_recorded')).toEqual({ kind: 'act_recorded', email: true, sms: true });
  expect(initial.channels.find((c: { kind: string }) => c.kind === 'booking_accepted')).toEqual({ kind: 'booking_accepted', email: true, sms: false });

  const bad = await ivanova.call('PUT', '/v1/notification-settings', { phone: '8 999 123-45-67' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0]).toMatchObject({ field: 'phone', message: expect.stringContaining('+79991234567') });
  const foreign = await ivanova.call('PUT', '/v1/notification-settings', { channels: [{ kind: 'booking_created', email: true, sms: true }] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.detail).toContain('вам не приходят');
  expect((await ivanova.call('PUT', '/v1/notification-settings', {})).status).toBe(400);

  const saved = await ivanova.call('PUT', '/v1/notification-settings', { phone: '+79991234567' });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ email: null, phone: '+79991234567' });
  const again = await ivanova.call('PUT', '/v1/notification-settings', { phone: '+79991234567' });
  expect(again.body).toEqual(saved.body);
});

test('an act recorded reaches the citizen’s phone once, short, with the deadline by the region’s clock; another citizen’s act never does', async () => {
  const eventId = randomUUID();
  const mine = act(IVANOVA);
  await h.publish('act.recorded', mine, eventId);
  await h.publish('act.recorded', mine, eventId);
  await h.publish('act.recorded', act(SMIRNOV));
  await h.waitFor('the SMS', () => rows(mine.delivery_id, 'sms'), (r) => r[0]?.status === 'delivered');
  await new Promise((r) => setTimeout(r, 300));
  const sms = await smsTo('+79991234567');
  expect(sms).toHaveLength(1);
  expect(sms[0]!.text).toBe(
    'Подтвердите или оспорьте услугу «Социально-бытовые услуги на дому» от 04.12.2026 до 10.12.2026, 13:30 (МСК+1). Подробнее — в личном кабинете, раздел «Уведомления».',
  );
  expect(await rows(mine.delivery_id, 'sms')).toEqual([{ status: 'delivered', attempts: 1, last_error: null }]);
});

test('a kind the citizen turned SMS off for sends no SMS, and a kind turned e-mail off for sends no e-mail; the inbox keeps both', async () => {
  const ivanova = await h.as('citizen-ivanova');
  const saved = await ivanova.call('PUT', '/v1/notification-settings', {
    email: 'ivanova@example.ru',
    channels: [
      { kind: 'act_recorded', email: true, sms: false },
      { kind: 'booking_declined', email: false, sms: true },
    ],
  });
  expect(saved.status).toBe(200);
  expect(saved.body.channels.find((c: { kind: string }) => c.kind === 'act_recorded')).toEqual({ kind: 'act_recorded', email: true, sms: false });
  expect(saved.body.phone).toBe('+79991234567');

  const mine = act(IVANOVA);
  const bookingId = randomUUID();
  await h.publish('act.recorded', mine);
  await h.publish('booking.declined', { booking_id: bookingId, recipient_snils: IVANOVA, region_code: '73', provider_name: 'АНО «Забота»', service_name: 'Социальное такси', reason: 'Нет машины' });
  await h.waitFor('the e-mail of the act', () => rows(mine.delivery_id, 'email'), (r) => r[0]?.status === 'delivered');
  await h.waitFor('the SMS of the decline', () => rows(bookingId, 'sms'), (r) => r[0]?.status === 'delivered');
  expect(await rows(mine.delivery_id, 'sms')).toEqual([]);
  expect(await rows(bookingId, 'email')).toEqual([]);
  expect(mailTo('ivanova@example.ru').map((m) => m.subject)).toEqual(['Подтвердите оказанную услугу']);
  expect((await smsTo('+79991234567')).at(-1)!.text).toBe('Поставщик отказал в записи. Подробнее — в личном кабинете, раздел «Уведомления».');
  const inbox = (await ivanova.get('/v1/notifications')).body.items.map((n: { subject: { id: string } }) => n.subject.id);
  expect(inbox).toEqual(expect.arrayContaining([mine.delivery_id, bookingId]));
});

test('while the operator is down the SMS is retried with backoff and sent once when it is back', async () => {
  down = true;
  const mine = act(IVANOVA);
  const ivanova = await h.as('citizen-ivanova');
  await ivanova.call('PUT', '/v1/notification-settings', { channels: [{ kind: 'act_recorded', email: false, sms: true }] });
  await h.publish('act.recorded', mine);
  await h.waitFor('two failed attempts', () => rows(mine.delivery_id, 'sms'), (r) => r[0]?.status === 'pending' && r[0].attempts >= 2);
  expect((await rows(mine.delivery_id, 'sms'))[0]!.last_error).toBe('оператор не отвечает');
  const before = (await smsTo('+79991234567')).length;
  down = false;
  await h.waitFor('the SMS after the outage', () => rows(mine.delivery_id, 'sms'), (r) => r[0]?.status === 'delivered', 15_000);
  expect(await smsTo('+79991234567')).toHaveLength(before + 1);
});

test('a number the operator refuses fails at once and an admin sees it; a provider’s admin sets the provider’s phone', async () => {
  const smirnov = await h.as('citizen-smirnov');
  expect((await smirnov.call('PUT', '/v1/notification-settings', { phone: '+70001234567' })).status).toBe(200);
  const mine = act(SMIRNOV);
  await h.publish('act.recorded', mine);
  await h.waitFor('the refused SMS', () => rows(mine.delivery_id, 'sms'), (r) => r[0]?.status === 'failed');
  expect((await rows(mine.delivery_id, 'sms'))[0]!.attempts).toBe(1);
  const failed = (await (await h.as('admin')).get('/v1/failed-deliveries')).body.items;
  expect(failed.find((i: { address: string }) => i.address === '+70001234567')).toMatchObject({ channel: 'sms', person_key: `citizen:${SMIRNOV}`, kind: 'act_recorded', attempts: 1 });

  const admin = await h.as('zabota-admin');
  const provider = await admin.call('PUT', '/v1/notification-settings', { phone: '+79990000001', channels: [{ kind: 'booking_created', email: false, sms: true }] });
  expect(provider.status).toBe(200);
  expect(provider.body.channels.map((c: { kind: string }) => c.kind).sort()).toEqual(['act_disputed', 'booking_created', 'payout_paid', 'payout_returned', 'round_appeal_decided', 'round_application_decided']);
  expect((await (await h.as('zabota-staff')).call('PUT', '/v1/notification-settings', { phone: '+79990000002' })).status).toBe(403);
  const bookingId = randomUUID();
  await h.publish('booking.created', { booking_id: bookingId, provider_id: ZABOTA, region_code: '73', certificate_number: '73-2026-000018', service_name: 'Социальное такси', units: 2 });
  await h.waitFor('the provider’s SMS', () => smsTo('+79990000001'), (r) => r.length === 1);
  expect((await smsTo('+79990000001'))[0]!.text).toContain('Новая запись на услугу.');
  expect(await smsTo('+79991234567')).not.toEqual(expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining('Новая запись') })]));
});
