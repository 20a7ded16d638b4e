import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { formatMoney } from '../../services/web/src/format/money';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { nextPeriod, periodName } from '../../services/web/src/pages/finance/periods';
import { asSettlement, DEMO_BUDGET_PROGRAMME_ID, deliverAndConfirm, ensureSettledPeriod, statementWith } from './finance-side';
import { todayInRegion } from './provider-side';
import { signInThroughPage } from './session';

/**
 * The finance cabinet in Chromium against the whole marketplace: «Забота» delivers, Ivanova confirms,
 * and the region's finance officer sets the programme's payout limit, runs the period and reads what
 * each provider earned and what the limit pushed to the next period.
 */
const web = withWebStack('web-finance');


test('When one finance officer runs a period and forms the batch, a second approves it, downloads the payment files and reconciles a statement with a paid, a returned and an unmatched line, then every page says where the money is', async () => {
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
  const csv = (await download(/^Таблица CSV/)).bytes.toString('utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain(reference);
  expect(csv).toContain(amount.replace('.', ','));
  await check(page2, 'batch-approved');

  // The carried line is settled by the next period's run (set up through the API): a second batch, so
  // that one statement can pay one payout and bring the other back.
  const a = await asSettlement(web.stack(), 'finance-73-a');
  const next = nextPeriod(period);
  await a('PUT', `/v1/payout-limits/${DEMO_BUDGET_PROGRAMME_ID}/${next}`, { region_code: '73', amount: '100000.00' });
  const nextRun = await a('POST', '/v1/runs', { region_code: '73', period: next });
  for (let i = 0; (await a('GET', `/v1/runs/${nextRun.id}`)).status !== 'completed'; i++) {
    if (i > 100) throw new Error('the next run did not complete');
    await new Promise((r) => setTimeout(r, 200));
  }
  const nextBatch = await a('POST', `/v1/runs/${nextRun.id}/batch`);
  await page2.goto(`${web.stack().url}/finance/runs/${nextRun.id}`);
  await page2.getByText('сумма изменилась').waitFor();
  await page2.getByRole('button', { name: 'Утвердить реестр' }).click();
  await page2.getByText('Утверждён', { exact: true }).waitFor({ timeout: 30_000 });
  await check(page2, 'batch-next-approved');

  const firstRun = (await a('GET', '/v1/runs?region_code=73')).items.find((r: any) => r.period === period);
  const firstBatch = await a('GET', `/v1/runs/${firstRun.id}/batch`);
  const [paid] = (await a('GET', `/v1/batches/${firstBatch.id}/payouts`)).items;
  const [returned] = (await a('GET', `/v1/batches/${nextBatch.id}/payouts`)).items;
  const reason = 'Возврат: счёт получателя закрыт.';

  // The statement: one payment made, one returned by the bank, one commission order that is not ours.
  await page2.getByRole('link', { name: 'Выписки', exact: true }).click();
  await page2.getByRole('heading', { level: 1, name: 'Банковские выписки' }).waitFor();
  await page2.getByText('Выписок ещё не загружали').waitFor();
  await check(page2, 'statements-empty');
  await page2.getByLabel('Формат').selectOption('1c');
  await page2.getByLabel('Файл выписки').setInputFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: statementWith(paid, returned, reason) });
  await page2.getByRole('button', { name: 'Загрузить и сопоставить' }).click();
  await page2.getByRole('heading', { level: 1, name: 'Выписка kl_to_1c.txt' }).waitFor();
  await page2.getByText('Строк в выписке: 3. Исполнено: 1. Возвращено банком: 1. Расхождений: 1, из них не разобрано: 1.').waitFor();
  await page2.getByRole('region', { name: /Исполненные платежи/ }).getByRole('cell', { name: paid.reference, exact: true }).waitFor();
  const returns = page2.getByRole('region', { name: /Возвращено банком/ });
  await returns.getByRole('cell', { name: returned.reference, exact: true }).waitFor();
  await returns.getByRole('cell', { name: `${reason} ${returned.reference}` }).waitFor();
  await page2.getByRole('region', { name: /Расхождения/ }).getByText('Не разобрано').waitFor();
  await check(page2, 'statement');

  // The same file again changes nothing and says so.
  const statementUrl = page2.url();
  await page2.getByRole('link', { name: 'Выписки', exact: true }).click();
  await page2.getByLabel('Файл выписки').setInputFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: statementWith(paid, returned, reason) });
  await page2.getByRole('button', { name: 'Загрузить и сопоставить' }).click();
  await page2.getByText('Эта выписка уже была загружена').waitFor();
  expect(page2.url()).toBe(statementUrl);

  await page2.getByRole('link', { name: 'перейти к очереди расхождений' }).click();
  await page2.getByRole('heading', { level: 1, name: 'Расхождения по выпискам' }).waitFor();
  await check(page2, 'discrepancies');
  await page2.getByLabel('Не выплата реестра — закрыть').check();
  await page2.getByLabel('Примечание').fill('Комиссия банка за перевод, не выплата реестра');
  await page2.getByRole('button', { name: 'Разобрать' }).click();
  await page2.getByText('Расхождение разобрано').waitFor();
  await page2.getByText('Неразобранных расхождений нет').waitFor();
  await page2.getByRole('cell', { name: 'Комиссия банка за перевод, не выплата реестра' }).waitFor();
  await check(page2, 'discrepancies-resolved');

  // The reconciliation of the first batch, from its run page: the payout the bank paid.
  await page2.goto(runUrl);
  const reconciliation = (await download(/^Сверка реестра, CSV/)).bytes.toString('utf8');
  expect(reconciliation).toContain(paid.reference);
  expect(reconciliation).toContain('исполнена банком');

  // What the screens said is what settlement holds: one payout paid, the other back with the bank's reason.
  const after = Object.fromEntries(
    [...(await a('GET', `/v1/batches/${paid.batch_id}/payouts`)).items, ...(await a('GET', `/v1/batches/${nextBatch.id}/payouts`)).items].map((p: any) => [p.reference, p]),
  );
  expect(after[paid.reference]).toMatchObject({ status: 'paid' });
  expect(after[returned.reference]).toMatchObject({ status: 'returned' });
  expect(after[returned.reference].return_reason).toContain(reason);
  await second.close();
  expect(problems).toEqual([]);
}, 240_000);

test('When a finance officer filters the period report to one provider and one service, then the table, its totals, the chart and the CSV and XLSX hold exactly those rows', async () => {
  // The journey above settled the period for «Забота» (run alone, this test settles it through the APIs).
  const period = await ensureSettledPeriod(web.stack());
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  await signInThroughPage(page, web.stack().url, 'finance-73-a');
  await page.getByRole('link', { name: 'Отчёты', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Отчёты по периодам и поставщикам' }).waitFor();
  await page.getByLabel('Период', { exact: true }).selectOption({ label: periodName(period) });
  const table = page.getByRole('region', { name: 'Начисления по поставщикам и услугам' });
  await table.getByText(/Забота/).first().waitFor();
  await page.locator('.finance-chart svg').first().waitFor();
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'finance-reports');
  for (const v of await accessibilityViolations(page)) problems.push(`reports: ${v}`);
  await page.setViewportSize({ width: 320, height: 800 });
  if (await scrollsHorizontally(page)) problems.push('reports: scrolls horizontally at 320 px');
  await screenshot(page, 'finance-reports-320');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByLabel('Поставщик', { exact: true }).selectOption({ label: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»' });
  await page.getByLabel('Услуга', { exact: true }).selectOption('HOME-HOUSEHOLD-HOUR');
  await page.getByText('(отобраны по фильтру, итоги — по отобранным строкам)', { exact: false }).waitFor();
  expect(new URL(page.url()).searchParams.get('service')).toBe('HOME-HOUSEHOLD-HOUR');
  const shownRows = await table.locator('tbody tr').count();
  expect(shownRows).toBe(1);
  const shownAmount = (await table.locator('tfoot td').nth(11).textContent())!;

  const download = async (label: RegExp) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label }).click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const csv = (await download(/Выгрузить CSV/)).toString('utf8');
  const csvRows = csv.split('\r\n').filter((l) => /^\d{4}-\d{2};/.test(l));
  expect(csvRows).toHaveLength(shownRows);
  expect(csvRows.every((l) => l.includes('HOME-HOUSEHOLD-HOUR') && l.includes('Забота'))).toBe(true);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await download(/Выгрузить XLSX/)) as never);
  const sheet = workbook.getWorksheet('Отчёт')!;
  const dataRows = sheet.getSheetValues().filter((r) => Array.isArray(r) && /^\d{4}-\d{2}$/.test(String(r[1])));
  expect(dataRows).toHaveLength(shownRows);
  expect(shownAmount.replace(/\s/g, '')).toMatch(/₽$/);
  await context.close();
  expect(problems).toEqual([]);
}, 120_000);

test('When a finance officer opens the programmes, then each shows funded, issued, held, paid and available, its periods, and a tie-out with the ledger that agrees', async () => {
  const period = await ensureSettledPeriod(web.stack());
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const problems: string[] = [];
  await signInThroughPage(page, web.stack().url, 'finance-73-a');
  await page.getByRole('link', { name: 'Программы', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Программы и распределение средств' }).waitFor();
  const card = page.getByRole('region', { name: /^СЕРТ-ДУ-2026/ });
  await card.getByText(formatMoney('10000000.00')).waitFor();
  await card.getByText('Всё совпадает').waitFor();
  await expect(card.getByRole('cell', { name: 'совпадает', exact: true }).count()).resolves.toBe(3);
  await card.getByRole('rowheader', { name: periodName(period) }).waitFor();
  // Run after the journey, January's payout came back: its row says so.
  if (await card.getByRole('rowheader', { name: periodName(nextPeriod(period)) }).count()) {
    await expect(card.getByRole('row', { name: new RegExp(`^${periodName(nextPeriod(period))}`) }).getByRole('cell').last().textContent()).resolves.not.toBe(formatMoney('0.00'));
  }
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'finance-programmes');
  for (const v of await accessibilityViolations(page)) problems.push(`programmes: ${v}`);
  await page.setViewportSize({ width: 320, height: 800 });
  if (await scrollsHorizontally(page)) problems.push('programmes: scrolls horizontally at 320 px');
  await screenshot(page, 'finance-programmes-320');
  await context.close();
  expect(problems).toEqual([]);
}, 120_000);
