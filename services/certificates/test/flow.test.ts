import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { fundRegion, issueFor, ledgerAccount, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-flow');
}, 60_000);
afterAll(() => h?.stop());

describe('From assessment to redemption', () => {
  test('When a certificate is issued, booked, delivered and confirmed, then the ledger moves exactly the confirmed value', async () => {
    const budgetProgrammeId = await fundRegion(h);
    const { certificate } = await issueFor(h, budgetProgrammeId);
    // 312.40 ₽/hour × 20 hours × 6 months; income 14 000 ≤ limit 22 500, so no fee.
    expect(certificate).toMatchObject({ status: 'issued', value: '37488.00', fee_amount: '0.00', gross_amount: '37488.00' });
    const line = certificate.services[0];

    const citizen = await h.as('citizen-ivanova');
    const offered = await citizen.get(`/v1/certificates/${certificate.id}/lines/${line.line_id}/providers`);
    expect(offered.status).toBe(200);
    expect(offered.body.items.map((p: any) => p.provider_id)).toContain(ZABOTA_ID);

    const booking = await citizen.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID });
    expect(booking.status).toBe(201);
    expect(booking.body).toMatchObject({ status: 'requested', units: 120, units_per_month: 20 });

    const provider = await h.as('zabota-staff');
    expect((await provider.post(`/v1/bookings/${booking.body.id}/accept`)).body).toMatchObject({ status: 'accepted' });

    const delivered = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, {
      delivered_on: certificate.general.valid_from,
      units: 3,
      staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
    });
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ status: 'held', amount: '937.20' });
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ credits_posted: '37488.00', debits_pending: '937.20' });

    const confirmed = await citizen.post(`/v1/deliveries/${delivered.body.id}/confirm`, { units: 2, dispute_reason: 'Третий час не был оказан: работник ушёл раньше' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'posted', resolution: 'partly_disputed', confirmed_units: 2, posted_amount: '624.80' });

    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_posted: '624.80', debits_pending: '0.00' });
    expect(await ledgerAccount(h, ledgerAccountIds.providerPayable(ZABOTA_ID))).toMatchObject({ credits_posted: '624.80' });

    const events = await h.outbox('redemption.posted');
    expect(events.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ redemption_id: delivered.body.id, units: 2, amount: '624.80', gross_amount: '624.80', fee_amount: '0.00', provider_id: ZABOTA_ID }),
    );

    const rated = await citizen.post(`/v1/deliveries/${delivered.body.id}/feedback`, { score: 5, comment: 'Спасибо, всё хорошо' });
    expect(rated.status).toBe(201);
    const again = await citizen.post(`/v1/deliveries/${delivered.body.id}/feedback`, { score: 1 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('feedback_already_given');

    const invariants = await (await h.ledger()).get('/v1/audit/invariants');
    expect(invariants.body.ok).toBe(true);
  });

  test('When the ledger has no money left in the programme, then issuing is refused with budget_exhausted and the reason', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000.00');
    const caseworker = await h.as('caseworker-73');
    const outcome = await issueFor(h, budgetProgrammeId, { recipient: { snils: '12345678964', last_name: 'Смирнов', first_name: 'Алексей' } }).catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/budget_exhausted/);
    const list = await caseworker.get(`/v1/certificates?region_code=73`);
    expect(list.body.items.some((c: any) => c.status === 'refused')).toBe(true);
    void randomUUID;
  });
});
