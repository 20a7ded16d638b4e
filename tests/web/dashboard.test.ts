import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { signInThroughPage } from './session';

/**
 * The region's dashboard: a visitor reads the open data (small cells shown as hidden) and downloads it;
 * the ministry signed in reads every figure. Charts come with the table that lists the same.
 */
const web = withWebStack('web-dashboard');

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.getByRole('table', { name: 'Показатели области по месяцам' }).waitFor();
  await page.locator('.dashboard-chart svg').first().waitFor();
  await page.waitForLoadState('networkidle');
}

test('When a visitor opens the dashboard, then the open data hides small cells, downloads as CSV and JSON, and the page passes axe at 1280 and 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await page.goto(`${web.stack().url}/`);
  await page.getByRole('link', { name: 'Показатели области' }).click();
  await page.getByRole('heading', { level: 1, name: 'Показатели области' }).waitFor();
  await settled(page);
  await page.getByText(/Открытые данные: показатели, за которыми стоят меньше 5 человек/).waitFor();
  // The demo has two certificates: too few to publish.
  const months = page.getByRole('table', { name: 'Показатели области по месяцам' });
  expect(await months.getByText('скрыто').count()).toBeGreaterThan(0);
  await screenshot(page, 'dashboard-01-public');
  expect(await accessibilityViolations(page)).toEqual([]);

  const csvHref = await page.getByRole('link', { name: 'Скачать CSV' }).getAttribute('href');
  const csv = await page.evaluate(async (href) => {
    const res = await fetch(href!);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }, csvHref);
  expect(csv).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8' });
  expect(csv.text.split('\r\n')[0]).toMatch(/^month,district_oktmo,certificates_issued,/);
  const jsonHref = await page.getByRole('link', { name: 'Открыть JSON' }).getAttribute('href');
  const json = await page.evaluate(async (href) => (await fetch(href!)).json(), jsonHref);
  expect(json).toMatchObject({ region_code: '73', suppress_below: 5 });

  await page.setViewportSize({ width: 320, height: 800 });
  // Loaded afresh at 320 px, as a phone opens it: the charts measure their width when drawn.
  await page.reload();
  await settled(page);
  await screenshot(page, 'dashboard-02-public-320');
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-scroll') && !e.closest('.dashboard-chart')).slice(0, 5).map((e) => e.tagName + '.' + e.className),
  );
  expect(wide).toEqual([]);
  expect(await scrollsHorizontally(page)).toBe(false);
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);

test('When the ministry signs in, then the dashboard shows every figure, the two demo certificates included', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'admin');
  await page.goto(`${web.stack().url}/dashboard`);
  await settled(page);
  await page.getByText('Вы видите полные данные для министерства.').waitFor();
  const months = page.getByRole('table', { name: 'Показатели области по месяцам' });
  expect(await months.getByText('скрыто').count()).toBe(0);
  const issued = await months.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[0]?.textContent?.replace(/\D/g, '') || '0')));
  expect(issued.reduce((a, b) => a + b, 0)).toBe(2);
  await screenshot(page, 'dashboard-03-ministry');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);
