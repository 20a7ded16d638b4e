import type { Page } from 'playwright-core';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';
import { registryAs, ruDate } from './committee-side';
import { signInThroughPage } from './session';

const REHAB_ID = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';

/**
 * The selection committee's journey in a real Chromium against the real gateway and services with the
 * demo data: committee-73 announces a round; «Забота» (an NGO) applies through the registry's API; the
 * committee scores and admits it. Every committee page is checked with axe (WCAG 2.1 AA) on the way,
 * and nothing scrolls sideways at 320 px.
 */
const web = withWebStack('web-committee-journey');

const problems: string[] = [];

async function check(page: Page, name: string): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  await screenshot(page, `committee-${name}`);
  for (const violation of await accessibilityViolations(page)) problems.push(`${name}: ${violation}`);
  await page.setViewportSize({ width: 320, height: 800 });
  if (await scrollsHorizontally(page)) problems.push(`${name}: scrolls horizontally at 320 px`);
  await screenshot(page, `committee-${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

export const ROUND_TITLE = 'Отбор исполнителей услуг по уходу на дому, Ульяновск, 2027 — дополнительный';

test('When the committee announces a round, then it opens with its terms and takes applications', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('heading', { level: 1, name: 'Кабинет комиссии' }).waitFor();
  await check(page, 'home');

  await page.getByRole('link', { name: 'Объявить отбор' }).click();
  await page.getByRole('heading', { level: 1, name: 'Объявить отбор' }).waitFor();
  await check(page, 'new-round');
  // Sent empty, the form names what is missing and takes focus.
  await page.getByRole('button', { name: 'Объявить отбор' }).click();
  await page.getByRole('alert').getByText('Назовите отбор (не короче 5 знаков)').waitFor();
  await screenshot(page, 'committee-new-round-errors');

  await page.getByLabel('Название отбора').fill(ROUND_TITLE);
  await page.getByRole('checkbox', { name: /Социально-бытовые услуги на дому/ }).check();
  await page.getByRole('checkbox', { name: /Курс социальной реабилитации детей-инвалидов/ }).check();
  await page.getByRole('group', { name: 'Территория' }).getByRole('checkbox', { name: 'город Ульяновск', exact: true }).check();
  await page.getByLabel('Приём заявок по').fill(ruDate(30));
  await page.getByRole('button', { name: 'Объявить отбор' }).click();
  await page.getByRole('heading', { level: 1, name: ROUND_TITLE }).waitFor();
  await page.getByText('Заявок пока нет').waitFor();
  await check(page, 'round');

  const round = (await (await registryAs(web.stack(), 'committee-73'))('GET', '/v1/rounds')).items.find((r: any) => r.title === ROUND_TITLE);
  expect(round).toMatchObject({ region_code: '73', service_codes: ['HOME-HOUSEHOLD-HOUR', 'CHILD-REHAB-COURSE'], threshold: '40', appeal_window_days: 10 });
  expect(round.scored_criteria.map((c: any) => c.source)).toEqual(['auto', 'auto', 'committee']);
  roundId = round.id;

  // A round announced ahead of its window is opened now from its page.
  const upcoming = await (await registryAs(web.stack(), 'committee-73'))('POST', '/v1/rounds', {
    ...round,
    id: undefined,
    created_by: undefined,
    created_at: undefined,
    results_published_at: undefined,
    title: 'Отбор исполнителей услуг, объявленный заранее',
    applications_open_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    applications_close_at: new Date(Date.now() + 37 * 86_400_000).toISOString(),
  });
  await page.goto(`${web.stack().url}/committee/rounds/${upcoming.id}`);
  await page.getByText(/^Приём заявок начнётся /).waitFor();
  await page.getByRole('button', { name: 'Открыть приём сейчас' }).click();
  await page.getByText('Приём заявок открыт.').waitFor();
  await page.getByText(/^Идёт приём заявок до /).waitFor();
  await screenshot(page, 'committee-round-opened');
  await context.close();
}, 180_000);

let roundId: string;

test('When an NGO applies, then the committee sees its data and documents beside the automatic checks with their sources, scores it with a reason per criterion and admits it', async () => {
  const zabota = await registryAs(web.stack(), 'zabota-admin');
  const application = await zabota('POST', `/v1/rounds/${roundId}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
  expect(application.status).toBe('awaiting_scoring');

  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.goto(`${web.stack().url}/committee/rounds/${roundId}`);
  await page.getByRole('link', { name: 'АНО «Забота»' }).click();
  await page.getByRole('heading', { level: 1, name: 'Заявка: АНО «Забота»' }).waitFor();
  await page.getByText('7325012347').first().waitFor();
  await expect(page.getByText('Реквизиты в реестре поставщиков, проверка контрольных чисел').count()).resolves.toBe(1);
  await check(page, 'application');

  // Sent without the committee's score, the form says what is missing.
  await page.getByRole('button', { name: 'Принять решение' }).click();
  await page.getByRole('alert').getByText(/поставьте целое число баллов от 0 до 10/).waitFor();

  await page.getByLabel('Баллы: Доля квалифицированного персонала').fill('8');
  await page.getByLabel('Обоснование: Доля квалифицированного персонала').fill('Восемь из десяти социальных работников с профильным образованием');
  await page.getByLabel('Обоснование: Опыт оказания услуг, лет').fill('Работает с 2002 года, подтверждено выпиской ЕГРЮЛ');
  await page.getByRole('button', { name: 'Принять решение' }).click();
  await page.getByRole('heading', { level: 2, name: 'Решение' }).waitFor();
  await page.getByText('Восемь из десяти социальных работников с профильным образованием').waitFor();
  await check(page, 'application-decided');

  const decided = await (await registryAs(web.stack(), 'committee-73'))('GET', `/v1/rounds/${roundId}/applications/${application.id}`);
  expect(decided).toMatchObject({ status: 'admitted', decision: { outcome: 'admitted', total_points: '51' } });
  expect(decided.decision.criteria.find((c: any) => c.code === 'committee_1')).toMatchObject({ points: 8, comment: 'Восемь из десяти социальных работников с профильным образованием' });
  await context.close();
}, 180_000);

test('When a refused provider appeals, then the appeal waits in the queue with its deadline, linked to the decision appealed against, and the committee decides it with a reason', async () => {
  const committeeApi = await registryAs(web.stack(), 'committee-73');
  const rehab = await registryAs(web.stack(), 'rehab-admin');
  const application = await rehab('POST', `/v1/rounds/${roundId}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
  const refused = await committeeApi('POST', `/v1/rounds/${roundId}/applications/${application.id}/decision`, {
    scores: { committee_1: 1 },
    comments: { committee_1: 'Сведений о квалификации персонала не представлено' },
  });
  expect(refused.status).toBe('refused');
  await rehab('POST', `/v1/rounds/${roundId}/applications/${application.id}/appeal`, { reason: 'Дипломы специалистов приложены к апелляции, просим пересмотреть оценку' });

  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('link', { name: 'Апелляций ждут решения: 1' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Апелляции' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Апелляции' }).waitFor();
  await page.getByText('Решить до').waitFor();
  await page.getByText(/Набрано 26 баллов при проходном значении 40/).waitFor();
  await check(page, 'appeals');

  await page.getByRole('link', { name: 'Рассмотреть апелляцию: ООО «Реабилитация Плюс»' }).click();
  await page.getByRole('heading', { level: 2, name: 'Решение по апелляции' }).waitFor();
  await page.getByText('Дипломы специалистов приложены к апелляции, просим пересмотреть оценку').waitFor();
  await check(page, 'appeal-application');
  await page.getByLabel('Баллы: Доля квалифицированного персонала').fill('9');
  await page.getByLabel('Обоснование: Доля квалифицированного персонала').fill('Представлены дипломы девяти специалистов');
  await page.getByLabel('Решение комиссии по апелляции').fill('Квалификация персонала подтверждена дипломами, оценка пересмотрена');
  await page.getByRole('button', { name: 'Принять решение по апелляции' }).click();
  await page.getByText('Обоснование решения по апелляции').waitFor();
  await screenshot(page, 'committee-appeal-decided');

  const after = await committeeApi('GET', `/v1/rounds/${roundId}/applications/${application.id}`);
  expect(after).toMatchObject({ status: 'admitted', decision: { outcome: 'admitted', reason: 'Квалификация персонала подтверждена дипломами, оценка пересмотрена' } });
  expect((await committeeApi('GET', '/v1/appeals')).items).toEqual([]);

  // Everything decided: the committee closes the window early and publishes the final results.
  await page.goto(`${web.stack().url}/committee/rounds/${roundId}`);
  await page.getByRole('button', { name: 'Закрыть приём заявок' }).click();
  await page.getByText('Приём заявок закрыт.').waitFor();
  await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
  await page.getByText('Итоги отбора опубликованы.').waitFor();
  await page.getByText(/^Итоги опубликованы /).waitFor();
  await screenshot(page, 'committee-round-published');
  expect((await committeeApi('GET', `/v1/rounds/${roundId}`)).results_published_at).toEqual(expect.any(String));
  await context.close();
}, 180_000);

test('When the committee suspends a provider with a reason, then its status and history say so, and the registry lists it as suspended', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('navigation').getByRole('link', { name: 'Реестр поставщиков' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Реестр поставщиков' }).waitFor();
  await page.getByRole('link', { name: 'ООО «Реабилитация Плюс»' }).waitFor();
  await check(page, 'providers');

  await page.getByRole('link', { name: 'ООО «Реабилитация Плюс»' }).click();
  await page.getByRole('heading', { level: 1, name: 'ООО «Реабилитация Плюс»' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'История статусов' }).waitFor();
  await check(page, 'provider');
  await page.getByLabel('Что сделать').selectOption({ label: 'Приостановить' });
  await page.getByLabel('Причина').fill('Жалобы получателей на срыв занятий, назначена выездная проверка');
  await page.getByRole('button', { name: 'Изменить статус' }).click();
  await page.getByText('Статус изменён: приостановлен.').waitFor();
  await page.getByRole('cell', { name: 'Жалобы получателей на срыв занятий, назначена выездная проверка' }).waitFor();
  await screenshot(page, 'committee-provider-suspended');

  await page.goto(`${web.stack().url}/committee/providers?status=suspended`);
  await page.getByRole('link', { name: 'ООО «Реабилитация Плюс»' }).waitFor();
  await expect(page.getByRole('link', { name: 'АНО «Забота»' }).count()).resolves.toBe(0);
  const history = await (await registryAs(web.stack(), 'committee-73'))('GET', `/v1/providers/${REHAB_ID}/status-history`);
  expect(history.items.at(-1)).toMatchObject({ from_status: 'admitted', to_status: 'suspended', reason: 'Жалобы получателей на срыв занятий, назначена выездная проверка', actor: expect.stringMatching(/^committee:/) });
  await context.close();
}, 180_000);

test('When the committee publishes a new normative cost version with its reason and date, then it is listed beside the past versions', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('navigation').getByRole('link', { name: 'Нормативные затраты' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Нормативные затраты' }).waitFor();
  await page.getByRole('link', { name: 'Социально-бытовые услуги на дому' }).waitFor();
  await check(page, 'catalog');

  await page.getByRole('link', { name: 'Социально-бытовые услуги на дому' }).click();
  await page.getByRole('heading', { level: 1, name: 'Норматив: Социально-бытовые услуги на дому' }).waitFor();
  await page.getByText('Действует', { exact: true }).waitFor();
  await check(page, 'cost');
  const from = ruDate(40);
  await page.getByLabel(/Норматив за/).fill('512,40');
  await page.getByLabel('Действует с').fill(from);
  await page.getByLabel('Основание').fill('Приказ Министерства социального развития области от 01.12.2026 № 120-П');
  await page.getByRole('button', { name: 'Опубликовать версию' }).click();
  await page.getByText(`Опубликована версия 512,40 ₽ с ${from}.`).waitFor();
  await page.getByRole('cell', { name: 'Приказ Министерства социального развития области от 01.12.2026 № 120-П' }).waitFor();
  await page.getByText('Вступит в силу').waitFor();
  await screenshot(page, 'committee-cost-published');

  // The same date again: the registry keeps published versions unchanged, and the page says so.
  await page.getByLabel(/Норматив за/).fill('600');
  await page.getByLabel('Действует с').fill(from);
  await page.getByLabel('Основание').fill('Повторная публикация той же даты');
  await page.getByRole('button', { name: 'Опубликовать версию' }).click();
  await page.getByRole('alert').getByText(/уже утверждён/).waitFor();

  const service = await (await fetch(`${web.stack().registryUrl}/v1/catalog/services/HOME-HOUSEHOLD-HOUR?region=73`)).json();
  const [d, m, y] = from.split('.');
  expect(service.costs).toEqual(expect.arrayContaining([{ region_code: '73', valid_from: `${y}-${m}-${d}`, amount: '512.40', reason: 'Приказ Министерства социального развития области от 01.12.2026 № 120-П' }]));

  // A coefficient's new factor from a date, with its reason, beside the factor it started with.
  await page.getByRole('link', { name: 'Нормативные затраты' }).first().click();
  await page.getByRole('link', { name: 'Сельская местность' }).click();
  await page.getByRole('heading', { level: 1, name: 'Коэффициент: Сельская местность' }).waitFor();
  await check(page, 'coefficient');
  await page.getByLabel('Множитель', { exact: true }).fill('1,2');
  await page.getByLabel('Действует с').fill(from);
  await page.getByLabel('Основание').fill('Постановление правительства области от 01.12.2026 № 45-П');
  await page.getByRole('button', { name: 'Опубликовать множитель' }).click();
  await page.getByText(`Опубликован множитель 1,2 с ${from}.`).waitFor();
  await page.getByRole('cell', { name: 'Постановление правительства области от 01.12.2026 № 45-П' }).waitFor();
  await screenshot(page, 'committee-coefficient-published');
  const versions = await (await fetch(`${web.stack().registryUrl}/v1/catalog/coefficients/rural/versions`)).json();
  expect(versions).toMatchObject({ base_factor: '1.15', items: [{ valid_from: `${y}-${m}-${d}`, factor: '1.2', reason: 'Постановление правительства области от 01.12.2026 № 45-П' }] });
  await context.close();
}, 180_000);

test('When the committee switches to the low-vision version, then every committee page still passes axe and fits 320 px', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInThroughPage(page, web.stack().url, 'committee-73');
  await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
  await page.getByRole('button', { name: 'Обычная версия' }).waitFor();
  const applications = await (await registryAs(web.stack(), 'committee-73'))('GET', `/v1/rounds/${roundId}/applications`);
  const paths: Array<[string, string]> = [
    ['home', '/committee'],
    ['new-round', '/committee/rounds/new'],
    ['round', `/committee/rounds/${roundId}`],
    ['application', `/committee/rounds/${roundId}/applications/${applications.items[0].id}`],
    ['appeals', '/committee/appeals'],
    ['providers', '/committee/providers'],
    ['provider', `/committee/providers/${REHAB_ID}`],
    ['catalog', '/committee/catalog'],
    ['cost', '/committee/catalog/HOME-HOUSEHOLD-HOUR'],
    ['coefficient', '/committee/catalog/coefficients/rural'],
  ];
  for (const [name, path] of paths) {
    await page.goto(`${web.stack().url}${path}`);
    await check(page, `lowvision-${name}`);
  }
  expect(await page.evaluate(() => document.documentElement.hasAttribute('data-low-vision'))).toBe(true);
  await context.close();
}, 180_000);

test('Every committee page passes axe and fits 320 px', () => {
  expect(problems).toEqual([]);
});
