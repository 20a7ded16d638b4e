import { Money } from '@esc/money';
import { AppError, type Principal } from '@esc/service-kit';
import { budgetProgrammesOfRegion, bulkIssuesOfRegion, queuedAssessments, searchRecipients as findRecipients, type QueuedAssessmentRow } from '../data-access/caseworker-store';
import type { BulkIssueRow } from '../data-access/bulk-issue-store';
import { certificateMoneyOfRegion } from '../data-access/budget-store';
import type { AssessmentStatus } from '../data-access/entities';
import { assertCaseworkerOf, assertFinanceOf, isCaseworkerOf, readsEverything } from './access';
import { allocationBalance, type BudgetProgrammeBalance, type BudgetProgrammeRow } from './budget';
import { todayIn } from './business-date';
import { issueInputs, quoteCertificate, type CertificateQuote } from './certificates';
import type { Deps } from './context';
import type { Recipient } from './recipients';
import { normaliseSnils } from './snils';

/** The case worker's desk: the queue of assessments, finding a person, and what an issue would give before it is made. */

const UNDER_WAY: AssessmentStatus[] = ['open', 'recognised'];

export interface QueuedAssessment extends QueuedAssessmentRow {
  deadline: 'decision' | 'programme' | null;
  due: string | null;
  overdue: boolean;
}

/** The deadline running now (442-FZ art. 15) and whether it has passed on `today`. */
export function runningDeadline(a: Pick<QueuedAssessmentRow, 'status' | 'decision_due' | 'programme_due'>, today: string): Pick<QueuedAssessment, 'deadline' | 'due' | 'overdue'> {
  if (a.status === 'open') return { deadline: 'decision', due: a.decision_due, overdue: a.decision_due < today };
  if (a.status === 'recognised') return { deadline: 'programme', due: a.programme_due, overdue: a.programme_due < today };
  return { deadline: null, due: null, overdue: false };
}

export async function workQueue(
  deps: Deps,
  principal: Principal,
  input: { region_code: string; status?: AssessmentStatus; district_code?: string; recipient_id?: string; limit: number },
): Promise<{ today: string; items: QueuedAssessment[] }> {
  assertCaseworkerOf(principal, input.region_code);
  const today = todayIn(deps, input.region_code);
  const rows = await queuedAssessments(
    deps.orm.em.fork(),
    { region_code: input.region_code, statuses: input.status ? [input.status] : UNDER_WAY, district_code: input.district_code, recipient_id: input.recipient_id },
    input.limit,
  );
  return { today, items: rows.map((row) => ({ ...row, ...runningDeadline(row, today) })) };
}

/** Digits with separators are a SNILS (or its beginning); anything else is a name, word by word. */
export function parseRecipientQuery(q: string): { kind: 'snils'; digits: string } | { kind: 'name'; words: string[] } {
  const trimmed = q.trim();
  if (/^[\d\s-]+$/.test(trimmed)) {
    const digits = normaliseSnils(trimmed);
    if (digits.length < 3 || digits.length > 11) {
      throw new AppError('validation', 'validation_failed', 'Введите не меньше 3 и не больше 11 цифр СНИЛС.', {}, [{ field: 'q', message: 'от 3 до 11 цифр СНИЛС' }]);
    }
    return { kind: 'snils', digits };
  }
  const words = trimmed.split(/\s+/).filter(Boolean).slice(0, 3);
  if (words.length === 0 || words[0]!.length < 2) {
    throw new AppError('validation', 'validation_failed', 'Введите не меньше двух букв фамилии.', {}, [{ field: 'q', message: 'не меньше двух букв фамилии' }]);
  }
  return { kind: 'name', words };
}

export async function searchRecipients(deps: Deps, principal: Principal, input: { region_code: string; q: string; limit: number }): Promise<Recipient[]> {
  assertCaseworkerOf(principal, input.region_code);
  return findRecipients(deps.orm.em.fork(), input.region_code, parseRecipientQuery(input.q), input.limit);
}

export interface BudgetProgrammeListItem {
  programme: BudgetProgrammeRow;
  balance: Omit<BudgetProgrammeBalance, 'programme'> | null;
  /** The allocation account's posted balance as the ledger holds it; null when the ledger is silent. */
  ledgerBalance: string | null;
  /** What the programme's certificates hold for unconfirmed acts and what confirmed acts paid, as recorded here. */
  held: string;
  redeemed: string;
}

/** The region's programmes with what is left in each; a silent ledger leaves the amounts out, not the list. */
export async function listBudgetProgrammes(deps: Deps, principal: Principal, input: { region_code: string }): Promise<BudgetProgrammeListItem[]> {
  if (!readsEverything(principal) && !isCaseworkerOf(principal, input.region_code)) assertFinanceOf(principal, input.region_code);
  const em = deps.orm.em.fork();
  const programmes = await budgetProgrammesOfRegion(em, input.region_code);
  const money = new Map((await certificateMoneyOfRegion(em, input.region_code)).map((m) => [m.budget_programme_id, m]));
  return Promise.all(
    programmes.map(async (programme) => {
      const account = await deps.ledger.getAccount(programme.allocation_account_id).then(
        (found) => ({ found }),
        () => null,
      );
      const recorded = money.get(programme.id);
      return {
        programme,
        balance: account ? allocationBalance(account.found) : null,
        ledgerBalance: account ? Money.parse(account.found?.balance.posted ?? '0').toString() : null,
        held: Money.parse(recorded?.held ?? '0').toString(),
        redeemed: Money.parse(recorded?.redeemed ?? '0').toString(),
      };
    }),
  );
}

export interface IssueQuote {
  programmeId: string;
  recipientId: string;
  issuedOn: string;
  quote: CertificateQuote;
  budget: BudgetProgrammeBalance;
  availableAfter: Money;
  covered: boolean;
}

/** What `issueCertificate` would write today, worked out the same way, with the allocation it would draw on; nothing is written. */
export async function quoteIssue(deps: Deps, principal: Principal, input: { id: string; budget_programme_id: string; valid_from?: string }): Promise<IssueQuote> {
  const em = deps.orm.em.fork();
  const { programme, recipient, budgetProgramme, issuedOn } = await issueInputs(deps, em, principal, { ...input, programme_id: input.id });
  const quote = await quoteCertificate(deps, em, recipient, programme, issuedOn, input.valid_from);
  const balance = allocationBalance(await deps.ledger.getAccount(budgetProgramme.allocation_account_id));
  const availableAfter = Money.parse(balance.available).subtract(quote.value);
  return {
    programmeId: programme.id,
    recipientId: recipient.id,
    issuedOn,
    quote,
    budget: { programme: budgetProgramme, ...balance },
    availableAfter,
    covered: !availableAfter.isNegative(),
  };
}

/** The region's uploads with their progress, so that a worker who left a running file finds it again. */
export async function listBulkIssues(deps: Deps, principal: Principal, input: { region_code: string; limit: number }): Promise<BulkIssueRow[]> {
  if (!readsEverything(principal)) assertCaseworkerOf(principal, input.region_code);
  return bulkIssuesOfRegion(deps.orm.em.fork(), input.region_code, input.limit);
}
