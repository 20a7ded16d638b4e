import { withWebStack, screenshot } from './browser';
import { fromTop, press, signInByKeyboard, tabTo, typeInto } from './keyboard';
import { asProvider, certificateAsCaseworker, todayInRegion } from './provider-side';
import { demoCertificateId } from '../../infra/dev/seed-certificates';

/**
 * The citizen's journey once more with the keyboard alone (Tab, Enter, Space and typing; the mouse
 * is never used): sign in, open the certificate, book a provider twice (one declined), confirm one
 * act in part, dispute another, rate the service, and read the refusal's next steps in the history.
 */
const web = withWebStack('web-citizen-keyboard');

const CERTIFICATE = demoCertificateId('smirnov');

test('When a citizen uses only the keyboard, then he can book, confirm in part, dispute, rate and read his history', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const provider = await asProvider(web.stack());

  await signInByKeyboard(page, web.stack().url, 'citizen-smirnov');
  await page.getByRole('heading', { level: 1, name: 'Мои сертификаты' }).waitFor();

  const book = async (service: RegExp) => {
    await fromTop(page);
    await press(page, 'Мои сертификаты');
    await page.getByRole('heading', { level: 1, name: 'Мои сертификаты' }).waitFor();
    await press(page, /^Сертификат № /);
    await page.getByRole('heading', { level: 1, name: /Сертификат № / }).waitFor();
    await press(page, new RegExp(`^Выбрать поставщика для услуги «${service.source}`));
    await page.getByRole('heading', { level: 1, name: /Выбор поставщика/ }).waitFor();
    await press(page, /^Выбрать «.*Забота/);
    await press(page, /^Подтвердить запись к «/);
    await page.getByText(/Заявка отправлена/).first().waitFor();
  };

  await book(/Социально-психологическое/);
  await provider.decline((await provider.pendingBooking('HOME-PSYCH-VISIT')).id, 'Психолог в отпуске до конца месяца');
  await book(/Социально-бытовые/);
  const booking = await provider.pendingBooking('HOME-HOUSEHOLD-HOUR');
  await provider.accept(booking.id);
  const partly = await provider.recordAct(booking.id, todayInRegion(), 4);
  const disputed = await provider.recordAct(booking.id, todayInRegion(), 2);

  await fromTop(page);
  await press(page, 'Акты об услугах');
  await page.getByRole('heading', { level: 2, name: 'Ждут вашего подтверждения' }).waitFor();
  await screenshot(page, 'keyboard-01-acts');

  // Newest first: the 2-unit act, then the 4-unit one. Dispute the first, confirm 3 of 4 of the second.
  await press(page, /^Оспорить акт от/);
  await typeInto(page, 'Почему вы не согласны с актом', 'Работник не приходил');
  await press(page, 'Отправить возражение');
  await page.getByRole('button', { name: /^Оспорить акт от/ }).nth(1).waitFor({ state: 'detached' });

  await fromTop(page);
  await press(page, /частично$/);
  // An empty form: the summary takes focus and names the problems.
  await press(page, 'Отправить частичное подтверждение');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
  await screenshot(page, 'keyboard-02-partial-errors');
  await typeInto(page, 'Сколько единиц услуги оказано на самом деле', '3');
  await typeInto(page, 'Почему вы не согласны с остальным', 'Один час работник ушёл раньше');
  await press(page, 'Отправить частичное подтверждение');
  await page.getByRole('button', { name: /полностью$/ }).waitFor({ state: 'detached' });

  const certificate = await certificateAsCaseworker(web.stack(), CERTIFICATE);
  const acts = certificate.contracts.flatMap((c: any) => c.deliveries);
  expect(acts.find((a: any) => a.id === partly.id)).toMatchObject({ status: 'posted', confirmed_units: 3 });
  expect(acts.find((a: any) => a.id === disputed.id)).toMatchObject({ status: 'voided' });

  // Rate: Tab into the radio group, Space checks the focused option.
  await fromTop(page);
  await tabTo(page, '5 — отлично');
  await page.keyboard.press('Space');
  await typeInto(page, /^Комментарий/, 'Спасибо за помощь');
  await press(page, /^Отправить оценку/);
  await page.getByText('Спасибо, оценка учтена').waitFor();
  await screenshot(page, 'keyboard-03-rated');

  await fromTop(page);
  await press(page, 'Мои обращения');
  await page.getByText('Психолог в отпуске до конца месяца').first().waitFor();
  await expect(page.getByText('Что делать дальше').count()).resolves.toBeGreaterThan(0);
  await screenshot(page, 'keyboard-04-history');
  await context.close();
}, 180_000);
