import type { Page } from 'playwright-core';
import { DEMO_BUDGET_PROGRAMME_ID } from '../../infra/dev/seed-certificates';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { fromTop, press, signInByKeyboard, tabTo, typeInto } from './keyboard';
import { signInThroughPage } from './session';
import type { WebStack } from './stack';

/**
 * The register and map of social deficits in the browser: the committee computes the month, the map
 * and its table say the same for every district, a district opens its providers and waiting list, the
 * register downloads as CSV, and the whole of it works with the keyboard alone; axe finds nothing.
 */
const web = withWebStack('web-deficits');

const RADISHCHEVO = '73636000';
const BARYSH = '73604000';

let snils = 3_100_000 + Math.floor(Math.random() * 1_000_000);
function nextSnils(): string {
  const body = String(++snils * 100 + 7).padStart(9, '0').slice(-9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}

/** A person in a district with a certificate for home help and no provider chosen. */
async function waitingIn(stack: WebStack, district: string, volume: number) {
  const token = await stack.tokenFor('caseworker-73');
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.certificatesUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = (await res.json()) as { id: string };
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const recipient = await call('/v1/recipients', {
    snils: nextSnils(),
    region_code: '73',
    last_name: 'Сельская',
    first_name: 'Нина',
    birth_date: '1944-02-02',
    district_code: district,
    address: 'село, ул. Центральная, д. 1',
    own_income: '11000.00',
    categories: ['dementia'],
  });
  const assessment = await call('/v1/assessments', { recipient_id: recipient.id, reason: 'Заявление о социальном обслуживании на дому' });
  await call(`/v1/assessments/${assessment.id}/decision`, { decision: 'recognised' });
  const programme = await call(`/v1/assessments/${assessment.id}/programme`, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: volume, months: 6 }] });
  await call('/v1/certificates', { programme_id: programme.id, budget_programme_id: DEMO_BUDGET_PROGRAMME_ID });
}

beforeAll(async () => {
  await waitingIn(web.stack(), RADISHCHEVO, 20);
  await waitingIn(web.stack(), RADISHCHEVO, 10);
  await waitingIn(web.stack(), BARYSH, 8);
}, 60_000);

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

/** Each district's deficit as the map names it and as the table shows it. */
async function mapAndTable(page: Page) {
  const map = await page.locator('.district-map__svg path[role="button"]').evaluateAll((paths) =>
    paths.map((p) => {
      const label = p.getAttribute('aria-label') ?? '';
      const name = label.split(':')[0]!;
      const match = /дефицит ([\d\s\u00a0]+) ед/.exec(label);
      return [name, match ? Number(match[1]!.replace(/\D/g, '')) : 0] as const;
    }),
  );
  const table = await page.locator('#main table').first().locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => {
      const name = r.querySelector('th')?.textContent?.trim() ?? '';
      const cell = r.querySelector('[data-column="deficit"]')?.textContent?.trim() ?? '';
      return [name, cell === 'нет' ? 0 : Number(cell.replace(/\D/g, ''))] as const;
    }),
  );
  return { map: new Map(map), table };
}

test('When the committee computes the register, then the map and its table agree, a district opens its providers and queue, and the register downloads as CSV', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', acceptDownloads: true });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('link', { name: 'Социальные дефициты' }).click();
  await page.getByRole('heading', { level: 1, name: 'Социальные дефициты' }).waitFor();
  await page.getByText('Реестр ещё не рассчитан').waitFor();
  await screenshot(page, 'deficits-01-not-computed');

  await page.getByRole('button', { name: 'Рассчитать за текущий месяц' }).click();
  await page.getByText(/Реестр за .* рассчитан/).waitFor();
  await page.locator('.district-map__svg').waitFor();
  await settled(page);
  await screenshot(page, 'deficits-02-map');

  const { map, table } = await mapAndTable(page);
  expect(table.length).toBeGreaterThan(0);
  for (const [name, deficit] of table) expect([name, map.get(name)]).toEqual([name, deficit]);
  // Districts missing from the table have no deficit on the map either.
  const listed = new Set(table.map(([name]) => name));
  for (const [name, deficit] of map) if (!listed.has(name)) expect([name, deficit]).toEqual([name, 0]);
  expect(table.find(([name]) => name === 'Радищевский район')).toEqual(['Радищевский район', 30]);
  expect(table.find(([name]) => name === 'Барышский район')).toEqual(['Барышский район', 8]);

  expect(await accessibilityViolations(page)).toEqual([]);

  await page.locator('.district-map__svg path[aria-label^="Радищевский район"]').click();
  await page.getByRole('heading', { level: 2, name: /Радищевский район:/ }).waitFor();
  await page.getByText('Допущенных поставщиков нет').waitFor();
  await settled(page);
  expect(await page.getByRole('cell', { name: 'поставщик не выбран' }).count()).toBe(2);
  await screenshot(page, 'deficits-03-district');
  expect(await accessibilityViolations(page)).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать реестр за месяц (CSV)' }).click()]);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(csv.split('\r\n')[0]).toContain('Район;Код услуги;Услуга');
  expect(csv).toContain(`${RADISHCHEVO};Радищевский район;HOME-HOUSEHOLD-HOUR`);

  await page.setViewportSize({ width: 320, height: 800 });
  await settled(page);
  expect(await scrollsHorizontally(page)).toBe(false);
  await screenshot(page, 'deficits-04-320');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
  await page.getByRole('button', { name: 'Обычная версия' }).waitFor();
  await settled(page);
  await screenshot(page, 'deficits-04-lowvision');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);

const monthAfter = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};

test('When the finance officer uses only the keyboard, then he moves the month slider, opens a district from the table, reads its queue and sets the ranking weights', async () => {
  // A second month computed, so the slider has somewhere to go.
  const token = await web.stack().tokenFor('committee-73');
  const next = await fetch(`${web.stack().certificatesUrl}/v1/regions/73/deficits/computations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ month: monthAfter(1) }),
  });
  expect(next.status).toBe(201);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInByKeyboard(page, web.stack().url, 'finance-73-a');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await fromTop(page);
  await press(page, 'Социальные дефициты');
  await page.getByRole('heading', { level: 1, name: 'Социальные дефициты' }).waitFor();
  await settled(page);

  const monthLabel = page.locator('#deficits-month-label');
  const latest = await monthLabel.textContent();
  await tabTo(page, /^Месяц расчёта, сейчас /);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((before) => document.querySelector('#deficits-month-label')?.textContent !== before, latest);
  await settled(page);
  expect(await monthLabel.textContent()).not.toBe(latest);
  expect(new URL(page.url()).searchParams.get('month')).toBe(monthAfter(0));
  await screenshot(page, 'deficits-05-keyboard-month');

  // The table's district button opens the same drill-down as the map.
  await press(page, 'Барышский район');
  await page.getByRole('heading', { level: 2, name: /Барышский район:/ }).waitFor();
  await settled(page);

  await typeInto(page, 'Актуальность для населения', '');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  await press(page, 'Сохранить веса');
  await page.getByText('Веса сохранены, рейтинг пересчитан.').waitFor();
  await page.getByText(/актуальность для населения — 3/).waitFor();
  await screenshot(page, 'deficits-06-keyboard-weights');
  await fromTop(page);
  await tabTo(page, 'Закрыть район');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: /Барышский район:/ }).waitFor({ state: 'detached' });
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
}, 180_000);
