import { withWebStack, screenshot } from './browser';

/**
 * A visitor, without signing in, finds a provider by service and district: first in the list, then
 * on the map (same filters, kept in the address), and opens its page with the tariff. The map's
 * districts and points work from the keyboard, and Back restores the previous search.
 */
const web = withWebStack('web-navigator-journey');

const ULYANOVSK = '73701000';
const DIMITROVGRAD = '73705000';

test('When a visitor picks a service and a district, then the list and the map show the same providers and lead to the provider’s page', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${web.stack().url}/`);
  await page.getByRole('link', { name: /^Поставщики$/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Поставщики социальных услуг' }).waitFor();

  await page.getByLabel('Услуга').selectOption('HOME-HOUSEHOLD-HOUR');
  await page.getByLabel('Район или городской округ').selectOption(ULYANOVSK);
  await page.waitForURL((url) => url.searchParams.get('service') === 'HOME-HOUSEHOLD-HOUR' && url.searchParams.get('district') === ULYANOVSK);
  const results = page.getByTestId('provider-result');
  await results.filter({ hasText: 'Забота' }).first().waitFor();
  const listed = await results.allTextContents();
  expect(listed.some((text) => text.includes('Реабилитация Плюс'))).toBe(false);
  await screenshot(page, 'navigator-01-list');

  // The map: the same filters, from the address.
  await page.getByRole('radio', { name: 'Карта' }).click();
  await page.waitForURL((url) => url.searchParams.get('view') === 'map' && url.searchParams.get('district') === ULYANOVSK);
  const point = page.getByRole('link', { name: /Забота.*Открыть страницу поставщика/ }).first();
  await point.waitFor();
  await expect(page.getByText(/Схема районов условная/).count()).resolves.toBeGreaterThan(0);
  expect(await results.count()).toBe(listed.length);
  await screenshot(page, 'navigator-02-map');

  // A district chosen on the map by keyboard filters the search; Back brings Ulyanovsk again.
  const dimitrovgrad = page.getByRole('button', { name: /^город Димитровград/ });
  await dimitrovgrad.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('district') === DIMITROVGRAD);
  await page.getByRole('button', { name: /^город Димитровград.*выбран/ }).waitFor();
  await screenshot(page, 'navigator-03-map-dimitrovgrad');
  await page.goBack();
  await page.waitForURL((url) => url.searchParams.get('district') === ULYANOVSK);

  // The provider's point opens its page, with the service's tariff.
  await page.getByRole('link', { name: /Забота.*Открыть страницу поставщика/ }).first().focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /Забота/ }).waitFor();
  await page.getByText('312,40 ₽', { exact: false }).first().waitFor();
  await screenshot(page, 'navigator-04-provider');
  await context.close();
}, 120_000);
