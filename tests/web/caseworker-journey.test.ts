import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { asCaseworker, bulkFile, freshSnils } from './caseworker-side';
import { fromTop, press, signInByKeyboard, tabTo, typeInto } from './keyboard';
import { signInThroughPage } from './session';

/**
 * The case worker's cabinet in Chromium against the real stack with the demo data: the queue, finding
 * a person, the decision, the individual programme and the certificate with the 442-FZ fee worked out
 * before issuing, then a bulk issue with failing rows and its error report; the same journey by
 * keyboard alone; and axe (WCAG 2.1 AA) on every page of the cabinet, normal and low-vision, with
 * nothing scrolling sideways at 320 px.
 */
const web = withWebStack('web-caseworker', { certificatesJobs: true });

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

/** Axe on the page as it is, and at 320 px nothing scrolls sideways; screenshots of both widths. */
async function audit(page: Page, name: string, problems: string[]): Promise<void> {
  await settled(page);
  await screenshot(page, `caseworker-${name}`);
  for (const violation of await accessibilityViolations(page)) problems.push(`${name}: ${violation}`);
  await page.setViewportSize({ width: 320, height: 800 });
  await settled(page);
  if (await scrollsHorizontally(page)) problems.push(`${name}: scrolls horizontally at 320 px`);
  await screenshot(page, `caseworker-${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function newPage() {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

test('When a case worker finds an applicant, decides, draws the programme and issues with the fee worked out, then runs a bulk issue with failing rows, every page passes axe', async () => {
  const applicant = await (await asCaseworker(web.stack())).applicant('Кузнецова', 'Валентина');
  const page = await newPage();
  const problems: string[] = [];

  await signInThroughPage(page, web.stack().url, 'caseworker-73');
  await page.getByRole('heading', { level: 1, name: 'Очередь обследований' }).waitFor();
  await page.getByRole('link', { name: 'Кузнецова Валентина Сергеевна' }).waitFor();
  await expect(page.getByText(/решение о нуждаемости до/).first().isVisible()).resolves.toBe(true);
  await audit(page, '01-queue', problems);

  await page.getByLabel('Состояние').selectOption('programme_drawn');
  await page.getByRole('link', { name: /Иванова Мария/ }).waitFor();
  await audit(page, '02-queue-drawn', problems);

  await page.getByRole('navigation').getByRole('link', { name: 'Получатели' }).click();
  await page.getByRole('heading', { level: 1, name: 'Реестр получателей' }).waitFor();
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByText('Введите СНИЛС или фамилию').first().waitFor();
  await page.getByLabel('СНИЛС или ФИО').fill('Кузнецова Вал');
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByRole('link', { name: 'Кузнецова Валентина Сергеевна' }).waitFor();
  await audit(page, '03-search', problems);

  await page.getByRole('link', { name: 'Кузнецова Валентина Сергеевна' }).click();
  await page.getByRole('heading', { level: 1, name: 'Кузнецова Валентина Сергеевна' }).waitFor();
  await page.getByText('Среднедушевой доход').waitFor();
  await expect(page.getByText(/46\s666,66\s₽ ÷ 2 = 23\s333,33\s₽/).isVisible()).resolves.toBe(true);
  await audit(page, '04-recipient', problems);

  await page.getByRole('link', { name: /^Обследование от/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Обследование: Кузнецова Валентина Сергеевна' }).waitFor();
  await page.getByRole('button', { name: 'Записать решение' }).click();
  await page.getByRole('alert').getByText('Выберите решение').waitFor();
  await page.getByLabel('Отказать в признании нуждающимся').check();
  await page.getByLabel('Причина отказа').waitFor();
  await audit(page, '05-decision', problems);
  await page.getByLabel('Признать нуждающимся в социальном обслуживании').check();
  await page.getByRole('button', { name: 'Записать решение' }).click();
  await page.getByText('Получатель признан нуждающимся').waitFor();
  await page.getByText(/специалист Морозова Елена Александровна/).waitFor();

  await page.getByRole('heading', { level: 2, name: 'Индивидуальная программа' }).waitFor();
  await page.getByLabel('Услуга', { exact: true }).selectOption('HOME-HOUSEHOLD-HOUR');
  await page.getByLabel('Объём в месяц').fill('300');
  await page.getByRole('button', { name: 'Составить программу' }).click();
  await page.getByRole('alert').getByText(/по стандарту услуги не больше/).waitFor();
  await audit(page, '06-programme', problems);
  await page.getByLabel('Объём в месяц').fill('20');
  await page.getByRole('button', { name: 'Составить программу' }).click();
  await page.getByText('Индивидуальная программа составлена').waitFor();

  // The quote: I = 23 333,33; L = 1,5 × 15 000 = 22 500; cap 50 % × 833,33 = 416,665 ≈ 416,67 a month × 6.
  const fee = page.locator('.fee-formula');
  await fee.getByText(/Предельная величина L = 1,5 × прожиточный минимум 15\s000,00\s₽ = 22\s500,00\s₽/).waitFor();
  await fee.getByText(/50 % × \(I − L\) = 50 % × \(23\s333,33\s₽ − 22\s500,00\s₽\) = 416,665 ₽ ≈ 416,67\s₽/).waitFor();
  await fee.getByText(/Плата за весь срок: 2\s500,02\s₽/).waitFor();
  await page.getByText(/Номинал сертификата = стоимость 37\s488,00\s₽ − плата 2\s500,02\s₽ = 34\s987,98\s₽/).waitFor();
  await page.getByText(/Сейчас .*₽; после выдачи .*₽\./).waitFor();
  await audit(page, '07-quote', problems);

  await page.getByRole('button', { name: /^Выдать сертификат на 34\s987,98\s₽/ }).click();
  await page.getByRole('heading', { name: /^Сертификат № 73-\d{4}-\d{7} выдан$/ }).waitFor();
  await expect(page.getByText(/плата получателя 2\s500,02\s₽/).isVisible()).resolves.toBe(true);
  await audit(page, '08-issued', problems);

  await page.getByRole('link', { name: 'Кузнецова Валентина Сергеевна' }).click();
  await page.getByText(/Сертификат: Сертификат 73-.* Записал специалист: Морозова Елена Александровна/).waitFor();
  await page.goBack();
  await page.getByRole('link', { name: 'Открыть сертификат в кабинете получателя' }).click();
  await page.getByRole('heading', { level: 1, name: /Сертификат № / }).waitFor();
  await expect(page.url()).toContain(`recipient=${applicant.recipientId}`);

  // A new applicant registered from the register, and an assessment opened from the card.
  await page.getByRole('navigation').getByRole('link', { name: 'Получатели' }).click();
  await page.getByRole('link', { name: 'Зарегистрировать нового получателя' }).click();
  await page.getByRole('heading', { level: 1, name: 'Регистрация получателя' }).waitFor();
  await page.getByRole('button', { name: 'Зарегистрировать' }).click();
  await page.getByRole('alert').getByText('Введите фамилию').waitFor();
  await page.getByRole('button', { name: 'Добавить члена семьи' }).click();
  await audit(page, '12-register', problems);
  const snils = freshSnils();
  await page.getByLabel('СНИЛС').fill(`${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`);
  await page.getByLabel('Фамилия').fill('Соколова');
  await page.getByLabel('Имя', { exact: true }).fill('Тамара');
  await page.getByLabel('Отчество (если есть)').fill('Ильинична');
  await page.getByLabel('Дата рождения').fill('02.02.1941');
  await page.getByLabel('Район').selectOption('73701000');
  await page.getByLabel('Адрес проживания').fill('г. Ульяновск, ул. Карла Маркса, д. 1');
  await page.getByLabel('Собственный доход в месяц, ₽').fill('18 000,00');
  await page.getByLabel('Кем приходится').fill('дочь');
  await page.getByLabel('ФИО', { exact: true }).fill('Соколова Ирина Петровна');
  await page.getByLabel('Доход в месяц, ₽', { exact: true }).fill('24000');
  await page.getByRole('button', { name: 'Зарегистрировать' }).click();
  await page.getByRole('heading', { level: 1, name: 'Соколова Тамара Ильинична' }).waitFor();
  await page.getByText(/42\s000,00\s₽ ÷ 2 = 21\s000,00\s₽/).waitFor();
  await page.getByRole('link', { name: 'Изменить адрес, доходы, категории или состав семьи' }).click();
  await page.getByRole('heading', { level: 1, name: 'Изменение сведений: Соколова Тамара Ильинична' }).waitFor();
  await page.getByLabel('Собственный доход в месяц, ₽').fill('20000');
  await page.getByLabel('Инвалиды I группы').check();
  await audit(page, '13-edit-recipient', problems);
  await page.getByRole('button', { name: 'Сохранить изменения' }).click();
  await page.getByRole('heading', { level: 1, name: 'Соколова Тамара Ильинична' }).waitFor();
  await page.getByText(/44\s000,00\s₽ ÷ 2 = 22\s000,00\s₽/).waitFor();
  await page.getByText('Инвалиды I группы').waitFor();
  await page.getByRole('button', { name: 'Открыть обследование по заявлению' }).click();
  await page.getByRole('heading', { level: 1, name: 'Обследование: Соколова Тамара Ильинична' }).waitFor();
  await page.getByRole('button', { name: 'Записать решение' }).waitFor();

  // Bulk issue: an empty form first, then a file with two good people and three failing rows.
  await page.getByRole('navigation').getByRole('link', { name: 'Массовая выдача' }).click();
  await page.getByRole('heading', { level: 1, name: 'Массовая выдача сертификатов' }).waitFor();
  await page.getByRole('button', { name: 'Загрузить и выдать' }).click();
  await page.getByRole('alert').getByText('Выберите CSV-файл').waitFor();
  await audit(page, '09-bulk-form', problems);
  await page.getByLabel('CSV-файл').setInputFiles({ name: 'получатели-декабрь.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${bulkFile()}\r\n`) });
  await page.getByRole('button', { name: 'Загрузить и выдать' }).click();
  await page.getByRole('heading', { level: 1, name: 'Массовая выдача: получатели-декабрь.csv' }).waitFor();
  await page.getByText(/Завершена: обработано 5 из 5 строк \(100 %\)/).waitFor({ timeout: 30_000 });
  await page.getByText('Выдано по строкам: 2. Не выдано: 3.').waitFor();
  const errorRows = page.locator('table').filter({ hasText: 'Что исправить' }).locator('tbody tr');
  await errorRows.nth(2).waitFor();
  await expect(errorRows.count()).resolves.toBe(3);
  await expect(errorRows.nth(0).textContent()).resolves.toContain('контрольное число');
  const download = page.getByRole('link', { name: /Скачать отчёт об ошибках \(CSV, 3 строки\)/ });
  const report = await page.request.get(new URL((await download.getAttribute('href'))!, web.stack().url).toString());
  expect(report.status()).toBe(200);
  expect(report.headers()['content-type']).toContain('text/csv');
  expect((await report.text()).split('\r\n')[0]).toContain('row_no;snils;code;detail');
  await audit(page, '10-bulk-done', problems);
  await page.getByRole('link', { name: 'Загрузить другой файл' }).click();
  await page.getByRole('link', { name: 'получатели-декабрь.csv' }).waitFor();
  await audit(page, '11-bulk-list', problems);

  // The same pages in the low-vision version, and an assessment waiting for its issue.
  const side = await asCaseworker(web.stack());
  const ready = await side.applicant('Морозова', 'Нина');
  await side.drawn(ready.assessmentId);
  await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
  await page.getByRole('button', { name: 'Обычная версия' }).waitFor();
  for (const [name, path] of [
    ['lv-queue', '/caseworker'],
    ['lv-search', '/caseworker/recipients?q=Кузнецова'],
    ['lv-recipient', `/caseworker/recipients/${applicant.recipientId}`],
    ['lv-assessment', `/caseworker/assessments/${applicant.assessmentId}`],
    ['lv-quote', `/caseworker/assessments/${ready.assessmentId}`],
    ['lv-bulk', '/caseworker/bulk'],
    ['lv-register', '/caseworker/recipients/new'],
  ] as const) {
    await page.goto(`${web.stack().url}${path}`);
    await audit(page, name, problems);
  }
  expect(problems).toEqual([]);
}, 240_000);

test('When a case worker uses only the keyboard, then he finds the applicant, recognises her, draws the programme, issues the certificate and runs a bulk issue', async () => {
  await (await asCaseworker(web.stack())).applicant('Лебедева', 'Галина');
  const page = await newPage();

  await signInByKeyboard(page, web.stack().url, 'caseworker-73');
  await page.getByRole('heading', { level: 1, name: 'Очередь обследований' }).waitFor();

  await fromTop(page);
  await press(page, 'Получатели');
  await page.getByRole('heading', { level: 1, name: 'Реестр получателей' }).waitFor();
  await typeInto(page, 'СНИЛС или ФИО', 'Лебедева');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Лебедева Галина Сергеевна' }).waitFor();
  await press(page, 'Лебедева Галина Сергеевна');
  await page.getByRole('heading', { level: 1, name: 'Лебедева Галина Сергеевна' }).waitFor();
  await press(page, /^Обследование от/);
  await page.getByRole('heading', { level: 1, name: /^Обследование: Лебедева/ }).waitFor();

  await tabTo(page, 'Признать нуждающимся в социальном обслуживании');
  await page.keyboard.press('Space');
  await press(page, 'Записать решение');
  await page.getByText('Получатель признан нуждающимся').waitFor();

  await fromTop(page);
  await tabTo(page, 'Услуга');
  // A closed <select> steps through its options with the arrow keys, as a keyboard user does.
  for (let i = 0; i < 10 && (await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)) !== 'HOME-HOUSEHOLD-HOUR'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).resolves.toBe('HOME-HOUSEHOLD-HOUR');
  await typeInto(page, 'Объём в месяц', '20');
  await press(page, 'Составить программу');
  await page.getByText('Индивидуальная программа составлена').waitFor();
  await page.locator('.fee-formula').getByText(/Плата за весь срок: 2\s500,02\s₽/).waitFor();

  await fromTop(page);
  await press(page, /^Выдать сертификат на /);
  await page.getByRole('heading', { name: /^Сертификат № .* выдан$/ }).waitFor();
  await expect(page.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toMatch(/Сертификат № .* выдан/);
  await screenshot(page, 'caseworker-keyboard-issued');

  // The bulk issue by keyboard: the file input opens the system's file dialog on Space, as it would for a person.
  await fromTop(page);
  await press(page, 'Массовая выдача');
  await page.getByRole('heading', { level: 1, name: 'Массовая выдача сертификатов' }).waitFor();
  await tabTo(page, 'CSV-файл');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'клавиатура.csv', mimeType: 'text/csv', buffer: Buffer.from(bulkFile()) });
  await press(page, 'Загрузить и выдать');
  await page.getByText(/Завершена: обработано 5 из 5 строк/).waitFor({ timeout: 30_000 });
  await tabTo(page, /^Скачать отчёт об ошибках/);
  await screenshot(page, 'caseworker-keyboard-bulk');
}, 180_000);

test('When a citizen reads her history, then what a case worker did for her names the worker', async () => {
  const page = await newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-ivanova');
  await page.goto(`${web.stack().url}/cabinet/requests`);
  await page.getByRole('heading', { level: 1, name: 'Мои обращения' }).waitFor();
  const certificate = page.locator('li').filter({ has: page.getByRole('heading', { name: /^Сертификат 73-/ }) }).first();
  await certificate.getByText('Записал специалист').waitFor();
  await expect(certificate.getByText('Морозова Елена Александровна').isVisible()).resolves.toBe(true);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'caseworker-citizen-history');
}, 60_000);
