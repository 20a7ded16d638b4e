import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { fromTop, press } from './keyboard';
import { signInThroughPage } from './session';

/**
 * The demo data's certificates, bookings and acts reach the notifications service through the
 * certificates outbox: Иванова sees their count in the header and reads them on /notifications.
 */
const web = withWebStack('web-notifications');

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function unreadOf(username: string): Promise<number> {
  const token = await web.stack().tokenFor(username);
  const res = await fetch(`${web.stack().notificationsUrl}/v1/notifications`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { unread: number }).unread;
}

test('Иванова sees the unread count in the header, reads her notices and marks one read; the page is axe-clean at 1280 and 320 px', async () => {
  // The seed's events are relayed and consumed in the background.
  const deadline = Date.now() + 20_000;
  // Wait until every notice the seed causes has arrived: the count is above zero and holds for a second.
  let unread = await unreadOf('citizen-ivanova');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await unreadOf('citizen-ivanova');
    if ((now > 0 && now === unread) || Date.now() > deadline) break;
    unread = now;
  }
  expect(unread).toBeGreaterThan(0);

  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-ivanova');
  const link = page.getByRole('link', { name: /^Уведомления/ });
  await page.locator('.inbox-link__count').waitFor();
  await expect(link.textContent()).resolves.toContain(String(unread));
  await expect(page.locator('.inbox-link__count .visually-hidden').textContent()).resolves.toMatch(/непрочитанн/);
  await expect(link.getAttribute('href')).resolves.toBe('/notifications');
  await link.click();
  await page.waitForURL('**/notifications');
  await settled(page);
  expect(await page.title()).toBe('Уведомления — Социальные сертификаты');
  await expect(page.locator('h1').count()).resolves.toBe(1);
  await expect(page.getByText('Вам выдан социальный сертификат').first().isVisible()).resolves.toBe(true);
  await expect(page.getByRole('link', { name: /^Открыть сертификат/ }).first().getAttribute('href')).resolves.toMatch(/^\/cabinet\/certificates\/[0-9a-f-]{36}$/);
  await screenshot(page, 'notifications-inbox');
  expect(await accessibilityViolations(page)).toEqual([]);

  const first = page.getByRole('button', { name: /^Отметить прочитанным/ }).first();
  await first.click();
  await page.waitForFunction((n) => {
    const text = document.body.innerText;
    return n === 1 ? text.includes('Все уведомления прочитаны') : text.includes(`У вас ${n - 1} `);
  }, unread);
  expect(await unreadOf('citizen-ivanova')).toBe(unread - 1);
  await expect(page.getByText('Прочитано', { exact: true }).first().isVisible()).resolves.toBe(true);

  await page.setViewportSize({ width: 320, height: 800 });
  await settled(page);
  expect(await scrollsHorizontally(page)).toBe(false);
  await screenshot(page, 'notifications-inbox-320');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});

test('Смирнов never sees Иванова’s notices', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-smirnov');
  await page.goto(`${web.stack().url}/notifications`);
  await settled(page);
  const text = await page.locator('#main').innerText();
  const token = await web.stack().tokenFor('citizen-ivanova');
  const hers = (await (await fetch(`${web.stack().notificationsUrl}/v1/notifications`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<{ body: string }> };
  expect(hers.items.length).toBeGreaterThan(0);
  // Notices that say the same to everyone (a decision's standard wording) are compared only where hers differ from his own.
  const his = (await (await fetch(`${web.stack().notificationsUrl}/v1/notifications`, { headers: { authorization: `Bearer ${await web.stack().tokenFor('citizen-smirnov')}` } })).json()) as { items: Array<{ body: string }> };
  const personal = hers.items.filter((n) => !his.items.some((m) => m.body === n.body));
  expect(personal.length).toBeGreaterThan(0);
  for (const notice of personal) expect(text).not.toContain(notice.body);
  await screenshot(page, 'notifications-smirnov');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});

test('keyboard only: Смирнов goes from the header to his inbox and marks a notice read', async () => {
  // The seed issues Смирнов a certificate too; its notice may still be on its way.
  const deadline = Date.now() + 20_000;
  while ((await unreadOf('citizen-smirnov')) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const before = await unreadOf('citizen-smirnov');
  expect(before).toBeGreaterThan(0);
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-smirnov');
  await page.locator('h1').first().waitFor();
  await fromTop(page);
  await press(page, /^Уведомления/);
  await page.waitForURL('**/notifications');
  await settled(page);
  await press(page, /^Отметить прочитанным/);
  await page.waitForFunction((n) => (n === 1 ? document.body.innerText.includes('Все уведомления прочитаны') : document.body.innerText.includes(`У вас ${n - 1} `)), before);
  expect(await unreadOf('citizen-smirnov')).toBe(before - 1);
  await screenshot(page, 'notifications-keyboard');
  await context.close();
});

test('Иванова gives her phone, turns SMS off for one kind of notice and saves; a malformed number is shown next to its field; axe-clean at 1280 and 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'citizen-ivanova');
  await page.goto(`${web.stack().url}/notifications`);
  await settled(page);
  await page.getByRole('link', { name: 'настройках уведомлений' }).click();
  await page.waitForURL('**/notifications/settings');
  await settled(page);
  expect(await page.title()).toBe('Настройки уведомлений — Социальные сертификаты');
  const act = page.getByRole('group', { name: 'Поставщик отметил оказанную услугу: подтвердите или оспорьте' });
  await expect(act.getByRole('checkbox', { name: 'SMS' }).isChecked()).resolves.toBe(true);
  await expect(page.getByRole('group', { name: 'Новая запись на услугу' }).count()).resolves.toBe(0);

  await page.getByLabel('Мобильный телефон для SMS').fill('8 999');
  await page.getByRole('button', { name: 'Сохранить настройки' }).click();
  await page.getByText('Введите мобильный номер в виде +79991234567').waitFor();
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('notify-phone');

  await page.getByLabel('Мобильный телефон для SMS').fill('+7 (999) 765-43-21');
  await act.getByRole('checkbox', { name: 'SMS' }).uncheck();
  await page.getByRole('button', { name: 'Сохранить настройки' }).click();
  await page.getByText('Новые уведомления будут приходить так, как вы выбрали.').waitFor();
  const token = await web.stack().tokenFor('citizen-ivanova');
  const saved = (await (await fetch(`${web.stack().notificationsUrl}/v1/notification-settings`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    phone: string;
    channels: Array<{ kind: string; email: boolean; sms: boolean }>;
  };
  expect(saved.phone).toBe('+79997654321');
  expect(saved.channels.find((c) => c.kind === 'act_recorded')).toEqual({ kind: 'act_recorded', email: true, sms: false });
  await screenshot(page, 'notifications-settings');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.setViewportSize({ width: 320, height: 800 });
  await settled(page);
  expect(await scrollsHorizontally(page)).toBe(false);
  await screenshot(page, 'notifications-settings-320');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});

test('a finance officer chooses how the region’s finance notices arrive: only the finance kinds are offered, the address is said to be shared; axe-clean', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'finance-73-b');
  await page.goto(`${web.stack().url}/notifications/settings`);
  await settled(page);
  await page.getByText('общие для всех финансистов вашего региона').waitFor();
  const groups = await page.getByRole('group').allInnerTexts();
  expect(groups.map((g) => g.split('\n')[0]!.trim())).toEqual(['Реестр выплат ждёт второго утверждения', 'В выписке банка есть строки без сопоставления']);
  await page.getByLabel('Электронная почта').fill('finance73@example.ru');
  await page.getByRole('button', { name: 'Сохранить настройки' }).click();
  await page.getByText('Новые уведомления будут приходить так, как вы выбрали.').waitFor();
  await screenshot(page, 'notifications-settings-finance');
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});
