import type { Page } from 'playwright-core';
import { Money } from '@esc/money';
import { formatMoney } from '../../services/web/src/format/money';
import { demoCertificateId } from '../../infra/dev/seed-certificates';
import { withWebStack, screenshot } from './browser';
import { asProvider, certificateAsCaseworker, todayInRegion } from './provider-side';
import { signInThroughPage } from './session';

/**
 * The citizen's journey in a real Chromium against the real gateway and services with the demo data:
 * Smirnov signs in, opens his certificate, books «Забота» for one line (declined by the provider, a
 * refusal with next steps) and for another (accepted); the provider records two acts through the
 * API; he confirms one and disputes the other, rates the service, and reads his history. The money
 * the pages show is the ledger's, to the kopeck.
 */
const web = withWebStack('web-citizen-journey');

const CERTIFICATE = demoCertificateId('smirnov');
const ZABOTA = /Выбрать «.*Забота/;

async function bookLine(page: Page, serviceName: RegExp) {
  await page.goto(`${web.stack().url}/cabinet/certificates/${CERTIFICATE}`);
  await page.getByRole('link', { name: new RegExp(`Выбрать поставщика для услуги «${serviceName.source}`) }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('button', { name: ZABOTA }).click();
  await page.getByRole('button', { name: /Подтвердить запись к «/ }).click();
  await page.getByText(/Заявка отправлена|Вы записаны|запись создана/i).first().waitFor();
}

test('When a citizen books, confirms one act, disputes another and rates the service, then every page tells him where things stand and the money moves exactly', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const provider = await asProvider(web.stack());

  await signInThroughPage(page, web.stack().url, 'citizen-smirnov');
  await page.getByRole('heading', { level: 1, name: 'Мои сертификаты' }).waitFor();
  await screenshot(page, 'journey-01-certificates');
  await page.getByRole('link', { name: /Сертификат № / }).first().click();
  await page.getByRole('heading', { level: 2, name: /Услуги/ }).first().waitFor();
  await screenshot(page, 'journey-02-certificate');

  // A booking the provider declines: the refusal lands in the history with what to do next.
  await bookLine(page, /Социально-психологическое/);
  await screenshot(page, 'journey-03-booked');
  const declined = await provider.pendingBooking('HOME-PSYCH-VISIT');
  await provider.decline(declined.id, 'В вашем районе сейчас нет свободного психолога');

  await bookLine(page, /Социально-бытовые/);
  const booking = await provider.pendingBooking('HOME-HOUSEHOLD-HOUR');
  await provider.accept(booking.id);
  await page.goto(`${web.stack().url}/cabinet/bookings`);
  await page.getByText('Договор заключён').first().waitFor();
  await screenshot(page, 'journey-04-bookings');

  const today = todayInRegion();
  const confirmed = await provider.recordAct(booking.id, today, 3);
  const disputed = await provider.recordAct(booking.id, today, 2);

  await page.goto(`${web.stack().url}/cabinet/acts`);
  await page.getByRole('button', { name: /полностью/ }).first().waitFor();
  await screenshot(page, 'journey-05-acts');
  await expect(page.getByText(/Будет подтверждён автоматически/).count()).resolves.toBe(2);
  // Newest first: the 2-unit act is first.
  await page.getByRole('button', { name: /^Оспорить акт от/ }).first().click();
  await page.getByLabel('Почему вы не согласны с актом').fill('Работник не приходил в этот день');
  await page.getByRole('button', { name: 'Отправить возражение' }).click();
  await page.getByRole('button', { name: /^Оспорить акт от/ }).nth(1).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: /полностью/ }).first().click();
  await page.getByRole('button', { name: /полностью/ }).waitFor({ state: 'detached' });

  const certificate = await certificateAsCaseworker(web.stack(), CERTIFICATE);
  expect(certificate.contracts.length).toBeGreaterThan(0);
  const acts = certificate.contracts.flatMap((c: any) => c.deliveries);
  const posted = acts.find((a: any) => a.id === confirmed.id);
  expect(posted).toMatchObject({ status: 'posted', amount: confirmed.amount });
  expect(acts.find((a: any) => a.id === disputed.id)).toMatchObject({ status: 'voided' });

  // Rate the confirmed service once.
  await page.getByRole('radio', { name: '5 — отлично' }).check();
  await page.getByLabel('Комментарий (необязательно)').fill('Всё сделали аккуратно и вовремя');
  await page.getByRole('button', { name: /Отправить оценку/ }).click();
  await page.getByText('Спасибо, оценка учтена').waitFor();
  await expect(page.getByRole('button', { name: /Отправить оценку/ }).count()).resolves.toBe(0);
  await screenshot(page, 'journey-06-rated');

  // The certificate page shows as spent exactly the confirmed act's amount, as the ledger holds it.
  await page.goto(`${web.stack().url}/cabinet/certificates/${CERTIFICATE}`);
  expect(certificate.ledger_balance).toMatchObject({ held: '0.00', posted: Money.parse(certificate.value).subtract(Money.parse(confirmed.amount)).toString() });
  await page.getByText(formatMoney(confirmed.amount)).first().waitFor();
  await screenshot(page, 'journey-07-certificate-after');

  await page.goto(`${web.stack().url}/cabinet/requests`);
  await page.getByText('Что делать дальше').first().waitFor();
  await expect(page.getByText('В вашем районе сейчас нет свободного психолога').count()).resolves.toBeGreaterThan(0);
  await screenshot(page, 'journey-08-history');
  await context.close();
}, 180_000);
