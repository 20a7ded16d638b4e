import { randomUUID } from 'node:crypto';
import { bookedAndAccepted, fundRegion, issueFor, IVANOVA_SNILS, nextSnils, REGION, startCertificates, ULYANOVSK, type CertificatesHarness } from './harness';

/**
 * The region's dashboard: the ministry reads every figure by month and district; the public reads the
 * same as open data (JSON or CSV) with small cells left out.
 */
let h: CertificatesHarness;
const RADISHCHEVO = '73636000';
const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
let month: string;
let valueIssued = 0;

beforeAll(async () => {
  h = await startCertificates('certificates-dashboard');
  const budget = await fundRegion(h, '5000000.00');
  const caseworker = await h.as('caseworker-73');
  const recorder = await h.as('zabota-staff');
  // Six people in Ульяновск with Zabota (a non-state provider paid by compensation), one in Радищево without a provider.
  const booked: Array<Awaited<ReturnType<typeof bookedAndAccepted>>> = [];
  for (let i = 0; i < 6; i++) booked.push(await bookedAndAccepted(h, budget, { recipient: { snils: i === 0 ? IVANOVA_SNILS : nextSnils() }, lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 10, months: 3 }] }));
  const rural = await issueFor(h, budget, { recipient: { snils: nextSnils(), district_code: RADISHCHEVO, address: 'р.п. Радищево, ул. Полевая, д. 1' } });
  for (const b of [...booked.map((x) => x.certificate), rural.certificate]) valueIssued += Number(b.value);
  month = booked[0]!.certificate.general.valid_from.slice(0, 7);
  const act = async (i: number, units: number) => {
    const res = await recorder.post(`/v1/bookings/${booked[i]!.booking.id}/deliveries`, { id: randomUUID(), delivered_on: booked[i]!.certificate.general.valid_from, units, staff });
    if (res.status !== 201) throw new Error(`act: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; amount: string };
  };
  // Five confirmed acts of 2 hours, one disputed, one still held.
  for (let i = 0; i < 5; i++) {
    const a = await act(i, 2);
    expect((await caseworker.post(`/v1/deliveries/${a.id}/confirm`, {})).status).toBe(200);
  }
  const disputed = await act(5, 1);
  expect((await caseworker.post(`/v1/deliveries/${disputed.id}/dispute`, { reason: 'Услуга не оказывалась' })).status).toBe(200);
  await act(5, 3);
  const ivanova = await h.as('citizen-ivanova');
  const mine: Array<{ id: string }> = await h.service.orm.em.fork().execute(`select id from certificates.deliveries where booking_id = ? and status = 'posted'`, [booked[0]!.booking.id]);
  expect((await ivanova.post(`/v1/deliveries/${mine[0]!.id}/feedback`, { score: 4, comment: 'Хорошо' })).status).toBe(201);
}, 120_000);
afterAll(() => h?.stop());

test('The ministry reads certificates, money, the non-state share, the wait to the first delivery, disputes and satisfaction by month and district', async () => {
  const res = await (await h.as('admin')).get(`/v1/regions/${REGION}/dashboard?from=${month}&to=${month}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ region_code: REGION, from: month, to: month, suppress_below: null });
  expect(res.body.months.map((m: any) => m.month)).toEqual([month]);
  const total = res.body.months.find((m: any) => m.month === month);
  expect(total).toMatchObject({
    certificates_issued: 7,
    delivered_units: 10,
    non_state_units: 10,
    non_state_share_units: 1,
    non_state_share_amount: 1,
    first_deliveries: 6,
    acts_resolved: 6,
    disputes: 1,
    dispute_share: 0.167,
    ratings: 1,
    satisfaction_avg: 4,
    suppressed: [],
  });
  expect(Number(total.certificates_value)).toBeCloseTo(valueIssued, 2);
  expect(total.certificates_value).toMatch(/^\d+\.\d{2}$/);
  expect(Number(total.spent)).toBeGreaterThan(0);
  expect(Number(total.held)).toBeGreaterThan(0);
  expect(total.returned).toBe('0.00');
  expect(total.waiting_days_avg).toBeGreaterThanOrEqual(0);
  const rural = res.body.districts.find((d: any) => d.district_code === RADISHCHEVO);
  expect(rural).toMatchObject({ month, certificates_issued: 1, delivered_units: 0, suppressed: [] });
  expect(res.body.districts.find((d: any) => d.district_code === ULYANOVSK)).toMatchObject({ certificates_issued: 6 });
  expect(res.body.providers_by_type).toEqual(expect.arrayContaining([{ type: 'sonko', providers: 1 }, { type: 'social_enterprise', providers: 1 }]));

  // Months without any figure are there too, with zeros.
  const earlier = `${Number(month.slice(0, 4)) - (month.slice(5) < '03' ? 1 : 0)}-${String(((Number(month.slice(5)) + 9) % 12) + 1).padStart(2, '0')}`;
  const three = await (await h.as('admin')).get(`/v1/regions/${REGION}/dashboard?from=${earlier}&to=${month}`);
  expect(three.body.months).toHaveLength(3);
  expect(three.body.months[0]).toMatchObject({ month: earlier, certificates_issued: 0, spent: '0.00', satisfaction_avg: null });

  for (const user of ['finance-73-a', 'auditor']) expect((await (await h.as(user)).get(`/v1/regions/${REGION}/dashboard`)).status).toBe(200);
  for (const user of ['citizen-ivanova', 'caseworker-73', 'committee-73', 'zabota-admin']) {
    const refused = await (await h.as(user)).get(`/v1/regions/${REGION}/dashboard`);
    expect(refused.status).toBe(403);
  }
  const tooLong = await (await h.as('admin')).get(`/v1/regions/${REGION}/dashboard?from=2020-01&to=2026-12`);
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
});

test('The public reads open data without signing in, small cells left out (and the next smallest, so totals do not reveal them), as JSON or CSV', async () => {
  const res = await fetch(`${h.url}/v1/public/regions/${REGION}/dashboard?from=${month}&to=${month}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  expect(body.suppress_below).toBe(5);
  const rural = body.districts.find((d: any) => d.district_code === RADISHCHEVO);
  expect(rural).toMatchObject({ certificates_issued: null, certificates_value: null, suppressed: ['certificates'] });
  // Радищево alone would be the month's total minus Ульяновск: Ульяновск's certificates are left out too.
  const city = body.districts.find((d: any) => d.district_code === ULYANOVSK);
  expect(city).toMatchObject({ certificates_issued: null, acts_resolved: 6, disputes: 1, ratings: null, satisfaction_avg: null });
  expect(city.suppressed).toEqual(['certificates', 'ratings']);
  const total = body.months.find((m: any) => m.month === month);
  expect(total).toMatchObject({ certificates_issued: 7, acts_resolved: 6, ratings: null, suppressed: ['ratings'] });

  const csv = await fetch(`${h.url}/v1/public/regions/${REGION}/dashboard?from=${month}&to=${month}&format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toBe(
    'month,district_oktmo,certificates_issued,certificates_value_rub,spent_rub,held_rub,returned_rub,delivered_units,non_state_units,non_state_amount_rub,non_state_share_units,non_state_share_amount,first_deliveries,waiting_days_avg,acts_resolved,disputes,dispute_share,ratings,satisfaction_avg',
  );
  expect(lines.find((l) => l.startsWith(`${month},${RADISHCHEVO},`))).toMatch(new RegExp(`^${month},${RADISHCHEVO},,,`));
  expect(lines.at(-1)).toMatch(new RegExp(`^${month},,7,`));

  const bad = await fetch(`${h.url}/v1/public/regions/${REGION}/dashboard?format=xml`);
  expect(bad.status).toBe(400);
});
