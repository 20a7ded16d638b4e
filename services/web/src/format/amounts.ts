import { Money } from '@esc/money';

/** Sums and comparisons of the API's decimal amounts through the project's Money: never a float. */
export const toKopecks = (amount: string): bigint => Money.parse(amount).toKopecks();
export const fromKopecks = (kopecks: bigint): string => Money.fromKopecks(kopecks).toString();
export const addMoney = (...amounts: string[]): string => Money.sum(amounts.map((a) => Money.parse(a))).toString();
export const sumAmounts = (amounts: string[]): string => addMoney(...amounts);
export const sameMoney = (a: string, b: string): boolean => Money.parse(a).equals(Money.parse(b));
