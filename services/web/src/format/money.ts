const rub = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', minimumFractionDigits: 2, maximumFractionDigits: 2 });

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

/**
 * `1 234,50 ₽` from the API's decimal string. Intl formats the string itself (exact decimal), so no
 * amount passes through a binary float; anything that is not a decimal string is refused loudly.
 */
export function formatMoney(amount: string): string {
  if (typeof amount !== 'string' || !DECIMAL.test(amount)) throw new Error(`not a decimal amount: ${JSON.stringify(amount)}`);
  return rub.format(amount as unknown as number);
}
