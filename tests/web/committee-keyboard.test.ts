import { screenshot, withWebStack } from './browser';
import { registryAs, ruDate } from './committee-side';
import { fromTop, press, signInByKeyboard, tabTo, typeInto } from './keyboard';

/**
 * The selection committee's journey once more with the keyboard alone (Tab, Enter, Space and typing;
 * the mouse is never used): sign in, announce a round, score and admit an NGO's application, decide
 * an appeal, close the round and publish its results, suspend a provider and publish a cost version.
 * The providers' side (applying, appealing) goes through the registry's API.
 */
const web = withWebStack('web-committee-keyboard');

const TITLE = 'Отбор исполнителей услуг на дому, Ульяновск, 2027 — клавиатура';

test('When the committee uses only the keyboard, then it can run a round from announcement to published results, suspend a provider and publish a cost', async () => {
  const context = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await signInByKeyboard(page, web.stack().url, 'committee-73');
  await page.getByRole('heading', { level: 1, name: 'Кабинет комиссии' }).waitFor();

  // Announce a round.
  await press(page, 'Объявить отбор');
  await page.getByRole('heading', { level: 1, name: 'Объявить отбор' }).waitFor();
  await typeInto(page, 'Название отбора', TITLE);
  await tabTo(page, /HOME-HOUSEHOLD-HOUR/);
  await page.keyboard.press('Space');
  await fromTop(page);
  await tabTo(page, /CHILD-REHAB-COURSE/);
  await page.keyboard.press('Space');
  await tabTo(page, 'город Ульяновск');
  await page.keyboard.press('Space');
  await typeInto(page, 'Приём заявок по', ruDate(30));
  await press(page, 'Объявить отбор');
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  const roundId = new URL(page.url()).pathname.split('/').pop()!;

  // The providers apply; the committee admits «Забота» and refuses «Реабилитация Плюс», which appeals.
  const committee = await registryAs(web.stack(), 'committee-73');
  const zabota = await (await registryAs(web.stack(), 'zabota-admin'))('POST', `/v1/rounds/${roundId}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
  const rehabApi = await registryAs(web.stack(), 'rehab-admin');
  const rehab = await rehabApi('POST', `/v1/rounds/${roundId}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
  await page.reload();
  await press(page, 'АНО «Забота»');
  await page.getByRole('heading', { level: 1, name: 'Заявка: АНО «Забота»' }).waitFor();
  // Sent empty: the summary takes focus.
  await press(page, 'Принять решение');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
  await typeInto(page, 'Баллы: Доля квалифицированного персонала', '8');
  await typeInto(page, 'Обоснование: Доля квалифицированного персонала', 'Восемь из десяти работников с профильным образованием');
  await press(page, 'Принять решение');
  await page.getByRole('heading', { level: 2, name: 'Решение' }).waitFor();
  await screenshot(page, 'committee-keyboard-01-admitted');
  expect((await committee('GET', `/v1/rounds/${roundId}/applications/${zabota.id}`)).status).toBe('admitted');

  await committee('POST', `/v1/rounds/${roundId}/applications/${rehab.id}/decision`, { scores: { committee_1: 1 }, comments: { committee_1: 'Квалификация не подтверждена' } });
  await rehabApi('POST', `/v1/rounds/${roundId}/applications/${rehab.id}/appeal`, { reason: 'Прикладываем дипломы специалистов, просим пересмотреть' });

  await fromTop(page);
  await press(page, 'Апелляции');
  await page.getByRole('heading', { level: 1, name: 'Апелляции' }).waitFor();
  await press(page, 'Рассмотреть апелляцию: ООО «Реабилитация Плюс»');
  await page.getByRole('heading', { level: 2, name: 'Решение по апелляции' }).waitFor();
  await typeInto(page, 'Баллы: Доля квалифицированного персонала', '9');
  await typeInto(page, 'Обоснование: Доля квалифицированного персонала', 'Дипломы девяти специалистов');
  await typeInto(page, 'Решение комиссии по апелляции', 'Квалификация подтверждена дипломами, оценка пересмотрена');
  await press(page, 'Принять решение по апелляции');
  await page.getByText('Обоснование решения по апелляции').waitFor();
  expect((await committee('GET', `/v1/rounds/${roundId}/applications/${rehab.id}`)).status).toBe('admitted');

  // Close the window early and publish the results.
  await fromTop(page);
  await press(page, `← ${TITLE}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await press(page, 'Закрыть приём заявок');
  await page.getByText('Приём заявок закрыт.').waitFor();
  await press(page, 'Опубликовать итоги');
  await page.getByText('Итоги отбора опубликованы.').waitFor();
  await screenshot(page, 'committee-keyboard-02-published');
  expect((await committee('GET', `/v1/rounds/${roundId}`)).results_published_at).toEqual(expect.any(String));

  // Suspend a provider with a reason.
  await fromTop(page);
  await press(page, 'Реестр поставщиков');
  await page.getByRole('heading', { level: 1, name: 'Реестр поставщиков' }).waitFor();
  await press(page, 'ООО «Реабилитация Плюс»');
  await page.getByRole('heading', { level: 2, name: 'История статусов' }).waitFor();
  await typeInto(page, 'Причина', 'Выездная проверка по жалобам получателей');
  await press(page, 'Изменить статус');
  await page.getByText('Статус изменён: приостановлен.').waitFor();
  await screenshot(page, 'committee-keyboard-03-suspended');

  // Publish a cost version.
  await fromTop(page);
  await press(page, 'Нормативные затраты');
  await page.getByRole('heading', { level: 1, name: 'Нормативные затраты' }).waitFor();
  await press(page, 'Социально-бытовые услуги на дому');
  await page.getByRole('heading', { level: 1, name: /^Норматив: / }).waitFor();
  await typeInto(page, /^Норматив за/, '499,90');
  await typeInto(page, 'Действует с', ruDate(45));
  await typeInto(page, 'Основание', 'Приказ министерства от 01.12.2026 № 121-П');
  await press(page, 'Опубликовать версию');
  await page.getByText(/^Опубликована версия 499,90/).waitFor();
  await screenshot(page, 'committee-keyboard-04-cost');
  await context.close();
}, 180_000);
