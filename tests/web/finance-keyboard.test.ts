import type { Page } from 'playwright-core';
import { screenshot, withWebStack } from './browser';
import { asSettlement, deliverAndConfirm, statementWith } from './finance-side';
import { fromTop, press, signInByKeyboard, tabTo, typeInto } from './keyboard';
import { todayInRegion } from './provider-side';

/**
 * The finance journey once more with the keyboard alone (Tab, Enter, Space, arrows and typing; the
 * mouse is never used): one officer sets the limit, runs the period and forms the batch; a second
 * approves it, downloads the 1C file, uploads the bank's statement and resolves the line it could not match.
 */
const web = withWebStack('web-finance-keyboard');

async function replaceIn(page: Page, label: string, text: string) {
  await tabTo(page, label);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

async function signIn(page: Page, username: string) {
  await signInByKeyboard(page, web.stack().url, username);
  await page.getByRole('heading', { level: 1, name: 'Расчёты с поставщиками' }).waitFor();
}

test('When finance officers use only the keyboard, then they can run a period, form and approve the batch, download it and reconcile a statement', async () => {
  const [act] = await deliverAndConfirm(web.stack(), [3]);
  const period = todayInRegion().slice(0, 7);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', acceptDownloads: true });
  const page = await context.newPage();

  await signIn(page, 'finance-73-a');
  // The programmes come from the certificates service: wait for them before choosing one.
  await page.locator('#limit-programme option').nth(1).waitFor({ state: 'attached' });
  await tabTo(page, 'Бюджетная программа');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#limit-programme').inputValue()).resolves.not.toBe('');
  await replaceIn(page, 'Период (месяц)', period);
  // The limit form's own period field is the next one in the tab order.
  await replaceIn(page, 'Период (месяц)', period);
  await typeInto(page, 'Лимит, ₽', '100000');
  await press(page, 'Сохранить лимит');
  await page.getByText('Лимит сохранён').waitFor();
  await expect(page.locator('#run-period').inputValue()).resolves.toBe(period);
  await page.locator('#run-period').evaluate((el) => (el as HTMLElement).blur());

  await fromTop(page);
  await tabTo(page, 'Период (месяц)');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^Расчёт за / }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Реестр выплат' }).waitFor({ timeout: 30_000 });
  await press(page, 'Сформировать реестр выплат');
  await page.getByText('Утвердить реестр должен другой сотрудник').waitFor();
  await screenshot(page, 'finance-keyboard-01-formed');
  const runUrl = page.url();
  await fromTop(page);
  await press(page, 'Выйти');
  await page.getByRole('button', { name: 'Выйти' }).waitFor({ state: 'detached' });

  await signIn(page, 'finance-73-b');
  await press(page, /^Расчёт за /);
  await press(page, 'Утвердить реестр');
  await page.getByText('Утверждён', { exact: true }).waitFor({ timeout: 30_000 });
  expect(page.url()).toBe(runUrl);
  await fromTop(page);
  await tabTo(page, 'Файл для банка 1С (1CClientBankExchange)');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(file.suggestedFilename()).toMatch(/\.txt$/);

  const call = await asSettlement(web.stack(), 'finance-73-b');
  const batch = await call('GET', `/v1/runs/${runUrl.split('/').pop()}/batch`);
  const [payout] = (await call('GET', `/v1/batches/${batch.id}/payouts`)).items;
  expect(payout.amount).toBe(act!.amount);

  await fromTop(page);
  await press(page, 'Выписки');
  await page.getByRole('heading', { level: 1, name: 'Банковские выписки' }).waitFor();
  await tabTo(page, 'Файл выписки');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: statementWith(payout, null) });
  await press(page, 'Загрузить и сопоставить');
  await page.getByText('Строк в выписке: 2. Исполнено: 1. Возвращено банком: 0. Расхождений: 1, из них не разобрано: 1.').waitFor();
  await screenshot(page, 'finance-keyboard-02-statement');

  await press(page, 'перейти к очереди расхождений');
  await page.getByRole('heading', { level: 1, name: 'Расхождения по выпискам' }).waitFor();
  // An empty note is refused: the summary takes focus.
  await press(page, 'Разобрать');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
  await typeInto(page, /^Примечание/, 'Комиссия банка, не выплата реестра');
  await press(page, 'Разобрать');
  await page.getByText('Неразобранных расхождений нет').waitFor();
  await screenshot(page, 'finance-keyboard-03-resolved');

  const after = (await call('GET', `/v1/batches/${batch.id}/payouts`)).items;
  expect(after[0]).toMatchObject({ status: 'paid' });
  await context.close();
}, 240_000);
