import type { Page } from 'playwright-core';
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
  /** Every finance page as the journey reaches it: axe at 1280 px, nothing sideways at 320 px, screenshots of both. */
  const check = async (p: Page, name: string) => {
    await p.waitForLoadState('networkidle');
    await screenshot(p, `finance-${name}`);
    for (const v of await accessibilityViolations(p)) problems.push(`${name}: ${v}`);
    await p.setViewportSize({ width: 320, height: 800 });
    if (await scrollsHorizontally(p)) problems.push(`${name}: scrolls horizontally at 320 px`);
    await screenshot(p, `finance-${name}-320`);
    await p.setViewportSize({ width: 1280, height: 900 });
  };

  await signInThroughPage(page, web.stack().url, 'finance-73-a');
  await page.getByRole('heading', { level: 1, name: 'Расчёты с поставщиками' }).waitFor();
  await page.getByText('Расчётов ещё не было').waitFor();
  await check(page, 'runs-empty');

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
  await check(page, 'run');

  await page.getByRole('link', { name: 'Расчёты', exact: true }).click();
  await page.getByRole('link', { name: /^Расчёт за / }).waitFor();
  await check(page, 'runs');

  // The first officer forms the batch and is told why she cannot approve it herself.
  await page.getByRole('link', { name: /^Расчёт за / }).click();
  await page.getByRole('button', { name: 'Сформировать реестр выплат' }).click();
  await page.getByText('Сформирован, ждёт утверждения').waitFor();
  await page.getByText('Утвердить реестр должен другой сотрудник').waitFor();
  await expect(page.getByRole('button', { name: 'Утвердить реестр' }).count()).resolves.toBe(0);
  await page.getByText('Это первый реестр региона').waitFor();
  const runUrl = page.url();
  await check(page, 'batch-draft');
  await context.close();

  // The second officer approves it and downloads the payment files.
  const second = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', acceptDownloads: true });
  const page2 = await second.newPage();
  await signInThroughPage(page2, web.stack().url, 'finance-73-b');
  await page2.goto(runUrl);
  await page2.getByRole('button', { name: 'Утвердить реестр' }).click();
  await page2.getByText('Утверждён', { exact: true }).waitFor({ timeout: 30_000 });
  const reference = (await page2.getByText(/^ESC73\d{10}$/).first().textContent())!;
  const amount = acts[0]!.amount;
  const download = async (label: RegExp) => {
    const [file] = await Promise.all([page2.waitForEvent('download'), page2.getByRole('link', { name: label }).click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
  };
  const oneC = await download(/1CClientBankExchange/);
  const oneCText = new TextDecoder('windows-1251').decode(oneC.bytes);
  expect(oneCText.startsWith('1CClientBankExchange')).toBe(true);
  expect(oneCText).toContain(`Сумма=${amount}`);
  expect(oneCText).toContain(reference);
  expect(oneCText).toContain('Забота');
  const pain = (await download(/pain\.001/)).bytes.toString('utf8');
  expect(pain).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
  expect(pain).toContain(`<EndToEndId>${reference}</EndToEndId>`);
  expect(pain).toContain(`>${amount}</InstdAmt>`);
  const csv = (await download(/CSV/)).bytes.toString('utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain(reference);
  expect(csv).toContain(amount.replace('.', ','));
  await check(page2, 'batch-approved');
  await second.close();
  expect(problems).toEqual([]);
}, 240_000);
