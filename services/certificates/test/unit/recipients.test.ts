import { AppError } from '@esc/service-kit';
import { allocationBalance } from '../../src/domain/budget';
import { assertSnils, changedRecipientFields, fullName } from '../../src/domain/recipients';
import { formatSnils, isValidSnils, normaliseSnils } from '../../src/domain/snils';

describe('SNILS as people write it', () => {
  test.each([
    ['112-233-445 95', '11223344595'],
    ['112 233 445 95', '11223344595'],
    ['112-233-445-95', '11223344595'],
    ['11223344595', '11223344595'],
  ])('When the SNILS is written %s, then its digits are %s', (raw, digits) => {
    expect(normaliseSnils(raw)).toBe(digits);
  });

  test('When 11 digits are formatted, then they read as on the insurance certificate', () => {
    expect(formatSnils('11223344595')).toBe('112-233-445 95');
  });

  test.each([
    ['a check sum of exactly 100 gives 00', '00132667900', true],
    ['a check sum of 101 gives 00', '00150881600', true],
    ['a sum above 101 is taken modulo 101', '99999999901', true],
    ['a remainder of 100 gives 00 again', '01799617400', true],
    ['the same body with the sum itself as check is wrong', '01799617401', false],
    ['numbers up to 001-001-998 predate the check', '00100199811', true],
    ['001-001-999 is the first number checked', '00100199911', false],
    ['letters are never a SNILS', '1122334459a', false],
  ])('When %s (%s), then valid is %s', (_case, snils, valid) => {
    expect(isValidSnils(snils)).toBe(valid);
  });

  test('When a SNILS with separators has a right check number, then it is kept as digits', () => {
    expect(assertSnils('112-233-445 95')).toBe('11223344595');
  });

  test('When the check number is wrong, then it is a validation error on the snils field quoting what was sent', () => {
    let error: unknown;
    try {
      assertSnils('112-233-445 96');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid_snils', detail: expect.stringContaining('112-233-445 96') });
    expect((error as AppError).fieldProblems).toEqual([{ field: 'snils', message: 'контрольное число не сходится' }]);
  });
});

describe('Changing a recipient', () => {
  const stored = {
    district_code: '73701000',
    address: 'г. Ульяновск, ул. Минаева, д. 10',
    phone: '+79001234567',
    categories: ['rural'],
    own_income: '14000.00',
    household: [{ relation: 'супруг', full_name: 'Иванов И. И.', monthly_income: '12000.00' }],
  };

  test('When a change names only the address, then everything else keeps its stored value', () => {
    expect(changedRecipientFields(stored, { address: 'г. Ульяновск, ул. Гончарова, д. 1' })).toEqual({ ...stored, address: 'г. Ульяновск, ул. Гончарова, д. 1' });
  });

  test('When the income is sent without kopecks, then it is kept as the column keeps it, with two decimals', () => {
    expect(changedRecipientFields(stored, { own_income: '15000' }).own_income).toBe('15000.00');
    expect(changedRecipientFields(stored, { own_income: '15000.5' }).own_income).toBe('15000.50');
  });

  test('When the phone is cleared and categories and household are emptied, then they are null and empty', () => {
    expect(changedRecipientFields(stored, { phone: null, categories: [], household: [] })).toMatchObject({ phone: null, categories: [], household: [] });
  });

  test('When a person has no middle name, then the full name has no trailing space', () => {
    expect(fullName({ last_name: 'Орлова', first_name: 'Вера', middle_name: null })).toBe('Орлова Вера');
    expect(fullName({ last_name: 'Орлова', first_name: 'Вера', middle_name: 'Павловна' })).toBe('Орлова Вера Павловна');
  });
});

describe('What is left in a budget programme', () => {
  test('When the allocation account was funded and charged, then available is funded minus committed', () => {
    expect(allocationBalance({ credits_posted: '200000.00', debits_posted: '187440.00' })).toEqual({ funded: '200000.00', committed: '187440.00', available: '12560.00' });
  });
  test('When the ledger has no such account yet, then everything is zero', () => {
    expect(allocationBalance(undefined)).toEqual({ funded: '0.00', committed: '0.00', available: '0.00' });
  });
});
