import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds } from '@esc/ledger-client';
import type { Principal } from '@esc/service-kit';
import { statementActs, type StatementActRow } from '../data-access/cabinet-store';
import { assertCanReadRecipient } from './access';
import { actTotalsByLine, certificateBalance, lineMoney, UNFUNDED, type CertificateBalance, type LineMoney } from './balances';
import { linesOfCertificate, type CertificateLineRow, type CertificateRow } from '../data-access/certificate-store';
import { findCertificate } from './certificates';
import type { Deps } from './context';
import { regionTimeZone } from './business-date';
import { findRecipient, fullName } from './recipients';
import { formatSnils } from './snils';
import { iso } from './time';

export type ActStatus = 'held' | 'posted' | 'partly_confirmed' | 'voided';

export interface Movement {
  kind: 'issue' | 'act' | 'release';
  at: string;
  delivery_id: string | null;
  delivered_on: string | null;
  provider_name: string | null;
  line_no: number | null;
  service_name: string | null;
  units: number | null;
  confirmed_units: number | null;
  /** The act's charge to the certificate. */
  amount: Money | null;
  status: ActStatus | null;
  credited: Money;
  held: Money;
  spent: Money;
  /** Of an act: what went back to the certificate (disputed units, a void). */
  returned: Money;
  released: Money;
  available_after: Money;
}

export interface Statement {
  generated_at: string;
  /** The certificate's region's IANA zone: the statement's dates and times are that region's. */
  time_zone: string;
  certificate: CertificateRow;
  holder: { name: string; snils: string };
  lines: Array<{ line: CertificateLineRow; money: LineMoney }>;
  movements: Movement[];
  totals: { credited: Money; held: Money; spent: Money; returned: Money; released: Money; available: Money };
  /** The ledger account as listMyCertificates gives it; the totals equal it when ties_out. */
  balance: CertificateBalance;
  ties_out: boolean;
}

function actStatus(a: StatementActRow): ActStatus {
  if (a.status === 'held' || a.status === 'authorising') return 'held';
  if (a.status === 'voided') return 'voided';
  return (a.confirmed_units ?? a.units) < a.units ? 'partly_confirmed' : 'posted';
}

const zero = Money.zero();
const blank = { delivery_id: null, delivered_on: null, provider_name: null, line_no: null, service_name: null, units: null, confirmed_units: null, amount: null, status: null };

/**
 * The certificate's statement: its header, lines with their money, and every movement of its money
 * in order with the available balance after it — the value credited at issue, each act (refused acts
 * moved nothing), each return of the balance to the budget — and the ledger account it ties out to.
 * Needs the ledger: its unavailability is the ledger client's 503.
 */
export async function certificateStatement(deps: Deps, principal: Principal, input: { id: string }): Promise<Statement> {
  const id = input.id;
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, id);
  const recipient = await findRecipient(em, certificate.recipient_id);
  assertCanReadRecipient(principal, recipient);
  const lines = await linesOfCertificate(em, id);
  const acts = await statementActs(em, id);
  const account = (await deps.ledger.getAccount(ledgerAccountIds.certificate(id))) ?? { credits_posted: '0.00', debits_posted: '0.00', debits_pending: '0.00' };
  const releases = await releaseMovements(deps, certificate);
  const money = lineMoney(lines, await actTotalsByLine(em, [id]), certificate.released_amount, !UNFUNDED.includes(certificate.status));

  const events: Array<Omit<Movement, 'available_after'>> = [];
  if (!UNFUNDED.includes(certificate.status) && Money.parse(certificate.value).isPositive()) {
    events.push({ kind: 'issue', at: certificate.created_at, ...blank, credited: Money.parse(certificate.value), held: zero, spent: zero, returned: zero, released: zero });
  }
  for (const a of acts) {
    const amount = Money.parse(a.amount);
    const status = actStatus(a);
    const held = status === 'held' ? amount : zero;
    const spent = a.status === 'posted' ? Money.parse(a.posted_amount ?? '0') : zero;
    events.push({
      kind: 'act',
      at: a.recorded_at,
      delivery_id: a.id,
      delivered_on: a.delivered_on,
      provider_name: a.provider_name,
      line_no: a.line_no,
      service_name: a.service_name,
      units: a.units,
      confirmed_units: a.confirmed_units,
      amount,
      status,
      credited: zero,
      held,
      spent,
      returned: amount.subtract(held).subtract(spent),
      released: zero,
    });
  }
  events.push(...releases);
  const order = { issue: 0, act: 1, release: 2 };
  events.sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind]);

  let available = zero;
  const movements = events.map((e) => {
    available = available.add(e.credited).subtract(e.held).subtract(e.spent).subtract(e.released);
    return { ...e, available_after: available };
  });
  const sum = (pick: (m: Movement) => Money) => Money.sum(movements.map(pick));
  const totals = { credited: sum((m) => m.credited), held: sum((m) => m.held), spent: sum((m) => m.spent), returned: sum((m) => m.returned), released: sum((m) => m.released), available };
  const balance = certificateBalance(account, money, certificate.released_amount);
  const tiesOut =
    balance.ties_out &&
    [
      [totals.available, balance.available],
      [totals.held, balance.held],
      [totals.spent, balance.spent],
      [totals.released, balance.released],
    ].every(([mine, ledger]) => (mine as Money).equals(Money.parse(ledger as string)));
  return {
    generated_at: deps.clock().toISOString(),
    time_zone: regionTimeZone(deps.regionTimeZones, certificate.region_code),
    certificate,
    holder: { name: fullName(recipient), snils: formatSnils(recipient.snils) },
    lines: lines.map((line, i) => ({ line, money: money[i]! })),
    movements,
    totals,
    balance,
    ties_out: tiesOut,
  };
}

/**
 * Returns of the balance to the budget, each dated by its ledger transfer (ids derive from the
 * certificate and the release's number). Should the ledger not account for the certificate's
 * released amount, one row with that amount as of the certificate's last change stands in.
 */
async function releaseMovements(deps: Deps, certificate: CertificateRow): Promise<Array<Omit<Movement, 'available_after'>>> {
  const released = Money.parse(certificate.released_amount);
  if (!released.isPositive()) return [];
  const release = (at: string, amount: Money) => ({ kind: 'release' as const, at, ...blank, credited: zero, held: zero, spent: zero, returned: zero, released: amount });
  const transfers = await Promise.all(
    Array.from({ length: certificate.releases }, (_, i) => deps.ledger.getTransfer(derivedTransferId(certificate.id, `release/${i + 1}`))),
  );
  // A number the ledger refused has no transfer (see skipReleaseNumber): the others must add up.
  const found = transfers.filter((t) => t !== undefined);
  if (found.length > 0 && Money.sum(found.map((t) => Money.parse(t.amount))).equals(released)) {
    // The ledger's timestamps in the same ISO form as ours: movements are ordered by comparing them as text.
    return found.map((t) => release(iso(t.created_at), Money.parse(t.amount)));
  }
  return [release(certificate.updated_at, released)];
}
