import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { Money } from '@esc/money';
import { httpClient } from '@esc/testing';
import { fundRegion, issueFor, ledgerAccount, startCertificates, ZABOTA_ID, type CertificatesHarness } from '../../services/certificates/test/harness';

/**
 * The citizen's whole path across the running gateway, registry, ledger and certificates services:
 * the provider admitted by the committee's round is found in the public search, a person is assessed
 * and given a certificate, books the provider, the provider records delivered hours, the citizen
 * confirms some and disputes one; the ledger ends with exactly the confirmed units × unit cost moved.
 */
let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('e2e-certificate-journey');
}, 90_000);
afterAll(() => h?.stop());

test('When a citizen goes from assessment to confirmed services, then the certificate and the provider payable move by confirmed units × unit cost', async () => {
  const registryUrl = h.service.config.REGISTRY_URL;
  const search = await httpClient(registryUrl).get('/v1/providers?service=HOME-HOUSEHOLD-HOUR');
  expect(search.body.items.map((p: any) => p.id)).toContain(ZABOTA_ID);

  const budgetProgrammeId = await fundRegion(h, '200000.00');
  const { certificate } = await issueFor(h, budgetProgrammeId, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }] });
  const line = certificate.services[0];
  expect(line).toMatchObject({ unit_cost: '312.40', volume: 120, value: '37488.00' });
  expect(await ledgerAccount(h, ledgerAccountIds.budgetAllocation(budgetProgrammeId))).toMatchObject({ credits_posted: '200000.00', debits_posted: '37488.00' });

  const citizen = await h.as('citizen-ivanova');
  const booking = await citizen.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID });
  expect(booking.status).toBe(201);
  const provider = await h.as('zabota-staff');
  expect((await provider.post(`/v1/bookings/${booking.body.id}/accept`)).status).toBe(200);

  const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
  const acts = [];
  for (const units of [3, 4, 2]) {
    const act = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: certificate.general.valid_from, units, staff });
    expect(act.status).toBe(201);
    acts.push(act.body);
  }
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: Money.parse('312.40').multiply('9').toString() });

  // All of the first act, all of the second but one hour, and the third disputed entirely.
  expect((await citizen.post(`/v1/deliveries/${acts[0].id}/confirm`, {})).body).toMatchObject({ status: 'posted', confirmed_units: 3 });
  expect((await citizen.post(`/v1/deliveries/${acts[1].id}/confirm`, { units: 3, dispute_reason: 'Один час не был оказан' })).body).toMatchObject({
    status: 'posted',
    confirmed_units: 3,
  });
  expect((await citizen.post(`/v1/deliveries/${acts[2].id}/dispute`, { reason: 'Работник не приходил' })).body).toMatchObject({ status: 'voided' });

  const confirmedValue = Money.parse('312.40').multiply('6').toString();
  expect(confirmedValue).toBe('1874.40');
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ credits_posted: '37488.00', debits_posted: confirmedValue, debits_pending: '0.00' });
  expect(await ledgerAccount(h, ledgerAccountIds.providerPayable(ZABOTA_ID))).toMatchObject({ credits_posted: confirmedValue, credits_pending: '0.00' });

  const seen = await citizen.get(`/v1/certificates/${certificate.id}`);
  expect(seen.body.services[0]).toMatchObject({ units_confirmed: 6, amount_charged: confirmedValue });
  expect(seen.body.ledger_balance).toMatchObject({ available: Money.parse('37488.00').subtract(Money.parse(confirmedValue)).toString() });
  const redemptions = (await h.outbox('redemption.posted')).map((e) => e.payload);
  expect(redemptions.map((r) => r.amount).sort()).toEqual(['937.20', '937.20']);

  const invariants = await (await h.ledger()).get('/v1/audit/invariants');
  expect(invariants.body.ok).toBe(true);
});

test('When the programme cannot cover a certificate, then issuing is refused with budget_exhausted, what happens next, and nothing moves', async () => {
  const budgetProgrammeId = await fundRegion(h, '1000.00');
  const outcome = await issueFor(h, budgetProgrammeId, { recipient: { snils: '12345678964', last_name: 'Смирнов', first_name: 'Алексей' } }).catch((e: Error) => e);
  expect((outcome as Error).message).toMatch(/422.*budget_exhausted/);
  expect(await ledgerAccount(h, ledgerAccountIds.budgetAllocation(budgetProgrammeId))).toMatchObject({ credits_posted: '1000.00', debits_posted: '0.00' });
  const history = await (await h.as('citizen-smirnov')).get('/v1/me/requests');
  const refused = history.body.items.find((i: any) => i.kind === 'certificate');
  expect(refused).toMatchObject({ status: 'refused', refusal: { code: 'budget_exhausted', next_steps: expect.stringContaining('повторно') } });

  // What the refusal promised: once the programme is topped up, the same individual programme is issued again.
  const caseworker = await h.as('caseworker-73');
  const { programme_id } = (await caseworker.get(`/v1/certificates/${refused.id}`)).body.general;
  const topUp = await (await h.as('finance-73-a')).post(`/v1/budget-programmes/${budgetProgrammeId}/funding`, { id: randomUUID(), amount: '100000.00' });
  expect(topUp.body).toMatchObject({ funded: '101000.00', available: '101000.00' });
  const issued = await caseworker.post('/v1/certificates', { programme_id, budget_programme_id: budgetProgrammeId });
  expect(issued.status).toBe(201);
  expect(issued.body).toMatchObject({ status: 'issued', value: '37488.00', general: { holder: { snils: '12345678964' } } });
});
