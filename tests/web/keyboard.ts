import type { Page } from 'playwright-core';

/** The accessible name of the focused element, near enough to what a screen reader announces. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const byId = (ids: string) =>
      ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    const name =
      el.getAttribute('aria-label') ??
      (el.getAttribute('aria-labelledby') ? byId(el.getAttribute('aria-labelledby')!) : null) ??
      (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ??
      el.closest('label')?.textContent ??
      el.textContent ??
      '';
    return name.replace(/\s+/g, ' ').trim();
  });
}

/**
 * Presses Tab (only Tab) until the focused element's name matches, as a keyboard user moves through
 * the page; fails with the names it passed when there is no such element in the tab order.
 */
export async function tabTo(page: Page, name: RegExp | string, maxPresses = 250): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const passed: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (matches(current)) return;
    passed.push(current);
  }
  throw new Error(`no element named ${String(name)} in the tab order; passed: ${[...new Set(passed)].join(' | ')}`);
}

/** Tab to a control and activate it with Enter. */
export async function press(page: Page, name: RegExp | string): Promise<void> {
  await tabTo(page, name);
  await page.keyboard.press('Enter');
}

/** Tab to a text field and type into it. */
export async function typeInto(page: Page, label: RegExp | string, text: string): Promise<void> {
  await tabTo(page, label);
  await page.keyboard.type(text);
}

/** Starts the next Tab from the top of the page, as after opening it. */
export async function fromTop(page: Page): Promise<void> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.locator('body').focus();
}

/**
 * Signs in with the keyboard alone: the sign-in page's «Войти через Госуслуги», then on the
 * development ЕСИА's page the demo user whose button ends with their username.
 */
export async function signInByKeyboard(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('link', { name: 'Войти через Госуслуги' }).waitFor();
  await press(page, 'Войти через Госуслуги');
  await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
  await press(page, new RegExp(`· ${username.replace(/[-]/g, '\\-')}$`));
  await page.waitForURL((url) => url.origin === baseUrl && !url.pathname.startsWith('/sign'));
}
