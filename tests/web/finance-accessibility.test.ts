import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { asSettlement, ensureSettledPeriod } from './finance-side';
import { signInThroughPage } from './session';

/**
 * Every finance page as the auditor reads it — everything shown, no form to change anything — in the
 * normal and the low-vision version, at 1280 and 320 px: no WCAG 2.1 AA violation, nothing sideways.
 */
const web = withWebStack('web-finance-accessibility');

async function settled(page: Page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

test('When an auditor opens every finance page, normal and low-vision, then nothing can be changed, axe finds no violation and nothing scrolls sideways at 320 px', async () => {
  await ensureSettledPeriod(web.stack());
  const call = await asSettlement(web.stack(), 'finance-73-a');
  const [run] = (await call('GET', '/v1/runs?region_code=73')).items;
  await call('POST', `/v1/runs/${run.id}/batch`);
  const paths: Array<[string, string]> = [
    ['runs', '/finance'],
    ['run', `/finance/runs/${run.id}`],
    ['statements', '/finance/statements'],
    ['discrepancies', '/finance/discrepancies'],
    ['reports', '/finance/reports'],
    ['programmes', '/finance/programmes'],
  ];
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'auditor');
  const problems: string[] = [];
  for (const mode of ['auditor', 'auditor-lowvision']) {
    if (mode === 'auditor-lowvision') {
      await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
      await page.getByRole('button', { name: 'Обычная версия' }).waitFor();
    }
    for (const [name, path] of paths) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${web.stack().url}${path}`);
      await settled(page);
      if ((await page.locator('main form, #main form').count()) > 0) problems.push(`${mode} ${path}: a form is offered to a reader`);
      if ((await page.getByRole('button', { name: /Утвердить|Сформировать|Начать расчёт|Разобрать/ }).count()) > 0) problems.push(`${mode} ${path}: an action is offered to a reader`);
      await screenshot(page, `finance-${mode}-${name}`);
      for (const v of await accessibilityViolations(page)) problems.push(`${mode} ${path}: ${v}`);
      await page.setViewportSize({ width: 320, height: 800 });
      await settled(page);
      if (await scrollsHorizontally(page)) problems.push(`${mode} ${path}: scrolls horizontally at 320 px`);
      await screenshot(page, `finance-${mode}-${name}-320`);
    }
  }
  await context.close();
  expect(problems).toEqual([]);
}, 300_000);
