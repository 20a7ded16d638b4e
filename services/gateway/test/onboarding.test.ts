import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CookieJar, createTestDatabase, freePort, signInThroughProvider, startDevIdentityProvider, type DevIdentityProvider, type TestDatabase } from '../../../packages/testing/src';
import { startDevMailbox, type DevMailbox } from '../../notifications/src/dev-mailbox';
import { createRegistryService } from '../../registry/src/app';
import { createGateway, type Gateway } from '../src/app';

/**
 * Issue 16, NGO onboarding and staff: from the first sign-in of a representative whose organisation
 * is not registered, through the registration bound to their account, to one staff member invited,
 * working, and removed (their session ends at once). Real registry, real development ЕСИА.
 */

let db: TestDatabase;
let provider: DevIdentityProvider;
let keyDir: string;
let gateway: Gateway;
let url: string;
let registry: Awaited<ReturnType<typeof createRegistryService>>;
let mailbox: DevMailbox;
let registryUrl: string;

interface SessionBody {
  user: { id: string; name: string; roles: string[]; provider_id?: string };
  csrf_token: string;
}

async function signedIn(username: string) {
  const steps = await signInThroughProvider(url, username);
  expect(steps.callback.status).toBe(303);
  const body = (await (await fetch(`${url}/api/session`, { headers: { cookie: steps.gatewayJar.header() } })).json()) as SessionBody;
  return { jar: steps.gatewayJar, body };
}

const headers = (who: { jar: CookieJar; body: SessionBody }) => ({ cookie: who.jar.header(), origin: url, 'x-csrf-token': who.body.csrf_token, 'content-type': 'application/json' });

async function expectProblem(res: Response, status: number, code: string) {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  const body = JSON.parse(text) as { code: string; detail: string };
  expect(body.code).toBe(code);
  expect(body.detail).toMatch(/[а-яё]/i);
  return body;
}

const DOBRO_REGISTRATION = {
  inn: '7325000038',
  ogrn: '1027300000034',
  kpp: '732501001',
  name: 'Автономная некоммерческая организация «Добрые руки»',
  short_name: 'АНО «Добрые руки»',
  legal_form: 'Автономная некоммерческая организация',
  type: 'sonko',
  funding_mode: 'compensation',
  registered_at: '2002-05-14',
  region_code: '73',
  contacts: { phone: '+78422410077', email: 'info@dobro73.ru', contact_person: 'Григорьева Светлана Юрьевна' },
  bank: { bic: '047308602', bank_name: 'Ульяновское отделение № 8588 ПАО Сбербанк', correspondent_account: '30101810000000000602', account: '40703810269000001234' },
  locations: [{ address: 'г. Ульяновск, ул. Карла Маркса, д. 5', district_code: '73701000', lat: 54.3166, lon: 48.4029 }],
  services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 100 }],
};

beforeAll(async () => {
  keyDir = await mkdtemp(path.join(tmpdir(), 'gateway-onboarding-'));
  db = await createTestDatabase('gateway_onboarding');
  const port = await freePort();
  provider = await startDevIdentityProvider({ redirectUris: [`http://127.0.0.1:${port}/api/auth/callback`] });
  registry = await createRegistryService({
    DATABASE_URL: db.url,
    JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `onb-${randomUUID().slice(0, 8)}`,
    OUTBOX_RELAY_ENABLED: false,
    CONSUMERS_ENABLED: false,
  } as never);
  registryUrl = (await registry.start(0)).url;
  mailbox = await startDevMailbox();
  gateway = await createGateway({
    JWT_PRIVATE_KEY_FILE: path.join(keyDir, 'signing.pem'),
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    OIDC_DISCOVERY_URL: provider.url,
    REGISTRY_URL: registryUrl,
    SMTP_URL: mailbox.url,
    SESSION_PREFIX: `esc:onb-test:${randomUUID()}:`,
  });
  url = (await gateway.start(port)).url;
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await registry?.stop();
  await mailbox?.stop();
  await provider?.stop();
  await db?.drop();
  await rm(keyDir, { recursive: true, force: true });
});

test('An NGO head signs in, registers her organisation, invites a staff member who works in the cabinet, and removes him: his session ends at once', async () => {
  const head = await signedIn('ngo-dobro');
  expect(head.body.user.roles).not.toContain('provider_admin');
  const state = await (await fetch(`${url}/api/onboarding`, { headers: { cookie: head.jar.header() } })).json();
  expect(state).toEqual({ can_register: true, organisation: { inn: '7325000038', ogrn: '1027300000034', name: 'АНО «Добрые руки»', position: 'Директор' } });

  // Another organisation's INN is refused; so is a representative registering twice.
  await expectProblem(
    await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(head), body: JSON.stringify({ ...DOBRO_REGISTRATION, inn: '7325012347' }) }),
    403,
    'onboarding_inn_mismatch',
  );
  const invalid = await expectProblem(
    await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(head), body: JSON.stringify({ ...DOBRO_REGISTRATION, kpp: '12' }) }),
    400,
    'validation_failed',
  );
  expect(JSON.stringify(invalid)).toMatch(/kpp/);

  const registered = await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(head), body: JSON.stringify(DOBRO_REGISTRATION) });
  expect(registered.status).toBe(201);
  const { provider: org, session } = (await registered.json()) as { provider: { id: string; status: string; inn: string }; session: SessionBody };
  expect(org).toMatchObject({ inn: '7325000038', status: 'applicant' });
  expect(session.user).toMatchObject({ roles: expect.arrayContaining(['provider_admin']), provider_id: org.id });
  head.body = session;
  await expectProblem(await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(head), body: JSON.stringify(DOBRO_REGISTRATION) }), 409, 'already_bound_to_provider');

  // The provider's own cabinet now answers her through the gateway's proxy.
  const own = await fetch(`${url}/api/registry/v1/providers/${org.id}`, { headers: { cookie: head.jar.header() } });
  expect(own.status).toBe(200);

  const invited = await fetch(`${url}/api/provider/invitations`, { method: 'POST', headers: headers(head), body: JSON.stringify({ email: 'tarasov@example.ru', role: 'provider_staff' }) });
  expect(invited.status).toBe(201);
  const invitation = (await invited.json()) as { link: string; status: string; expires_at: string; emailed: boolean };
  expect(invitation).toMatchObject({ status: 'pending', emailed: true });
  const letter = mailbox.messages.at(-1)!;
  expect(letter.subject).toBe('Приглашение в кабинет поставщика социальных услуг');
  expect(JSON.stringify(letter.to)).toContain('tarasov@example.ru');
  expect(letter.text).toContain(invitation.link);
  expect(letter.text).toMatch(/Григорьева Светлана Юрьевна приглашает вас .* как сотрудника/);
  expect(Date.parse(invitation.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  const token = invitation.link.split('/invitations/')[1]!;
  expect((await (await fetch(`${url}/api/invitations/${token}`)).json()) as object).toMatchObject({ role: 'provider_staff', email: 'tarasov@example.ru' });

  const staff = await signedIn('ngo-svet');
  const accepted = await fetch(`${url}/api/invitations/${token}/accept`, { method: 'POST', headers: headers(staff) });
  expect(accepted.status).toBe(200);
  staff.body = ((await accepted.json()) as { session: SessionBody }).session;
  expect(staff.body.user).toMatchObject({ roles: expect.arrayContaining(['provider_staff']), provider_id: org.id });
  expect((await fetch(`${url}/api/registry/v1/providers/${org.id}`, { headers: { cookie: staff.jar.header() } })).status).toBe(200);

  // The link is single-use, and links that are not ours are refused.
  const other = await signedIn('citizen-smirnov');
  await expectProblem(await fetch(`${url}/api/invitations/${token}/accept`, { method: 'POST', headers: headers(other) }), 409, 'invitation_used');
  await expectProblem(await fetch(`${url}/api/invitations/${'x'.repeat(43)}/accept`, { method: 'POST', headers: headers(other) }), 404, 'invitation_not_found');
  await expectProblem(await fetch(`${url}/api/invitations/short`), 400, 'validation_failed');

  const people = (await (await fetch(`${url}/api/provider/staff`, { headers: { cookie: head.jar.header() } })).json()) as { items: Array<{ account_id: string; name: string; roles: string[] }> };
  expect(people.items.map((p) => [p.name, p.roles])).toEqual([
    ['Григорьева Светлана Юрьевна', ['provider_admin']],
    ['Тарасов Михаил Ильич', ['provider_staff']],
  ]);
  const tarasov = people.items.find((p) => p.name.startsWith('Тарасов'))!;
  await expectProblem(await fetch(`${url}/api/provider/staff/${tarasov.account_id}`, { method: 'DELETE', headers: headers(staff) }), 403, 'forbidden');
  const head_ = people.items.find((p) => p.name.startsWith('Григорьева'))!;
  await expectProblem(await fetch(`${url}/api/provider/staff/${head_.account_id}`, { method: 'DELETE', headers: headers(head) }), 409, 'cannot_remove_self');

  expect((await fetch(`${url}/api/provider/staff/${tarasov.account_id}`, { method: 'DELETE', headers: headers(head) })).status).toBe(204);
  await expectProblem(await fetch(`${url}/api/session`, { headers: { cookie: staff.jar.header() } }), 401, 'no_session');
  const again = await signedIn('ngo-svet');
  expect(again.body.user.roles).not.toContain('provider_staff');
  expect(again.body.user.provider_id).toBeUndefined();
});

test('An account bound to a provider cannot register another, and a person who is no representative registers none', async () => {
  const rehab = await signedIn('rehab-admin');
  const state = await (await fetch(`${url}/api/onboarding`, { headers: { cookie: rehab.jar.header() } })).json();
  expect(state).toMatchObject({ can_register: false, provider_id: 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b' });
  const citizen = await signedIn('citizen-ivanova');
  await expectProblem(
    await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(citizen), body: JSON.stringify(DOBRO_REGISTRATION) }),
    403,
    'not_a_representative',
  );
});

test('A second representative of a registered organisation asks to join; its admin approves and she works there after signing in again', async () => {
  // «Реабилитация Плюс» registered by its admin, as the demo seed does.
  const token = ((await (await fetch(`${url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'rehab-admin', password: 'demo' }) })).json()) as { access_token: string }).access_token;
  const rehabRegistration = { ...DOBRO_REGISTRATION, inn: '7328045679', ogrn: '1157325004561', kpp: '732801001', name: 'ООО «Реабилитация Плюс»', short_name: 'ООО «Реабилитация Плюс»', legal_form: 'Общество с ограниченной ответственностью', type: 'social_enterprise', registered_at: '2015-03-10' };
  const registeredByAdmin = await fetch(`${registryUrl}/v1/providers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(rehabRegistration) });
  expect(registeredByAdmin.status).toBe(201);

  const deputy = await signedIn('rehab-deputy');
  expect(await (await fetch(`${url}/api/onboarding`, { headers: { cookie: deputy.jar.header() } })).json()).toMatchObject({ can_register: true, organisation: { inn: '7328045679' } });
  const asked = await expectProblem(
    await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(deputy), body: JSON.stringify(rehabRegistration) }),
    409,
    'join_requested',
  );
  expect(asked).toMatchObject({ provider_id: 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b' });
  // Asking again opens no second request.
  await expectProblem(await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(deputy), body: JSON.stringify(rehabRegistration) }), 409, 'join_requested');

  const admin = await signedIn('rehab-admin');
  const requests = (await (await fetch(`${url}/api/provider/join-requests`, { headers: { cookie: admin.jar.header() } })).json()) as { items: Array<{ id: string; name: string; position?: string }> };
  expect(requests.items).toEqual([expect.objectContaining({ name: 'Зайцева Виктория Олеговна', position: 'Заместитель директора' })]);
  const dobroHead = await signedIn('ngo-dobro');
  await expectProblem(await fetch(`${url}/api/provider/join-requests/${requests.items[0]!.id}/approve`, { method: 'POST', headers: headers(dobroHead), body: '{}' }), 404, 'join_request_not_found');
  expect((await fetch(`${url}/api/provider/join-requests/${requests.items[0]!.id}/approve`, { method: 'POST', headers: headers(admin), body: '{}' })).status).toBe(204);
  await expectProblem(await fetch(`${url}/api/session`, { headers: { cookie: deputy.jar.header() } }), 401, 'no_session');
  const again = await signedIn('rehab-deputy');
  expect(again.body.user).toMatchObject({ roles: expect.arrayContaining(['provider_staff']), provider_id: 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b' });
  expect(((await (await fetch(`${url}/api/provider/join-requests`, { headers: { cookie: admin.jar.header() } })).json()) as { items: unknown[] }).items).toEqual([]);
});

test('The head of a state institution entered by the committee asks to join; the marketplace admin makes her its provider admin', async () => {
  const committee = ((await (await fetch(`${url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'committee-73', password: 'demo' }) })).json()) as { access_token: string }).access_token;
  const institution = {
    ...DOBRO_REGISTRATION,
    inn: '7325000052',
    ogrn: '1027300000056',
    name: 'Областное государственное бюджетное учреждение социального обслуживания «Комплексный центр социального обслуживания»',
    short_name: 'ОГБУСО «КЦСО»',
    legal_form: 'Государственное бюджетное учреждение',
    type: 'state_institution',
    funding_mode: 'state_assignment',
  };
  const entered = await fetch(`${registryUrl}/v1/providers`, { method: 'POST', headers: { authorization: `Bearer ${committee}`, 'content-type': 'application/json' }, body: JSON.stringify(institution) });
  expect(entered.status).toBe(201);
  const institutionId = ((await entered.json()) as { id: string }).id;

  const head = await signedIn('gbu-head');
  await expectProblem(await fetch(`${url}/api/onboarding/provider`, { method: 'POST', headers: headers(head), body: JSON.stringify(institution) }), 409, 'join_requested');

  const caseworker = await signedIn('caseworker-73');
  await expectProblem(await fetch(`${url}/api/admin/join-requests`, { headers: { cookie: caseworker.jar.header() } }), 403, 'forbidden');
  const admin = await signedIn('admin');
  const open = (await (await fetch(`${url}/api/admin/join-requests`, { headers: { cookie: admin.jar.header() } })).json()) as { items: Array<{ id: string; name: string; provider_id: string }> };
  const request = open.items.find((r) => r.name === 'Белова Татьяна Андреевна')!;
  expect(request.provider_id).toBe(institutionId);
  expect((await fetch(`${url}/api/admin/join-requests/${request.id}/approve`, { method: 'POST', headers: headers(admin), body: '{}' })).status).toBe(204);
  await expectProblem(await fetch(`${url}/api/admin/join-requests/${request.id}/approve`, { method: 'POST', headers: headers(admin), body: '{}' }), 404, 'join_request_not_found');
  const again = await signedIn('gbu-head');
  expect(again.body.user).toMatchObject({ roles: expect.arrayContaining(['provider_admin']), provider_id: institutionId });
});
