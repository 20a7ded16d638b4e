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
