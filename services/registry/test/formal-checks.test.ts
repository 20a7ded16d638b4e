import { startRegistry, type RegistryHarness } from './harness';
import { ogrnRegisteredOn, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('formal');
});
afterAll(async () => {
  await registry?.stop();
});

describe('Automatic formal checks', () => {
  it('When a young provider with undocumented declarations and no location in the territory applies, then each failed criterion is named with what to fix', async () => {
    const rehab = await registry.as('rehab-admin');
    const registeredAt = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const registered = await rehab.post(
      '/v1/providers',
      rehabRegistration({
        ogrn: ogrnRegisteredOn(registeredAt),
        registered_at: registeredAt,
        declarations: {
          no_tax_arrears: { declared: true },
          not_bankrupt: { declared: true, document: { kind: 'Выписка ЕФРСБ', number: 'Б-7', issued_at: '2025-01-01', valid_until: '2025-12-31' } },
          not_liquidating: { declared: true, document: { kind: 'Выписка ЕГРЮЛ', number: 'ЮЭ-7', issued_at: '2026-01-10' } },
        },
        locations: [{ address: 'р.п. Кузоватово, ул. Октябрьская, д. 3', district_code: '73618000', lat: 53.54, lon: 47.68 }],
        services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 100 }],
      }),
    );
    expect(registered.status).toBe(201);
    const round = await openHomeCareRound('Отбор по г. Ульяновску');
    const res = await rehab.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('refused');
    const results = Object.fromEntries(res.body.formal_results.map((c: any) => [c.code, c]));
    expect(results.identifiers_valid.result).toBe('pass');
    expect(results.licence_present.result).toBe('pass');
    expect(results.not_liquidating.result).toBe('pass');
    expect(results.registered_one_year).toMatchObject({ result: 'fail', detail: expect.stringContaining('не прошло одного года') });
    expect(results.location_in_territory).toMatchObject({ result: 'fail', what_to_fix: 'Укажите адрес оказания услуг на территории отбора' });
    expect(results.no_tax_arrears).toMatchObject({ result: 'fail', detail: 'Заявление не подтверждено документом' });
    expect(results.not_bankrupt).toMatchObject({ result: 'fail', detail: expect.stringContaining('не действует') });
    expect(results.not_unscrupulous_supplier).toMatchObject({ result: 'fail', detail: 'Заявление не подано' });
    expect(res.body.decision.refusal.what_to_fix).toHaveLength(5);
    expect(res.body.decision.refusal.reason).toMatch(/^Не выполнены обязательные требования отбора: /);
    const provider = await rehab.get(`/v1/providers/${registered.body.id}`);
    expect(provider.body.status).toBe('applicant');
  });
});

describe('Declarations backed by uploaded files', () => {
  it('When a declaration points at an uploaded file, then it passes; a missing or expired file fails with what to fix', async () => {
    const zabota = await registry.as('zabota-admin');
    const registered = await zabota.post('/v1/providers', zabotaRegistration());
    expect(registered.status).toBe(201);
    const pdf = (title: string, valid_until: string) => ({
      kind: 'declaration',
      title,
      file_name: 'doc.pdf',
      valid_until,
      content_base64: Buffer.from(`%PDF-1.4 ${title}`).toString('base64'),
    });
    const tax = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, pdf('Справка ФНС № 12345', '2099-12-31'));
    const expired = await zabota.post(`/v1/providers/${ZABOTA_ID}/documents`, pdf('Выписка ЕФРСБ', '2020-01-01'));
    const base = zabotaRegistration().declarations;
    const patched = await zabota.call('PATCH', `/v1/providers/${ZABOTA_ID}`, {
      declarations: {
        ...base,
        no_tax_arrears: { declared: true, document: { ...base.no_tax_arrears.document, document_id: tax.body.id } },
        not_bankrupt: { declared: true, document: { ...base.not_bankrupt.document, document_id: expired.body.id } },
        not_liquidating: { declared: true, document: { ...base.not_liquidating.document, document_id: '00000000-0000-4000-8000-000000000000' } },
      },
    });
    expect(patched.status).toBe(200);
    const round = await openHomeCareRound('Отбор с проверкой документов');
    const res = await zabota.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    const results = Object.fromEntries(res.body.formal_results.map((c: any) => [c.code, c]));
    expect(results.no_tax_arrears).toMatchObject({ result: 'pass', detail: expect.stringContaining('Справка ФНС № 12345') });
    expect(results.not_bankrupt).toMatchObject({ result: 'fail', detail: expect.stringContaining('истёк 2020-01-01') });
    expect(results.not_liquidating).toMatchObject({ result: 'fail', what_to_fix: expect.stringContaining('document_id') });
    expect(res.body.status).toBe('refused');
  });
});

/** A round in Ulyanovsk for home care, open now, with no scored criteria: only the formal checks decide. */
async function openHomeCareRound(title: string) {
  const committee = await registry.as('committee-73');
  return committee.post('/v1/rounds', {
    title,
    region_code: '73',
    territory: ['73701000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR'],
    applications_open_at: new Date(Date.now() - 3600_000).toISOString(),
    applications_close_at: new Date(Date.now() + 3600_000).toISOString(),
    appeal_window_days: 5,
    scored_criteria: [],
    threshold: '0',
  });
}
