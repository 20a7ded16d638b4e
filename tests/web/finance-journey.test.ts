import { Money } from '@esc/money';
import { formatMoney } from '../../services/web/src/format/money';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { deliverAndConfirm } from './finance-side';
import { todayInRegion } from './provider-side';
import { signInThroughPage } from './session';

/**
 * The finance cabinet in Chromium against the whole marketplace: «Забота» delivers, Ivanova confirms,
 * and the region's finance officer sets the programme's payout limit, runs the period and reads what
 * each provider earned and what the limit pushed to the next period.
 */
const web = withWebStack('web-finance');

test('When a finance officer sets a limit and runs the period, then the run page shows its progress, compensation per provider and service, and the line carried over with the reason', async () => {
  const acts = await deliverAndConfirm(web.stack(), [2, 1]);
  const period = todayInRegion().slice(0, 7);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await screenshot(page, `finance-${name}`);
    for (const v of await accessibilityViolations(page)) problems.push(`${name}: ${v}`);
    await page.setViewportSize({ width: 320, height: 800 });
    if (await scrollsHorizontally(page)) problems.push(`${name}: scrolls horizontally at 320 px`);
    await screenshot(page, `finance-${name}-320`);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  await signInThroughPage(page, web.stack().url, 'finance-73-a');
  await page.getByRole('heading', { level: 1, name: 'Расчёты с поставщиками' }).waitFor();
  await page.getByText('Расчётов ещё не было').waitFor();
  await check('runs-empty');

  // The limit holds the first act only: the second is carried to the next period.
  await page.getByLabel('Бюджетная программа').selectOption({ label: 'СЕРТ-ДУ-2026 — Сертификаты: долговременный уход 2026' });
  await page.getByLabel('Период (месяц)').nth(1).fill(period);
  await page.getByLabel('Лимит, ₽').fill(acts[0]!.amount.replace('.', ','));
  await page.getByRole('button', { name: 'Сохранить лимит' }).click();
  await page.getByText('Лимит сохранён').waitFor();

  await page.getByLabel('Период (месяц)').first().fill(period);
  await page.getByRole('button', { name: 'Начать расчёт' }).click();
  await page.getByRole('heading', { level: 1, name: /^Расчёт за / }).waitFor();
  await page.getByText('Завершён', { exact: true }).first().waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { level: 2, name: 'Компенсация по поставщикам и услугам' }).waitFor();
  const lines = page.getByRole('region', { name: /Компенсация по поставщикам и услугам/ });
  await lines.getByText(/Забота/).first().waitFor();
  await expect(lines.getByText(formatMoney(acts[0]!.amount)).count()).resolves.toBeGreaterThan(0);
  const carried = page.getByRole('region', { name: /перенесённые на следующий период/ });
  await carried.getByText(formatMoney(acts[1]!.amount)).waitFor();
  await expect(carried.getByRole('cell', { name: /лимит/i }).count()).resolves.toBe(1);
  expect(Money.parse(acts[0]!.amount).add(Money.parse(acts[1]!.amount)).toString()).toBeTruthy();
  await check('run');

  await page.getByRole('link', { name: 'Расчёты', exact: true }).click();
  await page.getByRole('link', { name: /^Расчёт за / }).waitFor();
  await check('runs');

  await context.close();
  expect(problems).toEqual([]);
}, 240_000);
