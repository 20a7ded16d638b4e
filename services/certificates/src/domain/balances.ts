import { Money } from '@esc/money';
import type { LedgerAccount } from '@esc/ledger-client';
import type { EntityManager } from '@esc/service-kit';
import { actTotalsOfCertificates } from '../data-access/cabinet-store';
import type { CertificateLineRow } from '../data-access/certificate-store';

/** What a line's acts hold and have paid, from this service's own act records. */
export interface LineActTotals {
  held: Money;
  spent: Money;
}

export interface LineMoney {
  line_id: string;
  value: Money;
  held: Money;
  spent: Money;
  released: Money;
  available: Money;
}

/**
 * Held: acts awaiting confirmation, `authorising` ones included (their units and amount are already
 * counted on the line while the ledger places the hold). Spent: the posted amounts of posted acts.
 */
export async function actTotalsByLine(em: EntityManager, certificateIds: string[]): Promise<Map<string, LineActTotals>> {
  if (!certificateIds.length) return new Map();
  const rows = await actTotalsOfCertificates(em, certificateIds);
  return new Map(rows.map((r) => [r.line_id, { held: Money.parse(r.held), spent: Money.parse(r.spent) }]));
}

/** Statuses whose value never reached the certificate's account (still being issued, or refused): nothing is available. */
export const UNFUNDED = ['issuing', 'refused'];

/**
 * Each line's money: held and spent from its acts; the certificate's released amount split over the
 * lines in proportion to what each had left (value − held − spent), kopecks by largest remainder;
 * available is the rest. The lines add up to the certificate's value exactly.
 */
export function lineMoney(lines: CertificateLineRow[], totals: Map<string, LineActTotals>, releasedAmount: string, funded = true): LineMoney[] {
  const base = lines.map((l) => {
    const t = totals.get(l.id) ?? { held: Money.zero(), spent: Money.zero() };
    const value = Money.parse(l.net_amount);
    return { line_id: l.id, value, held: t.held, spent: t.spent, left: value.subtract(t.held).subtract(t.spent) };
  });
  const released = Money.parse(releasedAmount);
  let shares = base.map(() => Money.zero());
  if (released.isPositive() && base.length) {
    const weights = base.map((b) => (b.left.isPositive() ? b.left.toKopecks() : 0n));
    // Acts out of step with the ledger can leave nothing to weigh by; the lines' values then carry the share.
    const usable = weights.some((w) => w > 0n) ? weights : base.map((b) => b.value.toKopecks());
    shares = usable.some((w) => w > 0n) ? released.allocate(usable) : base.map((_, i) => (i === 0 ? released : Money.zero()));
  }
  return base.map((b, i) => ({
    line_id: b.line_id,
    value: b.value,
    held: b.held,
    spent: b.spent,
    released: shares[i]!,
    available: funded ? b.left.subtract(shares[i]!) : Money.zero(),
  }));
}

export interface CertificateBalance {
  value: string;
  available: string;
  held: string;
  spent: string;
  released: string;
  ties_out: boolean;
  unattributed: { available: string; held: string; spent: string };
}

/**
 * The certificate's ledger account: value = credits posted, held = pending debits, released = what
 * went back to the budget, spent = posted debits less released, available = credits − debits. Compared
 * with the lines' sums, the difference is what the acts do not account for.
 */
export function certificateBalance(account: Pick<LedgerAccount, 'credits_posted' | 'debits_posted' | 'debits_pending'>, lines: LineMoney[], releasedAmount: string): CertificateBalance {
  const credits = Money.parse(account.credits_posted);
  const debitsPosted = Money.parse(account.debits_posted);
  const held = Money.parse(account.debits_pending);
  const released = Money.parse(releasedAmount);
  const spent = debitsPosted.subtract(released);
  const available = credits.subtract(debitsPosted).subtract(held);
  const sum = (pick: (l: LineMoney) => Money) => Money.sum(lines.map(pick));
  const unattributed = { available: available.subtract(sum((l) => l.available)), held: held.subtract(sum((l) => l.held)), spent: spent.subtract(sum((l) => l.spent)) };
  return {
    value: credits.toString(),
    available: available.toString(),
    held: held.toString(),
    spent: spent.toString(),
    released: released.toString(),
    ties_out: unattributed.available.isZero() && unattributed.held.isZero() && unattributed.spent.isZero(),
    unattributed: { available: unattributed.available.toString(), held: unattributed.held.toString(), spent: unattributed.spent.toString() },
  };
}

