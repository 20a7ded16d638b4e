import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { expireDue } from '../src/domain/certificates';
import { bookedAndAccepted, fundRegion, nextSnils, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

/**
 * Closing a certificate frees the places its bookings held at the provider, and the registry's public
 * search shows them free again: certificates publishes provider.capacity_reserved through its outbox
 * relay, the registry consumes it from its inbox.
 */
let h: CertificatesHarness;
let budgetProgrammeId: string;
const inbox = `registry-inbox-${randomUUID().slice(0, 8)}`;
const SERVICE = 'HOME-HOUSEHOLD-HOUR';

beforeAll(async () => {
  h = await startCertificates(
    'certificates-capacity-release',
    { OUTBOX_RELAY_ENABLED: true, REGISTRY_QUEUE: inbox, SETTLEMENT_QUEUE: `settlement-inbox-${randomUUID().slice(0, 8)}` },
    { CONSUMERS_ENABLED: true, INBOX_QUEUE: inbox },
  );
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 90_000);
afterAll(() => h?.stop());

/** Zabota's free places a month for household help, as anyone searching the registry sees them. */
async function publicFreePlaces(): Promise<number | undefined> {
  const res = await httpClient(h.service.config.REGISTRY_URL).get(`/v1/providers?service=${SERVICE}&min_free_capacity=0&per_page=100`);
  const zabota = res.body.items?.find((p: any) => p.id === ZABOTA_ID);
  return zabota?.services.find((s: any) => s.service_code === SERVICE)?.free_capacity;
}

async function untilPublicFreePlaces(expected: number): Promise<number | undefined> {
  let seen: number | undefined;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    seen = await publicFreePlaces();
    if (seen === expected) break;
  }
  return seen;
}

async function reservedHere(): Promise<number> {
  const rows = await h.service.orm.em.fork().execute(`select reserved_per_month from certificates.provider_capacity where provider_id = ? and service_code = ?`, [ZABOTA_ID, SERVICE]);
  return rows[0]?.reserved_per_month ?? 0;
}

async function lastCapacityReport() {
  const reports = (await h.outbox('provider.capacity_reserved')).map((e) => e.payload).filter((p) => p.provider_id === ZABOTA_ID && p.service_code === SERVICE);
  return reports.sort((a, b) => a.as_of.localeCompare(b.as_of)).at(-1);
}

test('When a certificate with an accepted booking is revoked, then the provider’s places are free again in the registry’s public search', async () => {
  const before = (await publicFreePlaces())!;
  const fixture = await bookedAndAccepted(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  expect(fixture.booking.units_per_month).toBe(20);
  expect(await untilPublicFreePlaces(before - 20)).toBe(before - 20);

  const revoked = await (await h.as('caseworker-73')).post(`/v1/certificates/${fixture.certificate.id}/revoke`, { reason: 'Получатель переехал в другой регион' });
  expect(revoked.status).toBe(200);
  expect(revoked.body.contracts.map((c: any) => c.status)).toEqual(['cancelled']);

  const reserved = await reservedHere();
  expect(await lastCapacityReport()).toEqual({ provider_id: ZABOTA_ID, service_code: SERVICE, reserved_per_month: reserved, capacity_per_month: expect.any(Number), as_of: expect.stringMatching(/Z$/) });
  expect(await untilPublicFreePlaces(before)).toBe(before);
});

test('When the expiry job closes a certificate with an accepted booking, then the provider’s places are free again in the registry’s public search', async () => {
  const before = (await publicFreePlaces())!;
  const fixture = await bookedAndAccepted(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  expect(await untilPublicFreePlaces(before - 20)).toBe(before - 20);

  await h.service.orm.em.fork().execute(`update certificates.certificates set valid_to = '2026-01-31' where id = ?`, [fixture.certificate.id]);
  expect(await expireDue(h.service.deps, SYSTEM_PRINCIPAL, {})).toBeGreaterThanOrEqual(1);

  expect(await lastCapacityReport()).toMatchObject({ reserved_per_month: await reservedHere() });
  expect(await untilPublicFreePlaces(before)).toBe(before);
});
