import { accountProblem, bicProblem, innProblem, kppProblem, ogrnProblem } from '../src/domain/identifiers';

describe('INN', () => {
  it.each(['7707083893', '7830002293', '500100732259'])('When the INN is %s (check digits right), then it is valid', (inn) => {
    expect(innProblem(inn)).toBeUndefined();
  });
  it.each([
    ['7707083894', 'Контрольное число ИНН не сходится'],
    ['500100732258', 'Контрольное число ИНН не сходится'],
    ['500100732249', 'Контрольное число ИНН не сходится'],
    ['77070838', 'ИНН должен содержать 10 цифр (организация) или 12 цифр (индивидуальный предприниматель)'],
    ['77070838a3', 'ИНН должен состоять только из цифр'],
  ])('When the INN is %s, then the rule broken is «%s»', (inn, message) => {
    expect(innProblem(inn)).toBe(message);
  });
});

describe('OGRN and OGRNIP', () => {
  it.each(['1027700132195', '1037739010891', '304500116000157'])('When the OGRN is %s, then it is valid', (ogrn) => {
    expect(ogrnProblem(ogrn)).toBeUndefined();
  });
  it.each([
    ['1027700132196', 'Контрольное число ОГРН не сходится'],
    ['304500116000158', 'Контрольное число ОГРНИП не сходится'],
    ['10277001321', 'ОГРН должен содержать 13 цифр, ОГРНИП — 15 цифр'],
  ])('When the OGRN is %s, then the rule broken is «%s»', (ogrn, message) => {
    expect(ogrnProblem(ogrn)).toBe(message);
  });
});

describe('KPP, BIC and account key', () => {
  it('When KPP has 9 characters with an optional letter reason code, then it is valid; otherwise the rule is named', () => {
    expect(kppProblem('773601001')).toBeUndefined();
    expect(kppProblem('7736AB001')).toBeUndefined();
    expect(kppProblem('77360100')).toMatch(/^КПП должен содержать 9 символов/);
  });

  it('When a bank correspondent account matches its BIC (Сбербанк, Т-Банк), then the key is valid; one changed digit breaks it', () => {
    expect(accountProblem('30101810400000000225', '044525225')).toBeUndefined();
    expect(accountProblem('30101810145250000974', '044525974')).toBeUndefined();
    expect(accountProblem('30101810400000000226', '044525225')).toBe('Контрольный ключ счёта не сходится с БИК');
  });

  it('When a settlement account is keyed with the BIC’s last three digits, then it is valid; under another BIC it is not', () => {
    expect(accountProblem('40702817300000000001', '044525225')).toBeUndefined();
    expect(accountProblem('40702817300000000001', '044525974')).toBe('Контрольный ключ счёта не сходится с БИК');
    expect(accountProblem('4070281730000000000', '044525225')).toBe('Расчётный счёт должен содержать 20 цифр');
  });

  it('When a BIC is not 9 digits or not Russian, then the rule is named', () => {
    expect(bicProblem('04452522')).toBe('БИК должен содержать 9 цифр');
    expect(bicProblem('144525225')).toBe('БИК банка в России начинается с «04»');
  });
});
