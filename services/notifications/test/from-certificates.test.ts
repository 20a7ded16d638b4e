import { randomUUID } from 'node:crypto';
import { httpClient, type HttpClient } from '@esc/testing';
import { fundRegion, issueFor, startCertificates, ZABOTA_ID, type CertificatesHarness } from 'certificates/test/harness';
import { SYSTEM_PRINCIPAL } from 'certificates/src/domain/context';
import { postLapsed } from 'certificates/src/domain/deliveries';
import { expireDue } from 'certificates/src/domain/certificates';
import { remindConfirmations, warnExpiring } from 'certificates/src/domain/reminders';
import { createNotificationsService, NOTIFICATIONS_CONSUMER, type NotificationsService } from '../src/app';

/**
 * The whole way of a notice: certificates writes its events to its outbox in the transaction that
 * changes the booking, the act or the certificate, its relay routes them to the notifications queue,
 * and the notifications service turns them into the citizen's and the provider's notices.
 */

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
let h: CertificatesHarness;
let notifications: NotificationsService;
let notificationsUrl: string;
const clients = new Map<string, HttpClient>();

beforeAll(async () => {
  const queue = `notifications-inbox-${randomUUID().slice(0, 8)}`;
  h = await startCertificates('notifications_from_certificates', { OUTBOX_RELAY_ENABLED: true, NOTIFICATIONS_QUEUE: queue });
  notifications = await createNotificationsService({
    DATABASE_URL: h.service.config.DATABASE_URL,
    JWKS_URL: h.gateway.jwksUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: h.service.config.QUEUE_PREFIX,
    INBOX_QUEUE: queue,
  });
  notificationsUrl = (await notifications.start(0)).url;
}, 120_000);

afterAll(async () => {
  await notifications?.stop();
  await h?.stop();
});

async function inboxOf(username: string) {
  if (!clients.has(username)) clients.set(username, httpClient(notificationsUrl, await h.gateway.signIn(username)));
  const res = await clients.get(username)!.get('/v1/notifications');
  expect(res.status).toBe(200);
  return res.body as { items: Array<Record<string, any>>; unread: number };
}

async function handled(count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows: Array<{ n: number }> = await notifications.orm.em
      .fork()
      .execute(`select count(*)::int as n from notifications.processed_events where consumer = ?`, [NOTIFICATIONS_CONSUMER]);
    if (rows[0]!.n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of ${count} events handled`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a certificate issued, a booking created, accepted and declined, and an act recorded become the right people’s notices', async () => {
  const budgetProgrammeId = await fundRegion(h);
  // Иванова, as the demo citizen's token knows her (SNILS 112-233-445 95).
  const { certificate } = await issueFor(h, budgetProgrammeId, {
    lines: [
      { service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 4, months: 1 },
      { service_code: 'HOME-PSYCH-VISIT', volume_per_month: 1, months: 1 },
    ],
  });
  const caseworker = await h.as('caseworker-73');
  const [household, psych] = certificate.services;
  const booking = await caseworker.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: household.line_id, provider_id: ZABOTA_ID });
  expect(booking.status).toBe(201);
  expect((await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/accept`)).status).toBe(200);
  const other = await caseworker.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: psych.line_id, provider_id: ZABOTA_ID });
  expect(other.status).toBe(201);
  const declined = await (await h.as('zabota-admin')).post(`/v1/bookings/${other.body.id}/decline`, { code: 'no_staff_in_area', reason: 'Нет психолога в вашем районе до марта' });
  expect(declined.status).toBe(200);
  const act = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 2, staff });
  expect(act.status).toBe(201);
  // recognised, programme drawn, issued, 2 created, accepted, declined, act recorded
  await handled(8);

  const ivanova = await inboxOf('citizen-ivanova');
  expect(ivanova.items.map((n) => n.kind).sort()).toEqual(['act_recorded', 'assessment_recognised', 'booking_accepted', 'booking_declined', 'certificate_issued', 'programme_drawn']);
  expect(ivanova.unread).toBe(6);
  const byKind = Object.fromEntries(ivanova.items.map((n) => [n.kind, n]));
  expect(byKind.certificate_issued.body).toContain(`№ ${certificate.number}`);
  expect(byKind.booking_declined.body).toContain('Причина: Нет психолога в вашем районе до марта.');
  expect(byKind.act_recorded).toMatchObject({ action_due_at: act.body.confirm_by, subject: { type: 'delivery', id: act.body.id } });
  expect(byKind.act_recorded.body).toContain('(2 ед.)');
  expect(byKind.act_recorded.body).toContain('Подтвердите или оспорьте её в личном кабинете до ');
  expect(byKind.assessment_recognised.body).toContain('составит индивидуальную программу');
  expect(byKind.programme_drawn.body).toMatch(/«[^»]+» — 4 часа в месяц, 1 мес; «[^»]+» — 1 посещение в месяц, 1 мес\. Следующий шаг/);
  expect(byKind.programme_drawn.subject).toEqual({ type: 'programme', id: expect.any(String) });

  expect((await inboxOf('zabota-staff')).items.map((n) => n.subject.id).sort()).toEqual([booking.body.id, other.body.id].sort());
  expect((await inboxOf('rehab-admin')).items).toEqual([]);
  expect((await inboxOf('citizen-smirnov')).items).toEqual([]);
});

test('a disputed act tells the provider’s people, with the reason; an act confirmed when its window lapsed tells the citizen', async () => {
  const ivanova = await inboxOf('citizen-ivanova');
  const booking = ivanova.items.find((n) => n.kind === 'booking_accepted')!.subject.id as string;
  const staffClient = await h.as('zabota-staff');
  const certificate = (await (await h.as('caseworker-73')).get(`/v1/bookings/${booking}`)).body;
  const validFrom = (await (await h.as('caseworker-73')).get(`/v1/certificates/${certificate.certificate_id}`)).body.general.valid_from;
  const disputed = await staffClient.post(`/v1/bookings/${booking}/deliveries`, { delivered_on: validFrom, units: 1, staff });
  const lapsed = await staffClient.post(`/v1/bookings/${booking}/deliveries`, { delivered_on: validFrom, units: 1, staff });
  expect([disputed.status, lapsed.status]).toEqual([201, 201]);
  expect((await (await h.as('citizen-ivanova')).post(`/v1/deliveries/${disputed.body.id}/dispute`, { reason: 'Социальный работник не приходил' })).status).toBe(200);
  await h.service.orm.em.fork().execute(`update certificates.deliveries set confirm_by = clock_timestamp() - interval '1 second' where id = ?`, [lapsed.body.id]);
  expect(await postLapsed(h.service.deps, SYSTEM_PRINCIPAL, {})).toBeGreaterThanOrEqual(1);
  // 2 acts recorded, 1 disputed, 1 confirmed automatically
  await handled(8 + 4);

  const provider = await inboxOf('zabota-admin');
  const notice = provider.items.find((n) => n.kind === 'act_disputed')!;
  expect(notice.subject).toEqual({ type: 'delivery', id: disputed.body.id });
  expect(notice.body).toContain('Причина: Социальный работник не приходил.');
  expect(notice.body).toContain('полностью (1 ед.)');
  const auto = (await inboxOf('citizen-ivanova')).items.find((n) => n.kind === 'act_auto_confirmed')!;
  expect(auto.subject).toEqual({ type: 'delivery', id: lapsed.body.id });
  expect(auto.body).toContain('считается оказанной');
  expect((await inboxOf('citizen-ivanova')).items.some((n) => n.kind === 'act_disputed')).toBe(false);
});

let smirnovRecipientId: string;

async function eventsHandled(): Promise<number> {
  const rows: Array<{ n: number }> = await notifications.orm.em
    .fork()
    .execute(`select count(*)::int as n from notifications.processed_events where consumer = ?`, [NOTIFICATIONS_CONSUMER]);
  return rows[0]!.n;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

test('a day before an act confirms itself the citizen is reminded once, with the deadline; an act due later is not reminded yet', async () => {
  // The first test's act is still held: not yet within a day of its deadline, then within it.
  const first = (await inboxOf('citizen-ivanova')).items.filter((n) => n.kind === 'act_recorded').at(-1)!.subject.id as string;
  const deadlineIn = (hours: number) => h.service.orm.em.fork().execute(`update certificates.deliveries set confirm_by = clock_timestamp() + make_interval(hours => ?) where id = ? and status = 'held'`, [hours, first]);
  expect(await deadlineIn(47)).toBeTruthy();
  expect(await remindConfirmations(h.service.deps, SYSTEM_PRINCIPAL)).toBe(0);
  await deadlineIn(23);
  const before = await eventsHandled();
  expect(await remindConfirmations(h.service.deps, SYSTEM_PRINCIPAL)).toBe(1);
  expect(await remindConfirmations(h.service.deps, SYSTEM_PRINCIPAL)).toBe(0);
  await handled(before + 1);
  await new Promise((r) => setTimeout(r, 300));
  const reminders = (await inboxOf('citizen-ivanova')).items.filter((n) => n.kind === 'act_confirmation_due');
  expect(reminders).toHaveLength(1);
  expect(reminders[0]!.subject).toEqual({ type: 'delivery', id: first });
  expect(reminders[0]!.title).toBe('Остались сутки, чтобы подтвердить или оспорить услугу');
  expect(reminders[0]!.body).toMatch(/оспорьте акт в личном кабинете до \d\d\.\d\d\.\d{4}, \d\d:\d\d \(МСК\+1\)/);
  expect(reminders[0]!.action_due_at).not.toBeNull();
  expect((await inboxOf('citizen-smirnov')).items.some((n) => n.kind === 'act_confirmation_due')).toBe(false);
});

test('a certificate is warned of 30 and 7 days before it expires, each once, and its expiry is told with what to do next', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const { certificate, recipientId } = await issueFor(h, budgetProgrammeId, { recipient: { snils: '12345678964', last_name: 'Смирнов', first_name: 'Пётр', middle_name: 'Иванович' } });
  smirnovRecipientId = recipientId;
  const today = new Date().toISOString().slice(0, 10);
  const setValidTo = (date: string) => h.service.orm.em.fork().execute(`update certificates.certificates set valid_to = ?::date where id = ?`, [date, certificate.id]);
  const todayMap = new Map([['73', today]]);
  await setValidTo(addDays(today, 20));
  expect(await warnExpiring(h.service.deps, SYSTEM_PRINCIPAL, { today: todayMap })).toBeGreaterThanOrEqual(1);
  expect(await warnExpiring(h.service.deps, SYSTEM_PRINCIPAL, { today: todayMap })).toBe(0);
  await setValidTo(addDays(today, 7));
  expect(await warnExpiring(h.service.deps, SYSTEM_PRINCIPAL, { today: todayMap })).toBeGreaterThanOrEqual(1);
  expect(await warnExpiring(h.service.deps, SYSTEM_PRINCIPAL, { today: todayMap })).toBe(0);
  await setValidTo(addDays(today, -1));
  expect(await expireDue(h.service.deps, SYSTEM_PRINCIPAL, { today })).toBeGreaterThanOrEqual(1);
  // issued, 2 warnings, expired: waited for in Смирнов's inbox (the issue’s events are handled in the background).
  const ofCertificate = async () => (await inboxOf('citizen-smirnov')).items.filter((n) => n.subject?.id === certificate.id);
  const deadline = Date.now() + 15_000;
  while ((await ofCertificate()).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  const smirnov = await ofCertificate();
  expect(smirnov.map((n) => n.kind).sort()).toEqual(['certificate_expired', 'certificate_expiring', 'certificate_expiring', 'certificate_issued']);
  const warnings = smirnov.filter((n) => n.kind === 'certificate_expiring');
  expect(warnings.map((n) => n.body.match(/осталось \d+ (день|дня|дней)/)?.[0]).sort()).toEqual(['осталось 20 дней', 'осталось 7 дней']);
  expect(warnings[0]!.body).toContain('Получите записанные услуги до этой даты');
  const expired = smirnov.filter((n) => n.kind === 'certificate_expired');
  expect(expired).toHaveLength(1);
  expect(expired[0]!.body).toContain(`№ ${certificate.number} больше не действует`);
  expect(expired[0]!.body).toContain('обратитесь в орган социальной защиты населения');
  expect((await inboxOf('citizen-ivanova')).items.some((n) => n.subject?.id === certificate.id)).toBe(false);
});

test('an assessment refused tells the citizen why, what to do next and how to appeal', async () => {
  const caseworker = await h.as('caseworker-73');
  const assessment = await caseworker.post('/v1/assessments', { recipient_id: smirnovRecipientId, reason: 'Повторное заявление' });
  expect(assessment.status).toBe(201);
  const before = await eventsHandled();
  const refused = await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'refused', refusal_code: 'documents_incomplete', comment: 'Нет медицинского заключения' });
  expect(refused.status).toBe(200);
  await handled(before + 1);
  const notice = (await inboxOf('citizen-smirnov')).items.find((n) => n.kind === 'refusal_recorded')!;
  expect(notice.title).toBe('Отказ в признании нуждающимся в социальном обслуживании');
  expect(notice.subject).toEqual({ type: 'assessment', id: assessment.body.id });
  expect(notice.body).toContain('Не хватает документов');
  expect(notice.body).toContain('Нет медицинского заключения');
  expect(notice.body).toContain('Что делать: Принесите документ');
  expect(notice.body).toContain('обжаловать в течение трёх месяцев');
  expect((await inboxOf('citizen-ivanova')).items.some((n) => n.kind === 'refusal_recorded')).toBe(false);
});

test('a certificate suspended and then revoked tells the citizen, with the case worker’s reasons and what to do', async () => {
  const caseworker = await h.as('caseworker-73');
  const issued = (await inboxOf('citizen-ivanova')).items.find((n) => n.kind === 'certificate_issued')!;
  const id = issued.subject.id as string;
  const before = await eventsHandled();
  expect((await caseworker.post(`/v1/certificates/${id}/suspend`, { reason: 'Проверка жалобы' })).status).toBe(200);
  expect((await caseworker.post(`/v1/certificates/${id}/revoke`, { reason: 'Получатель переехал в другой регион' })).status).toBe(200);
  await handled(before + 2);
  const items = (await inboxOf('citizen-ivanova')).items;
  expect(items.find((n) => n.kind === 'certificate_suspended')!.body).toContain('Причина: Проверка жалобы.');
  const revoked = items.find((n) => n.kind === 'certificate_revoked')!;
  expect(revoked.subject).toEqual({ type: 'certificate', id });
  expect(revoked.body).toContain('Причина: Получатель переехал в другой регион.');
  expect(revoked.body).toContain('обжалуйте');
});
