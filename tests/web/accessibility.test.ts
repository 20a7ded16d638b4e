import type { Page } from 'playwright-core';
import { demoCertificateId } from '../../infra/dev/seed-certificates';
import { accessibilityViolations, withWebStack, screenshot, scrollsHorizontally } from './browser';
import { signInThroughPage } from './session';

/**
 * Every page of the navigator and the citizen's cabinet, as the demo data fills them: no WCAG 2.1 AA
 * violation in the normal and the low-vision version, and nothing scrolls sideways at 320 px.
 * Screenshots of each land in var/screenshots for a person to look at.
 */
const web = withWebStack('web-accessibility');

const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';

async function publicPaths(): Promise<Array<[string, string]>> {
  const rounds = (await (await fetch(`${web.stack().registryUrl}/v1/public/rounds`)).json()) as { items: Array<{ id: string }> };
  const situations = (await (await fetch(`${web.stack().registryUrl}/v1/life-situations?region=73`)).json()) as { items: Array<{ code: string }> };
  expect(rounds.items.length).toBeGreaterThan(0);
  expect(situations.items.length).toBeGreaterThanOrEqual(4);
  return [
    ['home', '/'],
    ['services', '/services'],
    ['service', '/services/HOME-HOUSEHOLD-HOUR'],
    ['providers-list', '/providers?service=HOME-HOUSEHOLD-HOUR'],
    ['providers-map', '/providers?view=map'],
    ['provider', `/providers/${ZABOTA_ID}`],
    ['rounds', '/rounds'],
    ['round-results', `/rounds/${rounds.items[0]!.id}`],
    ['situations', '/situations'],
    ['situation', `/situations/${situations.items[0]!.code}`],
    ['sign-in', '/sign-in'],
    ['not-found', '/no-such-page'],
  ];
}

const CABINET_PATHS: Array<[string, string]> = [
  ['cabinet-certificates', '/cabinet/certificates'],
  ['cabinet-certificate', `/cabinet/certificates/${demoCertificateId('ivanova')}`],
  ['cabinet-bookings', '/cabinet/bookings'],
  ['cabinet-acts', '/cabinet/acts'],
  ['cabinet-requests', '/cabinet/requests'],
  ['profile', '/profile'],
];

/** Waits until the page has drawn its data: no loader, an h1 present. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role="status"] .g-loader, .g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function checkPages(page: Page, paths: Array<[string, string]>, mode: string) {
  const problems: string[] = [];
  for (const [name, path] of paths) {
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
  return problems;
}

async function setLowVision(page: Page, on: boolean) {
  await page.goto(`${web.stack().url}/`);
  await settled(page);
  const toggle = page.getByRole('button', { name: on ? 'Версия для слабовидящих' : 'Обычная версия' });
  await toggle.click();
  await page.getByRole('button', { name: on ? 'Обычная версия' : 'Версия для слабовидящих' }).waitFor();
}

test('When a visitor opens every public page, normal and low-vision, then axe finds no WCAG 2.1 AA violation and nothing scrolls sideways at 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const paths = await publicPaths();
  const problems = await checkPages(page, paths, 'public');
  await setLowVision(page, true);
  expect(await page.evaluate(() => document.documentElement.hasAttribute('data-low-vision'))).toBe(true);
  problems.push(...(await checkPages(page, paths, 'public-lowvision')));
  // The switch is kept per browser: a new page of the same context opens in the low-vision version.
  const again = await context.newPage();
  await again.goto(`${web.stack().url}/services`);
  expect(await again.evaluate(() => document.documentElement.hasAttribute('data-low-vision'))).toBe(true);
  await context.close();
  expect(problems).toEqual([]);
}, 300_000);

test('When a citizen opens every cabinet page, normal and low-vision, then axe finds no WCAG 2.1 AA violation and nothing scrolls sideways at 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-ivanova');
  const problems = await checkPages(page, CABINET_PATHS, 'citizen');
  await setLowVision(page, true);
  problems.push(...(await checkPages(page, CABINET_PATHS, 'citizen-lowvision')));
  await context.close();
  expect(problems).toEqual([]);
}, 300_000);
