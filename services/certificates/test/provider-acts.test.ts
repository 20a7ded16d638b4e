import { randomUUID } from 'node:crypto';
import { bookedAndAccepted, fundRegion, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
let budgetProgrammeId: string;
beforeAll(async () => {
  h = await startCertificates('certificates-provider-acts');
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 60_000);
afterAll(() => h?.stop());

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk' }).format(new Date());
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

test('When the provider uploads a CSV of acts with a bad row, then the good rows are recorded, the bad one is reported with its reason, and the same file again records nothing twice', async () => {
  const { booking } = await bookedAndAccepted(h, budgetProgrammeId);
  const admin = await h.as('zabota-admin');
  const csv = [
    '\ufeffbooking_id;delivered_on;units;staff_name;staff_position',
    `${booking.id};${ruDate(today())};2;Попова Анна Сергеевна;социальный работник`,
    `${booking.id};${today()};0;Попова Анна Сергеевна;социальный работник`,
    `${booking.id};${ruDate(today())};3;"Сидоров Иван; старший";социальный работник`,
    `${randomUUID()};${today()};1;Попова Анна Сергеевна;социальный работник`,
  ].join('\r\n');
  const id = randomUUID();
  const res = await admin.post(`/v1/providers/${ZABOTA_ID}/act-imports`, { id, csv });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ id, rows_total: 4, recorded: 2, failed: 2 });
  expect(res.body.rows.map((r: any) => [r.row, r.outcome, r.code])).toEqual([
    [2, 'recorded', null],
    [3, 'failed', 'validation_failed'],
    [4, 'recorded', null],
    [5, 'failed', 'booking_not_found'],
  ]);
  expect(res.body.rows[1].message).toMatch(/^Строка 3: объём/);

  const again = await admin.post(`/v1/providers/${ZABOTA_ID}/act-imports`, { id, csv });
  expect(again.body.rows).toEqual(res.body.rows);
  const acts = (await admin.get(`/v1/providers/${ZABOTA_ID}/acts`)).body.items.filter((a: any) => a.booking_id === booking.id);
  expect(acts.map((a: any) => [a.units, a.status, a.staff.name]).sort()).toEqual([
    [2, 'held', 'Попова Анна Сергеевна'],
    [3, 'held', 'Сидоров Иван; старший'],
  ]);
});

test('When the citizen disputes one act and confirms part of another, then the provider’s acts show each outcome with the citizen’s reason', async () => {
  const { booking } = await bookedAndAccepted(h, budgetProgrammeId);
  const staff = await h.as('zabota-staff');
  const one = await staff.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: today(), units: 2, staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' } });
  const two = await staff.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: today(), units: 4, staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' } });
  const caseworker = await h.as('caseworker-73');
  expect((await caseworker.post(`/v1/deliveries/${one.body.id}/dispute`, { reason: 'Работник не приходил' })).status).toBe(200);
  expect((await caseworker.post(`/v1/deliveries/${two.body.id}/confirm`, { units: 3, dispute_reason: 'Один час не отработан' })).status).toBe(200);
  const res = await staff.get(`/v1/providers/${ZABOTA_ID}/acts`);
  expect(res.status).toBe(200);
  const byId = new Map(res.body.items.map((a: any) => [a.id, a]));
  expect(byId.get(one.body.id)).toMatchObject({ status: 'voided', resolution: 'disputed', dispute_reason: 'Работник не приходил', service_code: 'HOME-HOUSEHOLD-HOUR', recipient_name: 'Иванова М. П.' });
  expect(byId.get(two.body.id)).toMatchObject({ status: 'posted', resolution: 'partly_disputed', confirmed_units: 3, dispute_reason: 'Один час не отработан' });
  expect((await staff.get(`/v1/providers/${ZABOTA_ID}/acts?status=posted`)).body.items.every((a: any) => a.status === 'posted')).toBe(true);
});

test('When someone other than the provider’s people uploads acts or reads them, then it is refused; a file without the columns is refused whole', async () => {
  const csv = 'booking_id;delivered_on;units;staff_name;staff_position\r\n';
  for (const who of ['rehab-admin', 'admin', 'caseworker-73']) {
    const res = await (await h.as(who)).post(`/v1/providers/${ZABOTA_ID}/act-imports`, { id: randomUUID(), csv });
    expect([res.status, res.body.code]).toEqual([403, 'not_your_provider']);
  }
  expect((await (await h.as('rehab-admin')).get(`/v1/providers/${ZABOTA_ID}/acts`)).status).toBe(403);
  const admin = await h.as('zabota-admin');
  const missing = await admin.post(`/v1/providers/${ZABOTA_ID}/act-imports`, { id: randomUUID(), csv: 'booking_id;units\r\nx;1' });
  expect([missing.status, missing.body.code, missing.body.missing_columns]).toEqual([400, 'csv_missing_columns', ['delivered_on', 'staff_name', 'staff_position']]);
  const empty = await admin.post(`/v1/providers/${ZABOTA_ID}/act-imports`, { id: randomUUID(), csv });
  expect([empty.status, empty.body.code]).toEqual([400, 'csv_empty']);
});
