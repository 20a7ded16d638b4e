import { KLEVER_ID, REHAB_ID, ZABOTA_ID, startSettlement, type SettlementHarness } from './harness';
import { kopecks, pain001SchemaErrors, parseOneC, parsePain001, roubles } from './payment-file-checks';

/**
 * Payment files over HTTP with the service's clock fixed: the region's business date, payment order
 * numbers unique per payer account and year across batches, re-exports that repeat them, the 1C
 * refusal of names windows-1251 cannot carry, and every pain.001 checked against the ISO schema.
 */
const HOME = { id: '5f0c8f52-8d1e-4a3c-9d0b-730000000a01', code: 'SOC-HOME-73' };
const PAYER_ACCOUNT = '03221643730000006800';

const LONG_ID = '0b7c5a0e-5d1f-4a43-9a43-73c0000000c3';
const DEBTOR_ID = '0b7c5a0e-5d1f-4a43-9a43-73c0000000d4';
const TATAR_ID = '0b7c5a0e-5d1f-4a43-9a43-73c0000000e5';
const LONG_NAME =
  'Автономная некоммерческая организация социального обслуживания населения «Центр социальной помощи и реабилитации граждан пожилого возраста и инвалидов „Забота и милосердие“ города Сенгилея»';
const TATAR_NAME = 'Автономная некоммерческая организация «Мәрхәмәт»';

let h: SettlementHarness;
let now: Date | undefined;
const files: Record<string, Buffer> = {};
const batches: Record<string, { id: string; total: string }> = {};

async function fetchFile(path: string, username = 'finance-73-a') {
  const token = await h.gateway.signIn(username);
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

const exportOf = (batchId: string, format: '1c' | 'pain001' | 'csv') => fetchFile(`/v1/batches/${batchId}/export?format=${format}`);

/** A completed run of the period, its batch formed by one officer and approved by another at `approvedAt`. */
async function approvedBatch(period: string, approvedAt: Date) {
  const a = await h.as('finance-73-a');
  const b = await h.as('finance-73-b');
  expect((await a.call('PUT', `/v1/payout-limits/${HOME.id}/${period}`, { region_code: '73', amount: '1000000.00' })).status).toBe(200);
  const started = await a.post('/v1/runs', { region_code: '73', period });
  await h.waitFor(`${period} run`, async () => (await a.get(`/v1/runs/${started.body.id}`)).body, (r) => r.status === 'completed');
  const formed = await a.post(`/v1/runs/${started.body.id}/batch`);
  expect(formed.status).toBe(201);
  const batch = formed.body;
  now = approvedAt;
  expect((await b.post(`/v1/batches/${batch.id}/approve`)).status).toBe(202);
  const approved = await h.waitFor(`${period} batch approved`, async () => (await b.get(`/v1/batches/${batch.id}`)).body, (x) => x.status === 'approved');
  expect(approved.approved_at).toBe(approvedAt.toISOString());
  return approved as { id: string; total: string; payouts: number };
}

const payoutsOf = async (batchId: string) => (await (await h.as('finance-73-a')).get(`/v1/batches/${batchId}/payouts`)).body.items as any[];

const deliver = (providerId: string, units: number, deliveredOn: string) =>
  h.deliver({ providerId, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units, unitCost: '350.00', deliveredOn });

beforeAll(async () => {
  h = await startSettlement('payment_files', {}, { clock: () => now ?? new Date() });
  h.directory.put({
    id: LONG_ID,
    name: LONG_NAME,
    inn: '7325004311',
    kpp: '732501001',
    fundingMode: 'compensation',
    bank: { bic: '047308999', account: '40703810000000000311', bankName: 'Ульяновский филиал АО «Банк Пример» г. Ульяновск', correspondentAccount: '30101810000000000999' },
  });
  h.directory.put({
    id: DEBTOR_ID,
    name: 'ООО «Должник»',
    inn: '7325004329',
    kpp: '732501001',
    fundingMode: 'compensation',
    bank: { bic: '047308602', account: '40702810000000000329', bankName: 'Ульяновское отделение № 8588 ПАО Сбербанк', correspondentAccount: '30101810000000000602' },
  });
  h.directory.put({
    id: TATAR_ID,
    name: TATAR_NAME,
    inn: '1655000011',
    kpp: '165501001',
    fundingMode: 'compensation',
    bank: { bic: '049205603', account: '40703810000000000011', bankName: 'ОТДЕЛЕНИЕ "БАНК ТАТАРСТАН" N8610 ПАО СБЕРБАНК', correspondentAccount: '30101810600000000603' },
  });
});

afterAll(async () => {
  await h?.stop();
});

describe('payment files of payout batches', () => {
  test('When a batch approved at 23:52 UTC on 6 December is exported, then every file is dated 7 December, the region’s business date (UTC+4)', async () => {
    // October: four providers paid, one long-named; the debtor's clawback exceeds what it earned, so it is withheld.
    await deliver(ZABOTA_ID, 10, '2026-10-02');
    await deliver(REHAB_ID, 4, '2026-10-03');
    await deliver(KLEVER_ID, 5, '2026-10-21');
    await deliver(LONG_ID, 3, '2026-10-22');
    await deliver(DEBTOR_ID, 2, '2026-10-23');
    await h.consumed(5);
    await h.clawback(DEBTOR_ID, '700.00');
    const october = await approvedBatch('2026-10', new Date('2026-12-06T23:52:00Z'));
    batches.october = october;
    const payouts = await payoutsOf(october.id);
    // Forming the batch used to fail with a 500 here: the schema refused a withheld payout of 0.00.
    expect(payouts.find((p) => p.provider_id === DEBTOR_ID)).toMatchObject({ status: 'withheld', amount: '0.00', withheld: '700.00', payment_order_number: null });
    const toPay = payouts.filter((p) => p.status !== 'withheld');
    expect(toPay).toHaveLength(4);

    now = new Date('2026-12-06T23:55:00Z'); // exported three minutes later, still 7 December in Ulyanovsk
    const oneC = await exportOf(october.id, '1c');
    expect(oneC.status).toBe(200);
    files.october1c = oneC.body;
    const parsed = parseOneC(oneC.body);
    expect(parsed.header).toMatchObject({ 'ДатаСоздания': '07.12.2026', 'ВремяСоздания': '03:55:00', 'ДатаНачала': '07.12.2026', 'ДатаКонца': '07.12.2026' });
    expect(parsed.docs).toHaveLength(4);
    for (const doc of parsed.docs) expect(doc['Дата']).toBe('07.12.2026');

    const pain = await exportOf(october.id, 'pain001');
    expect(pain.status).toBe(200);
    files.october001 = pain.body;
    const xml = parsePain001(pain.body);
    expect(xml.creDtTm).toBe('2026-12-07T03:55:00+04:00');
    expect(xml.reqdExctnDt).toBe('2026-12-07');
  });

  test('When the batch is exported, then its payment orders are numbered from 1 for the payer account and year, Код is 0 and the reference is in the purpose', async () => {
    const payouts = (await payoutsOf(batches.october!.id)).filter((p) => p.status !== 'withheld');
    expect(payouts.map((p) => p.payment_order_number)).toEqual([1, 2, 3, 4]);
    const docs = parseOneC(files.october1c!).docs;
    for (const p of payouts) {
      const doc = docs.find((d) => d['Номер'] === String(p.payment_order_number))!;
      expect(doc).toMatchObject({ 'Сумма': p.amount, 'ПолучательИНН': p.inn, 'Получатель1': p.provider_name, 'Код': '0', 'ПлательщикБанк2': 'г. Ульяновск' });
      expect(doc['НазначениеПлатежа']).toContain(p.reference);
    }
    const byInn = (inn: string) => docs.find((d) => d['ПолучательИНН'] === inn)!;
    expect(byInn('7830002293')['ПолучательБанк2']).toBe('г. Москва'); // ПАО Сбербанк, BIC 044525225
    expect(byInn('7325004311')['ПолучательБанк2']).toBe('г. Ульяновск'); // from the bank's name
    expect(byInn('7707083893')['ПолучательБанк2']).toBe(''); // nothing gives the city
    expect(docs.some((d) => d['ПолучательИНН'] === '7325004329')).toBe(false); // the withheld debtor
    expect((await payoutsOf(batches.october!.id)).find((p) => p.provider_id === DEBTOR_ID).payment_order_number).toBeNull();
  });

  test('When the batch is exported as pain.001, then it is valid against the ISO schema and ties out to the batch', async () => {
    expect(await pain001SchemaErrors(files.october001!)).toEqual([]);
    const xml = parsePain001(files.october001!);
    const payouts = (await payoutsOf(batches.october!.id)).filter((p) => p.status !== 'withheld');
    expect(xml).toMatchObject({ nbOfTxs: '4', pmtNbOfTxs: '4', ctrlSum: batches.october!.total, pmtCtrlSum: batches.october!.total, debtorAccount: PAYER_ACCOUNT });
    expect(roubles(xml.txs.reduce((s, t) => s + kopecks(t.amount), 0n))).toBe(batches.october!.total);
    for (const p of payouts) {
      const tx = xml.txs.find((t) => t.endToEndId === p.reference)!;
      expect(tx).toMatchObject({ instrId: String(p.payment_order_number), amount: p.amount, inn: p.inn, account: p.bank_account, bic: p.bank_bic });
    }
    const long = xml.txs.find((t) => t.inn === '7325004311')!;
    expect(long.name).toBe('Автономная некоммерческая организация социального обслуживания населения «Центр социальной помощи и реабилитации граждан пожилого возраста и');
    expect(long.additional.join(' ')).toBe(LONG_NAME);
  });

  test('When the same batch is exported again later, then the files are the same: same numbers, same dates', async () => {
    now = new Date('2026-12-09T10:00:00Z');
    expect((await exportOf(batches.october!.id, '1c')).body.equals(files.october1c!)).toBe(true);
    expect((await exportOf(batches.october!.id, 'pain001')).body.equals(files.october001!)).toBe(true);
    now = new Date('2026-12-07T05:00:00Z');
  });

  test('When a batch holds a name windows-1251 lacks, then the 1C file is refused naming the provider and letters, takes no numbers, and pain.001 and CSV carry the name', async () => {
    await deliver(ZABOTA_ID, 2, '2026-11-02');
    await deliver(TATAR_ID, 4, '2026-11-03');
    await h.consumed(7);
    const november = await approvedBatch('2026-11', new Date('2026-12-07T05:00:00Z'));
    batches.november = november;

    const refused = await exportOf(november.id, '1c');
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = JSON.parse(refused.body.toString('utf8'));
    expect(problem.code).toBe('not_encodable_in_1c');
    expect(problem.detail).toContain(`«${TATAR_NAME}» (ИНН 1655000011), наименование: «ә»`);
    expect(problem.detail).toContain('реестре поставщиков');
    expect(problem.detail).toMatch(/pain\.001.*CSV/);
    expect(problem.providers).toEqual([{ provider_id: TATAR_ID, name: TATAR_NAME, inn: '1655000011', field: 'наименование', characters: ['ә'] }]);
    expect((await payoutsOf(november.id)).map((p) => p.payment_order_number)).toEqual([null, null]);

    const pain = await exportOf(november.id, 'pain001');
    expect(pain.status).toBe(200);
    expect(await pain001SchemaErrors(pain.body)).toEqual([]);
    const xml = parsePain001(pain.body);
    expect(xml.txs.find((t) => t.inn === '1655000011')!.name).toBe(TATAR_NAME);
    expect(xml).toMatchObject({ nbOfTxs: '2', ctrlSum: november.total, reqdExctnDt: '2026-12-07', creDtTm: '2026-12-07T09:00:00+04:00' });
    const csv = await exportOf(november.id, 'csv');
    expect(csv.body.toString('utf8')).toContain(TATAR_NAME);
  });

  test('When a second batch is exported the same day, then its payment orders continue the payer account’s numbers: no number twice in a year', async () => {
    const november = (await payoutsOf(batches.november!.id)).filter((p) => p.status !== 'withheld');
    expect(november.map((p) => p.payment_order_number)).toEqual([5, 6]);
    const csvRows = (await exportOf(batches.november!.id, 'csv')).body.subarray(3).toString('utf8').split('\r\n').filter(Boolean).slice(1);
    expect(csvRows.map((r) => r.split(';')[0])).toEqual(['5', '6']);
  });

  test('When a batch is drawn up after midnight of 1 January in Ulyanovsk (still 31 December in UTC), then it is dated 2027 and numbered from 1 again', async () => {
    await deliver(ZABOTA_ID, 1, '2026-12-02');
    await h.consumed(8);
    const december = await approvedBatch('2026-12', new Date('2026-12-31T20:30:00Z'));
    const oneC = await exportOf(december.id, '1c');
    const parsed = parseOneC(oneC.body);
    expect(parsed.header).toMatchObject({ 'ДатаСоздания': '01.01.2027', 'ВремяСоздания': '00:30:00' });
    expect(parsed.docs.map((d) => [d['Номер'], d['Дата']])).toEqual([['1', '01.01.2027']]);
    const pain = await exportOf(december.id, 'pain001');
    expect(await pain001SchemaErrors(pain.body)).toEqual([]);
    expect(parsePain001(pain.body)).toMatchObject({ creDtTm: '2027-01-01T00:30:00+04:00', reqdExctnDt: '2027-01-01', nbOfTxs: '1', ctrlSum: december.total });
  });

  test('When two first exports of one batch race, then each payout gets one number and both files agree', async () => {
    const a = await h.as('finance-73-a');
    await deliver(REHAB_ID, 1, '2027-01-10');
    await h.consumed(9);
    const january = await approvedBatch('2027-01', new Date('2027-02-01T06:00:00Z'));
    const [first, second] = await Promise.all([exportOf(january.id, 'pain001'), exportOf(january.id, 'csv')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const numbers = (await a.get(`/v1/batches/${january.id}/payouts`)).body.items.map((p: any) => p.payment_order_number);
    expect(numbers).toEqual([2]); // 2027's second payment order of the account
    expect(parsePain001(first.body).txs[0]!.instrId).toBe('2');
  });
});
