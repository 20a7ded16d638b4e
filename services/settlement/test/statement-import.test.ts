import iconv from 'iconv-lite';
import { ledgerAccountIds } from '@esc/ledger-client';
import { bankFile, OneCFile } from './bank-files';
import { startSettlement, toBase64, type SettlementHarness } from './harness';
import { syntheticProviders } from './seed';

/**
 * Statement import against the banks' own files (/work/shared/bank-formats), adapted at run time to
 * our payer account and to payouts in transit (accounts, amounts, references) and otherwise as the
 * bank produced them. After every import the payouts' states and the ledger are checked together.
 */

const PERIOD = '2026-10';
const PROGRAMME = { id: '5f0c8f52-8d1e-4a3c-9d0b-73000000d001', code: 'SOC-HOME-73' };
const PAYER_ACCOUNT = '03221643730000006800';
const DONKOM_ACCOUNT = '40702810400000004583';
const VTB_ACCOUNT = '40702810000000074935';
const DONKOM = 'onec/donkombank-kl_to_1c.orig.txt';
const VTB = 'onec/vtb-kl_to_1c.orig.txt';
const POSTFINANCE = 'camt053/postfinance-camt.053.001.04.orig.xml';
const ABN = 'camt053/oca-abnamro-test-camt053.orig.xml';
const GENKGO = 'camt053/genkgo-camt053.v8.orig.xml';

// Names without «» so that they survive code page 866 as well as 1251.
const PROVIDERS = syntheticProviders(10, 'statement-import').map((p, k) => ({ ...p, name: `АНО "Социальный поставщик № ${k + 1}"` }));

interface Payout {
  id: string;
  reference: string;
  amount: string;
  inn: string;
  kpp: string | null;
  bank_account: string;
  bank_bic: string;
  provider_id: string;
  provider_name: string;
  status: string;
}

let h: SettlementHarness;
let batchId: string;
/** P[k] is the payout of provider k; each test uses its own. */
let P: Payout[];
/** What every payout's status must be after the imports so far. */
const expected = new Map<string, string>();

const cents = (s: string) => BigInt(s.replace('.', ''));
const rub = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

async function finance() {
  return h.as('finance-73-a');
}

async function importStatement(format: '1c' | 'camt053', content: Buffer) {
  return (await finance()).post('/v1/statements', { format, content_base64: toBase64(content) });
}

async function posted(id: string) {
  const a = await finance();
  return h.waitFor(`statement ${id} posted`, async () => (await a.get(`/v1/statements/${id}`)).body, (s) => s.status === 'posted');
}

async function count(table: 'statements' | 'statement_lines'): Promise<number> {
  const rows = await h.service.orm.em.fork().execute(`select count(*)::int as n from settlement.${table}`);
  return rows[0]!.n;
}

/**
 * Settlement and the ledger tell the same story: each payout has the status the test expects, the
 * batch's in-transit account holds exactly the payouts still in transit, the bank-settled account
 * exactly the paid ones, a returned payout's money is back in its provider's payable, and the
 * ledger's own invariants hold.
 */
async function settlementAndLedgerAgree() {
  const a = await finance();
  const payouts: Payout[] = (await a.get(`/v1/batches/${batchId}/payouts`)).body.items;
  expect(Object.fromEntries(payouts.map((p) => [p.reference, p.status]))).toEqual(Object.fromEntries(P.map((p) => [p.reference, expected.get(p.id)])));
  const sum = (status: string) => rub(payouts.filter((p) => p.status === status).reduce((s, p) => s + cents(p.amount), 0n));
  expect(await h.balance(ledgerAccountIds.payoutsInTransit(batchId))).toBe(sum('in_transit'));
  const settled = await h.account(ledgerAccountIds.bankSettled('73'));
  expect(settled.credits_posted ?? '0.00').toBe(sum('paid'));
  for (const p of payouts) {
    expect(await h.balance(ledgerAccountIds.providerPayable(p.provider_id))).toBe(p.status === 'returned' ? p.amount : '0.00');
  }
  expect(await h.invariantsOk()).toBe(true);
}

/** A document of a 1C statement paying payout `p` as our export asked the bank to. */
const payTo = (p: Payout): Record<string, string> => ({
  'Сумма': p.amount,
  'ПолучательСчет': p.bank_account,
  'ПолучательРасчСчет': p.bank_account,
  'ПолучательИНН': p.inn,
  'Получатель': `ИНН ${p.inn} ${p.provider_name}`,
  'Получатель1': p.provider_name,
  'ПолучательБИК': p.bank_bic,
  'ПолучательКПП': p.kpp ?? '',
  'Код': p.reference,
  'НазначениеПлатежа': `Компенсация поставщику социальных услуг за ${PERIOD} ${p.reference}`,
});

/** The Донкомбанк statement (1.02, LF) on our payer account. */
const donkombank = () => OneCFile.read(DONKOM).replace(DONKOM_ACCOUNT, PAYER_ACCOUNT);

/** The line a 1C document became: lines keep the documents' order. */
function lineOf(statement: any, file: OneCFile, number: string) {
  const index = file.documents().findIndex(([first, last]) => file.lines.slice(first, last).includes(`Номер=${number}`));
  return statement.lines[index];
}

/** Edits each `<Ntry>` of a camt.053 text on its own (entries repeat texts the bank wrote once per entry). */
function editEntries(xml: string, edit: (entry: string, index: number) => string): string {
  const [head, ...entries] = xml.split('<Ntry>');
  return [head, ...entries.map((e, i) => edit(e, i))].join('<Ntry>');
}

beforeAll(async () => {
  h = await startSettlement('statement_import');
  for (const p of PROVIDERS) h.directory.put(p);
  for (const [k, p] of PROVIDERS.entries()) {
    await h.deliver({ providerId: p.id, programmeId: PROGRAMME.id, programmeCode: PROGRAMME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: k + 1, unitCost: '1234.56', deliveredOn: '2026-10-05' });
  }
  await h.consumed(PROVIDERS.length);
  const a = await finance();
  const b = await h.as('finance-73-b');
  expect((await a.call('PUT', `/v1/payout-limits/${PROGRAMME.id}/${PERIOD}`, { region_code: '73', amount: '1000000.00' })).status).toBe(200);
  const run = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
  await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${run.body.id}`)).body.status, (s) => s === 'completed');
  batchId = (await a.post(`/v1/runs/${run.body.id}/batch`)).body.id;
  expect((await b.post(`/v1/batches/${batchId}/approve`)).status).toBe(202);
  await h.waitFor('batch approved', async () => (await b.get(`/v1/batches/${batchId}`)).body.status, (s) => s === 'approved');
  const payouts: Payout[] = (await a.get(`/v1/batches/${batchId}/payouts`)).body.items;
  P = PROVIDERS.map((p) => payouts.find((x) => x.provider_id === p.id)!);
  for (const p of P) expected.set(p.id, 'in_transit');
  await settlementAndLedgerAgree();
});

afterAll(async () => {
  await h?.stop();
});

describe('a payout reference does not prove the payee', () => {
  test('When 1C documents carry a payout’s reference but pay another account, INN or amount, then each is a discrepancy naming what differs and the payout stays in transit', async () => {
    const [p0, p1] = [P[0]!, P[1]!];
    const file = donkombank()
      // To Яковенко П. В. as the bank wrote it (another account and INN), with p0's reference and amount.
      .set('299', { 'Сумма': p0.amount, 'Код': p0.reference, 'НазначениеПлатежа': `Компенсация за ${PERIOD} ${p0.reference}` })
      // p0's payee, for the bank's own amount.
      .set('305', { ...payTo(p0), 'Сумма': '22399.99' })
      // p0's account and amount, another INN.
      .set('306', { ...payTo(p0), 'ПолучательИНН': '6658508002' })
      // p0's INN and amount, another account.
      .set('301', { ...payTo(p0), 'ПолучательСчет': '40101810400000010002', 'ПолучательРасчСчет': '40101810400000010002' })
      // p1 exactly as exported.
      .set('302', payTo(p1))
      .retotal(PAYER_ACCOUNT);
    const res = await importStatement('1c', file.bytes());
    expect(res.status).toBe(201);
    const line = (n: string) => lineOf(res.body, file, n);

    expect(line('299')).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'payee_mismatch', payout_id: null, reference: p0.reference });
    expect(line('299').discrepancy_reason).toContain(`счёт получателя 40817810352091093384, а в выплате ${p0.bank_account}`);
    expect(line('299').discrepancy_reason).toContain(`ИНН получателя 7707083893, а в выплате ${p0.inn}`);
    expect(line('299').discrepancy_reason).not.toContain('сумма');

    expect(line('306')).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'payee_mismatch' });
    expect(line('306').discrepancy_reason).toContain(`ИНН получателя 6658508002, а в выплате ${p0.inn}`);
    expect(line('306').discrepancy_reason).not.toContain('счёт получателя');

    expect(line('301')).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'payee_mismatch' });
    expect(line('301').discrepancy_reason).toContain(`счёт получателя 40101810400000010002, а в выплате ${p0.bank_account}`);
    expect(line('301').discrepancy_reason).not.toContain('ИНН');

    expect(line('305')).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'amount_mismatch' });
    expect(line('305').discrepancy_reason).toContain(`22399.99 руб.`);
    expect(line('305').discrepancy_reason).toContain(`${p0.amount} руб.`);

    expect(line('302')).toMatchObject({ outcome: 'paid', payout_id: p1.id, match_method: 'reference', counterparty_name: p1.provider_name });
    // The bank's own documents (taxes, commissions) are not ours.
    expect(line('300')).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'unmatched', counterparty_inn: '6154028007' });

    await posted(res.body.id);
    expected.set(p1.id, 'paid');
    await settlementAndLedgerAgree();
  });
});

describe('the same statement imported twice', () => {
  test('When the Донкомбанк statement comes again with CRLF line ends, then the first import is answered and nothing changes', async () => {
    const p2 = P[2]!;
    const file = donkombank().set('300', payTo(p2)).retotal(PAYER_ACCOUNT);
    expect(file.eol).toBe('\n');
    const first = await importStatement('1c', file.bytes());
    expect(first.status).toBe(201);
    expect(lineOf(first.body, file, '300')).toMatchObject({ outcome: 'paid', payout_id: p2.id });
    await posted(first.body.id);
    expected.set(p2.id, 'paid');
    await settlementAndLedgerAgree();
    const before = { statements: await count('statements'), lines: await count('statement_lines') };
    const asItStands = (await (await finance()).get(`/v1/statements/${first.body.id}`)).body;

    const again = await importStatement('1c', file.bytes({ eol: '\r\n' }));
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBe(`/v1/statements/${first.body.id}`);
    expect(again.body).toEqual(asItStands);
    expect({ statements: await count('statements'), lines: await count('statement_lines') }).toEqual(before);
    await settlementAndLedgerAgree();
  });

  test('When the ВТБ statement is downloaded again (only ВремяСоздания differs), also twice at once, then every answer is the first import', async () => {
    const p3 = P[3]!;
    const file = OneCFile.read(VTB)
      .replace(VTB_ACCOUNT, PAYER_ACCOUNT)
      // The file is anonymised: document 1 pays from a made-up account; it is ours here.
      .replace('40702810000000077777', PAYER_ACCOUNT)
      .set('2', { ...payTo(p3), 'Получатель2': p3.bank_account })
      .retotal(PAYER_ACCOUNT);
    expect(file.eol).toBe('\r\n');
    expect(file.finalEol).toBe(false);
    const downloadedAt = (time: string) => file.clone().setHeader('ВремяСоздания', time).bytes();
    expect(downloadedAt('10:28:35').equals(file.bytes())).toBe(true);

    const both = await Promise.all([importStatement('1c', downloadedAt('10:28:35')), importStatement('1c', downloadedAt('11:02:10'))]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0]!.body.id).toBe(both[1]!.body.id);
    const id = both[0]!.body.id;
    const created = both.find((r) => r.status === 201)!;
    expect(created.body.lines).toHaveLength(3);
    expect(created.body.lines[2]).toMatchObject({ outcome: 'paid', payout_id: p3.id, booked_on: '2024-01-10' });
    await posted(id);
    expected.set(p3.id, 'paid');
    await settlementAndLedgerAgree();
    const before = { statements: await count('statements'), lines: await count('statement_lines') };

    const later = await importStatement('1c', downloadedAt('16:45:00'));
    expect(later.status).toBe(200);
    expect(later.body.id).toBe(id);
    expect(later.body.lines.map((l: any) => [l.outcome, l.payout_id])).toEqual(created.body.lines.map((l: any) => [l.outcome, l.payout_id]));
    expect({ statements: await count('statements'), lines: await count('statement_lines') }).toEqual(before);
    await settlementAndLedgerAgree();
  });
});

describe('camt.053 as banks write it', () => {
  test('When PostFinance carries our references only in AddtlNtryInf, then they match: the debit pays one payout, the credit returns another', async () => {
    const [p4, p5] = [P[4]!, P[5]!];
    const xml = editEntries(bankFile(POSTFINANCE).toString('utf8').replaceAll('CH2909000000250094239', PAYER_ACCOUNT).replaceAll('Ccy="CHF"', 'Ccy="RUB"'), (entry, i) => {
      if (i === 0) return entry.replaceAll('>4.50<', `>${p5.amount}<`).replace('PmtInfId-CHDD-1', p5.reference);
      if (i === 1) return entry.replaceAll('>77.70<', `>${p4.amount}<`).replace('PmtInfId-CHDD-1', p4.reference);
      return entry;
    });
    const res = await importStatement('camt053', Buffer.from(xml, 'utf8'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ account: PAYER_ACCOUNT, statement_ref: '20201124375204229003973', date_from: '2020-06-24', date_to: '2020-06-24' });
    expect(res.body.lines).toHaveLength(5);
    expect(res.body.lines[0]).toMatchObject({ direction: 'credit', outcome: 'returned', payout_id: p5.id, match_method: 'reference', reference: p5.reference });
    expect(res.body.lines[0].bank_reason).toContain('GUTSCHRIFT CH-DD-BASISLASTSCHRIFT');
    expect(res.body.lines[1]).toMatchObject({ direction: 'debit', outcome: 'paid', payout_id: p4.id, match_method: 'reference', booked_on: '2020-11-24' });
    expect(res.body.lines[1].purpose).toContain(p4.reference);
    for (const l of res.body.lines.slice(2)) expect(l).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'unmatched' });
    await posted(res.body.id);
    expected.set(p4.id, 'paid');
    expected.set(p5.id, 'returned');
    await settlementAndLedgerAgree();
    const before = { statements: await count('statements'), lines: await count('statement_lines') };

    // Downloaded again: a new message id and creation time, the same statement.
    const again = await importStatement('camt053', Buffer.from(xml.replace('20201124375204229003967', '20201125375204229009999').replaceAll('2020-11-25T02:02:16', '2020-11-25T09:41:00'), 'utf8'));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    // The bank's statement id with other operations is not the same statement: refused, naming the first.
    const altered = await importStatement('camt053', Buffer.from(xml.replaceAll('>1537.00<', '>1537.01<'), 'utf8'));
    expect(altered.status).toBe(409);
    expect(altered.body).toMatchObject({ code: 'statement_already_imported', statement_id: res.body.id });
    expect(altered.body.detail).toContain('Выписка банка № 20201124375204229003973');
    expect({ statements: await count('statements'), lines: await count('statement_lines') }).toEqual(before);
    await settlementAndLedgerAgree();
    // Written with the import, once (the replays wrote nothing): the providers' payouts and finance's lines to resolve.
    const events = async (topic: string) =>
      (await h.service.orm.em.fork().execute<Array<{ payload: any }>>(`select payload from settlement.outbox where topic = ? order by seq`, [topic])).map((r) => r.payload);
    expect((await events('payout.paid')).filter((e: any) => e.payout_id === p4.id)).toEqual([
      expect.objectContaining({ provider_id: p4.provider_id, amount: p4.amount, reference: p4.reference, bank_account: p4.bank_account, period: PERIOD, booked_on: '2020-11-24', batch_id: batchId }),
    ]);
    const returned = (await events('payout.returned')).filter((e: any) => e.payout_id === p5.id);
    expect(returned).toEqual([expect.objectContaining({ provider_id: p5.provider_id, amount: p5.amount, reference: p5.reference })]);
    expect(returned[0].return_reason).toContain('GUTSCHRIFT CH-DD-BASISLASTSCHRIFT');
    expect((await events('statement.lines_unmatched')).filter((e: any) => e.statement_id === res.body.id)).toEqual([
      expect.objectContaining({ region_code: '73', statement_ref: '20201124375204229003973', count: 3, lines: expect.arrayContaining([expect.objectContaining({ reason: expect.any(String) })]) }),
    ]);
    expect((await events('batch.awaiting_approval')).filter((e: any) => e.batch_id === batchId)).toEqual([
      expect.objectContaining({ region_code: '73', period: PERIOD, created_by: expect.stringMatching(/^finance:/), total: expect.stringMatching(/^\d+\.\d{2}$/) }),
    ]);
  });

  test('When ABN AMRO books a batch with amounts per transaction and a reversal with a return reason, then each transaction is a line and the reversal never pays a payout', async () => {
    const [p6, p7] = [P[6]!, P[7]!];
    const xml = editEntries(bankFile(ABN).toString('utf8').replaceAll('NL77ABNA0574908765', PAYER_ACCOUNT).replaceAll('Ccy="EUR"', 'Ccy="RUB"'), (entry, i) => {
      if (i === 0) {
        return entry
          .replaceAll('>754.25<', `>${p6.amount}<`)
          .replace('435005714488-ABNO33052620', p6.reference)
          .replace('NL46ABNA0499998748', p6.bank_account);
      }
      if (i === 1) return entry.replace('<EndToEndId>TESTBANK/NL/20141229/01206408</EndToEndId>', `<EndToEndId>${p7.reference}</EndToEndId>`);
      return entry;
    });
    const res = await importStatement('camt053', Buffer.from(xml, 'utf8'));
    expect(res.status).toBe(201);
    expect(res.body.lines.map((l: any) => [l.direction, l.amount])).toEqual([
      ['debit', p6.amount],
      ['debit', '564.05'],
      ['debit', '100.00'],
      ['credit', '1405.31'],
    ]);
    expect(res.body.lines[0]).toMatchObject({ outcome: 'paid', payout_id: p6.id, counterparty_account: p6.bank_account });
    const [, reversal, reversal2, stranger] = res.body.lines;
    expect(reversal).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'reversal', reference: p7.reference, payout_id: null });
    expect(reversal.bank_reason).toContain('Сторно');
    expect(reversal.bank_reason).toContain('AC06: Счёт получателя заблокирован');
    expect(reversal.bank_reason).toContain('Rek.nummer blokkade');
    expect(reversal.discrepancy_reason).toContain(p7.reference);
    expect(reversal2).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'reversal' });
    expect(reversal2.bank_reason).toContain('AC06: Счёт получателя заблокирован');
    expect(stranger).toMatchObject({ outcome: 'discrepancy', discrepancy_code: 'unmatched', counterparty_name: '3rd party Media' });
    await posted(res.body.id);
    expected.set(p6.id, 'paid');
    await settlementAndLedgerAgree();
  });

  test('When a statement declares encoding="windows-1251", then its texts are read in that encoding', async () => {
    const p8 = P[8]!;
    const xml = bankFile(GENKGO)
      .toString('utf8')
      .replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="windows-1251"?>')
      .replaceAll('NL26VAYB8060476890', PAYER_ACCOUNT)
      .replaceAll(/Ccy="[A-Z]{3}"/g, 'Ccy="RUB"')
      .replace('>8.85<', `>${p8.amount}<`)
      .replace('MUELL/FINP/RA12345', p8.reference)
      .replace('<Nm>NAME NAME</Nm>', `<Nm>${p8.provider_name}</Nm>`);
    const file = iconv.encode(xml, 'win1251');
    expect(file.includes(Buffer.from(p8.provider_name, 'utf8'))).toBe(false);
    const res = await importStatement('camt053', file);
    expect(res.status).toBe(201);
    expect(res.body.lines).toHaveLength(1);
    expect(res.body.lines[0]).toMatchObject({
      direction: 'credit',
      outcome: 'returned',
      payout_id: p8.id,
      counterparty_name: p8.provider_name,
      amount: p8.amount,
      booked_on: '2014-12-31',
    });
    await posted(res.body.id);
    expected.set(p8.id, 'returned');
    await settlementAndLedgerAgree();
  });
});

describe('1C variants of the standard', () => {
  test('When a statement is written in Кодировка=DOS (code page 866), then it is read and matched', async () => {
    const p9 = P[9]!;
    const file = donkombank().setHeader('Кодировка', 'DOS').set('304', payTo(p9)).retotal(PAYER_ACCOUNT);
    const res = await importStatement('1c', file.bytes({ encoding: 'cp866' }));
    expect(res.status).toBe(201);
    expect(lineOf(res.body, file, '304')).toMatchObject({ outcome: 'paid', payout_id: p9.id, counterparty_name: p9.provider_name });
    expect(lineOf(res.body, file, '300')).toMatchObject({ purpose: 'Налог на доходы физических лиц', counterparty_name: 'УФК РФ по РО (ИФНС России по г.Таганрогу)' });
    await posted(res.body.id);
    expected.set(p9.id, 'paid');
    await settlementAndLedgerAgree();
  });

  const OTHER_ACCOUNT = VTB_ACCOUNT;
  /** Донкомбанк's statement with a second, empty account section for another account of ours at the bank. */
  function withOtherAccount(file: OneCFile): OneCFile {
    const header = file.lines.indexOf(`РасчСчет=${PAYER_ACCOUNT}`);
    file.lines.splice(header + 1, 0, `РасчСчет=${OTHER_ACCOUNT}`);
    const end = file.lines.indexOf('КонецРасчСчет');
    file.lines.splice(end + 1, 0, ...[
      'СекцияРасчСчет',
      'ДатаНачала=20.08.2018',
      'ДатаКонца=23.08.2018',
      `РасчСчет=${OTHER_ACCOUNT}`,
      'НачальныйОстаток=252842.49',
      'ВсегоПоступило=0.00',
      'ВсегоСписано=0.00',
      'КонечныйОстаток=252842.49',
      'КонецРасчСчет',
    ]);
    return file;
  }

  test('When a statement has our account section and another account’s empty one, then our section is used', async () => {
    const p0 = P[0]!;
    const file = withOtherAccount(donkombank().set('303', payTo(p0)).retotal(PAYER_ACCOUNT));
    expect(file.lines.filter((l) => l === 'СекцияРасчСчет')).toHaveLength(2);
    const res = await importStatement('1c', file.bytes());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ account: PAYER_ACCOUNT, date_from: '2018-08-20', date_to: '2018-08-23' });
    expect(res.body.lines).toHaveLength(14);
    expect(lineOf(res.body, file, '303')).toMatchObject({ outcome: 'paid', payout_id: p0.id });
    await posted(res.body.id);
    expected.set(p0.id, 'paid');
    await settlementAndLedgerAgree();
  });

  test('When a document concerns neither the statement’s account nor ours, then the file is refused naming it and nothing is imported', async () => {
    const before = { statements: await count('statements'), lines: await count('statement_lines') };
    const other = withOtherAccount(donkombank().retotal(PAYER_ACCOUNT)).set('1084608', { 'ПлательщикСчет': OTHER_ACCOUNT, 'ПлательщикРасчСчет': OTHER_ACCOUNT });
    const res = await importStatement('1c', other.bytes());
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('line_not_for_account');
    expect(res.body.detail).toContain('Документ № 1084608');
    expect(res.body.detail).toContain(OTHER_ACCOUNT);
    expect(res.body.detail).toContain(PAYER_ACCOUNT);

    // ВТБ's file as published: document 1 pays from an account that is in no section of the file.
    const vtb = await importStatement('1c', OneCFile.read(VTB).replace(VTB_ACCOUNT, PAYER_ACCOUNT).bytes());
    expect(vtb.status).toBe(422);
    expect(vtb.body.code).toBe('line_not_for_account');
    expect(vtb.body.detail).toContain('Документ № 1 от 09.01.2024');
    expect(vtb.body.detail).toContain('40702810000000077777');
    expect({ statements: await count('statements'), lines: await count('statement_lines') }).toEqual(before);
    await settlementAndLedgerAgree();
  });
});

describe('impossible dates', () => {
  test('When a 1C document or a camt.053 entry carries a date that does not exist, then the file is refused (422) naming the line and the value', async () => {
    const before = { statements: await count('statements'), lines: await count('statement_lines') };
    const oneC = await importStatement('1c', donkombank().set('300', { 'ДатаСписано': '30.02.2018' }).bytes());
    expect(oneC.status).toBe(422);
    expect(oneC.body.code).toBe('invalid_date');
    expect(oneC.body.detail).toContain('Документ № 300');
    expect(oneC.body.detail).toContain('«30.02.2018»');
    expect(oneC.body.detail).toContain('ДатаСписано');

    const documentDate = await importStatement('1c', donkombank().set('299', { 'Дата': '31.04.2018' }).bytes());
    expect(documentDate.status).toBe(422);
    expect(documentDate.body.code).toBe('invalid_date');
    expect(documentDate.body.detail).toContain('Документ № 299');

    const xml = editEntries(bankFile(POSTFINANCE).toString('utf8').replaceAll('CH2909000000250094239', PAYER_ACCOUNT).replaceAll('Ccy="CHF"', 'Ccy="RUB"'), (entry, i) =>
      i === 2 ? entry.replace('<BookgDt>\n\t\t\t\t\t<Dt>2020-11-24</Dt>', '<BookgDt>\n\t\t\t\t\t<Dt>2020-02-30</Dt>') : entry,
    );
    expect(xml).toContain('2020-02-30');
    const camt = await importStatement('camt053', Buffer.from(xml, 'utf8'));
    expect(camt.status).toBe(422);
    expect(camt.body.code).toBe('invalid_date');
    expect(camt.body.detail).toContain('Запись № 3');
    expect(camt.body.detail).toContain('«2020-02-30»');
    expect({ statements: await count('statements'), lines: await count('statement_lines') }).toEqual(before);
    await settlementAndLedgerAgree();
  });
});

describe('the audit log', () => {
  test('When limits, the run, the batch, its approval, imports and a resolved discrepancy have happened, then each is in the log with its officer, and the chain verifies', async () => {
    const a = await finance();
    const open = (await a.get('/v1/discrepancies?region_code=73&open=true')).body.items;
    expect(open.length).toBeGreaterThan(0);
    const resolved = await a.post(`/v1/statement-lines/${open[0].id}/resolve`, { note: 'Платёж не наш: возвращён отправителем банком' });
    expect(resolved.status).toBe(200);

    const auditor = await h.as('auditor');
    const log: any[] = (await auditor.get('/v1/audit-log?limit=1000')).body.items;
    const one = (action: string) => log.filter((r) => r.action === action);
    expect(one('payout_limit.set')).toEqual([expect.objectContaining({ object_id: `${PROGRAMME.id}/${PERIOD}`, before: null, after: { amount: '1000000.00' } })]);
    expect(one('run.requested')).toEqual([expect.objectContaining({ after: { region_code: '73', period: PERIOD } })]);
    const [created] = one('batch.created');
    expect(created).toMatchObject({ object_id: batchId, actor: expect.stringMatching(/^finance:/), after: { payouts: PROVIDERS.length } });
    const [approved] = one('batch.approved');
    expect(approved).toMatchObject({ object_id: batchId, before: { status: 'draft', created_by: created.actor }, after: { status: 'approving' } });
    expect(approved.actor).not.toBe(created.actor);
    expect(one('statement.imported')).toHaveLength(await count('statements'));
    expect(one('discrepancy.resolved')).toEqual([
      expect.objectContaining({ object_id: open[0].id, before: expect.objectContaining({ outcome: 'discrepancy' }), after: { outcome: 'dismissed', note: 'Платёж не наш: возвращён отправителем банком' } }),
    ]);
    expect((await auditor.get('/v1/audit-log/verification')).body).toMatchObject({ records: log.length, broken: null });
  });
});
