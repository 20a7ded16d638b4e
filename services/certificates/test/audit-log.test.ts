import { fundRegion, issueFor, nextSnils, startCertificates, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
let budgetProgrammeId: string;

beforeAll(async () => {
  h = await startCertificates('audit_log');
  budgetProgrammeId = await fundRegion(h);
});
afterAll(async () => {
  await h?.stop();
});

describe('The certificates audit log', () => {
  it('When a case worker decides, draws a programme, issues, suspends, resumes and revokes, then each is recorded for the recipient with before and after, and the chain verifies', async () => {
    const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const caseworker = await h.as('caseworker-73');
    const id = fixture.certificate.id;
    expect((await caseworker.post(`/v1/certificates/${id}/suspend`, { reason: 'Проверка жалобы' })).status).toBe(200);
    expect((await caseworker.post(`/v1/certificates/${id}/resume`)).status).toBe(200);
    expect((await caseworker.post(`/v1/certificates/${id}/revoke`, { reason: 'Получатель переехал в другой регион' })).status).toBe(200);

    const auditor = await h.as('auditor');
    const certificate = await auditor.get(`/v1/audit-log?object_type=certificate&object_id=${id}`);
    expect(certificate.status).toBe(200);
    expect(certificate.body.items.map((r: any) => [r.action, r.before?.status ?? null, r.after.status ?? null])).toEqual([
      ['certificate.issued', null, null],
      ['certificate.suspended', 'issued', 'suspended'],
      ['certificate.resumed', 'suspended', 'issued'],
      ['certificate.revoked', 'issued', 'revoked'],
    ]);
    const [issued, , , revoked] = certificate.body.items;
    expect(issued).toMatchObject({ actor: expect.stringMatching(/^caseworker:/), on_behalf_of: fixture.recipientId, after: { value: fixture.certificate.value, budget_programme_id: budgetProgrammeId } });
    expect(revoked.after.reason).toBe('Получатель переехал в другой регион');

    const assessment = await auditor.get(`/v1/audit-log?object_id=${fixture.assessmentId}`);
    expect(assessment.body.items).toEqual([expect.objectContaining({ action: 'assessment.decided', on_behalf_of: fixture.recipientId, after: expect.objectContaining({ status: 'recognised' }) })]);
    const programme = await auditor.get(`/v1/audit-log?object_type=programme&object_id=${fixture.programmeId}`);
    expect(programme.body.items[0].after.lines).toEqual([{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20 }]);

    const verification = await auditor.get('/v1/audit-log/verification');
    expect(verification.body).toMatchObject({ records: 6, broken: null });
  });

  it('When an issue is refused (the programme already has a certificate), then nothing is written to the log: one operation, one transaction', async () => {
    const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const auditor = await h.as('auditor');
    const before = (await auditor.get('/v1/audit-log/verification')).body.records;
    const again = await (await h.as('caseworker-73')).post('/v1/certificates', { programme_id: fixture.programmeId, budget_programme_id: budgetProgrammeId });
    expect(again.status).toBe(409);
    expect((await auditor.get('/v1/audit-log/verification')).body).toMatchObject({ records: before, broken: null });
  });

  it('When a case worker, a citizen or a provider asks for the log, then 403', async () => {
    for (const who of ['caseworker-73', 'citizen-ivanova', 'zabota-admin']) {
      expect((await (await h.as(who)).get('/v1/audit-log')).status).toBe(403);
    }
  });
});
