/** The sum of the API's decimal amounts, in whole kopecks (BigInt), never through a float. */
export function sumAmounts(amounts: string[]): string {
  const kopecks = amounts.reduce((total, amount) => {
    const [whole, fraction = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
    return total + (amount.startsWith('-') ? -value : value);
  }, 0n);
  const abs = kopecks < 0n ? -kopecks : kopecks;
  return `${kopecks < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
