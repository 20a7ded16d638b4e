/**
 * Check-digit rules for Russian organisation identifiers. Pure functions: each returns the Russian
 * text of the first rule broken, or undefined when the value is valid.
 */

const digits = (s: string) => [...s].map(Number);

function weightedSum(values: number[], weights: readonly number[]): number {
  return weights.reduce((acc, w, i) => acc + w * values[i]!, 0);
}

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

export function innProblem(inn: string): string | undefined {
  if (!/^[0-9]+$/.test(inn)) return 'ИНН должен состоять только из цифр';
  if (inn.length !== 10 && inn.length !== 12) return 'ИНН должен содержать 10 цифр (организация) или 12 цифр (индивидуальный предприниматель)';
  const d = digits(inn);
  if (inn.length === 10) {
    return (weightedSum(d, INN10_WEIGHTS) % 11) % 10 === d[9] ? undefined : 'Контрольное число ИНН не сходится';
  }
  const n11 = (weightedSum(d, INN12_WEIGHTS_11) % 11) % 10;
  const n12 = (weightedSum(d, INN12_WEIGHTS_12) % 11) % 10;
  return n11 === d[10] && n12 === d[11] ? undefined : 'Контрольное число ИНН не сходится';
}

/** OGRN (13 digits): the 12-digit prefix mod 11, then mod 10. OGRNIP (15): the 14-digit prefix mod 13, then mod 10. */
export function ogrnProblem(ogrn: string): string | undefined {
  if (!/^[0-9]+$/.test(ogrn)) return 'ОГРН должен состоять только из цифр';
  if (ogrn.length !== 13 && ogrn.length !== 15) return 'ОГРН должен содержать 13 цифр, ОГРНИП — 15 цифр';
  const body = BigInt(ogrn.slice(0, -1));
  const modulus = ogrn.length === 13 ? 11n : 13n;
  const check = Number((body % modulus) % 10n);
  if (check !== Number(ogrn.slice(-1))) return ogrn.length === 13 ? 'Контрольное число ОГРН не сходится' : 'Контрольное число ОГРНИП не сходится';
  return undefined;
}

/** KPP: 4 digits of the tax office, 2 digits or capital Latin letters of the reason, 3 digits of the sequence. */
export function kppProblem(kpp: string): string | undefined {
  return /^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$/.test(kpp) ? undefined : 'КПП должен содержать 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры';
}

export function bicProblem(bic: string): string | undefined {
  if (!/^[0-9]{9}$/.test(bic)) return 'БИК должен содержать 9 цифр';
  if (!bic.startsWith('04')) return 'БИК банка в России начинается с «04»';
  return undefined;
}

const ACCOUNT_WEIGHTS = [7, 1, 3] as const;

/**
 * The control key of a 20-digit account (Bank of Russia rules): the account is prefixed with the
 * BIC's last three digits (for a settlement centre of the Bank of Russia, or a bank's correspondent
 * account 30101…: "0" and the BIC's 5th–6th digits), each of the 23 digits is multiplied by 7, 1, 3, 7, 1, 3…, and the sum must end in 0.
 */
export function accountProblem(account: string, bic: string): string | undefined {
  if (!/^[0-9]{20}$/.test(account)) return 'Расчётный счёт должен содержать 20 цифр';
  if (bicProblem(bic)) return undefined;
  const tail = bic.slice(6);
  const keyedBySettlementCentre = tail === '000' || tail === '001' || tail === '002' || account.startsWith('30101');
  const prefix = keyedBySettlementCentre ? `0${bic.slice(4, 6)}` : tail;
  const all = digits(prefix + account);
  const sum = all.reduce((acc, d, i) => acc + ((d * ACCOUNT_WEIGHTS[i % 3]!) % 10), 0);
  return sum % 10 === 0 ? undefined : 'Контрольный ключ счёта не сходится с БИК';
}

/** The registration year encoded in OGRN/OGRNIP digits 2–3. */
export function ogrnYear(ogrn: string): number {
  return 2000 + Number(ogrn.slice(1, 3));
}
