import { Money } from '@esc/money';
import { conflict, notFound } from '@esc/service-kit';
import type { PayoutCandidate } from '../data-access/batch-store';
import type { LineToResolve } from '../data-access/statement-store';
import type { ParsedLine } from './statement-formats';

/** Which payouts a statement line can be matched against: the one its reference names, or those in transit to its INN for its amount. */
export type PayoutLookup = { by: 'reference'; reference: string } | { by: 'inn_amount'; inn: string; amount: string } | { by: 'nothing' };

export function payoutLookupFor(line: Pick<ParsedLine, 'reference' | 'counterpartyInn' | 'amount'>): PayoutLookup {
  if (line.reference) return { by: 'reference', reference: line.reference };
  if (line.counterpartyInn) return { by: 'inn_amount', inn: line.counterpartyInn, amount: line.amount };
  return { by: 'nothing' };
}

export interface LineDecision {
  outcome: 'paid' | 'returned' | 'discrepancy';
  /** The matched payout; for a discrepancy the payout it concerns, if one was found. */
  payoutId: string | null;
  matchMethod: 'reference' | 'inn_amount' | null;
  discrepancyCode: string | null;
  discrepancyReason: string | null;
}

const discrepancy = (code: string, reason: string, payoutId: string | null = null): LineDecision => ({
  outcome: 'discrepancy',
  payoutId,
  matchMethod: null,
  discrepancyCode: code,
  discrepancyReason: reason,
});

/** Accounts compare as written by different banks: spaces and letter case aside (an IBAN may be grouped). */
const sameAccount = (a: string, b: string) => a.replace(/\s+/g, '').toUpperCase() === b.replace(/\s+/g, '').toUpperCase();

/**
 * What in a line contradicts the payout it names: for a payment (debit), the payee's account (any of
 * those the bank names for the payee) and INN where the bank states them, and for any line the amount. A return (credit) comes from the payee's
 * bank, often from its own transit account, so only its amount is held against the payout.
 */
function contradictions(
  line: Pick<ParsedLine, 'direction' | 'amount' | 'counterpartyInn' | 'counterpartyAccount' | 'counterpartyAccounts'>,
  payout: PayoutCandidate,
): { payee: string[]; amount: boolean } {
  const payee: string[] = [];
  if (line.direction === 'debit') {
    const named = line.counterpartyAccounts;
    if (named.length && !named.some((a) => sameAccount(a, payout.bank_account))) {
      payee.push(`счёт получателя ${named.join(' / ')}, а в выплате ${payout.bank_account}`);
    }
    if (line.counterpartyInn && line.counterpartyInn !== payout.inn) payee.push(`ИНН получателя ${line.counterpartyInn}, а в выплате ${payout.inn}`);
  }
  return { payee, amount: !Money.parse(payout.amount).equals(Money.parse(line.amount)) };
}

/**
 * Matches one statement line against the payouts its lookup found: by the payout reference first,
 * then by the recipient's INN and the amount among payouts still in transit. A reference only says
 * which payout the line is about: the line must also pay that payout's account, INN and amount. A
 * debit pays the payout, a credit is the bank returning it; a debit that reverses an earlier credit
 * pays nothing. Anything not exactly one clean match is a discrepancy for a person, and the payout is
 * left as it was; `taken` holds the payouts already matched earlier in the same statement.
 */
export function matchStatementLine(
  line: Pick<ParsedLine, 'direction' | 'amount' | 'reference' | 'counterpartyInn' | 'counterpartyName' | 'counterpartyAccount' | 'counterpartyAccounts' | 'reversal' | 'bankReason'>,
  regionCode: string,
  found: readonly PayoutCandidate[],
  taken: ReadonlySet<string>,
): LineDecision {
  const expected = line.direction === 'debit' ? 'paid' : 'returned';
  const lookup = payoutLookupFor(line);
  if (line.direction === 'debit' && line.reversal) {
    const named = lookup.by === 'reference' ? found[0] : undefined;
    return discrepancy(
      'reversal',
      `Банк сторнировал ранее зачисленную сумму ${line.amount} руб.${named ? ` по выплате ${named.reference}` : ''}` +
        `${line.bankReason ? ` (${line.bankReason})` : ''}: это не оплата выплаты, статус выплаты не изменён. Выясните в банке, что отменено, и разберите строку вручную.`,
      named?.id ?? null,
    );
  }
  let payout: PayoutCandidate;
  if (lookup.by === 'reference') {
    if (!found[0]) return discrepancy('unknown_reference', `Ссылка ${lookup.reference} из выписки не принадлежит ни одной выплате региона ${regionCode}.`);
    payout = found[0];
  } else if (lookup.by === 'nothing') {
    return discrepancy('unmatched', `В строке нет ссылки на выплату и ИНН контрагента; сопоставить не с чем (${line.amount} руб., ${line.counterpartyName ?? 'контрагент не указан'}).`);
  } else {
    const open = found.filter((p) => !taken.has(p.id));
    if (open.length === 0) {
      return discrepancy('unmatched', `Нет выплаты в пути получателю с ИНН ${lookup.inn} на сумму ${line.amount} руб., и в строке нет ссылки на выплату.`);
    }
    if (open.length > 1) {
      return discrepancy(
        'ambiguous_match',
        `Получателю с ИНН ${lookup.inn} в пути ${open.length} выплаты на ${line.amount} руб. (${open.map((f) => f.reference).join(', ')}); выберите выплату вручную.`,
      );
    }
    payout = open[0]!;
  }
  if (taken.has(payout.id)) return discrepancy('duplicate_in_statement', `Выплата ${payout.reference} уже сопоставлена с другой строкой этой выписки.`, payout.id);
  const differs = contradictions(line, payout);
  if (differs.payee.length) {
    const amount = differs.amount ? [`сумма ${line.amount} руб., а в выплате ${payout.amount} руб.`] : [];
    return discrepancy(
      'payee_mismatch',
      `Строка ${lookup.by === 'reference' ? `со ссылкой ${payout.reference}` : `по ИНН и сумме выплаты ${payout.reference}`} платит не получателю этой выплаты: ` +
        `${[...differs.payee, ...amount].join('; ')}. Выплата не отмечена исполненной; выясните платёж в банке и разберите строку вручную.`,
      payout.id,
    );
  }
  if (differs.amount) {
    return discrepancy('amount_mismatch', `Сумма в выписке ${line.amount} руб. не равна сумме выплаты ${payout.reference} — ${payout.amount} руб.`, payout.id);
  }
  if (payout.status === 'pending' || payout.status === 'withheld') {
    return discrepancy('payout_not_approved', `Выплата ${payout.reference} ещё не утверждена и не проведена в учёте, а банк её уже отразил.`, payout.id);
  }
  if (payout.status !== 'in_transit') {
    const was = payout.status === 'paid' ? 'исполненной' : 'возвращённой';
    return discrepancy(
      expected === 'returned' && payout.status === 'paid' ? 'returned_after_paid' : 'already_settled',
      `Выплата ${payout.reference} уже отмечена ${was} по другой выписке.`,
      payout.id,
    );
  }
  return { outcome: expected, payoutId: payout.id, matchMethod: lookup.by, discrepancyCode: null, discrepancyReason: null };
}

/** Only a discrepancy nobody has resolved yet is resolved by hand. */
export function assertResolvable(line: Pick<LineToResolve, 'discrepancy_code' | 'resolution'>): void {
  if (!line.discrepancy_code) throw conflict('not_a_discrepancy', 'Эта строка выписки сопоставлена автоматически; разбирать нечего.');
  if (line.resolution) throw conflict('discrepancy_already_resolved', 'Расхождение уже разобрано.');
}

/**
 * A person names the payout a discrepancy line is: it must be a payout of the line's region, in
 * transit, for exactly the line's amount. A debit line pays it, a credit line returns it.
 */
export function manualMatchOutcome(
  line: Pick<LineToResolve, 'region_code' | 'direction' | 'amount'>,
  payout: PayoutCandidate | undefined,
  payoutId: string,
): 'paid' | 'returned' {
  if (!payout || payout.region_code !== line.region_code) throw notFound('payout_not_found', `Выплата ${payoutId} не найдена в регионе ${line.region_code}.`);
  if (payout.status !== 'in_transit') throw conflict('payout_not_in_transit', `Выплата ${payout.reference} не в пути (статус ${payout.status}); сопоставить строку с ней нельзя.`);
  if (!Money.parse(payout.amount).equals(Money.parse(line.amount))) {
    throw conflict('amount_mismatch', `Сумма строки ${line.amount} руб. не равна сумме выплаты ${payout.reference} — ${payout.amount} руб.; частичное сопоставление не допускается.`);
  }
  return line.direction === 'debit' ? 'paid' : 'returned';
}
