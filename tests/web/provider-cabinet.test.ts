import type { Page } from 'playwright-core';
import { DEMO_BUDGET_PROGRAMME_ID, demoCertificateId } from '../../infra/dev/seed-certificates';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { fromTop, press, typeInto } from './keyboard';
import { ZABOTA_ID } from './provider-side';
import { signInThroughPage } from './session';
import type { WebStack } from './stack';

/**
 * The provider's cabinet in a real Chromium against the real gateway and services with the demo
 * data: «Забота» answers citizens' requests (accepts one, declines another with a coded reason), and
 * every page of the cabinet passes axe (WCAG 2.1 AA) and fits 320 px. Citizens' requests are made
 * through the API by the region's case worker, as the citizen's own journey is another test's.
 */
const web = withWebStack('web-provider-cabinet');

async function api(stack: WebStack, username: string, method: string, path: string, body?: unknown, base = stack.certificatesUrl) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await stack.tokenFor(username)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => null)) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The region's case worker books «Забота» for a citizen's certificate line, as the citizen would. */
async function requestBooking(citizen: string, serviceCode: string, units: number): Promise<string> {
  const certificate = await api(web.stack(), 'caseworker-73', 'GET', `/v1/certificates/${demoCertificateId(citizen)}`);
  const line = certificate.services.find((s: any) => s.service_code === serviceCode);
  const booking = await api(web.stack(), 'caseworker-73', 'POST', `/v1/certificates/${certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID, units });
  return booking.id;
}

/** The committee opens a round for «Забота»'s household service in Ulyanovsk, open now. */
async function openRound(title: string) {
  const stack = web.stack();
  const hour = 3600_000;
  return api(stack, 'committee-73', 'POST', '/v1/rounds', {
    title,
    region_code: '73',
    territory: ['73701000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 48 * hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [{ code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' }],
    threshold: '10',
    sonko_preference_points: '5',
  }, stack.registryUrl);
}

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

test('When the committee opens a round for its services and territory, then «Забота» uploads a document, applies, and after the committee decides reads every criterion’s result and score', async () => {
  const stack = web.stack();
  const round = await openRound('Отбор исполнителей социально-бытовых услуг, Ульяновск, 2027');
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, stack.url, 'zabota-admin');
  await page.goto(`${stack.url}/provider/rounds`);
  await page.getByRole('heading', { level: 2, name: round.title }).waitFor();

  await page.getByLabel('Вид документа').selectOption('staff_qualification');
  await page.getByLabel('Название документа').fill('Сведения о квалификации социальных работников');
  await page.getByLabel(/^Файл \(PDF/).setInputFiles({ name: 'kvalifikaciya.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await page.getByRole('button', { name: 'Загрузить документ' }).click();
  await page.getByText('Документ загружен').waitFor();
  await page.getByText(/Сведения о квалификации социальных работников \(kvalifikaciya\.pdf\)/).waitFor();
  await screenshot(page, 'provider-00-round-open');

  await page.getByRole('button', { name: `Подать заявку на отбор «${round.title}»` }).click();
  await page.getByText('Заявка подана', { exact: true }).waitFor();
  await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: round.title }) }).getByText('Заявка подана, ждёт оценки комиссии').waitFor();
  const mine = (await api(stack, 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/rounds`, undefined, stack.registryUrl)).items.find((i: any) => i.round.id === round.id);
  expect(mine.application.status).toBe('awaiting_scoring');

  // The committee's scoring is the committee cabinet's work: here it decides through the API.
  await api(stack, 'committee-73', 'POST', `/v1/rounds/${round.id}/applications/${mine.application.id}/decision`, { scores: { qualified_staff: 8 } }, stack.registryUrl);
  await page.reload();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: round.title }) });
  await card.getByText('Допущена: организация включена в реестр по услугам отбора').waitFor();
  await card.getByRole('heading', { level: 3, name: 'Оценка по критериям' }).waitFor();
  await expect(card.getByText(/Доля квалифицированного персонала: оценён, 8 баллов/).count()).resolves.toBe(1);
  await screenshot(page, 'provider-00-round-decided');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);

test('When citizens ask «Забота» for services, then its admin sees each request with the citizen’s remaining volume, money, tariff and admission, accepts one and declines another with a reason', async () => {
  const accepted = await requestBooking('smirnov', 'HOME-HOUSEHOLD-HOUR', 60);
  const declined = await requestBooking('smirnov', 'HOME-PSYCH-VISIT', 4);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'zabota-admin');
  await page.getByRole('heading', { level: 1, name: 'Кабинет поставщика' }).waitFor();
  await page.getByText(/2 заявки ждут вашего ответа/).waitFor();
  await screenshot(page, 'provider-01-home');

  await page.getByRole('link', { name: 'Заявки получателей' }).click();
  await page.getByRole('heading', { level: 2, name: 'Смирнов А. И. — Социально-бытовые услуги на дому' }).waitFor();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Смирнов А\. И\. — Социально-бытовые/ }) });
  await expect(card.getByText('Ответить до').count()).resolves.toBe(1);
  await expect(card.getByText(/из 120 часов/).count()).resolves.toBe(1);
  await expect(card.getByText(/входит в допуск/).count()).resolves.toBe(1);
  await screenshot(page, 'provider-02-inbox');

  await page.getByRole('button', { name: /^Принять заявку от Смирнов А\. И\. на услугу «Социально-бытовые/ }).click();
  await page.getByText('Заявка принята').waitFor();
  await page.getByRole('button', { name: /^Отказать от Смирнов А\. И\. на услугу «Социально-психологическое/ }).click();
  await page.getByLabel('Причина отказа').selectOption('capacity_exhausted');
  await page.getByLabel('Пояснение для получателя').fill('Все психологи заняты до конца квартала');
  await screenshot(page, 'provider-03-decline');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Отправить отказ' }).click();
  await page.getByText('Отказ отправлен').waitFor();
  await page.getByText('Новых заявок нет').waitFor();

  const bookings = await api(web.stack(), 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/bookings`);
  expect(bookings.items.find((b: any) => b.id === accepted)).toMatchObject({ status: 'accepted' });
  expect(bookings.items.find((b: any) => b.id === declined)).toMatchObject({ status: 'declined', decline: { code: 'capacity_exhausted', reason: 'Все психологи заняты до конца квартала' } });

  await page.getByLabel('Показать').selectOption('all');
  await page.getByText('Вы отказали').waitFor();
  await screenshot(page, 'provider-04-all');
  await context.close();
}, 180_000);

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk' }).format(new Date());
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

test('When «Забота» records one act by the form and several by a CSV file with a bad row, then the good rows are recorded, the bad one is reported, and each act shows where it stands after the citizen answers', async () => {
  const bookings = await api(web.stack(), 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/inbox?status=accepted`);
  const smirnov = bookings.items.find((b: any) => b.recipient_name === 'Смирнов А. И.' && b.service_code === 'HOME-HOUSEHOLD-HOUR');
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'zabota-admin');
  await page.goto(`${web.stack().url}/provider/acts?booking=${smirnov.id}`);
  await page.getByRole('heading', { level: 2, name: 'Записать акт' }).waitFor();
  // More units than the contract has left: refused, said why; the corrected act is then a new act, not
  // a conflict with the refused one's id.
  await page.getByLabel('Объём (единиц услуги)').fill('99');
  await page.getByLabel('ФИО работника').fill('Попова Анна Сергеевна');
  await page.getByLabel('Должность работника').fill('социальный работник');
  await page.getByRole('button', { name: 'Записать акт' }).click();
  await page.getByText(/превышает объём, оставшийся по договору/).first().waitFor();
  await screenshot(page, 'provider-05-act-refused');
  await page.getByLabel('Объём (единиц услуги)').fill('3');
  await page.getByRole('button', { name: 'Записать акт' }).click();
  await page.getByText('Акт записан').waitFor();
  await page.getByRole('heading', { level: 3, name: /^Смирнов А\. И\. — Социально-бытовые услуги на дому, акт от/ }).first().waitFor();
  await screenshot(page, 'provider-05-act-recorded');

  const csv = [
    'booking_id;delivered_on;units;staff_name;staff_position',
    `${smirnov.id};${ruDate(today())};2;Попова Анна Сергеевна;социальный работник`,
    `${smirnov.id};31.02.2026;2;Попова Анна Сергеевна;социальный работник`,
    `${smirnov.id};${today()};1;Иванов Пётр;водитель`,
  ].join('\r\n');
  await page.getByLabel('Файл актов').setInputFiles({ name: 'akty.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}`) });
  await page.getByRole('button', { name: 'Загрузить акты' }).click();
  await page.getByText('Записано 2 акта из 3').waitFor();
  const failedRows = page.getByRole('region', { name: 'Строки, которые не записаны' });
  await expect(failedRows.getByRole('row').count()).resolves.toBe(2);
  await expect(failedRows.getByText(/дата оказания/).count()).resolves.toBe(1);
  await screenshot(page, 'provider-06-csv-report');
  expect(await accessibilityViolations(page)).toEqual([]);

  const acts = (await api(web.stack(), 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/acts?status=held`)).items.filter((a: any) => a.booking_id === smirnov.id);
  expect(acts.map((a: any) => a.units).sort()).toEqual([1, 2, 3]);
  // The citizen (here through his case worker) disputes one act and confirms another.
  const byUnits = (n: number) => acts.find((a: any) => a.units === n);
  await api(web.stack(), 'caseworker-73', 'POST', `/v1/deliveries/${byUnits(1).id}/dispute`, { reason: 'Водитель не приезжал' });
  await api(web.stack(), 'caseworker-73', 'POST', `/v1/deliveries/${byUnits(3).id}/confirm`);
  await page.reload();
  await page.getByText('Оспорен получателем, не оплачивается').waitFor();
  await page.getByText('Водитель не приезжал').waitFor();
  await page.getByText('Подтверждён получателем, проведён к оплате').waitFor();
  await screenshot(page, 'provider-07-acts');
  await context.close();
}, 180_000);

test('When a confirmed act is settled and the batch approved, then «Забота» sees the money waiting for the run, then its payout’s stage and expected payment date, and can download the month', async () => {
  const stack = web.stack();
  const poll = async <T>(probe: () => Promise<T>, done: (v: T) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const value = await probe();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('timed out');
  };
  const money = () => api(stack, 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}/money`, undefined, stack.settlementUrl);
  await poll(money, (m) => m.unsettled.acts > 0);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, stack.url, 'zabota-admin');
  await page.goto(`${stack.url}/provider/money`);
  await page.getByRole('heading', { level: 1, name: 'Расчёты и выплаты' }).waitFor();
  await page.getByText('Ожидаемая дата выплаты').waitFor();
  await screenshot(page, 'provider-08-money-unsettled');

  // Finance runs the month and approves the batch (four eyes), as the finance cabinet would.
  const period = today().slice(0, 7);
  await api(stack, 'finance-73-a', 'PUT', `/v1/payout-limits/${DEMO_BUDGET_PROGRAMME_ID}/${period}`, { region_code: '73', amount: '1000000.00' }, stack.settlementUrl);
  const run = await api(stack, 'finance-73-a', 'POST', '/v1/runs', { region_code: '73', period }, stack.settlementUrl);
  await poll(() => api(stack, 'finance-73-a', 'GET', `/v1/runs/${run.id}`, undefined, stack.settlementUrl), (r) => r.status === 'completed');
  const batch = await api(stack, 'finance-73-a', 'POST', `/v1/runs/${run.id}/batch`, undefined, stack.settlementUrl);
  await api(stack, 'finance-73-b', 'POST', `/v1/batches/${batch.id}/approve`, undefined, stack.settlementUrl);
  await poll(money, (m) => m.payouts.some((p: any) => p.stage === 'sent'));

  await page.reload();
  await page.getByText('Утверждена и отправлена в банк').waitFor();
  await page.getByText(/Ожидаемая дата оплаты — \d{2}\.\d{2}\.\d{4}/).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /^Скачать XLSX — расчёт за/ }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  await screenshot(page, 'provider-09-money-payout');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);

test('When the admin opens the profile, then each service shows whether it is admitted, a new monthly capacity is saved at once, and the staff page lists who has access', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'zabota-admin');
  await page.goto(`${web.stack().url}/provider/profile`);
  await page.getByRole('heading', { level: 1, name: 'Профиль организации' }).waitFor();
  await page.getByText(/^Допущена по итогам отбора/).first().waitFor();
  await page.getByLabel('Объём в месяц — Социально-бытовые услуги на дому').fill('250');
  await page.getByRole('button', { name: 'Сохранить объёмы' }).click();
  await page.getByText('Объёмы услуг в месяц изменены').waitFor();
  const provider = await api(web.stack(), 'zabota-admin', 'GET', `/v1/providers/${ZABOTA_ID}`, undefined, web.stack().registryUrl);
  expect(provider.services.find((s: any) => s.service_code === 'HOME-HOUSEHOLD-HOUR').capacity_per_month).toBe(250);
  await screenshot(page, 'provider-10-profile');

  // A new service needs a round: the profile says so and shows it awaiting admission.
  await page.getByLabel('Услуга', { exact: true }).selectOption('DAYCARE-ELDERLY-DAY');
  await page.getByLabel('Объём в месяц', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Добавить услугу' }).click();
  await page.getByText(/Услуга «Полустационарное социальное обслуживание .*» добавлена в профиль\. Она требует проверки/).waitFor();
  const added = page.getByRole('heading', { level: 3, name: /^Полустационарное социальное обслуживание/ }).locator('xpath=..');
  await added.getByText('Требует проверки: услуга будет доступна гражданам после допуска в отборе').waitFor();
  await expect(page.getByLabel(/^Объём в месяц — Полустационарное/).inputValue()).resolves.toBe('30');
  await screenshot(page, 'provider-10b-profile-new-service');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Сотрудники', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Кузнецова Ольга Викторовна' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Попов Дмитрий Сергеевич' }).waitFor();
  await expect(page.getByText('Волкова Анна Николаевна').count()).resolves.toBe(0);
  await screenshot(page, 'provider-11-staff');
  await context.close();
}, 120_000);

test('When «Забота»’s admin works by keyboard alone, then it applies to a round, accepts a request and records an act without a mouse', async () => {
  const round = await openRound('Отбор: социально-бытовые услуги, второй этап');
  await requestBooking('smirnov', 'HOME-HOUSEHOLD-HOUR', 30);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'zabota-admin');
  await page.goto(`${web.stack().url}/provider`);
  await settled(page);
  await fromTop(page);
  await press(page, 'Отборы');
  await page.getByRole('heading', { level: 1, name: 'Отборы поставщиков' }).waitFor();
  await settled(page);
  await press(page, `Подать заявку на отбор «${round.title}»`);
  await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: round.title }) }).getByText('Заявка подана, ждёт оценки комиссии').waitFor();
  await screenshot(page, 'provider-keyboard-applied');

  await fromTop(page);
  await press(page, 'Заявки');
  await page.getByRole('heading', { level: 1, name: 'Заявки получателей' }).waitFor();
  await settled(page);
  await press(page, /^Принять заявку от Смирнов/);
  await page.getByText('Заявка принята').waitFor();
  await screenshot(page, 'provider-keyboard-accepted');

  // The act for the contract just made, by keyboard too.
  await fromTop(page);
  await press(page, 'Акты');
  await page.getByRole('heading', { level: 1, name: 'Акты об оказании услуг' }).waitFor();
  await settled(page);
  await typeInto(page, 'Объём (единиц услуги)', '');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await typeInto(page, 'ФИО работника', 'Петров Олег Ильич');
  await typeInto(page, 'Должность работника', 'сиделка');
  await press(page, 'Записать акт');
  await page.getByText('Акт записан').waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Акт записан');
  await screenshot(page, 'provider-keyboard-act');
  await context.close();
}, 120_000);

const PROVIDER_PATHS: Array<[string, string]> = [
  ['provider-home', '/provider'],
  ['provider-bookings', '/provider/bookings'],
  ['provider-acts', '/provider/acts'],
  ['provider-money', '/provider/money'],
  ['provider-rounds', '/provider/rounds'],
  ['provider-profile', '/provider/profile'],
  ['provider-staff', '/provider/staff'],
];

test('When the provider opens every page of its cabinet, normal and low-vision, then axe finds no WCAG 2.1 AA violation and nothing scrolls sideways at 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'zabota-admin');
  const problems: string[] = [];
  for (const lowVision of [false, true]) {
    if (lowVision) {
      await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
      await page.getByRole('button', { name: 'Обычная версия' }).waitFor();
    }
    const mode = lowVision ? 'provider-lowvision' : 'provider';
    for (const [name, path] of PROVIDER_PATHS) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${web.stack().url}${path}`);
      await settled(page);
      await screenshot(page, `${mode}-${name}`);
      for (const violation of await accessibilityViolations(page)) problems.push(`${mode} ${path}: ${violation}`);
      await page.setViewportSize({ width: 320, height: 800 });
      await settled(page);
      if (await scrollsHorizontally(page)) problems.push(`${mode} ${path}: scrolls horizontally at 320 px`);
      await screenshot(page, `${mode}-${name}-320`);
    }
  }
  await context.close();
  expect(problems).toEqual([]);
}, 300_000);
