import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('providers');
});
afterAll(async () => {
  await registry?.stop();
});

describe('Provider registration', () => {
  it('When a provider admin registers the organisation, then it is bound to the token’s provider id as an applicant with a history entry', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post('/v1/providers', zabotaRegistration());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: ZABOTA_ID,
      inn: '7830002293',
      status: 'applicant',
      type: 'sonko',
      funding_mode: 'compensation',
      locations: [{ district_code: '73701000', lat: 54.3142 }],
      services: [
        { service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 400, admitted: false },
        { service_code: 'HOME-PSYCH-VISIT', capacity_per_month: 60, admitted: false },
      ],
    });
    const history = await zabota.get(`/v1/providers/${ZABOTA_ID}/status-history`);
    expect(history.body.items).toEqual([
      expect.objectContaining({ from_status: null, to_status: 'applicant', actor: 'provider_admin:83ddab09-dd7d-43ea-8a7d-2dba65233c36' }),
    ]);
  });

  it('When another provider registers with the same INN, then 409 inn_already_registered', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post('/v1/providers', rehabRegistration({ inn: '7830002293' }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'inn_already_registered', field: 'inn', provider_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(res.body.detail).toContain('7830002293');
  });

  it('When the same admin registers twice, then 409 provider_already_registered', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post('/v1/providers', zabotaRegistration({ name: 'Повторная регистрация' }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('provider_already_registered');
  });

  it('When identifiers have wrong check digits, then 400 names each field and the rule in Russian', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post(
      '/v1/providers',
      rehabRegistration({
        inn: '7707083894',
        ogrn: '1037739010892',
        kpp: '77360',
        bank: { bic: '044525225', account: '40702817300000000002', bank_name: 'ПАО Сбербанк' },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'inn', message: 'Контрольное число ИНН не сходится' },
        { field: 'ogrn', message: 'Контрольное число ОГРН не сходится' },
        { field: 'kpp', message: expect.stringContaining('КПП должен содержать 9 символов') },
        { field: 'bank.account', message: 'Контрольный ключ счёта не сходится с БИК' },
      ]),
    );
  });

  it('When an entrepreneur gives a 10-digit INN or an organisation an OGRNIP, then the mismatch is named', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post('/v1/providers', rehabRegistration({ type: 'entrepreneur', kpp: null }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'inn', message: 'У индивидуального предпринимателя ИНН содержит 12 цифр' },
        { field: 'ogrn', message: 'Индивидуальный предприниматель указывает ОГРНИП из 15 цифр' },
      ]),
    );
  });

  it('When the body is malformed JSON, a wrong type or refers to an unknown service, then 400/422, never 500', async () => {
    const rehab = await registry.as('rehab-admin');
    const malformed = await rehab.post('/v1/providers', '{"inn":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const wrongType = await rehab.post('/v1/providers', rehabRegistration({ locations: 'Ульяновск', inn: 7707083893 }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['locations', 'inn']));
    const unknown = await rehab.post('/v1/providers', rehabRegistration({ services: [{ service_code: 'NO-SUCH', capacity_per_month: 1 }] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_service', unknown: ['NO-SUCH'] });
    const notThere = await rehab.get(`/v1/providers/${REHAB_ID}`);
    expect(notThere.status).toBe(404);
  });

  it('When a citizen or a caseworker tries to register, then 403', async () => {
    const citizen = await registry.as('citizen-ivanova');
    expect((await citizen.post('/v1/providers', rehabRegistration())).status).toBe(403);
  });
});

describe('Editing and reading', () => {
  beforeAll(async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post('/v1/providers', rehabRegistration());
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  });

  it('When a provider admin edits its own provider, then the change is saved', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.call('PATCH', `/v1/providers/${ZABOTA_ID}`, {
      services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 500 }],
      accessibility: ['ramp', 'home_visits', 'sign_language'],
    });
    expect(res.status).toBe(200);
    expect(res.body.services).toEqual([expect.objectContaining({ service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 500 })]);
    expect(res.body.accessibility).toEqual(['ramp', 'home_visits', 'sign_language']);
    expect(res.body.declarations.no_tax_arrears).toMatchObject({ declared: true });
    expect(res.body.bank.account).toBe('40702817300000000001');
  });

  it('When a provider admin edits or reads another provider, then 403 not_your_provider and nothing changes', async () => {
    const zabota = await registry.as('zabota-admin');
    const edit = await zabota.call('PATCH', `/v1/providers/${REHAB_ID}`, { name: 'Захват' });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('not_your_provider');
    expect((await zabota.get(`/v1/providers/${REHAB_ID}`)).status).toBe(403);
    const staff = await registry.as('rehab-staff');
    expect((await staff.call('PATCH', `/v1/providers/${REHAB_ID}`, { name: 'Сотрудник' })).status).toBe(403);
    const rehab = await registry.as('rehab-admin');
    expect((await rehab.get(`/v1/providers/${REHAB_ID}`)).body.name).toBe('Общество с ограниченной ответственностью «Реабилитация Плюс»');
  });

  it('When an edit has an unknown field or a broken account key, then 400', async () => {
    const zabota = await registry.as('zabota-admin');
    expect((await zabota.call('PATCH', `/v1/providers/${ZABOTA_ID}`, { inn: '7707083893' })).status).toBe(400);
    const bank = await zabota.call('PATCH', `/v1/providers/${ZABOTA_ID}`, {
      bank: { bic: '044525974', account: '40702817300000000001', bank_name: 'АО «ТБанк»' },
    });
    expect(bank.status).toBe(400);
    expect(bank.body.errors).toEqual([{ field: 'bank.account', message: 'Контрольный ключ счёта не сходится с БИК' }]);
  });
});

describe('Status history', () => {
  it('When the committee moves a provider through review, admission, suspension and exclusion, then each step is recorded and events are written', async () => {
    const committee = await registry.as('committee-73');
    for (const [status, reason] of [
      ['under_review', 'Заявка принята к рассмотрению'],
      ['admitted', 'Решение комиссии № 5 от 20.11.2026'],
      ['suspended', 'Предписание инспекции: нарушение стандарта услуги'],
      ['excluded', 'Нарушение не устранено в срок'],
    ]) {
      const res = await committee.post(`/v1/providers/${REHAB_ID}/status`, { status, reason });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
    }
    const history = await committee.get(`/v1/providers/${REHAB_ID}/status-history`);
    expect(history.body.items.map((h: any) => [h.from_status, h.to_status])).toEqual([
      [null, 'applicant'],
      ['applicant', 'under_review'],
      ['under_review', 'admitted'],
      ['admitted', 'suspended'],
      ['suspended', 'excluded'],
    ]);
    expect(history.body.items[3]).toMatchObject({ reason: 'Предписание инспекции: нарушение стандарта услуги', actor: 'committee:ca199524-6f48-4b79-8bd8-5b7bd76426e8' });
    for (const topic of ['provider.admitted', 'provider.suspended', 'provider.excluded']) {
      const events = await registry.outbox(topic);
      expect(events.map((e) => e.payload.provider_id)).toEqual([REHAB_ID]);
    }
  });

  it('When a status change skips a step or an excluded provider is readmitted, then 409 with the allowed next statuses', async () => {
    const committee = await registry.as('committee-73');
    const skip = await committee.post(`/v1/providers/${ZABOTA_ID}/status`, { status: 'suspended', reason: 'Проверка' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ code: 'status_transition_not_allowed', allowed: ['under_review', 'excluded'] });
    const back = await committee.post(`/v1/providers/${REHAB_ID}/status`, { status: 'admitted', reason: 'Проверка' });
    expect(back.status).toBe(409);
  });

  it('When a provider admin tries to admit itself, then 403', async () => {
    const zabota = await registry.as('zabota-admin');
    expect((await zabota.post(`/v1/providers/${ZABOTA_ID}/status`, { status: 'under_review', reason: 'Сам себя' })).status).toBe(403);
  });
});
