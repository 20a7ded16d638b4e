/** Decimal strings added exactly, in kopecks: the figures a tie-out compares must never pass through a float. */
export function toKopecks(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [rub, kop = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = BigInt(rub!) * 100n + BigInt(kop.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

export function fromKopecks(kopecks: bigint): string {
  const sign = kopecks < 0n ? '-' : '';
  const abs = kopecks < 0n ? -kopecks : kopecks;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function addMoney(...amounts: string[]): string {
  return fromKopecks(amounts.reduce((sum, a) => sum + toKopecks(a), 0n));
}

export function sameMoney(a: string, b: string): boolean {
  return toKopecks(a) === toKopecks(b);
}
