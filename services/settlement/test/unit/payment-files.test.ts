import iconv from 'iconv-lite';
import type { Payer } from '../../src/config';
import type { BatchRow } from '../../src/data-access/batch-store';
import { businessDateTime } from '../../src/domain/business-time';
import {
  bankCityOf,
  partyName,
  shortenAtWord,
  splitAtWords,
  toOneC,
  toPain001,
  toPayoutCsv,
  type OrderedPayout,
  type PaymentFileInput,
} from '../../src/domain/exports';
import { paymentOrderNumber } from '../../src/domain/payment-orders';
import { bankFile, kopecks, pain001SchemaErrors, parseOneC, parsePain001, roubles } from '../payment-file-checks';

const PAYER: Payer = {
  regionCode: '73',
  name: 'Министерство социального развития Ульяновской области',
  inn: '7325000052',
  kpp: '732501001',
  account: '03221643730000006800',
  bic: '017308101',
  bankName: 'ОТДЕЛЕНИЕ УЛЬЯНОВСК БАНКА РОССИИ//УФК по Ульяновской области г. Ульяновск',
  correspondentAccount: '40102810645370000061',
  bankCity: 'г. Ульяновск',
};

/** A legal name of 189 characters, as the registry holds some. */
const LONG_NAME =
  'Автономная некоммерческая организация социального обслуживания населения «Центр социальной помощи и реабилитации граждан пожилого возраста и инвалидов „Забота и милосердие“ города Сенгилея»';

const BATCH: BatchRow = {
  id: '3f1c2a9e-7b4d-4e21-9c0a-5d6e7f809a1b',
  run_id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  region_code: '73',
  period: '2026-11',
  status: 'approved',
  created_by: 'finance-73-a',
  created_at: '2026-12-06T20:00:00.000Z',
  approved_by: 'finance-73-b',
  approved_at: '2026-12-06T23:52:00.000Z',
  posted_at: '2026-12-06T23:52:03.000Z',
  payouts: 3,
  total: '16150.95',
  last_error: null,
};

/** 23:52 UTC on 6 December is 03:52 on the 7th in Ulyanovsk. */
const DRAWN_UP = businessDateTime(new Date('2026-12-06T23:52:00Z'), 'Europe/Ulyanovsk');

function payout(k: number, over: Partial<OrderedPayout> = {}): OrderedPayout {
  return {
    id: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
    batch_id: BATCH.id,
    number: k,
    reference: `ESC73${String(k).padStart(10, '0')}`,
    provider_id: `10000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
    region_code: '73',
    earned: '1000.00',
    withheld: '0.00',
    amount: '1000.00',
    withheld_reason: null,
    provider_name: `АНО «Социальный поставщик № ${k}»`,
    inn: '7325017810',
    kpp: '732501001',
    bank_bic: '047308602',
    bank_account: `40703810${String(k).padStart(12, '0')}`,
    bank_name: 'Ульяновское отделение № 8588 ПАО Сбербанк',
    bank_correspondent_account: '30101810000000000602',
    status: 'in_transit',
    settled_at: null,
    statement_line_id: null,
    return_reason: null,
    payment_order_number: 100 + k,
    ...over,
  };
}

const file = (payouts: OrderedPayout[]): PaymentFileInput => ({ batch: { ...BATCH, payouts: payouts.length }, payouts, payer: PAYER, drawnUp: DRAWN_UP });

const BATCHES: Record<string, PaymentFileInput> = {
  'three providers as the harness has them (one without KPP, one Moscow bank)': file([
    payout(1, {
      provider_name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
      amount: '6650.95',
      bank_bic: '044525225',
      bank_name: 'ПАО Сбербанк',
      bank_correspondent_account: '30101810400000000225',
    }),
    payout(2, { provider_name: 'Общество с ограниченной ответственностью «Реабилитация Плюс»', amount: '8000.00' }),
    payout(3, { provider_name: 'Индивидуальный предприниматель Клеверова Анна Петровна', kpp: null, amount: '1500.00', withheld: '250.00', earned: '1750.00' }),
  ]),
  'long legal names (189, 300 and 500 characters, one word of 200)': file([
    payout(1, { provider_name: LONG_NAME }),
    payout(2, { provider_name: `${LONG_NAME} ${'и филиалов в муниципальных районах'.repeat(3)}`.slice(0, 300) }),
    payout(3, { provider_name: Array.from({ length: 50 }, (_, i) => `Слово${i}`).join(' ').padEnd(500, ' конец').slice(0, 500) }),
    payout(4, { provider_name: 'Я'.repeat(200) }),
    payout(5, { bank_name: `${'Очень длинное наименование банка получателя '.repeat(5)}г. Ульяновск` }),
  ]),
  'characters XML must escape and line breaks in a name': file([
    payout(1, { provider_name: 'ООО «Р&Д <Плюс>» "Кавычки" \'апостроф\'\r\nвторая строка' }),
    payout(2, { bank_name: 'Банк "Ё&Ж"' }),
  ]),
  'one payout of one kopeck': file([payout(1, { amount: '0.01' })]),
  'a withheld provider is absent: payouts 1 and 3 of a batch of three': {
    ...file([payout(1), payout(3, { amount: '99999999.99' })]),
    batch: { ...BATCH, payouts: 3 },
  },
  'many payouts (2,500) with amounts in kopecks up to a billion': file(
    Array.from({ length: 2500 }, (_, i) => payout(i + 1, { amount: roubles(BigInt(i * 7919 + 1) * 1337n), payment_order_number: paymentOrderNumber(900 + i) })),
  ),
};

describe('pain.001.001.09: every export validates against the ISO schema and parses back to the batch', () => {
  test.each(Object.entries(BATCHES))('%s', async (_name, input) => {
    const out = toPain001(input);
    expect(out.contentType).toBe('application/xml; charset=utf-8');
    expect(await pain001SchemaErrors(out.body)).toEqual([]);

    const parsed = parsePain001(out.body);
    expect(parsed.namespace).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const sum = roubles(input.payouts.reduce((s, p) => s + kopecks(p.amount), 0n));
    expect(parsed).toMatchObject({
      nbOfTxs: String(input.payouts.length),
      pmtNbOfTxs: String(input.payouts.length),
      ctrlSum: sum,
      pmtCtrlSum: sum,
      paymentInfos: 1,
      debtorAccount: PAYER.account,
      creDtTm: '2026-12-07T03:52:00+04:00',
      reqdExctnDt: '2026-12-07',
    });
    expect(roubles(parsed.txs.reduce((s, t) => s + kopecks(t.amount), 0n))).toBe(sum);
    expect(parsed.txs).toHaveLength(input.payouts.length);
    input.payouts.forEach((p, i) => {
      const tx = parsed.txs[i]!;
      expect(tx).toMatchObject({ instrId: String(p.payment_order_number), endToEndId: p.reference, amount: p.amount, currency: 'RUB', inn: p.inn, kpp: p.kpp ?? undefined, account: p.bank_account, bic: p.bank_bic });
      expect([...tx.name].length).toBeLessThanOrEqual(140);
      expect([...tx.bankName].length).toBeLessThanOrEqual(140);
      // The reference is in the first line of the purpose; the purpose is whole across the lines.
      expect(tx.ustrd[0]).toContain(p.reference);
      expect(tx.ustrd.join(' ')).toContain('Без налога (НДС)');
      // The full name is in the file: in Nm when it fits, otherwise in the structured remittance.
      const fullName = p.provider_name.replace(/\s+/g, ' ').trim();
      if (tx.name === fullName) expect(tx.additional).toEqual([]);
      else if (!fullName.includes(' ')) expect(tx.additional.join('')).toBe(fullName);
      else if ([...fullName].length <= 420) expect(tx.additional.join(' ')).toBe(fullName);
      else {
        // Past 3 × 140 characters the schema has no more room: the first 420 (at words) are kept.
        expect(tx.additional).toHaveLength(3);
        expect(fullName.startsWith(tx.additional.join(' '))).toBe(true);
      }
      for (const piece of tx.additional) expect([...piece].length).toBeLessThanOrEqual(140);
    });
  });

  test('a full name of 189 characters in Nm, as the export wrote it before, is refused by the schema', async () => {
    const before = toPain001(BATCHES['long legal names (189, 300 and 500 characters, one word of 200)']!)
      .body.toString('utf8')
      .replace(/<Cdtr><Nm>[^<]*<\/Nm>/, `<Cdtr><Nm>${LONG_NAME}</Nm>`);
    const errors = await pain001SchemaErrors(before);
    expect(errors.join('\n')).toMatch(/Nm.*(length|maxLength)/);
  });

  test('a name of 189 characters is cut to 140 at a word boundary in Nm and kept whole in Strd/AddtlRmtInf', () => {
    expect(LONG_NAME).toHaveLength(189);
    const nm = partyName(LONG_NAME);
    expect(nm).toBe('Автономная некоммерческая организация социального обслуживания населения «Центр социальной помощи и реабилитации граждан пожилого возраста и');
    expect(nm.length).toBeLessThanOrEqual(140);
    expect(LONG_NAME.startsWith(nm)).toBe(true);
    expect(LONG_NAME[nm.length]).toBe(' '); // the cut falls between words
    const tx = parsePain001(toPain001(file([payout(1, { provider_name: LONG_NAME })])).body).txs[0]!;
    expect(tx.name).toBe(nm);
    expect(tx.additional).toEqual(['Автономная некоммерческая организация социального обслуживания населения «Центр социальной помощи и реабилитации граждан пожилого возраста и', 'инвалидов „Забота и милосердие“ города Сенгилея»']);
    expect(tx.additional.join(' ')).toBe(LONG_NAME);
  });

  test('shortening never ends on a dangling quote or comma, and a word longer than the limit is cut at it', () => {
    expect(shortenAtWord('ООО «Ромашка», «Лютик» и партнёры', 17)).toBe('ООО «Ромашка»');
    expect(shortenAtWord('Слово, другое слово', 8)).toBe('Слово');
    expect(shortenAtWord('Фонд – «Добро» и партнёры', 9)).toBe('Фонд');
    expect(shortenAtWord('Я'.repeat(200), 140)).toBe('Я'.repeat(140));
    expect(shortenAtWord('  ООО   «Ромашка»\r\n', 140)).toBe('ООО «Ромашка»');
    expect(splitAtWords('раз два три четыре', 8)).toEqual(['раз два', 'три', 'четыре']);
  });
});

describe('1CClientBankExchange payment orders', () => {
  const input = BATCHES['three providers as the harness has them (one without KPP, one Moscow bank)']!;
  const parsed = parseOneC(toOneC(input).body);

  test('dates and times are the region business date: a batch drawn up at 23:52 UTC on 6 December is dated 07.12.2026', () => {
    expect(parsed.header).toMatchObject({ 'ДатаСоздания': '07.12.2026', 'ВремяСоздания': '03:52:00', 'ДатаНачала': '07.12.2026', 'ДатаКонца': '07.12.2026' });
    for (const doc of parsed.docs) expect(doc['Дата']).toBe('07.12.2026');
  });

  test('Код (the УИН field) is 0 and the payout reference travels in НазначениеПлатежа; Номер is the payment order number', () => {
    input.payouts.forEach((p, i) => {
      const doc = parsed.docs[i]!;
      expect(doc['Код']).toBe('0');
      expect(doc['НазначениеПлатежа']).toContain(p.reference);
      expect(doc['Номер']).toBe(String(p.payment_order_number));
    });
  });

  test('the banks’ cities are filled: the payer’s from settings, a payee’s from its bank name or a federal city’s BIC, else left empty', () => {
    for (const doc of parsed.docs) expect(doc['ПлательщикБанк2']).toBe('г. Ульяновск');
    expect(parsed.docs.map((d) => d['ПолучательБанк2'])).toEqual(['г. Москва', '', '']);
    expect(bankCityOf('ОТДЕЛЕНИЕ УЛЬЯНОВСК БАНКА РОССИИ//УФК по Ульяновской области г. Ульяновск', '017308101')).toBe('г. Ульяновск');
    expect(bankCityOf('ПАО "БАНК" Г.НИЖНИЙ НОВГОРОД', '042202824')).toBe('г. НИЖНИЙ НОВГОРОД');
    // «в г. Санкт-Петербурге» is not the city's name; the BIC's region 40 is.
    expect(bankCityOf('ФИЛИАЛ БАНКА ВТБ (ПАО) В Г. САНКТ-ПЕТЕРБУРГЕ', '044030704')).toBe('г. Санкт-Петербург');
    expect(bankCityOf('Ульяновское отделение № 8588 ПАО Сбербанк', '047308602')).toBe('');
  });

  test('every field of a payment order is one a real bank-bound 1C file carries, with Код=0 as there', () => {
    const real = parseOneC(Buffer.from(iconv.encode(bankFile('onec', 'oebs-to-bank-sample3.orig.txt').toString('utf8').replace(/\r?\n/g, '\r\n'), 'win1251')));
    const realFields = new Set(real.docs.flatMap((d) => Object.keys(d)));
    expect(real.docs[0]!['Код']).toBe('0');
    for (const doc of parsed.docs) expect(Object.keys(doc).filter((k) => !realFields.has(k))).toEqual([]);
    expect(Object.keys(parsed.header).filter((k) => !(k in real.header))).toEqual([]);
  });

  test('a name with letters windows-1251 lacks is refused with the provider and the letters named, never written with «?»', () => {
    const tatar = payout(2, { provider_name: 'Автономная некоммерческая организация «Мәрхәмәт»', inn: '1655000011' });
    const bank = payout(3, { bank_name: 'АКБ «Ак Барс» (ПАО) — Казан шәһәре' });
    let thrown: any;
    try {
      toOneC(file([payout(1), tatar, bank]));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ kind: 'unprocessable', code: 'not_encodable_in_1c' });
    expect(thrown.detail).toContain('«Автономная некоммерческая организация «Мәрхәмәт»» (ИНН 1655000011), наименование: «ә»');
    expect(thrown.detail).toContain('наименование банка: «ә», «һ»');
    expect(thrown.detail).toContain('исправьте его в реестре поставщиков');
    expect(thrown.detail).toContain('pain.001');
    expect(thrown.extensions.providers).toEqual([
      { provider_id: tatar.provider_id, name: tatar.provider_name, inn: '1655000011', field: 'наименование', characters: ['ә'] },
      { provider_id: bank.provider_id, name: bank.provider_name, inn: bank.inn, field: 'наименование банка', characters: ['ә', 'һ'] },
    ]);
    // pain.001 and CSV are UTF-8: the same batch goes out there with the name as it is.
    expect(parsePain001(toPain001(file([tatar])).body).txs[0]!.name).toBe(tatar.provider_name);
    expect(toPayoutCsv(file([tatar])).body.toString('utf8')).toContain('«Мәрхәмәт»');
  });

  test('letters windows-1251 has (ё, №, «», „“, —) go out as they are', () => {
    const name = 'Общество «Ёлочка» № 1 — „Пример“';
    const doc = parseOneC(toOneC(file([payout(1, { provider_name: name })])).body).docs[0]!;
    expect(doc['Получатель1']).toBe(name);
  });
});

describe('CSV registry of payment orders', () => {
  test('Номер is the payment order number, as in the 1C file', () => {
    const input = BATCHES['three providers as the harness has them (one without KPP, one Moscow bank)']!;
    const rows = toPayoutCsv(input).body.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(rows.slice(1).map((r) => r.split(';')[0])).toEqual(input.payouts.map((p) => String(p.payment_order_number)));
  });
});
