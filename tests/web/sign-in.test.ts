import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';

/**
 * Issue 16 in the browser: the web app's sign-in page starts the OpenID Connect flow («Войти через
 * Госуслуги»), the development ЕСИА's one-click page signs a demo user in, the gateway's callback
 * lands in the person's cabinet; «Мой профиль» lists the sessions and ends the others; the admin grants a role.
 */
const web = withWebStack('web-sign-in');

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function signIn(page: Page, username: string, from = '/sign-in'): Promise<void> {
  await page.goto(`${web.stack().url}${from}`);
  await settled(page);
  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.waitForURL((url) => url.origin === web.stack().identityProviderUrl);
  await page.locator(`button[data-username="${username}"]`).click();
  await page.waitForURL((url) => url.origin === web.stack().url && !url.pathname.startsWith('/sign'));
  await settled(page);
}

test('A citizen signs in through the development ЕСИА from the sign-in page and lands in her cabinet; the pages are axe-clean', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await page.goto(`${web.stack().url}/sign-in`);
  await settled(page);
  await expect(page.getByLabel('Пароль').count()).resolves.toBe(0);
  await screenshot(page, 'sign-in-page');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.waitForURL((url) => url.origin === web.stack().identityProviderUrl && url.pathname.startsWith('/interaction/'));
  await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(/Кем войти/);
  await screenshot(page, 'sign-in-esia-dev');
  await page.locator('button[data-username="citizen-ivanova"]').click();

  await page.waitForURL((url) => url.origin === web.stack().url && url.pathname === '/cabinet/certificates');
  await settled(page);
  await expect(page.getByRole('link', { name: 'Иванова Мария Петровна' }).isVisible()).resolves.toBe(true);
  await screenshot(page, 'sign-in-landed');
  const cookies = await context.cookies(web.stack().url);
  expect(cookies.find((c) => c.name === 'esc_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  await context.close();
});

test('A page that needs sign-in comes back to itself after the provider; a refused callback shows its reason on the sign-in page', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await page.goto(`${web.stack().url}/cabinet/acts`);
  await page.waitForURL('**/sign-in?next=*');
  await settled(page);
  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.locator('button[data-username="citizen-smirnov"]').click();
  await page.waitForURL((url) => url.origin === web.stack().url && url.pathname === '/cabinet/acts');

  await page.goto(`${web.stack().url}/api/auth/callback?code=forged&state=forged`);
  await page.waitForURL('**/sign-in?error=sign_in_expired');
  await settled(page);
  await expect(page.getByText('Вход занял слишком много времени').isVisible()).resolves.toBe(true);
  await screenshot(page, 'sign-in-refused');
  await context.close();
});

test('«Мой профиль» lists the sessions and ends the other browser’s; the admin grants and revokes a role on the accounts page', async () => {
  const laptop = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const phone = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await laptop.newPage();
  const other = await phone.newPage();
  await signIn(page, 'finance-73-b');
  await signIn(other, 'finance-73-b');

  await page.getByRole('link', { name: 'Егоров Виктор Павлович' }).click();
  await page.waitForURL('**/profile');
  await settled(page);
  await expect(page.getByRole('list', { name: 'Мои сеансы' }).getByRole('listitem').count()).resolves.toBe(2);
  await screenshot(page, 'profile-sessions');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Завершить другие сеансы' }).click();
  await page.getByText('Завершено других сеансов: 1.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Мои сеансы"] > li').length === 1);
  const gone = await other.request.get(`${web.stack().url}/api/session`);
  expect(gone.status()).toBe(401);

  const admin = await laptop.newPage();
  await signIn(admin, 'admin');
  await admin.goto(`${web.stack().url}/admin/accounts`);
  await settled(admin);
  await admin.getByLabel('ФИО, СНИЛС или ИНН организации').fill('Смирнов');
  await admin.getByRole('button', { name: 'Найти' }).click();
  await admin.getByRole('heading', { name: 'Смирнов Алексей Игоревич' }).waitFor();
  const card = admin.locator('li', { has: admin.getByRole('heading', { name: 'Смирнов Алексей Игоревич' }) });
  await card.getByLabel('Роль').selectOption('auditor');
  await card.getByRole('button', { name: 'Выдать роль' }).click();
  await card.getByText(/^аудитор — выдана/).waitFor();
  await screenshot(admin, 'admin-accounts');
  expect(await accessibilityViolations(admin)).toEqual([]);
  await admin.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(admin)).toBe(false);
  await screenshot(admin, 'admin-accounts-320');
  await admin.setViewportSize({ width: 1280, height: 900 });
  await card.getByRole('button', { name: 'Отозвать' }).click();
  await card.getByText(/^аудитор — выдана/).waitFor({ state: 'detached' });
  await laptop.close();
  await phone.close();
});
