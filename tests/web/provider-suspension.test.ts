import { Client } from 'pg';
import { formatMoney } from '../../services/web/src/format/money';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { api, deliverAndConfirm } from './finance-side';
import { todayInRegion, ZABOTA_ID } from './provider-side';
import { signInThroughPage } from './session';

/**
 * A provider suspended by the committee after it delivered: the region's rule holds its confirmed acts
 * for review, the finance officer's run says how much it held, and the provider reads why on its money page.
 */
const web = withWebStack('web-suspension');

async function settlementSees(status: string) {
  const db = new Client({ connectionString: web.stack().databaseUrl });
  await db.connect();
  try {
    for (let i = 0; i < 150; i++) {
      const { rows } = await db.query(`select status from settlement.provider_standing where provider_id = $1`, [ZABOTA_ID]);
      if (rows[0]?.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`settlement never saw «Забота» ${status}`);
  } finally {
    await db.end();
  }
}

test('When «Забота» is suspended after delivering, then the region’s rule holds its confirmed act out of the run, the run says how much was held, and «Забота» reads the amount and why on its money page', async () => {
  const stack = web.stack();
  const [act] = await deliverAndConfirm(stack, [2]);
  await api(stack, stack.registryUrl, 'committee-73', 'POST', `/v1/providers/${ZABOTA_ID}/status`, { status: 'suspended', reason: 'Проверка жалобы получателя услуг' });
  await settlementSees('suspended');

  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await screenshot(page, name);
    for (const v of await accessibilityViolations(page)) problems.push(`${name}: ${v}`);
    await page.setViewportSize({ width: 320, height: 800 });
    if (await scrollsHorizontally(page)) problems.push(`${name}: scrolls horizontally at 320 px`);
    await screenshot(page, `${name}-320`);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  await signInThroughPage(page, stack.url, 'finance-73-a');
  await page.getByRole('heading', { level: 1, name: 'Расчёты с поставщиками' }).waitFor();
  const rule = page.getByRole('form', { name: 'Акты приостановленных и исключённых поставщиков' });
  await rule.getByLabel('Пока участие поставщика приостановлено').selectOption({ label: 'Задерживать до восстановления допуска' });
  await rule.getByRole('button', { name: 'Сохранить правило' }).click();
  await page.getByText('Правило сохранено').waitFor();
  await check('suspension-rule');

  await page.getByLabel('Период (месяц)').first().fill(todayInRegion().slice(0, 7));
  await page.getByRole('button', { name: 'Начать расчёт' }).click();
  await page.getByRole('heading', { level: 1, name: /^Расчёт за / }).waitFor();
  await page.getByText('Завершён', { exact: true }).first().waitFor({ timeout: 30_000 });
  const held = page.getByText(/^Из них задержано до проверки/);
  await held.waitFor();
  await page.getByText(`1 акт на ${formatMoney(act!.amount)}`).first().waitFor();
  const carried = page.getByRole('region', { name: 'Перенесено на следующий период' });
  await carried.getByRole('rowheader', { name: /Забота/ }).waitFor();
  await carried.getByText(/приостановлено с .*Проверка жалобы получателя услуг/).waitFor();
  await check('suspension-run');
  await context.close();

  const provider = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const money = await provider.newPage();
  await signInThroughPage(money, stack.url, 'zabota-admin');
  await money.goto(`${stack.url}/provider/money`);
  const alert = money.getByText(`Задержано до проверки: 1 акт на ${formatMoney(act!.amount)}`);
  await alert.waitFor();
  await money.getByText(/приостановлено/).first().waitFor();
  await money.getByText(/Проверка жалобы получателя услуг/).first().waitFor();
  // Its one act is held: no payment date is promised for it.
  await expect(money.getByText('Ожидаемая дата выплаты').count()).resolves.toBe(0);
  await screenshot(money, 'suspension-provider-money');
  for (const v of await accessibilityViolations(money)) problems.push(`provider money: ${v}`);
  await provider.close();

  // Ivanova leaves the suspended provider although a service was delivered: the unused volume is freed.
  const citizen = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const cabinet = await citizen.newPage();
  await signInThroughPage(cabinet, stack.url, 'citizen-ivanova');
  await cabinet.goto(`${stack.url}/cabinet/bookings`);
  const card = cabinet.locator('li').filter({ has: cabinet.getByRole('heading', { level: 2, name: /Забота.*Социально-бытовые услуги на дому/ }) }).first();
  await card.getByRole('button', { name: /^Отменить запись/ }).click();
  const dialog = cabinet.getByRole('dialog', { name: 'Отменить запись?' });
  await dialog.getByText(/Неиспользованный объём .* снова станет свободным для записи к другому поставщику/).waitFor();
  await screenshot(cabinet, 'suspension-citizen-cancel');
  for (const v of await accessibilityViolations(cabinet)) problems.push(`citizen cancel: ${v}`);
  await dialog.getByRole('button', { name: 'Да, отменить запись' }).click();
  await card.getByText('Отменена', { exact: true }).first().waitFor();
  await screenshot(cabinet, 'suspension-citizen-cancelled');
  await citizen.close();
  expect(problems).toEqual([]);
}, 240_000);
