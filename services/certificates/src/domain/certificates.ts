import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerAccount } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { bookingsOfCertificate, type BookingRow } from '../data-access/booking-store';
import {
  addReleased,
  certificateExists,
  certificatesBy,
  certificatesDueForExpiry,
  certificatesStuckIssuing,
  certificatesWithPendingRelease,
  clearReleasePending,
  expireCertificate,
  findCertificateRow,
  finishIssuing,
  insertCertificate,
  linesOfCertificate,
  lockCertificateRow,
  lockLiveCertificateOfProgramme,
  markReleasePending,
  skipReleaseNumber,
  resumeCertificateRow,
  setCertificateStatus,
  type CertificateFeeCalculation,
  type CertificateLineRow,
  type CertificateRow,
} from '../data-access/certificate-store';
import { deliveriesOfCertificate, type DeliveryRow } from '../data-access/delivery-store';
import { assertCanReadRecipient, assertCaseworkerOf, readsEverything } from './access';
import { findProgramme, type ProgrammeRow } from './assessments';
import { findBudgetProgramme, requireParametersAt, type RegionalParameters } from './budget';
import type { Deps } from './context';
import { calculateFees, perCapitaIncome, type ServiceForm } from './fees';
import { findRecipient, type RecipientRow } from './recipients';
import { SPENDABLE } from './redemption';
import { recordRefusal, refusalError } from './refusals';
import { cancelOpenBookings } from './reservations';
import { keepRefusal, keptRefusal } from './refused-requests';
import { addDays, addMonths } from './working-days';
import { todayIn, todayInEachRegion } from './business-date';
import { audit } from '../data-access/audit-store';
import { writeCertificatesIssuedEvents, writeCertificateStatusEvent } from '../data-access/notice-event-store';

export type { CertificateLineRow, CertificateRow, CertificateStatus } from '../data-access/certificate-store';
export { SPENDABLE };

export async function findCertificate(em: EntityManager, id: string): Promise<CertificateRow> {
  return (await findCertificateRow(em, id)) ?? certificateNotFound(id);
}

/** The certificate, locked until the transaction ends. */
export async function lockCertificate(em: EntityManager, id: string): Promise<CertificateRow> {
  return (await lockCertificateRow(em, id)) ?? certificateNotFound(id);
}

function certificateNotFound(id: string): never {
  throw notFound('certificate_not_found', `Сертификат ${id} не найден.`);
}

export interface PricedLine {
  service_code: string;
  service_name: string;
  form: ServiceForm;
  unit: string;
  volume_per_month: number;
  months: number;
  volume: number;
  unit_cost: Money;
  cost_breakdown: Record<string, unknown>;
  gross: Money;
  fee: Money;
  net: Money;
}

export interface CertificateQuote {
  lines: PricedLine[];
  gross: Money;
  fee: Money;
  value: Money;
  feeCalculation: CertificateFeeCalculation;
  validFrom: string;
  validTo: string;
}

/**
 * Value = Σ unit cost × volume − fees: unit costs from the registry at the issue date with the
 * recipient's coefficients, fees by 442-FZ from the regional parameters in force that day.
 */
export async function quoteCertificate(
  deps: Deps,
  em: EntityManager,
  recipient: RecipientRow,
  programme: Pick<ProgrammeRow, 'valid_from' | 'lines'>,
  issuedOn: string,
  validFromInput?: string,
  /** Regional parameters already read for this date (bulk issuing reads them once per file). */
  parametersInForce?: RegionalParameters,
): Promise<CertificateQuote> {
  const parameters = parametersInForce ?? (await requireParametersAt(em, recipient.region_code, issuedOn));
  const priced: Array<Omit<PricedLine, 'fee' | 'net'>> = [];
  for (const line of programme.lines) {
    const cost = await deps.registry.unitCost(line.service_code, recipient.region_code, issuedOn, recipient.categories);
    const unitCost = Money.parse(cost.unit_cost);
    const volume = line.volume_per_month * line.months;
    priced.push({
      service_code: line.service_code,
      service_name: line.service_name,
      form: line.form as ServiceForm,
      unit: line.unit,
      volume_per_month: line.volume_per_month,
      months: line.months,
      volume,
      unit_cost: unitCost,
      cost_breakdown: cost as unknown as Record<string, unknown>,
      gross: unitCost.multiply(String(volume)),
    });
  }
  const income = perCapitaIncome({ ownIncome: recipient.own_income, household: recipient.household });
  const fees = calculateFees(
    income.rounded,
    Money.parse(parameters.subsistence_minimum),
    parameters.limit_coefficient,
    priced.map((l) => ({ form: l.form, monthlyCost: l.unit_cost.multiply(String(l.volume_per_month)), months: l.months })),
  );
  const lines: PricedLine[] = priced.map((l, i) => {
    // A line's fee never exceeds its cost: the monthly fee is capped by the month's cost before it is split.
    const fee = Money.parse(fees.line_fees[i]!);
    return { ...l, fee, net: l.gross.subtract(fee) };
  });
  const validFrom = validFromInput ?? (programme.valid_from > issuedOn ? programme.valid_from : issuedOn);
  const months = Math.max(...lines.map((l) => l.months));
  return {
    lines,
    gross: Money.sum(lines.map((l) => l.gross)),
    fee: Money.sum(lines.map((l) => l.fee)),
    value: Money.sum(lines.map((l) => l.net)),
    feeCalculation: { ...fees, income: { total: income.total, persons: income.persons, exact: income.exact, rounded: income.rounded.toString() } },
    validFrom,
    validTo: addDays(addMonths(validFrom, months), -1),
  };
}

export interface IssueCertificateInput {
  id?: string;
  programme_id: string;
  budget_programme_id: string;
  valid_from?: string;
}

/**
 * Issues a certificate for a drawn individual programme. The certificate is written as `issuing`
 * first, then the ledger moves its value from the programme's allocation, then it becomes `issued`
 * (or `refused` with budget_exhausted). A process that dies in between leaves an `issuing` row that
 * the recovery job completes with the same transfer id, so the money moves at most once.
 */
export async function issueCertificate(deps: Deps, principal: Principal, input: IssueCertificateInput): Promise<CertificateRecord> {
  const em = deps.orm.em.fork();
  const id = input.id ?? randomUUID();
  if (await certificateExists(em, id)) return repeatedIssue(deps, principal, id, input);
  const { programme, recipient, budgetProgramme, issuedOn } = await issueInputs(deps, em, principal, input);
  const refusedBefore = await keptRefusal<IssueRequest>(em, 'certificate', id);
  if (refusedBefore) throw certificateIdConflict(id, refusedBefore.request, input) ?? refusedBefore.error;
  const quote = await quoteCertificate(deps, em, recipient, programme, issuedOn, input.valid_from);
  const recorded = await withTransaction(em, async (tx): Promise<boolean | AppError> => {
    // Issues of one programme wait for each other: the same request sent twice at once finds the first here.
    const issued = await lockLiveCertificateOfProgramme(tx, programme.id);
    if (await certificateExists(tx, id)) return false;
    const refusedFirst = await keptRefusal<IssueRequest>(tx, 'certificate', id);
    if (refusedFirst) return certificateIdConflict(id, refusedFirst.request, input) ?? refusedFirst.error;
    if (issued) {
      // Kept against the id: revoking that certificate later does not turn this request into an issue.
      const refusal = conflict('programme_already_certified', 'По этой индивидуальной программе сертификат уже выдан.', { certificate_id: issued });
      return keepRefusal<IssueRequest>(tx, 'certificate', id, { programme_id: input.programme_id, budget_programme_id: input.budget_programme_id, valid_from: input.valid_from ?? null }, refusal);
    }
    await insertCertificate(
      tx,
      {
        id,
        recipientId: recipient.id,
        programmeId: programme.id,
        budgetProgrammeId: budgetProgramme.id,
        regionCode: recipient.region_code,
        issuedOn,
        validFrom: quote.validFrom,
        validTo: quote.validTo,
        gross: quote.gross.toString(),
        fee: quote.fee.toString(),
        value: quote.value.toString(),
        feeCalculation: quote.feeCalculation,
        issuedBy: principal.subject,
      },
      quote.lines.map((l, index) => ({
        id: randomUUID(),
        lineNo: index + 1,
        serviceCode: l.service_code,
        serviceName: l.service_name,
        form: l.form,
        unit: l.unit,
        volumePerMonth: l.volume_per_month,
        months: l.months,
        volume: l.volume,
        unitCost: l.unit_cost.toString(),
        costBreakdown: l.cost_breakdown,
        gross: l.gross.toString(),
        fee: l.fee.toString(),
        net: l.net.toString(),
      })),
    );
    await audit(tx, principal, {
      action: 'certificate.issued',
      object_type: 'certificate',
      object_id: id,
      on_behalf_of: recipient.id,
      after: {
        programme_id: programme.id,
        budget_programme_id: budgetProgramme.id,
        valid_from: quote.validFrom,
        valid_to: quote.validTo,
        gross: quote.gross.toString(),
        fee: quote.fee.toString(),
        value: quote.value.toString(),
      },
    });
    return true;
  });
  if (recorded instanceof AppError) throw recorded;
  if (!recorded) return repeatedIssue(deps, principal, id, input);
  await completeIssuing(deps, id);
  return finishedIssue(deps, principal, id);
}

/**
 * What an issue (or its quote) starts from: the programme, its recipient in the case worker's region,
 * a budget programme of that region, and the region's date, which the validity may not start before.
 */
export async function issueInputs(deps: Deps, em: EntityManager, principal: Principal, input: { programme_id: string; budget_programme_id: string; valid_from?: string }) {
  const programme = await findProgramme(em, input.programme_id);
  const recipient = await findRecipient(em, programme.recipient_id);
  assertCaseworkerOf(principal, recipient.region_code);
  const budgetProgramme = await findBudgetProgramme(em, input.budget_programme_id);
  if (budgetProgramme.region_code !== recipient.region_code) {
    throw unprocessable('budget_programme_other_region', `Программа ${budgetProgramme.code} финансируется другим регионом (${budgetProgramme.region_code}).`);
  }
  const issuedOn = todayIn(deps, recipient.region_code);
  if (input.valid_from && input.valid_from < issuedOn) {
    throw new AppError('validation', 'validation_failed', 'Срок действия сертификата не может начинаться раньше даты выдачи.', {}, [
      { field: 'valid_from', message: `не раньше ${issuedOn}` },
    ]);
  }
  return { programme, recipient, budgetProgramme, issuedOn };
}

/** What an issue request asks for: an id names one of these for good, issued or refused. */
interface IssueRequest {
  programme_id: string;
  budget_programme_id: string;
  valid_from: string | null;
}

/** 409 naming what differs, when the id's first request was another one; null when it is the same request. */
function certificateIdConflict(id: string, first: IssueRequest, input: IssueCertificateInput): AppError | null {
  const fields = [
    first.programme_id !== input.programme_id ? 'programme_id' : null,
    first.budget_programme_id !== input.budget_programme_id ? 'budget_programme_id' : null,
    input.valid_from && input.valid_from !== first.valid_from ? 'valid_from' : null,
  ].filter((f): f is string => f !== null);
  if (!fields.length) return null;
  return conflict(
    'certificate_id_conflict',
    `Сертификат с идентификатором ${id} уже выдан по другому запросу (отличаются: ${fields.join(', ')}). Повторите исходный запрос без изменений или выдайте новый сертификат с новым идентификатором.`,
    { certificate_id: id, fields },
  );
}

/** The same id again: the first issue's answer when the request is the same, 409 naming what differs when it is not. */
async function repeatedIssue(deps: Deps, principal: Principal, id: string, input: IssueCertificateInput): Promise<CertificateRecord> {
  const certificate = await findCertificate(deps.orm.em.fork(), id);
  assertCaseworkerOf(principal, certificate.region_code);
  const conflicting = certificateIdConflict(id, certificate, input);
  if (conflicting) throw conflicting;
  if (certificate.status === 'issuing') await completeIssuing(deps, id);
  return finishedIssue(deps, principal, id);
}

async function finishedIssue(deps: Deps, principal: Principal, id: string): Promise<CertificateRecord> {
  const certificate = await findCertificate(deps.orm.em.fork(), id);
  if (certificate.status === 'refused') {
    throw refusalError('budget_exhausted', { certificate_id: id, number: certificate.number, value: certificate.value });
  }
  return readCertificate(deps, principal, { id });
}

/** The ledger half of issuing, safe to repeat: account and transfer are idempotent by id. */
export async function completeIssuing(deps: Deps, id: string): Promise<void> {
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, id);
  if (certificate.status !== 'issuing') return;
  const budgetProgramme = await findBudgetProgramme(em, certificate.budget_programme_id);
  await deps.ledger.createAccount({
    id: ledgerAccountIds.certificate(id),
    ledger: 'RUB',
    code: 'certificate',
    owner: { type: 'certificate', id },
    region_code: certificate.region_code,
    metadata: { number: certificate.number },
  });
  let refused = false;
  if (Money.parse(certificate.value).isPositive()) {
    const result = await deps.ledger.transfer({
      id: derivedTransferId(id, 'issue'),
      debit_account_id: budgetProgramme.allocation_account_id,
      credit_account_id: ledgerAccountIds.certificate(id),
      amount: certificate.value,
      code: 'issue_certificate',
      reference: `Сертификат ${certificate.number}`,
    });
    if (result.status === 'failed') {
      if (result.code !== 'insufficient_funds') {
        throw new AppError('internal', 'ledger_refused', `Леджер отклонил выдачу: ${result.code}.`);
      }
      refused = true;
    }
  }
  await withTransaction(em, async (tx) => {
    const finished = await finishIssuing(tx, id, refused ? 'refused' : 'issued');
    if (finished && !refused) await writeCertificatesIssuedEvents(tx, [id]);
    if (refused && finished) {
      await recordRefusal(tx, { recipientId: certificate.recipient_id, regionCode: certificate.region_code, subjectKind: 'certificate', subjectId: id, code: 'budget_exhausted', notify: true });
    }
  });
}

/** Certificates a stopped process left `issuing`: the ledger half is completed (see completeIssuing). */
export async function completeInterruptedIssuing(deps: Deps, _principal: Principal, input: { olderThanSeconds?: number }): Promise<number> {
  const stuck = await certificatesStuckIssuing(deps.orm.em.fork(), input.olderThanSeconds ?? 30, 500);
  for (const id of stuck) await completeIssuing(deps, id);
  return stuck.length;
}

/** The certificate's ledger account as the certificate shows it. */
export interface LedgerBalance {
  posted: string;
  held: string;
  available: string;
}

/** A certificate with everything its three sections show. */
export interface CertificateRecord {
  certificate: CertificateRow;
  recipient: RecipientRow;
  lines: CertificateLineRow[];
  /** In the order requested. */
  bookings: BookingRow[];
  /** In the order recorded. */
  deliveries: DeliveryRow[];
  /** Null when the ledger cannot be read. */
  ledgerBalance: LedgerBalance | null;
}

export async function readCertificate(deps: Deps, principal: Principal, input: { id: string }): Promise<CertificateRecord> {
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, input.id);
  const recipient = await findRecipient(em, certificate.recipient_id);
  assertCanReadRecipient(principal, recipient);
  const bookings = await bookingsOfCertificate(em, input.id);
  const deliveries = await deliveriesOfCertificate(em, input.id);
  const account = await deps.ledger.getAccount(ledgerAccountIds.certificate(input.id)).catch(() => undefined);
  return { certificate, recipient, lines: await linesOfCertificate(em, input.id), bookings, deliveries, ledgerBalance: ledgerBalance(account) };
}

function ledgerBalance(account: Pick<LedgerAccount, 'credits_posted' | 'debits_posted' | 'debits_pending'> | undefined): LedgerBalance | null {
  if (!account) return null;
  const posted = Money.parse(account.credits_posted).subtract(Money.parse(account.debits_posted));
  return { posted: posted.toString(), held: account.debits_pending, available: posted.subtract(Money.parse(account.debits_pending)).toString() };
}

/**
 * Gives the certificate's available balance back to the programme's allocation (expiry, revocation,
 * or a hold voided after either). Holds still pending stay: each goes back here when it is voided.
 */
export async function releaseAvailable(deps: Deps, certificateId: string): Promise<Money> {
  try {
    return await moveAvailableBack(deps, certificateId);
  } catch (error) {
    // Owed back until it is done: the recovery job completes it (completeInterruptedReleases).
    await markReleasePending(deps.orm.em.fork(), certificateId);
    throw error;
  }
}

/**
 * Revocation and expiry have already happened when their release runs: a ledger that refuses or does not
 * answer leaves the release pending for the recovery job instead of failing the revocation.
 */
async function releaseOrLeavePending(deps: Deps, certificateId: string): Promise<void> {
  await releaseAvailable(deps, certificateId).catch(() => undefined);
}

async function moveAvailableBack(deps: Deps, certificateId: string): Promise<Money> {
  const em = deps.orm.em.fork();
  const account = await deps.ledger.getAccount(ledgerAccountIds.certificate(certificateId));
  const balance = ledgerBalance(account);
  const available = balance ? Money.parse(balance.available) : Money.zero();
  if (!available.isPositive()) {
    await clearReleasePending(em, certificateId);
    return Money.zero();
  }
  const refused = await withTransaction(em, async (tx) => {
    const certificate = await lockCertificate(tx, certificateId);
    const budgetProgramme = await findBudgetProgramme(tx, certificate.budget_programme_id);
    const result = await deps.ledger.transfer({
      id: derivedTransferId(certificateId, `release/${certificate.releases + 1}`),
      debit_account_id: ledgerAccountIds.certificate(certificateId),
      credit_account_id: budgetProgramme.allocation_account_id,
      amount: available.toString(),
      code: certificate.status === 'revoked' ? 'revoke_certificate' : 'expire_certificate',
      reference: `Возврат остатка сертификата ${certificate.number}`,
    });
    if (result.status === 'failed') {
      // The ledger keeps a refused transfer under its id: the next attempt needs a new one.
      await skipReleaseNumber(tx, certificateId);
      return result.code;
    }
    await addReleased(tx, certificateId, available.toString());
    return null;
  });
  if (refused) throw new AppError('unavailable', 'release_failed', `Леджер не принял возврат остатка: ${refused}. Повторите позже.`);
  return available;
}

/**
 * A pending release tried again. A transfer the ledger took before this service recorded it (a stopped
 * process) is recorded, not moved again; then whatever is still available goes back.
 */
async function completeRelease(deps: Deps, certificateId: string): Promise<void> {
  const em = deps.orm.em.fork();
  const { releases } = await findCertificate(em, certificateId);
  const taken = await deps.ledger.getTransfer(derivedTransferId(certificateId, `release/${releases + 1}`));
  if (taken) {
    await withTransaction(em, async (tx) => {
      if ((await lockCertificate(tx, certificateId)).releases === releases) await addReleased(tx, certificateId, taken.amount);
    });
  }
  await moveAvailableBack(deps, certificateId);
}

export async function revokeCertificate(deps: Deps, principal: Principal, input: { id: string; reason: string }): Promise<CertificateRecord> {
  await withTransaction(deps.orm.em.fork(), async (tx) => {
    const certificate = await lockCertificate(tx, input.id);
    assertCaseworkerOf(principal, certificate.region_code);
    if (!['issued', 'active', 'suspended'].includes(certificate.status)) {
      throw conflict('certificate_not_revocable', `Сертификат в статусе «${certificate.status}» отозвать нельзя.`);
    }
    await setCertificateStatus(tx, input.id, 'revoked', input.reason);
    await cancelOpenBookings(tx, input.id, principal);
    await writeCertificateStatusEvent(tx, input.id, 'certificate.revoked');
    await audit(tx, principal, statusAudit('certificate.revoked', certificate, 'revoked', input.reason));
  });
  await releaseOrLeavePending(deps, input.id);
  return readCertificate(deps, principal, { id: input.id });
}

/** Certificates past their validity: status expired, open bookings cancelled, the available balance back to the allocation. */
export async function expireDue(deps: Deps, principal: Principal, input: { today?: string }): Promise<number> {
  const em = deps.orm.em.fork();
  const due = await certificatesDueForExpiry(em, input.today ?? todayInEachRegion(deps), 1000);
  for (const id of due) {
    await withTransaction(em.fork(), async (tx) => {
      if (await expireCertificate(tx, id, 'Истёк срок действия')) {
        await cancelOpenBookings(tx, id, principal);
        await writeCertificateStatusEvent(tx, id, 'certificate.expired');
      }
    });
    await releaseOrLeavePending(deps, id);
  }
  return due.length;
}

/**
 * Releases of revoked or expired certificates the ledger refused or never answered: each is tried again.
 * The transfer id is derived from the certificate and its release count, so a release the ledger did take
 * before the process stopped is answered again rather than moved twice, and a done one is not pending.
 */
export async function completeInterruptedReleases(deps: Deps, _principal: Principal, input: { olderThanSeconds?: number }): Promise<number> {
  const pending = await certificatesWithPendingRelease(deps.orm.em.fork(), input.olderThanSeconds ?? 30, 500);
  let done = 0;
  for (const id of pending) {
    try {
      await completeRelease(deps, id);
      done++;
    } catch {
      // Still pending; the next run tries again.
    }
  }
  return done;
}

export interface ListCertificatesInput {
  recipient_id?: string;
  region_code?: string;
  limit: number;
}

/** A recipient's certificates, or a region's, newest first. */
export async function listCertificates(deps: Deps, principal: Principal, input: ListCertificatesInput): Promise<CertificateRow[]> {
  const em = deps.orm.em.fork();
  if (input.recipient_id) {
    assertCanReadRecipient(principal, await findRecipient(em, input.recipient_id));
    return certificatesBy(em, { recipientId: input.recipient_id }, input.limit);
  }
  if (input.region_code) {
    const financeOfRegion = principal.roles.includes('finance') && principal.regionCode === input.region_code;
    if (!readsEverything(principal) && !financeOfRegion) assertCaseworkerOf(principal, input.region_code);
    return certificatesBy(em, { regionCode: input.region_code }, input.limit);
  }
  throw new AppError('validation', 'validation_failed', 'Укажите recipient_id или region_code.', {}, [{ field: 'recipient_id', message: 'или region_code' }]);
}

/** A case worker suspends a certificate while a complaint or a change of circumstances is reviewed: no new bookings or acts meanwhile. */
export async function suspendCertificate(deps: Deps, principal: Principal, input: { id: string; reason: string }): Promise<CertificateRecord> {
  await withTransaction(deps.orm.em.fork(), async (tx) => {
    const certificate = await lockCertificate(tx, input.id);
    assertCaseworkerOf(principal, certificate.region_code);
    if (certificate.status === 'suspended') return;
    if (!SPENDABLE.includes(certificate.status)) throw conflict('certificate_not_suspendable', `Сертификат в статусе «${certificate.status}» приостановить нельзя.`);
    await setCertificateStatus(tx, input.id, 'suspended', input.reason);
    await writeCertificateStatusEvent(tx, input.id, 'certificate.suspended');
    await audit(tx, principal, statusAudit('certificate.suspended', certificate, 'suspended', input.reason));
  });
  return readCertificate(deps, principal, { id: input.id });
}

export async function resumeCertificate(deps: Deps, principal: Principal, input: { id: string }): Promise<CertificateRecord> {
  await withTransaction(deps.orm.em.fork(), async (tx) => {
    const certificate = await lockCertificate(tx, input.id);
    assertCaseworkerOf(principal, certificate.region_code);
    if (certificate.status !== 'suspended') throw conflict('certificate_not_suspended', 'Сертификат не приостановлен.');
    await resumeCertificateRow(tx, input.id);
    await audit(tx, principal, statusAudit('certificate.resumed', certificate, (await findCertificate(tx, input.id)).status, null));
  });
  return readCertificate(deps, principal, { id: input.id });
}

function statusAudit(action: string, certificate: CertificateRow, status: string, reason: string | null) {
  return { action, object_type: 'certificate', object_id: certificate.id, on_behalf_of: certificate.recipient_id, before: { status: certificate.status }, after: { status, reason } };
}
