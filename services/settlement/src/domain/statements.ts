import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ledgerAccountIds, type LedgerClient, type LedgerTransferInput } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, type Principal } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction, type SqlClient } from '@esc/service-kit/hot';
import type { Payer } from '../config';
import { one, rows } from '../data-access/sql';
import { assertCanReadRegion, assertFinanceOf } from './access';
import { openBankSettled, payoutTransferIds, postAll } from './ledger-postings';
import { parseStatement, type ParsedLine, type StatementFormat } from './statement-formats';

interface Candidate {
  id: string;
  batch_id: string;
  reference: string;
  inn: string;
  amount: string;
  status: string;
}

interface Decision {
  outcome: 'paid' | 'returned' | 'discrepancy';
  payoutId: string | null;
  matchMethod: 'reference' | 'inn_amount' | null;
  discrepancyCode: string | null;
  discrepancyReason: string | null;
}

const discrepancy = (code: string, reason: string, payoutId: string | null = null): Decision => ({
  outcome: 'discrepancy',
  payoutId,
  matchMethod: null,
  discrepancyCode: code,
  discrepancyReason: reason,
});

/**
 * Matches one statement line: by the payout reference first, then by the recipient's INN and the
 * amount among payouts still in transit. Anything not exactly one clean match is a discrepancy for a
 * person; `taken` holds the payouts already matched earlier in the same statement.
 */
async function decide(sql: SqlClient, regionCode: string, line: ParsedLine, taken: Set<string>): Promise<Decision> {
  const expected = line.direction === 'debit' ? 'paid' : 'returned';
  let payout: Candidate | undefined;
  let method: 'reference' | 'inn_amount';
  if (line.reference) {
    payout = await one<Candidate>(
      sql,
      `select id, batch_id, reference, inn, amount::text, status from settlement.payouts where reference = $1 and region_code = $2 for update`,
      [line.reference, regionCode],
    );
    if (!payout) return discrepancy('unknown_reference', `Ссылка ${line.reference} из выписки не принадлежит ни одной выплате региона ${regionCode}.`);
    method = 'reference';
  } else {
    if (!line.counterpartyInn) {
      return discrepancy('unmatched', `В строке нет ссылки на выплату и ИНН контрагента; сопоставить не с чем (${line.amount} руб., ${line.counterpartyName ?? 'контрагент не указан'}).`);
    }
    const found = await rows<Candidate>(
      sql,
      `select id, batch_id, reference, inn, amount::text, status from settlement.payouts
        where inn = $1 and amount = $2::numeric and region_code = $3 and status = 'in_transit' and not (id = any($4::uuid[]))
        order by number for update`,
      [line.counterpartyInn, line.amount, regionCode, [...taken]],
    );
    if (found.length === 0) {
      return discrepancy('unmatched', `Нет выплаты в пути получателю с ИНН ${line.counterpartyInn} на сумму ${line.amount} руб., и в строке нет ссылки на выплату.`);
    }
    if (found.length > 1) {
      return discrepancy(
        'ambiguous_match',
        `Получателю с ИНН ${line.counterpartyInn} в пути ${found.length} выплаты на ${line.amount} руб. (${found.map((f) => f.reference).join(', ')}); выберите выплату вручную.`,
      );
    }
    payout = found[0]!;
    method = 'inn_amount';
  }
  if (taken.has(payout.id)) return discrepancy('duplicate_in_statement', `Выплата ${payout.reference} уже сопоставлена с другой строкой этой выписки.`, payout.id);
  if (payout.amount !== line.amount) {
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
  return { outcome: expected, payoutId: payout.id, matchMethod: method, discrepancyCode: null, discrepancyReason: null };
}

async function applyOutcome(sql: SqlClient, payoutId: string, outcome: 'paid' | 'returned', lineId: string, bankReason: string | null) {
  await sql.query({
    text: `update settlement.payouts set status = $2, settled_at = now(), statement_line_id = $3,
                  return_reason = case when $2 = 'returned' then coalesce($4, 'Банк вернул платёж без указания причины') end
            where id = $1 and status = 'in_transit'`,
    values: [payoutId, outcome, lineId, bankReason],
  });
}

/**
 * Imports a bank statement in one transaction: the file is parsed whole first (a bad file changes
 * nothing), refused when it was imported before or is for another account, and every line ends paid,
 * returned or a discrepancy. The ledger postings follow in a job.
 */
export async function importStatement(
  orm: MikroORM,
  payer: Payer,
  principal: Principal,
  input: { format: StatementFormat; content: Buffer; fileName?: string },
): Promise<string> {
  assertFinanceOf(principal, payer.regionCode);
  if (input.content.length === 0) throw unprocessable('empty_file', 'Файл выписки пуст. Выгрузите выписку заново.');
  const parsed = parseStatement(input.format, input.content);
  if (parsed.account !== payer.account) {
    throw new AppError(
      'unprocessable',
      'unknown_account',
      `Выписка по счёту ${parsed.account}, а выплаты региона ${payer.regionCode} идут со счёта ${payer.account}. Загрузите выписку по счёту выплат.`,
      { statement_account: parsed.account },
    );
  }
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  return withSqlTransaction(orm, async (sql) => {
    const statementId = randomUUID();
    const inserted = await one<{ id: string }>(
      sql,
      `insert into settlement.statements (id, region_code, format, sha256, file_name, account, statement_ref, date_from, date_to, status, imported_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'posting', $10) on conflict (sha256) do nothing returning id`,
      [statementId, payer.regionCode, input.format, sha256, input.fileName ?? null, parsed.account, parsed.statementRef, parsed.dateFrom, parsed.dateTo, principal.subject],
    );
    if (!inserted) {
      const existing = await one<{ id: string; imported_at: string }>(sql, `select id, imported_at from settlement.statements where sha256 = $1`, [sha256]);
      throw conflict('statement_already_imported', `Эта выписка уже загружена ${String(existing!.imported_at).slice(0, 10)}; повторная загрузка ничего не меняет.`, {
        statement_id: existing!.id,
      });
    }
    if (parsed.statementRef && input.format === 'camt053') {
      const same = await one<{ id: string }>(
        sql,
        `select id from settlement.statements where statement_ref = $1 and account = $2 and id <> $3 and format = 'camt053'`,
        [parsed.statementRef, parsed.account, statementId],
      );
      if (same) throw conflict('statement_already_imported', `Выписка ${parsed.statementRef} по этому счёту уже загружена.`, { statement_id: same.id });
    }
    const taken = new Set<string>();
    for (const line of parsed.lines) {
      const d = await decide(sql, payer.regionCode, line, taken);
      const lineId = randomUUID();
      if (d.payoutId && d.outcome !== 'discrepancy') taken.add(d.payoutId);
      await sql.query({
        text: `insert into settlement.statement_lines (id, statement_id, number, direction, amount, booked_on, counterparty_name, counterparty_inn,
                 counterparty_account, purpose, reference, bank_reason, outcome, payout_id, match_method, discrepancy_code, discrepancy_reason)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        values: [
          lineId, statementId, line.number, line.direction, line.amount, line.bookedOn, line.counterpartyName, line.counterpartyInn,
          line.counterpartyAccount, line.purpose, line.reference, line.bankReason, d.outcome, d.outcome === 'discrepancy' ? null : d.payoutId,
          d.matchMethod, d.discrepancyCode, d.discrepancyReason,
        ],
      });
      if (d.outcome !== 'discrepancy') await applyOutcome(sql, d.payoutId!, d.outcome, lineId, line.bankReason);
    }
    return statementId;
  });
}

const lineColumns = (t: string) =>
  `${t}.id, ${t}.statement_id, ${t}.number, ${t}.direction, ${t}.amount::text as amount, ${t}.booked_on::text as booked_on, ${t}.counterparty_name,
   ${t}.counterparty_inn, ${t}.counterparty_account, ${t}.purpose, ${t}.reference, ${t}.bank_reason, ${t}.outcome, ${t}.payout_id, ${t}.match_method,
   ${t}.discrepancy_code, ${t}.discrepancy_reason, ${t}.resolution, ${t}.resolution_note, ${t}.resolved_by, ${t}.resolved_at, ${t}.ledger_posted`;

export async function getStatement(orm: MikroORM, principal: Principal, id: string) {
  return withSqlClient(orm, async (sql) => {
    const statement = await one<{ region_code: string } & Record<string, unknown>>(
      sql,
      `select id, region_code, format, sha256, file_name, account, statement_ref, date_from::text, date_to::text, status, imported_by, imported_at, posted_at, last_error
         from settlement.statements where id = $1`,
      [id],
    );
    if (!statement) throw notFound('statement_not_found', `Выписка ${id} не найдена.`);
    assertCanReadRegion(principal, statement.region_code);
    const lines = await rows(sql, `select ${lineColumns('l')} from settlement.statement_lines l where l.statement_id = $1 order by l.number`, [id]);
    return { ...statement, lines };
  });
}

export async function listDiscrepancies(orm: MikroORM, principal: Principal, regionCode: string, open: boolean) {
  assertCanReadRegion(principal, regionCode);
  return withSqlClient(orm, (sql) =>
    rows(
      sql,
      `select ${lineColumns('l')} from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id
        where s.region_code = $1 and l.discrepancy_code is not null and ($2::boolean = false or l.resolution is null)
        order by s.imported_at, l.number`,
      [regionCode, open],
    ),
  );
}

/**
 * A finance officer settles a discrepancy with a note: either dismisses it (the line stays unmatched,
 * e.g. a payment that is not ours) or names the payout it is, which must be in transit for the same amount.
 */
export async function resolveDiscrepancy(
  orm: MikroORM,
  principal: Principal,
  lineId: string,
  input: { note: string; payoutId?: string },
): Promise<string> {
  return withSqlTransaction(orm, async (sql) => {
    const line = await one<{ id: string; statement_id: string; region_code: string; direction: 'debit' | 'credit'; amount: string; discrepancy_code: string | null; resolution: string | null; bank_reason: string | null }>(
      sql,
      `select l.id, l.statement_id, s.region_code, l.direction, l.amount::text, l.discrepancy_code, l.resolution, l.bank_reason
         from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id where l.id = $1 for update of l`,
      [lineId],
    );
    if (!line) throw notFound('statement_line_not_found', `Строка выписки ${lineId} не найдена.`);
    assertFinanceOf(principal, line.region_code);
    if (!line.discrepancy_code) throw conflict('not_a_discrepancy', 'Эта строка выписки сопоставлена автоматически; разбирать нечего.');
    if (line.resolution) throw conflict('discrepancy_already_resolved', 'Расхождение уже разобрано.');
    if (!input.payoutId) {
      await sql.query({
        text: `update settlement.statement_lines set resolution = 'dismissed', resolution_note = $2, resolved_by = $3, resolved_at = now() where id = $1`,
        values: [lineId, input.note, principal.subject],
      });
      return line.statement_id;
    }
    const payout = await one<Candidate & { region_code: string }>(
      sql,
      `select id, batch_id, reference, inn, amount::text, status, region_code from settlement.payouts where id = $1 for update`,
      [input.payoutId],
    );
    if (!payout || payout.region_code !== line.region_code) throw notFound('payout_not_found', `Выплата ${input.payoutId} не найдена в регионе ${line.region_code}.`);
    if (payout.status !== 'in_transit') throw conflict('payout_not_in_transit', `Выплата ${payout.reference} не в пути (статус ${payout.status}); сопоставить строку с ней нельзя.`);
    if (payout.amount !== line.amount) {
      throw conflict('amount_mismatch', `Сумма строки ${line.amount} руб. не равна сумме выплаты ${payout.reference} — ${payout.amount} руб.; частичное сопоставление не допускается.`);
    }
    const outcome = line.direction === 'debit' ? 'paid' : 'returned';
    await sql.query({
      text: `update settlement.statement_lines set resolution = 'matched', resolution_note = $2, resolved_by = $3, resolved_at = now(),
                    outcome = $4, payout_id = $5, match_method = 'manual' where id = $1`,
      values: [lineId, input.note, principal.subject, outcome, payout.id],
    });
    await applyOutcome(sql, payout.id, outcome, lineId, line.bank_reason);
    await sql.query({ text: `update settlement.statements set status = 'posting' where id = $1`, values: [line.statement_id] });
    return line.statement_id;
  });
}

/**
 * Posts what a statement decided: paid → payouts in transit → bank settled; returned → payouts in
 * transit → provider payable. Transfer ids come from the payout, so this may run any number of times.
 */
export async function postStatement(orm: MikroORM, ledger: LedgerClient, statementId: string): Promise<'posted' | 'nothing_to_do'> {
  const statement = await withSqlClient(orm, (sql) =>
    one<{ region_code: string; status: string }>(sql, `select region_code, status from settlement.statements where id = $1`, [statementId]),
  );
  if (!statement || statement.status !== 'posting') return 'nothing_to_do';
  try {
    const pending = await withSqlClient(orm, (sql) =>
      rows<{ id: string; outcome: string; payout_id: string; batch_id: string; provider_id: string; amount: string; reference: string }>(
        sql,
        `select l.id, l.outcome, l.payout_id, p.batch_id, p.provider_id, p.amount::text, p.reference
           from settlement.statement_lines l join settlement.payouts p on p.id = l.payout_id
          where l.statement_id = $1 and l.outcome in ('paid', 'returned') and not l.ledger_posted order by l.number`,
        [statementId],
      ),
    );
    if (pending.some((l) => l.outcome === 'paid')) await openBankSettled(ledger, statement.region_code);
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
    await postAll(ledger, transfers);
    await withSqlTransaction(orm, async (sql) => {
      if (pending.length) {
        await sql.query({ text: `update settlement.statement_lines set ledger_posted = true where id = any($1::uuid[])`, values: [pending.map((l) => l.id)] });
      }
      await sql.query({
        text: `update settlement.statements s set status = 'posted', posted_at = now(), last_error = null
                where id = $1 and not exists (select 1 from settlement.statement_lines l
                                               where l.statement_id = s.id and l.outcome in ('paid', 'returned') and not l.ledger_posted)`,
        values: [statementId],
      });
    });
    return 'posted';
  } catch (err) {
    await withSqlClient(orm, (sql) =>
      sql.query({ text: `update settlement.statements set last_error = $2 where id = $1`, values: [statementId, String((err as Error).message).slice(0, 500)] }),
    ).catch(() => undefined);
    throw err;
  }
}
