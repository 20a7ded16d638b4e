import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';
import { ledgerAccountIds } from '@esc/ledger-client';
import { KLEVER_ID, REHAB_ID, STATE_ID, ZABOTA_ID, startSettlement, toBase64, type SettlementHarness } from './harness';
import { pain001SchemaErrors, parseOneC } from './payment-file-checks';

const PERIOD = '2026-10';
const HOME = { id: '5f0c8f52-8d1e-4a3c-9d0b-730000000a01', code: 'SOC-HOME-73' };
const REHAB = { id: '5f0c8f52-8d1e-4a3c-9d0b-730000000b02', code: 'REHAB-CHILD-73' };
const PAYER_ACCOUNT = '03221643730000006800';

let h: SettlementHarness;
const state: Record<string, any> = {};


function parseCsv(buffer: Buffer): string[][] {
  expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = buffer.subarray(3).toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

async function fetchFile(path: string, username = 'finance-73-a') {
  const token = await h.gateway.signIn(username);
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

const payable = (id: string) => ledgerAccountIds.providerPayable(id);

beforeAll(async () => {
  h = await startSettlement('settlement_flow');
});

afterAll(async () => {
  await h?.stop();
});

describe('settlement of a period with mixed providers, fees and a budget cap', () => {
  test('When redemptions are posted (one event delivered twice, one redemption under two event ids), then each is recorded once', async () => {
    const z1 = await h.deliver({ providerId: ZABOTA_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 10, unitCost: '350.00', fee: '500.00', deliveredOn: '2026-10-02' });
    await h.deliver({ providerId: ZABOTA_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 4, unitCost: '350.00', deliveredOn: '2026-10-09' });
    await h.deliver({ providerId: ZABOTA_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-PSYCH-VISIT', serviceName: 'Социально-психологическое консультирование', unit: 'visit', units: 2, unitCost: '1250.50', fee: '250.05', deliveredOn: '2026-10-15' });
    // November: not in the October run.
    await h.deliver({ providerId: ZABOTA_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 1, unitCost: '350.00', deliveredOn: '2026-11-02' });
    for (const day of ['03', '05', '07']) {
      await h.deliver({ providerId: REHAB_ID, programmeId: REHAB.id, programmeCode: REHAB.code, serviceCode: 'CHILD-REHAB-COURSE', serviceName: 'Курс реабилитации ребёнка', unit: 'course', units: 1, unitCost: '4000.00', deliveredOn: `2026-10-${day}` });
    }
    await h.deliver({ providerId: STATE_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 20, unitCost: '350.00', deliveredOn: '2026-10-20' });
    await h.deliver({ providerId: KLEVER_ID, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 5, unitCost: '350.00', deliveredOn: '2026-10-21' });
    // Redeliveries: the same event again, and the same redemption under a new event id.
    await h.publish(z1.eventId, z1.payload);
    await h.publish(randomUUID(), z1.payload);
    state.samplePayload = z1.payload;
    await h.consumed(10);
    const again = await h.service.orm.em.fork().execute(`select count(*)::int as n from settlement.redemptions where redemption_id = ?`, [z1.redemptionId]);
    expect(again[0]!.n).toBe(1);
    const all = await h.service.orm.em.fork().execute(`select count(*)::int as n from settlement.redemptions`);
    expect(all[0]!.n).toBe(9);
    // A clawback of 250.00 on Klever's payable (a reversed redemption of an earlier period).
    await h.clawback(KLEVER_ID, '250.00');
    expect(await h.balance(payable(ZABOTA_ID))).toBe('7000.95');
    expect(await h.balance(payable(REHAB_ID))).toBe('12000.00');
    expect(await h.balance(payable(KLEVER_ID))).toBe('1500.00');
  });

  test('When a redemption.posted payload breaks its own arithmetic, then it is kept aside and never settled', async () => {
    const id = randomUUID();
    await h.publish(id, { redemption_id: randomUUID(), amount: '1.00' });
    await h.consumed(11);
    const rejected = await h.service.orm.em.fork().execute(`select reason from settlement.rejected_events where event_id = ?`, [id]);
    expect(rejected).toHaveLength(1);
  });

  test('When finance sets the payout limits and the assignment, then they are validated and only finance of the region may set them', async () => {
    const a = await h.as('finance-73-a');
    expect((await a.call('PUT', `/v1/payout-limits/${HOME.id}/${PERIOD}`, { region_code: '73', amount: '10000.00' })).status).toBe(200);
    const limit = await a.call('PUT', `/v1/payout-limits/${REHAB.id}/${PERIOD}`, { region_code: '73', amount: '9000' });
    expect(limit.status).toBe(200);
    expect(limit.body.amount).toBe('9000.00');
    const bad = await a.call('PUT', `/v1/payout-limits/${REHAB.id}/2026-13`, { region_code: '73', amount: '9000.001' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['amount', 'period']);
    const auditor = await h.as('auditor');
    const refused = await auditor.call('PUT', `/v1/payout-limits/${REHAB.id}/${PERIOD}`, { region_code: '73', amount: '1.00' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('finance_only');
    const otherRegion = await a.call('PUT', `/v1/payout-limits/${REHAB.id}/${PERIOD}`, { region_code: '77', amount: '1.00' });
    expect(otherRegion.status).toBe(403);
    expect(otherRegion.body.code).toBe('other_region');
    const assignment = await a.call('PUT', `/v1/assignments/${STATE_ID}/HOME-HOUSEHOLD-HOUR/${PERIOD}`, { region_code: '73', units: 100 });
    expect(assignment.status).toBe(200);
  });

  test('When finance starts the run, then compensation lines are paid within each programme limit and the rest is carried with the reason', async () => {
    const a = await h.as('finance-73-a');
    const citizen = await h.as('citizen-ivanova');
    expect((await citizen.post('/v1/runs', { region_code: '73', period: PERIOD })).status).toBe(403);
    // Two officers pressing the button at once still make one run.
    const b = await h.as('finance-73-b');
    const attempts = await Promise.all([a, b, a, b].map((client) => client.post('/v1/runs', { region_code: '73', period: PERIOD })));
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
    expect(new Set(attempts.map((r) => r.body.id)).size).toBe(1);
    const started = attempts.find((r) => r.status === 202)!;
    const runId = started.body.id;
    state.runId = runId;
    const run = await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${runId}`)).body, (r) => r.status === 'completed');
    expect(run.totals).toMatchObject({
      providers: 4,
      redemptions: 7,
      gross_amount: '24151.00', // 3500 + 1400 + 2501 + 8000 + 1750 (compensation) + 7000 (state assignment)
      fee_amount: '750.05',
      amount: '23400.95',
      compensation_amount: '16400.95', // 6650.95 + 8000.00 + 1750.00; the carried 4000.00 is not in this run
      carried_redemptions: 1,
      carried_amount: '4000.00',
    });
    // Asking again answers the same run and creates nothing.
    const again = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(runId);

    const lines = (await a.get(`/v1/runs/${runId}/lines`)).body.items;
    const zabotaHome = lines.find((l: any) => l.provider_id === ZABOTA_ID && l.service_code === 'HOME-HOUSEHOLD-HOUR');
    expect(zabotaHome).toMatchObject({ units: 14, gross_amount: '4900.00', fee_amount: '500.00', amount: '4400.00', funding_mode: 'compensation' });
    const zabotaPsych = lines.find((l: any) => l.provider_id === ZABOTA_ID && l.service_code === 'HOME-PSYCH-VISIT');
    // 2 × 1250.50 = 2501.00 less a fee of 250.05 = 2250.95: no rounding anywhere, exact kopecks.
    expect(zabotaPsych).toMatchObject({ units: 2, gross_amount: '2501.00', fee_amount: '250.05', amount: '2250.95' });
    expect(lines.find((l: any) => l.provider_id === STATE_ID)).toMatchObject({ funding_mode: 'state_assignment', units: 20, amount: '7000.00' });
    expect(lines.find((l: any) => l.provider_id === REHAB_ID)).toMatchObject({ redemptions: 2, amount: '8000.00' });

    const carried = (await a.get(`/v1/runs/${runId}/carryovers`)).body.items;
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ provider_id: REHAB_ID, delivered_on: '2026-10-07', amount: '4000.00', reason_code: 'payout_limit_exceeded' });
    expect(carried[0].reason).toContain('Не вошло в лимит выплат по программе REHAB-CHILD-73 на период 2026-10 (9000.00 руб.)');
    expect(carried[0].reason).toContain('перенесена на период 2026-11');

    const limitLocked = await a.call('PUT', `/v1/payout-limits/${REHAB.id}/${PERIOD}`, { region_code: '73', amount: '20000.00' });
    expect(limitLocked.status).toBe(409);
    expect(limitLocked.body.code).toBe('period_already_settled');
  });

  test('When the batch is formed, then each compensation provider gets one payout, reduced by a clawback, and the state institution none', async () => {
    const a = await h.as('finance-73-a');
    const created = await a.post(`/v1/runs/${state.runId}/batch`);
    expect(created.status).toBe(201);
    state.batchId = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', payouts: 3, total: '16150.95' });
    expect((await a.post(`/v1/runs/${state.runId}/batch`)).body.id).toBe(state.batchId);
    const payouts = (await a.get(`/v1/batches/${state.batchId}/payouts`)).body.items;
    const by = (id: string) => payouts.find((p: any) => p.provider_id === id);
    expect(by(ZABOTA_ID)).toMatchObject({ earned: '6650.95', withheld: '0.00', amount: '6650.95', status: 'pending', inn: '7830002293' });
    expect(by(REHAB_ID)).toMatchObject({ earned: '8000.00', amount: '8000.00' });
    expect(by(KLEVER_ID)).toMatchObject({ earned: '1750.00', withheld: '250.00', amount: '1500.00', kpp: null });
    expect(by(KLEVER_ID).withheld_reason).toContain('Удержано 250.00 руб.');
    expect(by(STATE_ID)).toBeUndefined();
    for (const p of payouts) expect(p.reference).toMatch(/^ESC73[0-9]{10}$/);
    expect(new Set(payouts.map((p: any) => p.reference)).size).toBe(3);
    state.payouts = payouts;
    // Not exported before approval.
    const early = await fetchFile(`/v1/batches/${state.batchId}/export?format=1c`);
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body.toString()).code).toBe('batch_not_approved');
  });

  test('When the creator approves the batch, then four eyes refuse it; when the second officer approves, then the ledger moves payable → in transit', async () => {
    const a = await h.as('finance-73-a');
    const b = await h.as('finance-73-b');
    const self = await a.post(`/v1/batches/${state.batchId}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('four_eyes_required');
    expect(self.body.detail).toContain('четырёх глаз');
    const approved = await b.post(`/v1/batches/${state.batchId}/approve`);
    expect(approved.status).toBe(202);
    const batch = await h.waitFor('batch approved', async () => (await b.get(`/v1/batches/${state.batchId}`)).body, (x) => x.status === 'approved');
    expect(batch.approved_by).not.toBe(batch.created_by);
    const inTransit = ledgerAccountIds.payoutsInTransit(state.batchId);
    expect(await h.balance(inTransit)).toBe('16150.95');
    expect(await h.balance(payable(ZABOTA_ID))).toBe('350.00'); // November's line stays
    expect(await h.balance(payable(REHAB_ID))).toBe('4000.00'); // the carried line stays
    expect(await h.balance(payable(KLEVER_ID))).toBe('0.00');
    // Approving again changes nothing.
    expect((await b.post(`/v1/batches/${state.batchId}/approve`)).status).toBe(200);
    expect(await h.balance(inTransit)).toBe('16150.95');
    expect(await h.invariantsOk()).toBe(true);
  });

  test('When the batch is exported as 1CClientBankExchange, then the windows-1251 file parses back field by field', async () => {
    const file = await fetchFile(`/v1/batches/${state.batchId}/export?format=1c`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=windows-1251');
    // Cyrillic in windows-1251 is one byte per letter: «С» is 0xD1.
    expect(file.body.includes(Buffer.from([0xd1, 0xe5, 0xea, 0xf6, 0xe8, 0xff]))).toBe(true); // «Секция»
    const parsed = parseOneC(file.body);
    expect(parsed.first).toBe('1CClientBankExchange');
    expect(parsed.last).toBe('КонецФайла');
    expect(parsed.header).toMatchObject({ 'ВерсияФормата': '1.03', 'Кодировка': 'Windows', 'РасчСчет': PAYER_ACCOUNT, 'Документ': 'Платежное поручение' });
    expect(parsed.docs).toHaveLength(3);
    // The first export numbers the payment orders; the payouts show the numbers from then on.
    state.payouts = (await (await h.as('finance-73-a')).get(`/v1/batches/${state.batchId}/payouts`)).body.items;
    expect(state.payouts.map((p: any) => p.payment_order_number).sort()).toEqual([1, 2, 3]);
    for (const p of state.payouts) {
      const doc = parsed.docs.find((d) => d['Номер'] === String(p.payment_order_number))!;
      expect(doc).toMatchObject({
        'СекцияДокумент': 'Платежное поручение',
        'Сумма': p.amount,
        'ПлательщикСчет': PAYER_ACCOUNT,
        'ПлательщикИНН': '7325000052',
        'ПолучательСчет': p.bank_account,
        'ПолучательИНН': p.inn,
        'ПолучательКПП': p.kpp ?? '',
        'Получатель1': p.provider_name,
        'ПолучательБИК': p.bank_bic,
        'ПолучательБанк1': p.bank_name,
        'ВидОплаты': '01',
        'Очередность': '5',
        'Код': '0', // the УИН field; the reference travels in the purpose
      });
      expect(doc['НазначениеПлатежа']).toContain(p.reference);
      expect(doc['НазначениеПлатежа']).toContain('2026-10');
    }
  });

  test('When the batch is exported as pain.001 and CSV, then both parse back with the same payouts', async () => {
    const xml = await fetchFile(`/v1/batches/${state.batchId}/export?format=pain001`);
    expect(xml.status).toBe(200);
    expect(await pain001SchemaErrors(xml.body)).toEqual([]);
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => ['CdtTrfTxInf', 'Othr'].includes(name) }).parse(xml.body.toString('utf8'));
    expect(doc.Document['@_xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const root = doc.Document.CstmrCdtTrfInitn;
    expect(root.GrpHdr.NbOfTxs).toBe('3');
    expect(root.GrpHdr.CtrlSum).toBe('16150.95');
    expect(root.PmtInf.DbtrAcct.Id.Othr[0].Id).toBe(PAYER_ACCOUNT);
    for (const p of state.payouts) {
      const tx = root.PmtInf.CdtTrfTxInf.find((t: any) => t.PmtId.EndToEndId === p.reference);
      expect(tx.Amt.InstdAmt['#text']).toBe(p.amount);
      expect(tx.Amt.InstdAmt['@_Ccy']).toBe('RUB');
      expect(tx.Cdtr.Nm).toBe(p.provider_name);
      expect(tx.Cdtr.Id.OrgId.Othr[0].Id).toBe(p.inn);
      expect(tx.CdtrAcct.Id.Othr[0].Id).toBe(p.bank_account);
      expect(tx.CdtrAgt.FinInstnId.ClrSysMmbId.MmbId).toBe(p.bank_bic);
    }
    const csv = await fetchFile(`/v1/batches/${state.batchId}/export?format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(['Номер', 'Ссылка', 'Поставщик', 'ИНН', 'КПП', 'БИК', 'Банк', 'Расчётный счёт', 'Корр. счёт', 'Начислено', 'Удержано', 'К перечислению', 'Назначение платежа']);
    expect(rows).toHaveLength(4);
    for (const p of state.payouts) {
      const row = rows.find((r) => r[1] === p.reference)!;
      expect(row).toEqual([String(p.payment_order_number), p.reference, p.provider_name, p.inn, p.kpp ?? '', p.bank_bic, p.bank_name, p.bank_account, p.bank_correspondent_account ?? '', p.earned.replace('.', ','), p.withheld.replace('.', ','), p.amount.replace('.', ','), expect.stringContaining(p.reference)]);
    }
  });
});

function oneCStatement(docs: string[][], options: { account?: string; totalDebits?: string; encoding?: 'win1251' | 'utf8'; cut?: boolean } = {}) {
  const account = options.account ?? PAYER_ACCOUNT;
  const lines = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'Отправитель=Бухгалтерия',
    'Получатель=',
    'ДатаСоздания=05.11.2026',
    'ДатаНачала=03.11.2026',
    'ДатаКонца=04.11.2026',
    `РасчСчет=${account}`,
    'СекцияРасчСчет',
    'ДатаНачала=03.11.2026',
    'ДатаКонца=04.11.2026',
    `РасчСчет=${account}`,
    'НачальныйОстаток=1000000.00',
    ...(options.totalDebits ? [`ВсегоСписано=${options.totalDebits}`] : []),
    'КонецРасчСчет',
    ...docs.flatMap((d) => ['СекцияДокумент=Платежное поручение', ...d, 'КонецДокумента']),
    'КонецФайла',
  ];
  let text = lines.join('\r\n') + '\r\n';
  if (options.cut) text = text.slice(0, Math.floor(text.length * 0.6));
  return options.encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1251');
}

const paidDoc = (p: any, withReference = true) => [
  `Номер=${p.number}`,
  'Дата=03.11.2026',
  `Сумма=${p.amount}`,
  `ПлательщикСчет=${PAYER_ACCOUNT}`,
  'ПлательщикИНН=7325000052',
  'Плательщик1=Министерство социального развития Ульяновской области',
  `ПолучательСчет=${p.bank_account}`,
  `ПолучательИНН=${p.inn}`,
  `Получатель1=${p.provider_name}`,
  'ДатаСписано=03.11.2026',
  `НазначениеПлатежа=Компенсация поставщику социальных услуг за 2026-10${withReference ? ` ${p.reference}` : ''}`,
];

describe('bank statements and reconciliation', () => {
  test('When a statement file is bad, then it is refused with a clear reason and nothing is applied', async () => {
    const a = await h.as('finance-73-a');
    const zabota = state.payouts.find((p: any) => p.provider_id === ZABOTA_ID);
    const send = (format: string, content: Buffer) => a.post('/v1/statements', { format, content_base64: toBase64(content) });

    const utf8 = await send('1c', oneCStatement([paidDoc(zabota)], { encoding: 'utf8' }));
    expect(utf8.status).toBe(422);
    expect(utf8.body.code).toBe('wrong_encoding');
    expect(utf8.body.detail).toContain('Windows-1251');

    const cut = await send('1c', oneCStatement([paidDoc(zabota), paidDoc(zabota)], { cut: true }));
    expect(cut.status).toBe(422);
    expect(cut.body.code).toBe('truncated_file');

    const other = await send('1c', oneCStatement([], { account: '40702810000000000999' }));
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('unknown_account');
    expect(other.body.detail).toContain('40702810000000000999');

    const totals = await send('1c', oneCStatement([paidDoc(zabota)], { totalDebits: '99999.00' }));
    expect(totals.status).toBe(422);
    expect(totals.body.code).toBe('totals_mismatch');

    const xml = camt([{ kind: 'DBIT', amount: zabota.amount, reference: zabota.reference, inn: zabota.inn }]);
    const truncated = await send('camt053', xml.subarray(0, xml.length - 60));
    expect(truncated.status).toBe(422);
    expect(truncated.body.code).toBe('malformed_xml');

    const notBase64 = await a.post('/v1/statements', { format: 'camt053', content_base64: 'не base64' });
    expect(notBase64.status).toBe(400);

    const payouts = (await a.get(`/v1/batches/${state.batchId}/payouts`)).body.items;
    expect(payouts.every((p: any) => p.status === 'in_transit')).toBe(true);
    expect(await h.balance(ledgerAccountIds.payoutsInTransit(state.batchId))).toBe('16150.95');
  });

  test('When a 1C statement has a paid line and an unmatched line, then the payout is paid and the other line is a discrepancy', async () => {
    const a = await h.as('finance-73-a');
    const zabota = state.payouts.find((p: any) => p.provider_id === ZABOTA_ID);
    const stranger = [
      'Номер=77', 'Дата=04.11.2026', 'Сумма=500.00', `ПлательщикСчет=${PAYER_ACCOUNT}`, 'ПолучательСчет=40702810100000000777',
      'ПолучательИНН=7701234567', 'Получатель1=ООО «Неизвестный получатель»', 'ДатаСписано=04.11.2026', 'НазначениеПлатежа=Оплата по договору 15',
    ];
    const file = oneCStatement([paidDoc(zabota), stranger], { totalDebits: (Number(zabota.amount) + 500).toFixed(2) });
    const res = await a.post('/v1/statements', { format: '1c', file_name: 'kl_to_1c.txt', content_base64: toBase64(file) });
    expect(res.status).toBe(201);
    state.statement1c = res.body.id;
    expect(res.body.lines).toHaveLength(2);
    expect(res.body.lines[0]).toMatchObject({ outcome: 'paid', payout_id: zabota.id, match_method: 'reference', amount: zabota.amount, booked_on: '2026-11-03' });
    expect(res.body.lines[1]).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'unmatched', counterparty_inn: '7701234567', payout_id: null });
    expect(res.body.lines[1].discrepancy_reason).toContain('7701234567');
    const posted = await h.waitFor('statement posted', async () => (await a.get(`/v1/statements/${state.statement1c}`)).body, (s) => s.status === 'posted');
    expect(posted.lines[0].ledger_posted).toBe(true);
    expect(await h.balance(ledgerAccountIds.payoutsInTransit(state.batchId))).toBe('9500.00');
    expect((await h.account(ledgerAccountIds.bankSettled('73'))).credits_posted).toBe('6650.95');

    // The same file again is the same statement: the first import answers and nothing changes.
    const duplicate = await a.post('/v1/statements', { format: '1c', content_base64: toBase64(file) });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body.id).toBe(state.statement1c);
    expect(duplicate.body.lines.map((l: any) => l.outcome)).toEqual(['paid', 'discrepancy']);
    expect(await h.balance(ledgerAccountIds.payoutsInTransit(state.batchId))).toBe('9500.00');
  });

  test('When a camt.053 statement returns one payout and pays another without a reference, then return goes back to the payable and the INN+amount match pays', async () => {
    const a = await h.as('finance-73-a');
    const rehab = state.payouts.find((p: any) => p.provider_id === REHAB_ID);
    const klever = state.payouts.find((p: any) => p.provider_id === KLEVER_ID);
    const zabota = state.payouts.find((p: any) => p.provider_id === ZABOTA_ID);
    const xml = camt([
      { kind: 'CRDT', amount: rehab.amount, reference: rehab.reference, inn: rehab.inn, reason: 'AC04', info: 'Счёт 40702810969000001234 закрыт 01.11.2026' },
      { kind: 'DBIT', amount: klever.amount, inn: klever.inn, purpose: 'Компенсация за октябрь' },
      { kind: 'DBIT', amount: zabota.amount, reference: zabota.reference, inn: zabota.inn },
    ]);
    const res = await a.post('/v1/statements', { format: 'camt053', content_base64: toBase64(xml) });
    expect(res.status).toBe(201);
    const [ret, paid, again] = res.body.lines;
    expect(ret).toMatchObject({ direction: 'credit', outcome: 'returned', payout_id: rehab.id, match_method: 'reference' });
    expect(ret.bank_reason).toContain('AC04: Счёт получателя закрыт');
    expect(paid).toMatchObject({ outcome: 'paid', payout_id: klever.id, match_method: 'inn_amount' });
    expect(again).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'already_settled' });
    await h.waitFor('camt posted', async () => (await a.get(`/v1/statements/${res.body.id}`)).body, (s) => s.status === 'posted');

    expect(await h.balance(ledgerAccountIds.payoutsInTransit(state.batchId))).toBe('0.00');
    expect((await h.account(ledgerAccountIds.bankSettled('73'))).credits_posted).toBe('8150.95');
    expect(await h.balance(payable(REHAB_ID))).toBe('12000.00'); // 8000 returned + 4000 carried
    expect(await h.balance(payable(KLEVER_ID))).toBe('0.00');
    expect(await h.invariantsOk()).toBe(true);
  });

  test('When providers look at their settlement, then each sees only its own lines, payouts and returns with the bank reason', async () => {
    const rehab = await h.as('rehab-admin');
    const own = await rehab.get(`/v1/providers/${REHAB_ID}/settlement`);
    expect(own.status).toBe(200);
    expect(own.body.returns).toHaveLength(1);
    expect(own.body.returns[0]).toMatchObject({ status: 'returned', amount: '8000.00' });
    expect(own.body.returns[0].return_reason).toContain('Счёт получателя закрыт');
    expect(own.body.carried[0].reason).toContain('перенесена на период 2026-11');
    const foreign = await rehab.get(`/v1/providers/${ZABOTA_ID}/settlement`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('not_your_provider');
    const zabota = await h.as('zabota-staff');
    const zl = (await zabota.get(`/v1/providers/${ZABOTA_ID}/settlement`)).body;
    expect(zl.lines.map((l: any) => l.amount).sort()).toEqual(['2250.95', '4400.00']);
    expect(zl.payouts[0]).toMatchObject({ status: 'paid', amount: '6650.95' });
    expect((await rehab.get(`/v1/batches/${state.batchId}/payouts`)).status).toBe(403);
    expect((await (await h.as('auditor')).get(`/v1/batches/${state.batchId}/payouts`)).status).toBe(200);
  });

  test('When a provider opens its money, then each payout has its stage — paid with the bank statement, returned with the bank reason — and each month exports as CSV and XLSX with a totals row', async () => {
    const zabota = await h.as('zabota-admin');
    const money = await zabota.get(`/v1/providers/${ZABOTA_ID}/money`);
    expect(money.status).toBe(200);
    expect(money.body.payouts[0]).toMatchObject({ period: PERIOD, stage: 'paid', amount: '6650.95', paid_on: '2026-11-03', expected_payment_on: null, return_reason: null });
    expect(money.body.periods.find((p: any) => p.period === PERIOD)).toMatchObject({ amount: '6650.95', paid_amount: '6650.95' });
    const rehab = (await (await h.as('rehab-admin')).get(`/v1/providers/${REHAB_ID}/money`)).body;
    const returned = rehab.payouts.find((p: any) => p.stage === 'returned');
    expect(returned).toMatchObject({ amount: '8000.00', expected_payment_on: null });
    expect(returned.return_reason).toContain('Счёт получателя закрыт');
    expect((await (await h.as('rehab-admin')).get(`/v1/providers/${ZABOTA_ID}/money`)).body.code).toBe('not_your_provider');

    const csv = await fetchFile(`/v1/providers/${ZABOTA_ID}/periods/${PERIOD}/statement?format=csv`, 'zabota-staff');
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(['Программа', 'Код услуги', 'Услуга', 'Единица', 'Актов', 'Единиц', 'Стоимость, руб.', 'Плата получателей, руб.', 'Компенсация, руб.']);
    const totals = rows.find((r) => r[0] === 'Итого')!;
    expect(totals[8]).toBe('6650,95');
    const xlsx = await fetchFile(`/v1/providers/${ZABOTA_ID}/periods/${PERIOD}/statement?format=xlsx`, 'zabota-staff');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const last = sheet.getRow(sheet.rowCount);
    expect([last.getCell(1).value, last.getCell(9).value]).toEqual(['Итого', 6650.95]);
    expect(book.getWorksheet('Выплаты')!.getRow(2).getCell(5).value).toBe('исполнена банком');
    expect((await fetchFile(`/v1/providers/${ZABOTA_ID}/periods/2026-13/statement`, 'zabota-staff')).status).toBe(400);
  });

  test('When the open discrepancy is resolved with a note, then it is closed and nothing moves in the ledger', async () => {
    const a = await h.as('finance-73-a');
    const open = (await a.get('/v1/discrepancies?region_code=73')).body.items;
    expect(open).toHaveLength(2);
    const unmatched = open.find((d: any) => d.discrepancy_code === 'unmatched');
    const noNote = await a.post(`/v1/statement-lines/${unmatched.id}/resolve`, { note: '' });
    expect(noNote.status).toBe(400);
    const auditorTry = await (await h.as('auditor')).post(`/v1/statement-lines/${unmatched.id}/resolve`, { note: 'не наш платёж' });
    expect(auditorTry.status).toBe(403);
    const resolved = await a.post(`/v1/statement-lines/${unmatched.id}/resolve`, { note: 'Платёж по хозяйственному договору, не выплата поставщику' });
    expect(resolved.status).toBe(200);
    const again = await a.post(`/v1/statement-lines/${unmatched.id}/resolve`, { note: 'ещё раз' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('discrepancy_already_resolved');
    expect((await a.get('/v1/discrepancies?region_code=73')).body.items).toHaveLength(1);
    expect(await h.invariantsOk()).toBe(true);
  });

  test('When the period and reconciliation reports are read as JSON, CSV and XLSX, then their totals tie out to the ledger', async () => {
    const a = await h.as('finance-73-a');
    const report = (await a.get(`/v1/runs/${state.runId}/report`)).body;
    expect(report.tie_out_ok).toBe(true);
    expect(report.totals).toMatchObject({ gross_amount: '24151.00', fee_amount: '750.05', amount: '23400.95', payout: '16150.95', withheld: '250.00', carried_amount: '4000.00' });
    const stateRow = report.rows.find((r: any) => r.provider_id === STATE_ID);
    expect(stateRow).toMatchObject({ units: 20, assigned_units: 100, payout: null, payout_status: 'без выплаты (госзадание)' });

    const csv = parseCsv((await fetchFile(`/v1/runs/${state.runId}/report?format=csv`)).body);
    expect(csv[0]![1]).toBe('Поставщик');
    const totalRow = csv.find((r) => r[0] === 'Итого')!;
    expect(totalRow[12]).toBe('16150,95');
    const tieRows = csv.slice(csv.findIndex((r) => r[0] === 'Сверка с учётом (ledger)') + 1);
    expect(tieRows.length).toBeGreaterThanOrEqual(4);
    expect(tieRows.every((r) => r[3] === 'да' && r[1] === r[2])).toBe(true);

    const xlsx = await fetchFile(`/v1/runs/${state.runId}/report?format=xlsx`);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as any);
    const sheet = workbook.getWorksheet('Отчёт')!;
    const totals = sheet.getRow(sheet.rowCount);
    expect(totals.getCell(1).value).toBe('Итого');
    expect(totals.getCell(13).value).toBe(16150.95);
    const tie = workbook.getWorksheet('Сверка с учётом')!;
    for (let r = 2; r <= tie.rowCount; r++) expect(tie.getRow(r).getCell(4).value).toBe('да');

    const rec = (await a.get(`/v1/batches/${state.batchId}/reconciliation`)).body;
    expect(rec.tie_out_ok).toBe(true);
    expect(rec.totals).toMatchObject({ approved: '16150.95', in_transit: '0.00', paid: '8150.95', returned: '8000.00', open_discrepancies: 1 });
    const recCsv = parseCsv((await fetchFile(`/v1/batches/${state.batchId}/reconciliation?format=csv`)).body);
    expect(recCsv.some((r) => r[0] === 'расхождение' && r[5] === 'разобрано: не наша выплата')).toBe(true);
    expect(await h.invariantsOk()).toBe(true);
  });

  test('When the next periods are run, then the carried line is paid and a quarterly programme waits for the last month of its quarter', async () => {
    const a = await h.as('finance-73-a');
    const QUARTER = { id: '5f0c8f52-8d1e-4a3c-9d0b-730000000c03', code: 'SOC-QUARTER-73' };
    expect((await a.call('PUT', `/v1/programmes/${QUARTER.id}/settings`, { period_months: 2 })).status).toBe(400);
    const settings = await a.call('PUT', `/v1/programmes/${QUARTER.id}/settings`, { period_months: 3 });
    expect(settings.status).toBe(200);
    await h.deliver({ providerId: ZABOTA_ID, programmeId: QUARTER.id, programmeCode: QUARTER.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 2, unitCost: '350.00', deliveredOn: '2026-11-05' });
    await h.consumed(12);
    for (const programme of [REHAB.id, HOME.id]) {
      expect((await a.call('PUT', `/v1/payout-limits/${programme}/2026-11`, { region_code: '73', amount: '50000.00' })).status).toBe(200);
    }
    expect((await a.call('PUT', `/v1/payout-limits/${QUARTER.id}/2026-12`, { region_code: '73', amount: '10000.00' })).status).toBe(200);
    const november = await a.post('/v1/runs', { region_code: '73', period: '2026-11' });
    const done = await h.waitFor('november run', async () => (await a.get(`/v1/runs/${november.body.id}`)).body, (r) => r.status === 'completed');
    // Zabota's November line (350.00) and Rehab's carried October line (4000.00); the quarterly line waits.
    expect(done.totals).toMatchObject({ redemptions: 2, compensation_amount: '4350.00', carried_redemptions: 0 });
    state.novemberRunId = november.body.id;
    const december = await a.post('/v1/runs', { region_code: '73', period: '2026-12' });
    const dec = await h.waitFor('december run', async () => (await a.get(`/v1/runs/${december.body.id}`)).body, (r) => r.status === 'completed');
    expect(dec.totals).toMatchObject({ redemptions: 1, compensation_amount: '700.00' });
  });

  test('When the monthly schedule fires, then it opens and runs the previous month for a region with unsettled lines, carrying lines without a limit', async () => {
    const now = new Date();
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk', year: 'numeric', month: '2-digit' }).formatToParts(now);
    const y = Number(parts.find((p) => p.type === 'year')!.value);
    const m = Number(parts.find((p) => p.type === 'month')!.value);
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    await h.publish(randomUUID(), { ...state.samplePayload, redemption_id: randomUUID(), region_code: '74', budget_programme_id: randomUUID(), budget_programme_code: 'SOC-HOME-74', delivered_on: `${previous}-10` });
    await h.consumed(13);
    const connection = new Redis(h.config.REDIS_URL!, { maxRetriesPerRequest: null });
    const jobs = new Queue(h.config.JOBS_QUEUE!, { connection, prefix: h.config.QUEUE_PREFIX });
    await jobs.add('schedule-runs', {});
    const auditor = await h.as('auditor');
    const runs = await h.waitFor('scheduled run', async () => (await auditor.get('/v1/runs?region_code=74')).body.items, (items: any[]) => items.some((r) => r.status === 'completed'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ period: previous, requested_by: 'scheduler' });
    const carried = (await auditor.get(`/v1/runs/${runs[0].id}/carryovers`)).body.items;
    expect(carried).toHaveLength(1);
    expect(carried[0].reason_code).toBe('no_payout_limit');
    expect(carried[0].reason).toContain('не установлен финансовым органом');
    expect((await (await h.as('finance-73-a')).get(`/v1/runs/${runs[0].id}`)).status).toBe(403);
    await jobs.close();
    await connection.quit();
  });

  test('When a paid line comes without a reference and with a wrong INN, then a finance officer matches it by hand with a note and the ledger follows', async () => {
    const a = await h.as('finance-73-a');
    const b = await h.as('finance-73-b');
    const batch = (await a.post(`/v1/runs/${state.novemberRunId}/batch`)).body;
    expect((await b.post(`/v1/batches/${batch.id}/approve`)).status).toBe(202);
    await h.waitFor('november batch approved', async () => (await b.get(`/v1/batches/${batch.id}`)).body.status, (s) => s === 'approved');
    const payouts = (await a.get(`/v1/batches/${batch.id}/payouts`)).body.items;
    const zabota = payouts.find((p: any) => p.provider_id === ZABOTA_ID);
    const rehab = payouts.find((p: any) => p.provider_id === REHAB_ID);
    expect(zabota.amount).toBe('350.00');
    expect(rehab.amount).toBe('4000.00'); // the returned 8000.00 stays in the payable
    const line = paidDoc({ ...zabota, inn: '7830002299' }, false);
    const res = await a.post('/v1/statements', { format: '1c', content_base64: toBase64(oneCStatement([line])) });
    expect(res.status).toBe(201);
    const discrepancy = res.body.lines[0];
    expect(discrepancy).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'unmatched' });
    const wrong = await a.post(`/v1/statement-lines/${discrepancy.id}/resolve`, { note: 'Это выплата Реабилитации', payout_id: rehab.id });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('amount_mismatch');
    const resolved = await a.post(`/v1/statement-lines/${discrepancy.id}/resolve`, {
      note: 'Банк указал ИНН с опечаткой; счёт получателя и сумма совпадают с выплатой АНО «Забота» за ноябрь',
      payout_id: zabota.id,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.lines[0]).toMatchObject({ outcome: 'paid', match_method: 'manual', resolution: 'matched', payout_id: zabota.id });
    await h.waitFor('manual match posted', async () => (await a.get(`/v1/statements/${res.body.id}`)).body.status, (s) => s === 'posted');
    expect(await h.balance(ledgerAccountIds.payoutsInTransit(batch.id))).toBe('4000.00');
    expect((await h.account(ledgerAccountIds.bankSettled('73'))).credits_posted).toBe('8500.95');
    const rec = (await a.get(`/v1/batches/${batch.id}/reconciliation`)).body;
    expect(rec.tie_out_ok).toBe(true);
    expect(rec.totals).toMatchObject({ approved: '4350.00', in_transit: '4000.00', paid: '350.00' });
    expect(await h.invariantsOk()).toBe(true);
  });
});

function camt(entries: Array<{ kind: 'DBIT' | 'CRDT'; amount: string; reference?: string; inn: string; reason?: string; info?: string; purpose?: string }>): Buffer {
  const ntry = entries
    .map(
      (e, i) => `
      <Ntry>
        <NtryRef>${i + 1}</NtryRef>
        <Amt Ccy="RUB">${e.amount}</Amt>
        <CdtDbtInd>${e.kind}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-05</Dt></BookgDt>
        <NtryDtls><TxDtls>
          <Refs>${e.reference ? `<EndToEndId>${e.reference}</EndToEndId>` : '<EndToEndId>NOTPROVIDED</EndToEndId>'}</Refs>
          <Amt Ccy="RUB">${e.amount}</Amt>
          <RltdPties>
            <${e.kind === 'DBIT' ? 'Cdtr' : 'Dbtr'}><Pty><Nm>Получатель</Nm><Id><OrgId><Othr><Id>${e.inn}</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr></OrgId></Id></Pty></${e.kind === 'DBIT' ? 'Cdtr' : 'Dbtr'}>
          </RltdPties>
          ${e.purpose ? `<RmtInf><Ustrd>${e.purpose}</Ustrd></RmtInf>` : ''}
          ${e.reason ? `<RtrInf><Rsn><Cd>${e.reason}</Cd></Rsn><AddtlInf>${e.info ?? ''}</AddtlInf></RtrInf>` : ''}
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join('');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-${randomUUID().slice(0, 8)}</MsgId><CreDtTm>2026-11-05T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-${randomUUID().slice(0, 8)}</Id>
      <CreDtTm>2026-11-05T18:00:00</CreDtTm>
      <FrToDt><FrDtTm>2026-11-05T00:00:00</FrDtTm><ToDtTm>2026-11-05T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><Othr><Id>${PAYER_ACCOUNT}</Id></Othr></Id><Ccy>RUB</Ccy></Acct>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`, 'utf8');
}
