import { createHash, randomUUID } from 'node:crypto';
import { ledgerAccountIds, type LedgerTransferInput } from '@esc/ledger-client';
import { conflict, notFound, unprocessable, type Principal, type Sql } from '@esc/service-kit';
import * as batchStore from '../data-access/batch-store';
import type { PayoutCandidate } from '../data-access/batch-store';
import { inRawTransaction, onRawConnection } from '../data-access/connections';
import * as statementStore from '../data-access/statement-store';
import type { StatementLineRow, StatementRow } from '../data-access/statement-store';
import { assertCanReadRegion, assertFinanceOf } from './access';
import { payoutsPaid } from './business-metrics';
import type { Deps } from './context';
import { openBankSettled, payoutTransferIds, postAll } from './ledger-postings';
import { notOurAccount, parseStatement, statementFingerprint, type ParsedLine, type StatementFormat } from './statement-formats';
import { assertResolvable, manualMatchOutcome, matchStatementLine, payoutLookupFor } from './statement-matching';
import { audit } from '../data-access/audit-store';
import { writePayoutsSettled, writeUnmatchedLines } from '../data-access/notice-event-store';

export type { StatementLineRow, StatementRow };

/** The payouts a line's lookup finds, locked: the line may settle one of them in this transaction. */
async function lockCandidates(sql: Sql, regionCode: string, line: ParsedLine, taken: ReadonlySet<string>): Promise<PayoutCandidate[]> {
  const lookup = payoutLookupFor(line);
  if (lookup.by === 'reference') {
    const payout = await batchStore.lockPayoutByReference(sql, lookup.reference, regionCode);
    return payout ? [payout] : [];
  }
  if (lookup.by === 'inn_amount') {
    return batchStore.lockInTransitPayoutsTo(sql, { inn: lookup.inn, amount: lookup.amount, regionCode, excludedIds: [...taken] });
  }
  return [];
}

export interface ImportStatementInput {
  format: StatementFormat;
  content: Buffer;
  fileName?: string;
}

export interface ImportedStatement {
  id: string;
  /** The statement had been imported before (the same account, period and documents): this is that import, and nothing changed. */
  replayed: boolean;
}

/**
 * Imports a bank statement in one transaction: the file is parsed whole first (a bad file changes
 * nothing), refused when it is for another account, and every line ends paid, returned or a
 * discrepancy. A statement is known by its fingerprint (account, period, documents), not its bytes:
 * the same statement again — other line ends, downloaded again — answers the first import and changes
 * nothing; a camt.053 statement id already imported with other content is refused. The ledger
 * postings follow in a job.
 */
export async function importStatement(deps: Deps, principal: Principal, input: ImportStatementInput): Promise<ImportedStatement> {
  const { payer } = deps;
  assertFinanceOf(principal, payer.regionCode);
  if (input.content.length === 0) throw unprocessable('empty_file', 'Файл выписки пуст. Выгрузите выписку заново.');
  const parsed = parseStatement(input.format, input.content, { account: payer.account });
  if (parsed.account !== payer.account) throw notOurAccount(parsed.accounts, payer.account);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const fingerprint = statementFingerprint(parsed);
  return inRawTransaction(deps.orm, async (sql) => {
    const statementId = randomUUID();
    const inserted = await statementStore.insertStatement(sql, {
      id: statementId,
      regionCode: payer.regionCode,
      format: input.format,
      sha256,
      fingerprint,
      fileName: input.fileName ?? null,
      account: parsed.account,
      statementRef: parsed.statementRef,
      dateFrom: parsed.dateFrom,
      dateTo: parsed.dateTo,
      importedBy: principal.subject,
    });
    if (!inserted) {
      const first = await statementStore.sameStatement(sql, { fingerprint, sha256 });
      if (first) return { id: first.id, replayed: true };
      const sameRef = parsed.statementRef ? await statementStore.camtStatementWithRef(sql, parsed.statementRef, parsed.account) : undefined;
      if (!sameRef) throw new Error(`statement ${sha256} collided with no statement`);
      throw conflict(
        'statement_already_imported',
        `Выписка банка № ${parsed.statementRef} по счёту ${parsed.account} уже загружена (выписка ${sameRef.id}), а в этом файле под тем же номером другие операции. ` +
          'Ничего не изменено: сверьте файл с выпиской в банке; если банк исправил выписку, разберите расхождения по уже загруженной выписке.',
        { statement_id: sameRef.id },
      );
    }
    const taken = new Set<string>();
    const settledLines: string[] = [];
    const outcomes: Record<string, number> = { paid: 0, returned: 0, discrepancy: 0 };
    for (const line of parsed.lines) {
      const d = matchStatementLine(line, payer.regionCode, await lockCandidates(sql, payer.regionCode, line, taken), taken);
      const lineId = randomUUID();
      if (d.payoutId && d.outcome !== 'discrepancy') taken.add(d.payoutId);
      await statementStore.insertStatementLine(sql, {
        id: lineId,
        statementId,
        number: line.number,
        direction: line.direction,
        amount: line.amount,
        bookedOn: line.bookedOn,
        counterpartyName: line.counterpartyName,
        counterpartyInn: line.counterpartyInn,
        counterpartyAccount: line.counterpartyAccount,
        purpose: line.purpose,
        reference: line.reference,
        bankReason: line.bankReason,
        outcome: d.outcome,
        payoutId: d.outcome === 'discrepancy' ? null : d.payoutId,
        matchMethod: d.matchMethod,
        discrepancyCode: d.discrepancyCode,
        discrepancyReason: d.discrepancyReason,
      });
      if (d.outcome !== 'discrepancy') {
        await batchStore.settlePayout(sql, { payoutId: d.payoutId!, outcome: d.outcome, statementLineId: lineId, bankReason: line.bankReason });
        settledLines.push(lineId);
      }
      outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
    }
    // The providers learn their payouts paid or returned, and finance the lines left to resolve, with the import.
    await writePayoutsSettled(sql, settledLines);
    await writeUnmatchedLines(sql, statementId);
    await audit(sql, principal, {
      action: 'statement.imported',
      object_type: 'statement',
      object_id: statementId,
      after: { format: input.format, sha256, account: parsed.account, statement_ref: parsed.statementRef ?? null, lines: parsed.lines.length, ...outcomes },
    });
    return { id: statementId, replayed: false };
  });
}

export async function getStatement(deps: Deps, principal: Principal, input: { id: string }): Promise<{ statement: StatementRow; lines: StatementLineRow[] }> {
  return onRawConnection(deps.orm, async (sql) => {
    const statement = await statementStore.findStatement(sql, input.id);
    if (!statement) throw notFound('statement_not_found', `Выписка ${input.id} не найдена.`);
    assertCanReadRegion(principal, statement.region_code);
    return { statement, lines: await statementStore.linesOfStatement(sql, input.id) };
  });
}

export async function listDiscrepancies(deps: Deps, principal: Principal, input: { regionCode: string; open: boolean }): Promise<StatementLineRow[]> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, (sql) => statementStore.discrepanciesOfRegion(sql, input.regionCode, input.open));
}

export interface ResolveDiscrepancyInput {
  lineId: string;
  note: string;
  payoutId?: string;
}

/**
 * A finance officer settles a discrepancy with a note: either dismisses it (the line stays unmatched,
 * e.g. a payment that is not ours) or names the payout it is, which must be in transit for the same
 * amount. Answers the statement's id.
 */
export async function resolveDiscrepancy(deps: Deps, principal: Principal, input: ResolveDiscrepancyInput): Promise<string> {
  return inRawTransaction(deps.orm, async (sql) => {
    const line = await statementStore.lockLineToResolve(sql, input.lineId);
    if (!line) throw notFound('statement_line_not_found', `Строка выписки ${input.lineId} не найдена.`);
    assertFinanceOf(principal, line.region_code);
    assertResolvable(line);
    const resolved = (after: Record<string, unknown>) =>
      audit(sql, principal, { action: 'discrepancy.resolved', object_type: 'statement_line', object_id: input.lineId, before: { outcome: 'discrepancy', discrepancy_code: line.discrepancy_code }, after: { ...after, note: input.note } });
    if (!input.payoutId) {
      await statementStore.dismissLine(sql, input.lineId, { note: input.note, resolvedBy: principal.subject });
      await resolved({ outcome: 'dismissed' });
      return line.statement_id;
    }
    const payout = await batchStore.lockPayout(sql, input.payoutId);
    const outcome = manualMatchOutcome(line, payout, input.payoutId);
    await statementStore.matchLineByHand(sql, input.lineId, { note: input.note, resolvedBy: principal.subject, outcome, payoutId: payout!.id });
    await batchStore.settlePayout(sql, { payoutId: payout!.id, outcome, statementLineId: input.lineId, bankReason: line.bank_reason });
    await writePayoutsSettled(sql, [input.lineId]);
    await statementStore.markStatementPosting(sql, line.statement_id);
    await resolved({ outcome, payout_id: payout!.id });
    return line.statement_id;
  });
}

/**
 * Posts what a statement decided: paid → payouts in transit → bank settled; returned → payouts in
 * transit → provider payable. Transfer ids come from the payout, so this may run any number of times.
 */
export async function postStatement(deps: Deps, _principal: Principal, input: { statementId: string }): Promise<'posted' | 'nothing_to_do'> {
  const { statementId } = input;
  const statement = await onRawConnection(deps.orm, (sql) => statementStore.statementPostingState(sql, statementId));
  if (!statement || statement.status !== 'posting') return 'nothing_to_do';
  try {
    const pending = await onRawConnection(deps.orm, (sql) => statementStore.unpostedSettlementsOf(sql, statementId));
    if (pending.some((l) => l.outcome === 'paid')) await openBankSettled(deps.ledger, statement.region_code);
    const transfers: LedgerTransferInput[] = pending.map((l) =>
      l.outcome === 'paid'
        ? {
            id: payoutTransferIds.confirm(l.payout_id),
            debit_account_id: ledgerAccountIds.payoutsInTransit(l.batch_id),
            credit_account_id: ledgerAccountIds.bankSettled(statement.region_code),
            amount: l.amount,
            code: 'payout_bank_confirmed',
            reference: l.reference,
          }
        : {
            id: payoutTransferIds.return(l.payout_id),
            debit_account_id: ledgerAccountIds.payoutsInTransit(l.batch_id),
            credit_account_id: ledgerAccountIds.providerPayable(l.provider_id),
            amount: l.amount,
            code: 'payout_bank_returned',
            reference: l.reference,
          },
    );
    await postAll(deps.ledger, transfers);
    await inRawTransaction(deps.orm, async (sql) => {
      if (pending.length) await statementStore.markLinesPosted(sql, pending.map((l) => l.id));
      await statementStore.markStatementPostedIfComplete(sql, statementId);
    });
    const paid = pending.filter((l) => l.outcome === 'paid').length;
    if (paid) payoutsPaid.inc(paid);
    return 'posted';
  } catch (err) {
    await onRawConnection(deps.orm, (sql) => statementStore.recordStatementFailure(sql, statementId, String((err as Error).message).slice(0, 500))).catch(
      () => undefined,
    );
    throw err;
  }
}
