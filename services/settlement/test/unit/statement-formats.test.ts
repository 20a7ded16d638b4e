import iconv from 'iconv-lite';
import { parseStatement, statementFingerprint, type ParsedStatement } from '../../src/domain/statement-formats';
import { bankFile, OneCFile } from '../bank-files';
import { codeThrown } from './principals';

/** The parsers against the banks' own files (/work/shared/bank-formats), adapted to our account. */

const OURS = '03221643730000006800';
const options = { account: OURS };
const donkombank = () => OneCFile.read('onec/donkombank-kl_to_1c.orig.txt').replace('40702810400000004583', OURS);
const vtb = () => OneCFile.read('onec/vtb-kl_to_1c.orig.txt').replace('40702810000000074935', OURS);
const oneC = (file: Buffer) => parseStatement('1c', file, options);
const camt = (xml: string, encoding: 'utf8' | 'win1251' = 'utf8') => parseStatement('camt053', iconv.encode(xml, encoding), options);
const thrown = (call: () => unknown) => {
  try {
    call();
  } catch (err) {
    return err as { code: string; detail: string };
  }
  throw new Error('nothing thrown');
};
const postfinance = () => bankFile('camt053/postfinance-camt.053.001.04.orig.xml').toString('utf8').replaceAll('CH2909000000250094239', OURS).replaceAll('Ccy="CHF"', 'Ccy="RUB"');
const abnAmro = () => bankFile('camt053/oca-abnamro-test-camt053.orig.xml').toString('utf8').replaceAll('NL77ABNA0574908765', OURS).replaceAll('Ccy="EUR"', 'Ccy="RUB"');
const genkgo = () => bankFile('camt053/genkgo-camt053.v8.orig.xml').toString('utf8').replaceAll('NL26VAYB8060476890', OURS).replaceAll(/Ccy="[A-Z]{3}"/g, 'Ccy="RUB"');

describe('1CClientBankExchange', () => {
  test('Донкомбанк (1.02, LF): fourteen debits, the period from the account section (the header’s 2020 is the bank’s typo), totals agree', () => {
    const s = oneC(donkombank().bytes());
    expect(s).toMatchObject({ account: OURS, accounts: [OURS], dateFrom: '2018-08-20', dateTo: '2018-08-23' });
    expect(s.lines).toHaveLength(14);
    expect(s.lines.every((l) => l.direction === 'debit')).toBe(true);
    expect(s.lines[1]).toMatchObject({
      bankRef: '300',
      documentDate: '2018-08-20',
      amount: '3800.00',
      bookedOn: '2018-08-20',
      counterpartyName: 'УФК РФ по РО (ИФНС России по г.Таганрогу)',
      counterpartyInn: '6154028007',
      counterpartyAccount: '40101810400000010002',
      purpose: 'Налог на доходы физических лиц',
      reference: null,
    });
  });

  test('ВТБ (1.03, CRLF, no line end after КонецФайла) as published: document 1 pays from an account of no section, and the file is refused naming it', () => {
    const err = thrown(() => oneC(vtb().bytes()));
    expect(err.code).toBe('line_not_for_account');
    expect(err.detail).toBe(
      `Документ № 1 от 09.01.2024: ни плательщик (счёт 40702810000000077777), ни получатель (счёт 40702810267020000630) не владеют счётом выписки ${OURS}. ` +
        `Файл не загружен, ничего не изменено: выгрузите из банка выписку только по счёту ${OURS}.`,
    );
  });

  test('Кодировка=DOS is read as code page 866 and gives the same statement as Windows', () => {
    const windows = oneC(donkombank().bytes());
    const dos = oneC(donkombank().setHeader('Кодировка', 'DOS').bytes({ encoding: 'cp866' }));
    expect(dos.lines).toEqual(windows.lines);
    expect(statementFingerprint(dos)).toBe(statementFingerprint(windows));
  });

  test('an encoding the file is not written in is refused as such, not taken for a cut file', () => {
    const err = thrown(() => oneC(donkombank().bytes({ encoding: 'cp866' })));
    expect(err.code).toBe('wrong_encoding');
    expect(err.detail).toContain('Файл записан в кодировке 866 (DOS), а в заголовке указано «Кодировка=Windows» (Windows-1251)');
    expect(codeThrown(() => oneC(Buffer.from(donkombank().text(), 'utf8')))).toBe('wrong_encoding');
    expect(codeThrown(() => oneC(donkombank().setHeader('Кодировка', 'KOI8').bytes()))).toBe('wrong_encoding');
  });

  test('sections for two accounts: ours is read whichever comes first, the other’s is ignored; neither ours: refused naming both', () => {
    const withOther = (file: OneCFile, first: boolean) => {
      const section = ['СекцияРасчСчет', 'ДатаНачала=01.08.2018', 'ДатаКонца=31.08.2018', 'РасчСчет=40702810000000074935', 'ВсегоСписано=99.00', 'КонецРасчСчет'];
      file.lines.splice(first ? file.lines.indexOf('СекцияРасчСчет') : file.lines.indexOf('КонецРасчСчет') + 1, 0, ...section);
      return file;
    };
    for (const first of [true, false]) {
      const s = oneC(withOther(donkombank(), first).bytes());
      expect(s).toMatchObject({ account: OURS, dateFrom: '2018-08-20', dateTo: '2018-08-23' });
      expect(s.accounts.sort()).toEqual([OURS, '40702810000000074935'].sort());
      expect(s.lines).toHaveLength(14);
    }
    const foreign = thrown(() => oneC(withOther(OneCFile.read('onec/donkombank-kl_to_1c.orig.txt'), true).bytes()));
    expect(foreign).toMatchObject({ code: 'unknown_account' });
    expect(foreign.detail).toBe(`Выписка по счёту 40702810000000074935, 40702810400000004583, а выплаты идут со счёта ${OURS}. Загрузите выписку по счёту выплат.`);
  });

  test('a document touching the other section’s account is refused naming both accounts', () => {
    const file = donkombank();
    file.lines.splice(file.lines.indexOf('КонецРасчСчет') + 1, 0, 'СекцияРасчСчет', 'РасчСчет=40702810000000074935', 'КонецРасчСчет');
    file.set('305', { 'ПлательщикСчет': '40702810000000074935', 'ПлательщикРасчСчет': '40702810000000074935' }).retotal(OURS);
    const err = thrown(() => oneC(file.bytes()));
    expect(err.code).toBe('line_not_for_account');
    expect(err.detail).toContain('Документ № 305 от 22.08.2018');
    expect(err.detail).toContain('документы по счёту 40702810000000074935 в выписке по счёту выплат не принимаются');
  });

  test('declared totals hold for credits as well as debits', () => {
    expect(codeThrown(() => oneC(donkombank().setHeader('ВсегоПоступило', '10.00').bytes()))).toBe('totals_mismatch');
    expect(codeThrown(() => oneC(donkombank().setHeader('ВсегоСписано', '139020.85').bytes()))).toBe('totals_mismatch');
  });

  test('dates: a real day in ДД.ММ.ГГГГ, else refused naming the document, the field and the value', () => {
    expect(oneC(donkombank().set('300', { 'ДатаСписано': '29.02.2024' }).bytes()).lines[1]!.bookedOn).toBe('2024-02-29');
    for (const [field, value] of [
      ['ДатаСписано', '30.02.2018'],
      ['ДатаСписано', '29.02.2023'],
      ['Дата', '31.04.2018'],
      ['Дата', '00.08.2018'],
      ['Дата', '2018-08-20'],
    ]) {
      const err = thrown(() => oneC(donkombank().set('300', { [field!]: value! }).bytes()));
      expect(err.code).toBe('invalid_date');
      expect(err.detail).toContain('Документ № 300');
      expect(err.detail).toContain(`в поле «${field}» дата «${value}»`);
    }
    expect(codeThrown(() => oneC(donkombank().setHeader('ДатаНачала', '20.08.2018').bytes()))).toBeUndefined();
    const period = donkombank();
    period.lines[period.lines.indexOf('СекцияРасчСчет') + 1] = 'ДатаНачала=31.06.2018';
    expect(thrown(() => oneC(period.bytes())).detail).toContain('Заголовок выписки: в поле «ДатаНачала» дата «31.06.2018»');
  });
});

describe('camt.053', () => {
  test('PostFinance (001.04): references found in AddtlNtryInf; the entry’s indicator rules over a transaction’s', () => {
    const xml = postfinance().replace('PmtInfId-CHDD-1', 'ESC730000000042');
    const s = camt(xml);
    expect(s).toMatchObject({ account: OURS, statementRef: '20201124375204229003973', dateFrom: '2020-06-24', dateTo: '2020-06-24' });
    expect(s.lines.map((l) => [l.direction, l.amount])).toEqual([
      ['credit', '4.50'],
      ['debit', '77.70'],
      ['credit', '1500.00'],
      ['credit', '1537.00'],
      ['credit', '1692.22'],
    ]);
    expect(s.lines[0]).toMatchObject({ reference: 'ESC730000000042', bankRef: '41100000000872849 / 0758103031480900 / 0758103031480900', bookedOn: '2020-11-24' });
    expect(s.lines[0]!.purpose).toContain('GUTSCHRIFT CH-DD-BASISLASTSCHRIFT');
    expect(s.lines[1]!.reference).toBeNull();
  });

  test('ABN AMRO (001.02): a batch entry is one line per transaction with its own amount; the reversal keeps its return reason', () => {
    const s = camt(abnAmro());
    expect(s.lines.map((l) => [l.direction, l.amount, l.reversal])).toEqual([
      ['debit', '754.25', false],
      ['debit', '564.05', true],
      ['debit', '100.00', true],
      ['credit', '1405.31', false],
    ]);
    expect(s.lines[1]!.bankReason).toBe(
      'Сторно ранее зачисленной суммы. AC06: Счёт получателя заблокирован. Direct debit S14 0410 AC07 Rek.nummer blokkade TESTBANK/NL/20141229/01206408',
    );
    expect(s.lines[0]).toMatchObject({ counterpartyName: 'INSURANCE COMPANY TESTX', counterpartyAccount: 'NL46ABNA0499998748', bankReason: null });
    expect(s.lines[3]).toMatchObject({ counterpartyName: '3rd party Media', counterpartyAccount: 'NL69ABNA0522123643' });
  });

  test('transactions that do not add up to their entry refuse the file', () => {
    const err = thrown(() => camt(abnAmro().replace('>100.00<', '>101.00<')));
    expect(err).toMatchObject({ code: 'totals_mismatch', detail: expect.stringContaining('Запись № 2: сумма операций записи 665.05 не равна сумме записи 664.05') });
    expect(codeThrown(() => camt(abnAmro().replace('<Amt Ccy="RUB">100.00</Amt>', '<Amt Ccy="EUR">100.00</Amt>')))).toBe('wrong_currency');
  });

  test('a lone transaction takes the entry’s booked amount (genkgo’s fixture gives the transaction 0 SEK); BookgDt/DtTm gives the date as written', () => {
    const s = camt(genkgo());
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ direction: 'credit', amount: '8.85', bookedOn: '2014-12-31', counterpartyName: 'NAME NAME', counterpartyAccount: 'NL56AGDH9619008421' });
    expect(s).toMatchObject({ dateFrom: '2007-10-18', dateTo: '2007-10-18' });
  });

  test('the encoding declared in the XML declaration is honoured; bytes that are not what is declared are refused', () => {
    const name = 'ОГБУ «Комплексный центр социального обслуживания населения»';
    const xml = genkgo().replace('<Nm>NAME NAME</Nm>', `<Nm>${name}</Nm>`);
    const declared1251 = xml.replace('encoding="UTF-8"', 'encoding="windows-1251"');
    expect(camt(declared1251, 'win1251').lines[0]!.counterpartyName).toBe(name);
    expect(camt(xml.replace('encoding="UTF-8"', 'encoding="WINDOWS-1251"'), 'win1251').lines[0]!.counterpartyName).toBe(name);
    expect(camt(xml).lines[0]!.counterpartyName).toBe(name);
    expect(codeThrown(() => camt(xml, 'win1251'))).toBe('wrong_encoding');
    expect(codeThrown(() => camt(xml.replace('encoding="UTF-8"', 'encoding="x-unknown-8"')))).toBe('wrong_encoding');
  });

  test('dates: impossible ones are refused naming the entry and the value', () => {
    const entry3 = (xml: string, from: string, to: string) => {
      const parts = xml.split('<Ntry>');
      parts[3] = parts[3]!.replace(from, to);
      return parts.join('<Ntry>');
    };
    const err = thrown(() => camt(entry3(postfinance(), '<Dt>2020-11-24</Dt>', '<Dt>2020-02-30</Dt>')));
    expect(err).toMatchObject({ code: 'invalid_date' });
    expect(err.detail).toContain('Запись № 3: в поле «BookgDt/Dt» дата «2020-02-30»');
    expect(thrown(() => camt(entry3(postfinance(), '<Dt>2020-11-24</Dt>', '<Dt>24.11.2020</Dt>'))).code).toBe('invalid_date');
    expect(codeThrown(() => camt(entry3(postfinance(), '<Dt>2020-11-24</Dt>', '<Dt>2020-02-29</Dt>')))).toBeUndefined();
    expect(thrown(() => camt(genkgo().replace('2014-12-31T13:15:00+01:00', '2014-12-31T25:15:00+01:00'))).detail).toContain('Запись № 1: в поле «BookgDt/DtTm»');
    expect(thrown(() => camt(postfinance().replace('2020-06-24T23:59:59', '2020-06-31T23:59:59'))).detail).toContain('в поле «ToDtTm» дата «2020-06-31T23:59:59»');
  });
});

describe('statementFingerprint: the same statement whatever its bytes', () => {
  const fp = (s: ParsedStatement) => statementFingerprint(s);
  test('line ends, the end of the file and the creation time do not matter; documents in another order are the same statement', () => {
    const base = vtb().replace('40702810000000077777', OURS).retotal(OURS);
    const original = fp(oneC(base.bytes()));
    expect(fp(oneC(base.bytes({ eol: '\n' })))).toBe(original);
    expect(fp(oneC(base.clone().setHeader('ВремяСоздания', '16:45:00').setHeader('ДатаСоздания', '13.04.2024').bytes()))).toBe(original);
    const finalEol = base.clone();
    finalEol.finalEol = true;
    expect(fp(oneC(finalEol.bytes()))).toBe(original);
    const [[a0, a1], [b0, b1]] = base.documents() as [[number, number], [number, number]];
    const swapped = base.clone();
    swapped.lines = [...base.lines.slice(0, a0), ...base.lines.slice(b0, b1 + 1), ...base.lines.slice(a0, a1 + 1), ...base.lines.slice(b1 + 1)];
    expect(fp(oneC(swapped.bytes()))).toBe(original);
  });

  test('another amount, document, account or period is another statement', () => {
    const base = vtb().replace('40702810000000077777', OURS).retotal(OURS);
    const original = fp(oneC(base.bytes()));
    expect(fp(oneC(base.clone().set('2', { 'Сумма': '149999.99' }).retotal(OURS).bytes()))).not.toBe(original);
    expect(fp(oneC(base.clone().set('2', { 'Номер': '3' }).bytes()))).not.toBe(original);
    expect(fp(oneC(base.clone().set('2', { 'ПолучательСчет': '40702810267020000631' }).bytes()))).not.toBe(original);
    const later = base.clone();
    later.lines[later.lines.indexOf('СекцияРасчСчет') + 2] = 'ДатаКонца=12.04.2024';
    expect(fp(oneC(later.bytes()))).not.toBe(original);
  });

  test('a camt.053 downloaded again (new message id and creation time) is the same statement', () => {
    const xml = abnAmro();
    expect(fp(camt(xml.replace('TESTBANK/NL/1420561226673', 'TESTBANK/NL/1420561999999').replaceAll('2014-01-06T16:20:26.673Z', '2014-01-07T08:00:00.000Z')))).toBe(fp(camt(xml)));
    expect(fp(camt(xml.replace('>1405.31<', '>1405.30<')))).not.toBe(fp(camt(xml)));
  });
});
