import { formatMoney } from '../format/money';

/** An amount from the API, shown as `1 234,50 ₽`; the decimal string never becomes a float. */
export function Money({ amount }: { amount: string | null | undefined }) {
  if (amount == null) return <span className="muted">—</span>;
  return <span className="money">{formatMoney(amount)}</span>;
}
