import { fundRegion, issueFor, nextSnils, startCertificates, ULYANOVSK, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
let budgetProgrammeId: string;
beforeAll(async () => {
  h = await startCertificates('certificates-provider-inbox');
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 60_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

async function requested() {
  const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils(), last_name: 'Петрова', first_name: 'Анна', middle_name: 'Ивановна' } });
  const line = fixture.certificate.services[0];
  const booking = await (await h.as('caseworker-73')).post(`/v1/certificates/${fixture.certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID, units: 10 });
  expect(booking.status).toBe(201);
  return { ...fixture, line, booking: booking.body };
}

test('When a citizen books the provider, then its inbox shows the request with the answer deadline, the citizen’s line, the tariff and the admission scope', async () => {
  const { certificate, line, booking } = await requested();
  const res = await (await h.as('zabota-staff')).get(`/v1/providers/${ZABOTA_ID}/inbox?status=requested`);
  expect(res.status).toBe(200);
  const item = res.body.items.find((b: any) => b.id === booking.id);
  expect(item).toMatchObject({
    certificate_id: certificate.id,
    certificate_number: certificate.number,
    service_code: 'HOME-HOUSEHOLD-HOUR',
    recipient_name: 'Петрова А. И.',
    district_code: ULYANOVSK,
    units: 10,
    status: 'requested',
    overdue: false,
    line: { volume: line.volume, units_left: line.volume, value: line.value, available: line.value, unit_cost: line.unit_cost },
    admission: { in_scope: true },
  });
  expect(item.respond_by > item.requested_at.slice(0, 10)).toBe(true);
  expect(res.body.items.every((b: any) => b.status === 'requested')).toBe(true);
});

test('When the provider records an act on an accepted booking, then the inbox shows what the citizen has left on the line', async () => {
  const { booking, line } = await requested();
  const admin = await h.as('zabota-admin');
  expect((await admin.post(`/v1/bookings/${booking.id}/accept`)).status).toBe(200);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk' }).format(new Date());
  const act = await admin.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: today, units: 4, staff });
  expect(act.status).toBe(201);
  const item = (await admin.get(`/v1/providers/${ZABOTA_ID}/inbox`)).body.items.find((b: any) => b.id === booking.id);
  expect(item).toMatchObject({ status: 'accepted', units_in_use: 4, overdue: false, line: { units_left: line.volume - 4 } });
  expect(item.line.available).not.toBe(line.value);
});

test('When another provider or a citizen asks for the inbox, then it is refused with not_your_provider', async () => {
  for (const who of ['rehab-admin', 'citizen-ivanova', 'caseworker-73']) {
    const res = await (await h.as(who)).get(`/v1/providers/${ZABOTA_ID}/inbox`);
    expect([res.status, res.body.code]).toEqual([403, 'not_your_provider']);
  }
  expect((await (await h.as('zabota-admin')).get(`/v1/providers/${ZABOTA_ID}/inbox?status=nope`)).status).toBe(400);
});
