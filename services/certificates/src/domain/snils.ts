/**
 * SNILS: 9 digits and a 2-digit check number. The check is Σ digit × (9 − position); below 100 it is
 * the sum itself, 100 and 101 give 00, above that the remainder of division by 101 (100 again → 00).
 * Numbers up to 001-001-998 predate the check and are accepted as they are.
 */
export function isValidSnils(snils: string): boolean {
  if (!/^\d{11}$/.test(snils)) return false;
  const body = snils.slice(0, 9);
  if (Number(body) <= 1001998) return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return check === Number(snils.slice(9));
}

/** Accepts "112-233-445 95", "11223344595" and other spacings; returns the 11 digits. */
export function normaliseSnils(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export const formatSnils = (snils: string) => `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
