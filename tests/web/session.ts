import type { Page } from 'playwright-core';

/**
 * Signs in as a person would: the app's sign-in page, «Войти через Госуслуги», the development ЕСИА's
 * one-click page (the demo user picked by username), and back through the gateway's callback.
 */
export async function signInThroughPage(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.locator(`button[data-username="${username}"]`).click();
  await page.waitForURL((url) => url.origin === baseUrl && !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/signed-in'));
}
