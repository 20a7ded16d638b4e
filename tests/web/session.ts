import type { Page } from 'playwright-core';

/** Signs in through the app's own sign-in page, as a person would. */
export async function signInThroughPage(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill('demo');
  await page.locator('#main').getByRole('button', { name: 'Войти', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
