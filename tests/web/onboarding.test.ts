import type { Page } from 'playwright-core';
import { demoCertificateId } from '../../infra/dev/seed-certificates';
import { accessibilityViolations, screenshot, scrollsHorizontally, withWebStack } from './browser';

/**
 * Issue 16, NGO onboarding in the browser: a representative of an organisation not yet registered
 * signs in through the development ЕСИА, is led to the registration form, registers, invites a staff
 * member by link; he signs in from the link and takes it; she removes him and his session ends. The
 * organisation registered this way applies to a round and the committee admits it before he is invited.
 */
const web = withWebStack('web-onboarding');

async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.g-loader'), undefined, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function signInAs(page: Page, username: string): Promise<void> {
  await page.goto(`${web.stack().url}/sign-in`);
  await page.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.locator(`button[data-username="${username}"]`).click();
  await page.waitForURL((url) => url.origin === web.stack().url && !url.pathname.startsWith('/sign'));
  await settled(page);
}

async function fillRegistration(page: Page, values: { kpp: string; name: string; registeredAt: string }): Promise<void> {
  await page.getByLabel('КПП').fill(values.kpp);
  await page.getByLabel('Полное наименование').fill(values.name);
  await page.getByLabel('Дата регистрации').fill(values.registeredAt);
  await page.getByLabel('Телефон').fill('+78422410077');
  await page.getByLabel('Электронная почта').fill('info@example.ru');
  await page.getByLabel('БИК банка').fill('047308602');
  await page.getByLabel('Банк', { exact: true }).fill('Ульяновское отделение № 8588 ПАО Сбербанк');
  await page.getByLabel('Корреспондентский счёт').fill('30101810000000000602');
  await page.getByLabel('Расчётный счёт').fill('40703810269000001234');
  await page.getByLabel('Адрес, где оказываются услуги').fill('г. Ульяновск, ул. Карла Маркса, д. 5');
}

test('A second representative of a registered organisation is told her request went to its admin, who lets her in', async () => {
  const deputyContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const deputy = await deputyContext.newPage();
  await signInAs(deputy, 'rehab-deputy');
  expect(new URL(deputy.url()).pathname).toBe('/onboarding');
  await fillRegistration(deputy, { kpp: '732801001', name: 'ООО «Реабилитация Плюс»', registeredAt: '2015-03-10' });
  await deputy.getByRole('button', { name: 'Зарегистрировать организацию' }).click();
  await deputy.getByText(/уже зарегистрирована в маркетплейсе\. Мы передали её администратору вашу просьбу о доступе/).waitFor();
  await screenshot(deputy, 'onboarding-join-requested');

  // The marketplace admin sees every organisation's open requests too (the way a state institution's head gets in).
  const marketplaceContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const marketplace = await marketplaceContext.newPage();
  await signInAs(marketplace, 'admin');
  await marketplace.goto(`${web.stack().url}/admin/accounts`);
  await settled(marketplace);
  await marketplace.getByRole('heading', { name: 'Представители организаций просят доступ' }).waitFor();
  await marketplace.getByRole('heading', { level: 3, name: 'Зайцева Виктория Олеговна' }).waitFor();
  await screenshot(marketplace, 'admin-join-requests');
  expect(await accessibilityViolations(marketplace)).toEqual([]);
  await marketplaceContext.close();

  const adminContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const admin = await adminContext.newPage();
  await signInAs(admin, 'rehab-admin');
  await admin.goto(`${web.stack().url}/provider/staff`);
  await settled(admin);
  await admin.getByRole('heading', { name: 'Просят доступ' }).waitFor();
  await screenshot(admin, 'provider-join-requests');
  expect(await accessibilityViolations(admin)).toEqual([]);
  await admin.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(admin)).toBe(false);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.getByRole('button', { name: 'Допустить как сотрудника: Зайцева Виктория Олеговна' }).click();
  await admin.getByRole('heading', { level: 2, name: 'Зайцева Виктория Олеговна' }).waitFor();

  await signInAs(deputy, 'rehab-deputy');
  await deputy.getByRole('link', { name: 'Кабинет поставщика' }).click();
  await deputy.waitForURL('**/provider');
  await settled(deputy);
  await expect(deputy.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Реабилитация Плюс|Кабинет/);
  await deputyContext.close();
  await adminContext.close();
});

/** A call to a service's API with a demo user's token (the committee opening a round, the case worker booking for a citizen). */
async function api(username: string, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${await web.stack().tokenFor(username)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => null)) as any;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const ROUND_TITLE = 'Отбор исполнителей социально-бытовых услуг, Ульяновск, 2027 — для новых организаций';

/**
 * The committee opens a round for household services in Ulyanovsk, open now, with all eight formal
 * criteria (as the committee's default round): the four statements (no tax arrears, not bankrupt, not
 * liquidating, not an unscrupulous supplier) the organisation makes in its profile before applying.
 */
async function openRound(): Promise<{ id: string; title: string }> {
  const hour = 3600_000;
  return api('committee-73', 'POST', `${web.stack().registryUrl}/v1/rounds`, {
    title: ROUND_TITLE,
    region_code: '73',
    territory: ['73701000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 48 * hour).toISOString(),
    appeal_window_days: 10,
    formal_criteria: [
      'identifiers_valid',
      'registered_one_year',
      'licence_present',
      'location_in_territory',
      'no_tax_arrears',
      'not_bankrupt',
      'not_liquidating',
      'not_unscrupulous_supplier',
    ],
    scored_criteria: [{ code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' }],
    threshold: '20',
    sonko_preference_points: '5',
  });
}

test('From the first sign-in to an admitted organisation with one staff member invited, working and removed', async () => {
  const round = await openRound();
  const headContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const head = await headContext.newPage();
  await head.goto(`${web.stack().url}/sign-in`);
  await head.locator('#main').getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await head.locator('button[data-username="ngo-dobro"]').click();
  await head.waitForURL((url) => url.origin === web.stack().url && url.pathname === '/onboarding');
  await settled(head);
  await head.getByLabel('КПП').waitFor();
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(head)).toBe(false);
  await head.setViewportSize({ width: 1280, height: 900 });

  await head.getByLabel('КПП').fill('7325');
  await head.getByText('КПП — 9 цифр').waitFor();
  await head.getByLabel('КПП').fill('732501001');
  await head.getByLabel('Полное наименование').fill('Автономная некоммерческая организация «Добрые руки»');
  await head.getByLabel('Дата регистрации').fill('14.05.2002');
  await head.getByLabel('Телефон').fill('+78422410077');
  await head.getByLabel('Электронная почта').fill('info@dobro73.ru');
  await head.getByLabel('БИК банка').fill('047308602');
  await head.getByLabel('Банк', { exact: true }).fill('Ульяновское отделение № 8588 ПАО Сбербанк');
  await head.getByLabel('Корреспондентский счёт').fill('30101810000000000602');
  await head.getByLabel('Расчётный счёт').fill('40703810269000001234');
  await head.getByLabel('Адрес, где оказываются услуги').fill('г. Ульяновск, ул. Карла Маркса, д. 5');
  await head.getByLabel('Район').selectOption('73701000');
  await head.getByLabel('Услуга', { exact: true }).selectOption('HOME-HOUSEHOLD-HOUR');
  await screenshot(head, 'onboarding-form');
  await head.getByRole('button', { name: 'Зарегистрировать организацию' }).click();
  await head.waitForURL('**/provider/profile');
  await settled(head);
  await head.getByText('Заявитель: сведения ещё не проверены комиссией').waitFor();
  const providerId: string = (await (await head.request.get(`${web.stack().url}/api/session`)).json()).user.provider_id;
  expect(providerId).toMatch(/^[0-9a-f-]{36}$/);

  // The admin makes the four statements the round's formal check needs, each backed by a document.
  const statements = [
    ['нет долгов по налогам и сборам', 'ФНС-2026-118'],
    ['организация не банкротится', 'ЕФРСБ-55120'],
    ['организация не ликвидируется', 'ЮЭ9965-26-1180'],
    ['организации нет в реестре недобросовестных поставщиков', 'РНП-73-0412'],
  ] as const;
  const ruDate = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10).split('-').reverse().join('.');
  const declarations = head.locator('form[aria-labelledby="declarations-title"]');
  await declarations.waitFor();
  await expect(head.getByText('Заявление не сделано').count()).resolves.toBe(4);
  await declarations.getByText(`Заявляю: ${statements[0][0]}`).click();
  await head.getByRole('button', { name: 'Сохранить заявления' }).click();
  await head.getByRole('heading', { level: 2, name: 'Исправьте ошибки в форме' }).waitFor();
  await declarations.getByText('Укажите номер документа (до 100 знаков)').first().waitFor();
  await declarations.getByText('Введите дату выдачи в виде ДД.ММ.ГГГГ').first().waitFor();
  await screenshot(head, 'onboarding-declarations-errors');
  expect(await accessibilityViolations(head)).toEqual([]);
  for (const [title, number] of statements) {
    if (title !== statements[0][0]) await declarations.getByText(`Заявляю: ${title}`).click();
    await head.getByLabel(`Номер документа — ${title}`).fill(number);
    await head.getByLabel(`Дата выдачи — ${title}`).fill(ruDate(-5));
    await head.getByLabel(`Действует до — ${title}`).fill(ruDate(60));
  }
  await head.getByLabel(`Дата выдачи — ${statements[1][0]}`).fill(ruDate(3));
  await head.getByRole('button', { name: 'Сохранить заявления' }).click();
  await head.locator('#declaration-not_bankrupt__issued-error').getByText('Дата выдачи не может быть позже сегодняшнего дня').waitFor();
  await head.getByLabel(`Дата выдачи — ${statements[1][0]}`).fill(ruDate(-5));
  await head.getByRole('button', { name: 'Сохранить заявления' }).click();
  await head.getByText('Заявления организации сохранены; комиссия учтёт их при формальной проверке заявок на отбор.').waitFor();
  await expect(head.getByText(/^Заявлено \d{2}\.\d{2}\.\d{4}/).count()).resolves.toBe(4);
  await head.getByText(/Справка ФНС об исполнении обязанности по уплате налогов № ФНС-2026-118 от/).waitFor();
  await screenshot(head, 'onboarding-declarations-made');
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(head)).toBe(false);
  await screenshot(head, 'onboarding-declarations-320');
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 1280, height: 900 });
  const made = (await (await head.request.get(`${web.stack().url}/api/registry/v1/providers/${providerId}`)).json()).declarations;
  expect(made.not_liquidating).toMatchObject({ declared: true, document: { kind: 'Выписка из ЕГРЮЛ', number: 'ЮЭ9965-26-1180' } });
  expect(Date.now() - Date.parse(made.not_liquidating.declared_at)).toBeLessThan(5 * 60_000);

  // The new organisation finds the open round for its service and territory, and applies.
  await head.goto(`${web.stack().url}/provider/rounds`);
  await settled(head);
  const roundCard = head.getByRole('listitem').filter({ has: head.getByRole('heading', { level: 2, name: round.title }) });
  await roundCard.waitFor();
  await head.getByRole('button', { name: `Подать заявку на отбор «${round.title}»` }).click();
  await head.getByText(`Заявка на отбор «${round.title}» прошла формальную проверку и ждёт оценки комиссии.`).waitFor();
  await roundCard.getByText('Заявка подана, ждёт оценки комиссии').waitFor();
  await screenshot(head, 'onboarding-round-applied');
  expect(await accessibilityViolations(head)).toEqual([]);

  // The committee scores the application, admits it, closes the round and publishes the results.
  const committeeContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 1280, height: 900 } });
  const committee = await committeeContext.newPage();
  await signInAs(committee, 'committee-73');
  await committee.goto(`${web.stack().url}/committee/rounds/${round.id}`);
  await settled(committee);
  await committee.getByRole('link', { name: 'АНО «Добрые руки»' }).click();
  await committee.getByRole('heading', { level: 1, name: 'Заявка: АНО «Добрые руки»' }).waitFor();
  await committee.getByText('7325000038').first().waitFor();
  await committee.getByLabel('Баллы: Доля квалифицированного персонала').fill('7');
  await committee.getByLabel('Обоснование: Доля квалифицированного персонала').fill('Семь из десяти работников с профильным образованием');
  await committee.getByRole('button', { name: 'Принять решение' }).click();
  await committee.getByRole('heading', { level: 2, name: 'Решение' }).waitFor();
  await screenshot(committee, 'onboarding-committee-decided');
  await committee.goto(`${web.stack().url}/committee/rounds/${round.id}`);
  await settled(committee);
  await committee.getByRole('button', { name: 'Закрыть приём заявок' }).click();
  await committee.getByText('Приём заявок закрыт.').waitFor();
  await committee.getByRole('button', { name: 'Опубликовать итоги' }).click();
  await committee.getByText('Итоги отбора опубликованы.').waitFor();
  await screenshot(committee, 'onboarding-committee-published');
  await committeeContext.close();

  await head.reload();
  await settled(head);
  await roundCard.getByText('Допущена: организация включена в реестр по услугам отбора').waitFor();
  await expect(roundCard.getByText(/Доля квалифицированного персонала: оценён, 7 баллов/).count()).resolves.toBe(1);
  await head.goto(`${web.stack().url}/provider/profile`);
  await settled(head);
  await head.getByText('Включена в реестр поставщиков', { exact: true }).waitFor();
  await head.getByText('Допущена по итогам отбора (ОКТМО 73701000)').waitFor();
  await screenshot(head, 'onboarding-admitted-profile');

  await head.goto(`${web.stack().url}/provider/staff`);
  await settled(head);
  await head.getByLabel('Электронная почта').fill('tarasov@example.ru');
  await head.getByRole('button', { name: 'Пригласить' }).click();
  const link = (await head.getByTestId('invitation-link').textContent())!;
  expect(link).toMatch(/\/invitations\/[\w-]{43}$/);

  const staffContext = await web.browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const staff = await staffContext.newPage();
  await staff.goto(link);
  await settled(staff);
  await staff.getByRole('link', { name: 'Войти через Госуслуги, чтобы принять' }).click();
  await staff.locator('button[data-username="ngo-svet"]').click();
  await staff.waitForURL((url) => url.origin === web.stack().url && url.pathname.startsWith('/invitations/'));
  await settled(staff);
  await screenshot(staff, 'invitation-page');
  expect(await accessibilityViolations(staff)).toEqual([]);
  await staff.getByRole('button', { name: 'Принять приглашение' }).click();
  await staff.waitForURL((url) => url.pathname === '/provider');
  await settled(staff);
  // The staff page is the admin's: no link to it for staff, and a plain message if opened by address.
  const staffNav = staff.getByRole('navigation', { name: 'Навигатор услуг' });
  await staffNav.getByRole('link', { name: 'Профиль', exact: true }).waitFor();
  await expect(staffNav.getByRole('link', { name: 'Сотрудники', exact: true }).count()).resolves.toBe(0);
  await expect(staff.locator('#main').getByRole('link', { name: 'Сотрудники', exact: true }).count()).resolves.toBe(0);
  await expect(head.getByRole('navigation', { name: 'Навигатор услуг' }).getByRole('link', { name: 'Сотрудники', exact: true }).count()).resolves.toBe(1);
  await staff.goto(`${web.stack().url}/provider/staff`);
  await settled(staff);
  await staff.getByText('Раздел только для администратора организации').waitFor();
  await expect(staff.getByRole('button', { name: 'Пригласить' }).count()).resolves.toBe(0);
  await screenshot(staff, 'onboarding-staff-no-staff-page');
  expect(await accessibilityViolations(staff)).toEqual([]);
  // Staff read the organisation's statements but cannot change them.
  await staff.goto(`${web.stack().url}/provider/profile`);
  await settled(staff);
  await staff.getByRole('heading', { level: 2, name: 'Заявления организации' }).waitFor();
  await expect(staff.getByText(/^Заявлено \d{2}\.\d{2}\.\d{4}/).count()).resolves.toBe(4);
  await staff.getByText('Заявления делает администратор организации.').waitFor();
  await expect(staff.getByRole('button', { name: 'Сохранить заявления' }).count()).resolves.toBe(0);
  await screenshot(staff, 'onboarding-staff-declarations');
  expect(await accessibilityViolations(staff)).toEqual([]);
  await staff.goto(`${web.stack().url}/provider`);
  await settled(staff);

  // A citizen (through the region's case worker) asks the newly admitted organisation for the service; the staff member takes the request.
  const certificate = await api('caseworker-73', 'GET', `${web.stack().certificatesUrl}/v1/certificates/${demoCertificateId('smirnov')}`);
  const line = certificate.services.find((s: any) => s.service_code === 'HOME-HOUSEHOLD-HOUR');
  const booking = await api('caseworker-73', 'POST', `${web.stack().certificatesUrl}/v1/certificates/${certificate.id}/bookings`, { line_id: line.line_id, provider_id: providerId, units: 8 });
  await staff.reload();
  await settled(staff);
  await staff.getByText(/1 заявка ждёт вашего ответа/).waitFor();
  await staff.getByRole('link', { name: 'Заявки получателей' }).click();
  await staff.getByRole('heading', { level: 2, name: 'Смирнов А. И. — Социально-бытовые услуги на дому' }).waitFor();
  await screenshot(staff, 'onboarding-staff-inbox');
  expect(await accessibilityViolations(staff)).toEqual([]);
  await staff.getByRole('button', { name: /^Принять заявку от Смирнов А\. И\. на услугу «Социально-бытовые/ }).click();
  await staff.getByText('Заявка принята').waitFor();
  const bookings = (await (await staff.request.get(`${web.stack().url}/api/certificates/v1/providers/${providerId}/bookings`)).json()) as { items: any[] };
  expect(bookings.items.find((b) => b.id === booking.id)).toMatchObject({ status: 'accepted' });
  await staff.goto(`${web.stack().url}/provider/acts?booking=${booking.id}`);
  await staff.getByRole('heading', { level: 2, name: 'Записать акт' }).waitFor();

  await head.reload();
  await settled(head);
  await head.getByRole('heading', { name: 'Тарасов Михаил Ильич' }).waitFor();
  await screenshot(head, 'provider-staff');
  expect(await accessibilityViolations(head)).toEqual([]);
  await head.setViewportSize({ width: 320, height: 800 });
  expect(await scrollsHorizontally(head)).toBe(false);
  await head.setViewportSize({ width: 1280, height: 900 });
  await head.getByRole('button', { name: 'Отключить: Тарасов Михаил Ильич' }).click();
  await head.getByRole('heading', { name: 'Тарасов Михаил Ильич' }).waitFor({ state: 'detached' });
  expect((await staff.request.get(`${web.stack().url}/api/session`)).status()).toBe(401);
  await staff.goto(`${web.stack().url}/provider/bookings`);
  await staff.waitForURL((url) => url.pathname.startsWith('/sign-in'));
  await screenshot(staff, 'onboarding-staff-removed');
  await headContext.close();
  await staffContext.close();
}, 240_000);
