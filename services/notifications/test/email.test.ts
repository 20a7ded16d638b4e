import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlOf } from '@esc/service-kit';
import { startDevMailbox, type DevMailbox } from '../src/dev-mailbox';
import { actRecorded as act, IVANOVA, SMIRNOV, startNotifications, ZABOTA, type NotificationsHarness } from './harness';


let mailbox: DevMailbox;
const mailDir = mkdtempSync(join(tmpdir(), 'esc-mail-'));
let h: NotificationsHarness;

beforeAll(async () => {
  mailbox = await startDevMailbox({ dir: mailDir });
  h = await startNotifications('notifications_email', { SMTP_URL: mailbox.url, EMAIL_EVERY_MS: 50, EMAIL_RETRY_BASE_MS: 100 });
});
afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

const to = (message: DevMailbox['messages'][number]) => (Array.isArray(message.to) ? message.to : [message.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);
const mailTo = (address: string) => mailbox.messages.filter((m) => to(m).includes(address));
const emailRows = (subjectId: string) =>
  sqlOf(h.service.orm.em.fork()).rows<{ status: string; attempts: number; last_error: string | null }>(
    `select status, attempts, last_error from notifications.notifications where channel = 'email' and subject_id = $1`,
    [subjectId],
  );

test('a citizen sets an address; the act recorded reaches it once, in Russian with the deadline; a citizen without one gets no e-mail', async () => {
  const ivanova = await h.as('citizen-ivanova');
  expect((await ivanova.get('/v1/notification-settings')).body).toMatchObject({ email: null, phone: null });
  expect((await ivanova.call('PUT', '/v1/notification-settings', { email: 'ivanova@example.ru' })).body).toMatchObject({ email: 'ivanova@example.ru', phone: null });
  expect((await ivanova.get('/v1/notification-settings')).body).toMatchObject({ email: 'ivanova@example.ru' });

  const eventId = randomUUID();
  const mine = act(IVANOVA);
  await h.publish('act.recorded', mine, eventId);
  await h.publish('act.recorded', mine, eventId);
  await h.publish('act.recorded', act(SMIRNOV));
  await h.waitFor('the e-mail', async () => mailTo('ivanova@example.ru').length, (n) => n >= 1);
  await new Promise((r) => setTimeout(r, 300));

  const [message, ...more] = mailTo('ivanova@example.ru');
  expect(more).toHaveLength(0);
  expect(message!.subject).toBe('Подтвердите оказанную услугу');
  expect(message!.from?.text).toContain('Маркетплейс социальных сертификатов');
  expect(message!.text).toContain('Подтвердите или оспорьте её в личном кабинете до 10.12.2026, 13:30 (МСК+1)');
  expect(message!.text).toContain('«Социально-бытовые услуги на дому» (3 ед.)');
  expect(await emailRows(mine.delivery_id)).toEqual([{ status: 'delivered', attempts: 1, last_error: null }]);
  expect(mailbox.messages.every((m) => to(m).includes('ivanova@example.ru'))).toBe(true);
  // The launcher's mailbox also keeps each message as a file a person can open.
  const files = readdirSync(mailDir).filter((f) => f.endsWith('-ivanova@example.ru.eml'));
  expect(files).toHaveLength(1);
  expect(readFileSync(join(mailDir, files[0]!), 'utf8')).toMatch(/^Subject: /m);
});

test('a provider’s admin sets the provider’s address and its people’s notices go there; staff and other roles cannot set it', async () => {
  const admin = await h.as('zabota-admin');
  expect((await admin.call('PUT', '/v1/notification-settings', { email: 'zabota@example.ru' })).status).toBe(200);
  const staff = await h.as('zabota-staff');
  expect((await staff.call('PUT', '/v1/notification-settings', { email: 'me@example.ru' })).status).toBe(403);
  expect((await (await h.as('caseworker-73')).get('/v1/notification-settings')).status).toBe(403);
  expect((await admin.call('PUT', '/v1/notification-settings', { email: 'not an address' })).body.code).toBe('validation_failed');

  const bookingId = randomUUID();
  await h.publish('booking.created', { booking_id: bookingId, provider_id: ZABOTA, region_code: '73', certificate_number: '73-2026-000018', service_name: 'Социальное такси', units: 2 });
  await h.waitFor('the provider’s e-mail', async () => mailTo('zabota@example.ru').length, (n) => n >= 1);
  expect(mailTo('zabota@example.ru')[0]!.text).toContain('Примите запись или откажите');
});

test('while the SMTP server is down the e-mail is retried with backoff, and sent once when it is back', async () => {
  const port = mailbox.port;
  await mailbox.stop();
  const mine = act(IVANOVA);
  await h.publish('act.recorded', mine);
  await h.waitFor('a failed attempt', () => emailRows(mine.delivery_id), (rows) => rows.length === 1 && rows[0]!.attempts >= 1 && rows[0]!.status === 'pending');
  const before = mailbox.messages.length;
  const revived = await startDevMailbox({ port, dir: mailDir });
  mailbox = { ...revived, messages: revived.messages };
  await h.waitFor('the e-mail after the outage', () => emailRows(mine.delivery_id), (rows) => rows[0]?.status === 'delivered', 15_000);
  expect(before).toBeGreaterThan(0);
  expect(mailTo('ivanova@example.ru').filter((m) => m.text?.includes('73-2026-000017'))).toHaveLength(1);
});

test('an address the server refuses fails at once, without retries, and an admin sees it with the reason', async () => {
  const smirnov = await h.as('citizen-smirnov');
  expect((await smirnov.call('PUT', '/v1/notification-settings', { email: 'smirnov@mail.invalid' })).status).toBe(200);
  const mine = act(SMIRNOV);
  await h.publish('act.recorded', mine);
  await h.waitFor('the refused e-mail', () => emailRows(mine.delivery_id), (rows) => rows[0]?.status === 'failed');
  expect((await emailRows(mine.delivery_id))[0]!.attempts).toBe(1);

  const failed = await (await h.as('admin')).get('/v1/failed-deliveries');
  expect(failed.status).toBe(200);
  const item = failed.body.items.find((i: { address: string }) => i.address === 'smirnov@mail.invalid');
  expect(item).toMatchObject({ channel: 'email', person_key: `citizen:${SMIRNOV}`, kind: 'act_recorded', title: 'Подтвердите оказанную услугу', attempts: 1 });
  expect(item.last_error).toContain('no such mailbox');
  expect((await smirnov.get('/v1/failed-deliveries')).status).toBe(403);
  // The inbox notice is there all the same.
  expect((await smirnov.get('/v1/notifications')).body.items.some((n: { subject: { id: string } }) => n.subject.id === mine.delivery_id)).toBe(true);
});
