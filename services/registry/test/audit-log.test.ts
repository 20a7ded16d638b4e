import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration } from './fixtures';

let registry: RegistryHarness;
const sql = (text: string, values: unknown[] = []) => registry.service.orm.em.fork().execute(text, values);

beforeAll(async () => {
  registry = await startRegistry('audit_log');
  const res = await (await registry.as('rehab-admin')).post('/v1/providers', rehabRegistration());
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
});
afterAll(async () => {
  await registry?.stop();
});

describe('The audit log', () => {
  it('When the committee suspends a provider and publishes a cost, then the auditor reads who did what, before and after, chained by hash; the chain verifies', async () => {
    const committee = await registry.as('committee-73');
    expect((await committee.post(`/v1/providers/${REHAB_ID}/status`, { status: 'under_review', reason: 'Заявка принята к рассмотрению' })).status).toBe(200);
    expect((await committee.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', { region_code: '73', valid_from: '2027-01-01', amount: '345.10', reason: 'Индексация 2027' })).status).toBe(201);

    const auditor = await registry.as('auditor');
    const provider = await auditor.get(`/v1/audit-log?object_type=provider&object_id=${REHAB_ID}`);
    expect(provider.status).toBe(200);
    expect(provider.body.items).toEqual([
      expect.objectContaining({ action: 'provider.registered', object_id: REHAB_ID, before: null, after: expect.objectContaining({ status: 'applicant' }) }),
      expect.objectContaining({
        action: 'provider.status_changed',
        actor: 'committee:ca199524-6f48-4b79-8bd8-5b7bd76426e8',
        before: { status: 'applicant' },
        after: { status: 'under_review', reason: 'Заявка принята к рассмотрению' },
      }),
    ]);
    const [first, second] = provider.body.items;
    expect(second.prev_hash).toBe(first.hash);

    const cost = await auditor.get('/v1/audit-log?action=cost_version.published');
    expect(cost.body.items).toEqual([
      expect.objectContaining({ object_id: 'HOME-HOUSEHOLD-HOUR/73/2027-01-01', after: { amount: '345.10', valid_from: '2027-01-01', reason: 'Индексация 2027' }, before: expect.objectContaining({ valid_from: expect.any(String) }) }),
    ]);

    const verification = await auditor.get('/v1/audit-log/verification');
    expect(verification.body).toEqual({ records: 3, head_hash: cost.body.items[0].hash, broken: null });
  });

  it('When the log is exported as CSV, then it opens in a Russian Excel: BOM, semicolons, Russian headers, one row per record', async () => {
    const res = await fetch(`${registry.url}/v1/audit-log?format=csv`, { headers: { authorization: `Bearer ${await registry.token('auditor')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Номер;Время (UTC);Кто;ФИО;От чьего имени;Действие;Объект;Идентификатор объекта;До;После;Хеш предыдущей записи;Хеш записи');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(';provider.status_changed;provider;');
  });

  it('When a provider, the committee or nobody asks, then 403 / 401; bad filters are 400 naming the field', async () => {
    expect((await (await registry.as('rehab-admin')).get('/v1/audit-log')).status).toBe(403);
    expect((await (await registry.as('committee-73')).get('/v1/audit-log/verification')).status).toBe(403);
    expect((await registry.anonymous.get('/v1/audit-log')).status).toBe(401);
    const bad = await (await registry.as('auditor')).get('/v1/audit-log?after_seq=abc&limit=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after_seq', 'limit']);
  });

  it('When the committee opens a round, opens and closes its window now and publishes its results, then each step is in the log with the times before and after', async () => {
    const committee = await registry.as('committee-73');
    const hour = 3_600_000;
    const round = await committee.post('/v1/rounds', {
      title: 'Отбор для журнала действий',
      region_code: '73',
      territory: ['73701000'],
      service_codes: ['HOME-HOUSEHOLD-HOUR'],
      applications_open_at: new Date(Date.now() + 24 * hour).toISOString(),
      applications_close_at: new Date(Date.now() + 48 * hour).toISOString(),
      appeal_window_days: 10,
      scored_criteria: [{ code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '1', max_points: 10, source: 'auto' }],
      threshold: '1',
    });
    expect(round.status).toBe(201);
    for (const step of ['open', 'close', 'publish']) expect((await committee.post(`/v1/rounds/${round.body.id}/${step}`)).status).toBe(200);
    const log = (await (await registry.as('auditor')).get(`/v1/audit-log?object_type=round&object_id=${round.body.id}`)).body.items;
    expect(log.map((r: { action: string }) => r.action)).toEqual(['round.opened', 'round.opened_now', 'round.closed_now', 'round.results_published']);
    expect(log[1].before.applications_open_at).toBe(round.body.applications_open_at);
    expect(new Date(log[1].after.applications_open_at).getTime()).toBeLessThan(Date.parse(round.body.applications_open_at));
  });

  it('When twenty decisions are taken at once, then each has its own link and the chain still verifies', async () => {
    const committee = await registry.as('committee-73');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => committee.post('/v1/catalog/coefficients', { code: `audit-race-${i}`, kind: 'form', name: `Коэффициент ${i}`, factor: '1.01' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const auditor = await registry.as('auditor');
    const log = (await auditor.get('/v1/audit-log?action=coefficient.published&limit=1000')).body.items;
    expect(log).toHaveLength(20);
    expect(new Set(log.map((r: { prev_hash: string }) => r.prev_hash)).size).toBe(20);
    expect((await auditor.get('/v1/audit-log/verification')).body).toMatchObject({ records: 27, broken: null });
  });

  it('When someone changes or deletes a record, then PostgreSQL refuses; when a superuser gets past that, verification names the first broken record', async () => {
    await expect(sql(`update registry.audit_log set actor = 'someone-else' where seq = 2`)).rejects.toThrow(/append-only/);
    await expect(sql(`delete from registry.audit_log`)).rejects.toThrow(/append-only/);
    await expect(sql(`truncate registry.audit_log`)).rejects.toThrow(/append-only/);

    await sql(`alter table registry.audit_log disable trigger audit_log_append_only`);
    await sql(`update registry.audit_log set after = jsonb_set(after, '{reason}', '"Без причины"') where seq = 2`);
    await sql(`alter table registry.audit_log enable trigger audit_log_append_only`);
    const verification = await (await registry.as('auditor')).get('/v1/audit-log/verification');
    expect(verification.body).toMatchObject({ records: 2, broken: { seq: '2', reason: 'hash_mismatch' } });
  });
});
