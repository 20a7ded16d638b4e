import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('registration_race');
});
afterAll(async () => {
  await registry?.stop();
});

describe('Concurrent registration', () => {
  it('When two providers register the same INN at the same moment, then exactly one wins and the other gets 409 inn_already_registered', async () => {
    const [zabota, rehab] = [await registry.as('zabota-admin'), await registry.as('rehab-admin')];
    const results = await Promise.all([
      zabota.post('/v1/providers', zabotaRegistration()),
      rehab.post('/v1/providers', rehabRegistration({ inn: '7830002293' })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body).toMatchObject({ code: 'inn_already_registered', field: 'inn' });
    const winner = results.find((r) => r.status === 201)!.body.id;
    expect([ZABOTA_ID, REHAB_ID]).toContain(winner);
    const count = await registry.service.orm.em.fork().execute(`select count(*)::int as n from registry.providers where inn = '7830002293'`);
    expect((count[0] as any).n).toBe(1);
  });
});
