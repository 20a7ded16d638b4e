import { randomUUID } from 'node:crypto';
import { sqlOf } from '@esc/service-kit';
import { startDevMailbox, type DevMailbox } from '../src/dev-mailbox';
import { startNotifications, ZABOTA, type NotificationsHarness } from './harness';

/**
 * The notices of the registry's committee decisions and of settlement's payouts, batches and
 * statements, with the payloads those services write to their outboxes (their own tests check that
 * they write them): to the provider's people, to the region's finance officers, and nobody else.
 */

const REHAB = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';
/** finance-73-a's token subject (the gateway's demo users): the officer who forms the batch. */
const FINANCE_73_A = 'finance:f9661823-2fe6-4e43-92d1-a77b15b520d5';

let mailbox: DevMailbox;
let h: NotificationsHarness;

beforeAll(async () => {
  mailbox = await startDevMailbox();
  h = await startNotifications('notifications_provider_finance', { SMTP_URL: mailbox.url, EMAIL_EVERY_MS: 50, SMS_ADAPTER: 'dev' });
});
afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

async function inboxOf(username: string) {
  const res = await (await h.as(username)).get('/v1/notifications');
  expect(res.status).toBe(200);
  return res.body as { items: Array<Record<string, any>>; unread: number };
}
const about = async (username: string, id: string) => (await inboxOf(username)).items.filter((n) => n.subject?.id === id);
async function published(topic: string, payload: Record<string, unknown>) {
  const before = await h.handled();
  await h.publish(topic, payload);
  await h.waitFor(`${topic} handled`, () => h.handled(), (n) => n > before);
}
const to = (m: DevMailbox['messages'][number]) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);

const round = { round_id: randomUUID(), round_title: 'Отбор исполнителей услуг, Ульяновск, 2027', region_code: '73', service_codes: ['HOME-HOUSEHOLD-HOUR'], threshold: '40' };

test('an application admitted tells the provider’s people what it means; one refused says why, what to fix and until when to appeal, by the region’s clock; another provider sees neither', async () => {
  const admitted = randomUUID();
  await published('round.application_decided', { ...round, application_id: admitted, provider_id: ZABOTA, outcome: 'admitted', total_points: '45', reason: null, refusal: null });
  const [notice] = await about('zabota-staff', admitted);
  expect(notice).toMatchObject({ kind: 'round_application_decided', title: `Заявка допущена: отбор «${round.round_title}»`, subject: { type: 'application', id: admitted } });
  expect(notice!.body).toContain('45 баллов при проходном значении 40');
  expect(notice!.body).toContain('уже доступны гражданам для записи');

  const refused = randomUUID();
  await published('round.application_decided', {
    ...round,
    application_id: refused,
    provider_id: REHAB,
    outcome: 'refused',
    total_points: null,
    reason: null,
    refusal: {
      reason: 'Не выполнен формальный критерий: нет лицензии на медицинскую деятельность.',
      what_to_fix: ['Загрузите лицензию на медицинскую деятельность в профиле организации.'],
      appeal_deadline: '2027-02-10T20:59:59.000Z',
      how_to_appeal: 'Подайте апелляцию с пояснением и документами.',
    },
  });
  const [refusal] = await about('rehab-admin', refused);
  expect(refusal).toMatchObject({ kind: 'round_application_decided', title: `Заявка не прошла отбор «${round.round_title}»`, action_due_at: '2027-02-10T20:59:59.000Z' });
  expect(refusal!.body).toContain('Причина: Не выполнен формальный критерий: нет лицензии на медицинскую деятельность.');
  expect(refusal!.body).toContain('Что исправить: Загрузите лицензию на медицинскую деятельность в профиле организации.');
  expect(refusal!.body).toContain('Срок апелляции — до 11.02.2027, 00:59 (МСК+1). Подайте апелляцию с пояснением и документами.');
  expect(await about('zabota-admin', refused)).toEqual([]);
  expect(await about('rehab-staff', admitted)).toEqual([]);
  expect(await about('citizen-ivanova', refused)).toEqual([]);

  await published('round.appeal_decided', { ...round, application_id: refused, provider_id: REHAB, outcome: 'admitted', total_points: '47', reason: 'Лицензия представлена', refusal: null });
  const appeal = (await about('rehab-admin', refused)).find((n) => n.kind === 'round_appeal_decided')!;
  expect(appeal.title).toBe(`Апелляция удовлетворена: отбор «${round.round_title}»`);
  expect(appeal.body).toContain('Причина: Лицензия представлена.');
});

test('a payout paid and a payout returned with the bank’s reason reach the provider — inbox, e-mail, and SMS for the return — with the amount in roubles', async () => {
  const admin = await h.as('zabota-admin');
  expect((await admin.call('PUT', '/v1/notification-settings', { email: 'buh@zabota.example.ru', phone: '+79990000011' })).status).toBe(200);
  const payout = { batch_id: randomUUID(), provider_id: ZABOTA, provider_name: 'АНО «Забота»', region_code: '73', period: '2026-11', bank_account: '40703810000000000011' };
  const paid = randomUUID();
  const returned = randomUUID();
  await published('payout.paid', { ...payout, payout_id: paid, amount: '1234567.8', reference: 'ESC-2026-000101', booked_on: '2026-12-03', return_reason: null });
  await published('payout.returned', { ...payout, payout_id: returned, amount: '2500.00', reference: 'ESC-2026-000102', booked_on: '2026-12-04', return_reason: 'Счёт получателя закрыт' });

  const [p] = await about('zabota-staff', paid);
  expect(p).toMatchObject({ kind: 'payout_paid', title: 'Выплата за ноябрь 2026 зачислена' });
  expect(p!.body).toContain('1\u00a0234\u00a0567,80\u00a0₽ на счёт 40703810000000000011 03.12.2026');
  const [r] = await about('zabota-staff', returned);
  expect(r).toMatchObject({ kind: 'payout_returned', title: 'Выплата за ноябрь 2026 возвращена банком' });
  expect(r!.body).toContain('Причина, указанная банком: Счёт получателя закрыт.');
  expect(r!.body).toContain('Проверьте банковские реквизиты');

  await h.waitFor('two e-mails', async () => mailbox.messages.filter((m) => to(m).includes('buh@zabota.example.ru')).length, (n) => n >= 2);
  expect(mailbox.messages.filter((m) => to(m).includes('buh@zabota.example.ru')).map((m) => m.subject).sort()).toEqual(['Выплата за ноябрь 2026 возвращена банком', 'Выплата за ноябрь 2026 зачислена']);
  const sms = () => sqlOf(h.service.orm.em.fork()).rows<{ text: string }>(`select text from notifications.dev_sms where phone = '+79990000011'`);
  await h.waitFor('the SMS of the return', sms, (rows) => rows.length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  expect((await sms()).map((s) => s.text)).toEqual(['Выплата за ноябрь 2026 возвращена банком. Подробнее — в личном кабинете, раздел «Уведомления».']);
  expect(await about('rehab-admin', paid)).toEqual([]);
});

test('a batch waiting for its second approval reaches the region’s other finance officers, not the one who formed it, nor anyone else; unmatched statement lines reach them all', async () => {
  const batch = randomUUID();
  await published('batch.awaiting_approval', { batch_id: batch, region_code: '73', period: '2026-11', created_by: FINANCE_73_A, payouts: 12, total: '845000.00' });
  const [notice] = await about('finance-73-b', batch);
  expect(notice).toMatchObject({ kind: 'batch_awaiting_approval', title: 'Реестр выплат за ноябрь 2026 ждёт второго утверждения', subject: { type: 'batch', id: batch } });
  expect(notice!.body).toContain('12 платежей на 845\u00a0000,00\u00a0₽');
  expect(notice!.body).toContain('утвердить может только другой сотрудник');
  expect(await about('finance-73-a', batch)).toEqual([]);
  expect((await (await h.as('finance-73-a')).post(`/v1/notifications/${notice!.id}/read`)).status).toBe(404);
  expect(await about('zabota-admin', batch)).toEqual([]);
  expect(await about('caseworker-73', batch)).toEqual([]);

  const statement = randomUUID();
  await published('statement.lines_unmatched', {
    statement_id: statement,
    region_code: '73',
    statement_ref: '20201124375204229003973',
    file_name: 'vypiska.xml',
    count: 3,
    lines: [
      { number: 3, amount: '1537.00', counterparty_name: 'ООО «Ромашка»', reason: 'Нет выплаты с такой ссылкой, ИНН и суммой.' },
      { number: 4, amount: '20.00', counterparty_name: null, reason: 'Комиссия банка' },
    ],
  });
  for (const officer of ['finance-73-a', 'finance-73-b']) {
    const [lines] = await about(officer, statement);
    expect(lines).toMatchObject({ kind: 'statement_lines_unmatched', title: 'В выписке банка 3 строки без сопоставления' });
    expect(lines!.body).toContain('№ 3: 1\u00a0537,00\u00a0₽, ООО «Ромашка» — Нет выплаты с такой ссылкой, ИНН и суммой; № 4: 20,00\u00a0₽ — Комиссия банка и ещё 1.');
    expect(lines!.body).toContain('раздел «Расхождения»');
  }
  const settings = (await (await h.as('finance-73-b')).get('/v1/notification-settings')).body;
  expect(settings.channels.map((c: { kind: string }) => c.kind).sort()).toEqual(['batch_awaiting_approval', 'statement_lines_unmatched']);
});
