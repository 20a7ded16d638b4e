import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';

/**
 * Issue 16, NGO onboarding in the browser: a representative of an organisation not yet registered
 * signs in through the development ЕСИА, is led to the registration form, registers, invites a staff
 * member by link; he signs in from the link and takes it; she removes him and his session ends.
 */
const web = withWebStack('web-onboarding');

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function signInAs(page: Page, username: string): Promise<void> {
  await page.goto(`${web.stack().url}/sign-in`);
  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.locator(`button[data-username="${username}"]`).click();
  await page.waitForURL((url) => url.origin === web.stack().url && !url.pathname.startsWith('/sign'));
  await settled(page);
}

async function fillRegistration(page: Page, values: { kpp: string; name: string; registeredAt: string }): Promise<void> {
  await page.getByLabel('КПП').fill(values.kpp);
  await page.getByLabel('Полное наименование').fill(values.name);
  await page.getByLabel('Дата регистрации').fill(values.registeredAt);
  await page.getByLabel('Телефон').fill('+78422410077');
  await page.getByLabel('Электронная почта').fill('info@example.ru');
  await page.getByLabel('БИК банка').fill('047308602');
  await page.getByLabel('Банк', { exact: true }).fill('Ульяновское отделение № 8588 ПАО Сбербанк');
  await page.getByLabel('Корреспондентский счёт').fill('30101810000000000602');
  await page.getByLabel('Расчётный счёт').fill('40703810269000001234');
  await page.getByLabel('Адрес, где оказываются услуги').fill('г. Ульяновск, ул. Карла Маркса, д. 5');
}

test('A second representative of a registered organisation is told her request went to its admin, who lets her in', async () => {
  const deputyContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const deputy = await deputyContext.newPage();
  await signInAs(deputy, 'rehab-deputy');
  expect(new URL(deputy.url()).pathname).toBe('/onboarding');
  await fillRegistration(deputy, { kpp: '732801001', name: 'ООО «Реабилитация Плюс»', registeredAt: '2015-03-10' });
  await deputy.getByRole('button', { name: 'Зарегистрировать организацию' }).click();
  await deputy.getByText(/уже зарегистрирована в маркетплейсе\. Мы передали её администратору вашу просьбу о доступе/).waitFor();
  await screenshot(deputy, 'onboarding-join-requested');

  // The marketplace admin sees every organisation's open requests too (the way a state institution's head gets in).
  const marketplaceContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const marketplace = await marketplaceContext.newPage();
  await signInAs(marketplace, 'admin');
  await marketplace.goto(`${web.stack().url}/admin/accounts`);
  await settled(marketplace);
  await marketplace.getByRole('heading', { name: 'Представители организаций просят доступ' }).waitFor();
  await marketplace.getByRole('heading', { level: 3, name: 'Зайцева Виктория Олеговна' }).waitFor();
  await screenshot(marketplace, 'admin-join-requests');
  expect(await accessibilityViolations(marketplace)).toEqual([]);
  await marketplaceContext.close();

  const adminContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const admin = await adminContext.newPage();
  await signInAs(admin, 'rehab-admin');
  await admin.goto(`${web.stack().url}/provider/staff`);
  await settled(admin);
  await admin.getByRole('heading', { name: 'Просят доступ' }).waitFor();
  await screenshot(admin, 'provider-join-requests');
  expect(await accessibilityViolations(admin)).toEqual([]);
  await admin.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(admin)).toBe(false);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.getByRole('button', { name: 'Допустить как сотрудника: Зайцева Виктория Олеговна' }).click();
  await admin.getByRole('heading', { level: 2, name: 'Зайцева Виктория Олеговна' }).waitFor();

  await signInAs(deputy, 'rehab-deputy');
  await deputy.getByRole('link', { name: 'Кабинет поставщика' }).click();
  await deputy.waitForURL('**/provider');
  await settled(deputy);
  await expect(deputy.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Реабилитация Плюс|Кабинет/);
  await deputyContext.close();
  await adminContext.close();
});

test('From the first sign-in to an organisation with one staff member invited, working and removed', async () => {
  const headContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const head = await headContext.newPage();
  await head.goto(`${web.stack().url}/sign-in`);
  await head.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await head.locator('button[data-username="ngo-dobro"]').click();
  await head.waitForURL((url) => url.origin === web.stack().url && url.pathname === '/onboarding');
  await settled(head);
  await head.getByLabel('КПП').waitFor();
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(head)).toBe(false);
  await head.setViewportSize({ width: 1280, height: 900 });

  await head.getByLabel('КПП').fill('7325');
  await head.getByText('КПП — 9 цифр').waitFor();
  await head.getByLabel('КПП').fill('732501001');
  await head.getByLabel('Полное наименование').fill('Автономная некоммерческая организация «Добрые руки»');
  await head.getByLabel('Дата регистрации').fill('2002-05-14');
  await head.getByLabel('Телефон').fill('+78422410077');
  await head.getByLabel('Электронная почта').fill('info@dobro73.ru');
  await head.getByLabel('БИК банка').fill('047308602');
  await head.getByLabel('Банк', { exact: true }).fill('Ульяновское отделение № 8588 ПАО Сбербанк');
  await head.getByLabel('Корреспондентский счёт').fill('30101810000000000602');
  await head.getByLabel('Расчётный счёт').fill('40703810269000001234');
  await head.getByLabel('Адрес, где оказываются услуги').fill('г. Ульяновск, ул. Карла Маркса, д. 5');
  await screenshot(head, 'onboarding-form');
  await head.getByRole('button', { name: 'Зарегистрировать организацию' }).click();
  await head.waitForURL('**/provider/profile');
  await settled(head);

  await head.goto(`${web.stack().url}/provider/staff`);
  await settled(head);
  await head.getByLabel('Электронная почта').fill('tarasov@example.ru');
  await head.getByRole('button', { name: 'Пригласить' }).click();
  const link = (await head.getByTestId('invitation-link').textContent())!;
  expect(link).toMatch(/\/invitations\/[\w-]{43}$/);

  const staffContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const staff = await staffContext.newPage();
  await staff.goto(link);
  await settled(staff);
  await staff.getByRole('link', { name: 'Войти через Госуслуги, чтобы принять' }).click();
  await staff.locator('button[data-username="ngo-svet"]').click();
  await staff.waitForURL((url) => url.origin === web.stack().url && url.pathname.startsWith('/invitations/'));
  await settled(staff);
  await screenshot(staff, 'invitation-page');
  expect(await accessibilityViolations(staff)).toEqual([]);
  await staff.getByRole('button', { name: 'Принять приглашение' }).click();
  await staff.waitForURL((url) => url.pathname === '/provider');
  await settled(staff);

  await head.reload();
  await settled(head);
  await head.getByRole('heading', { name: 'Тарасов Михаил Ильич' }).waitFor();
  await screenshot(head, 'provider-staff');
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(head)).toBe(false);
  await head.setViewportSize({ width: 1280, height: 900 });
  await head.getByRole('button', { name: 'Отключить: Тарасов Михаил Ильич' }).click();
  await head.getByRole('heading', { name: 'Тарасов Михаил Ильич' }).waitFor({ state: 'detached' });
  expect((await staff.request.get(`${web.stack().url}/api/session`)).status()).toBe(401);
  await headContext.close();
  await staffContext.close();
});
