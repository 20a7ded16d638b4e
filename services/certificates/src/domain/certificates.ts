import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { assertCanReadRecipient, assertCaseworkerOf, readsEverything } from './access';
import { findProgramme, type ProgrammeRow } from './assessments';
import { findBudgetProgramme, requireParametersAt, type RegionalParameters } from './budget';
import type { Deps } from './context';
import { calculateFees, perCapitaIncome, type FeeCalculation, type ServiceForm } from './fees';
import { findRecipient, fullName, type RecipientRow } from './recipients';
import { DELIVERY_COLUMNS } from '../data-access/delivery-store';
import { bookingView, type BookingRow } from './bookings';
import { deliveryView, type DeliveryRow } from './deliveries';
import { recordRefusal, refusalError, refusalView } from './refusals';
import { addDays, addMonths, todayInRussia } from './working-days';

export type CertificateStatus = 'issuing' | 'refused' | 'issued' | 'active' | 'suspended' | 'exhausted' | 'expired' | 'revoked';
/** Statuses in which a certificate can be booked and charged. */
export const SPENDABLE: readonly CertificateStatus[] = ['issued', 'active'];

export interface CertificateRow {
  id: string;
  number: string;
  recipient_id: string;
  programme_id: string;
  budget_programme_id: string;
  region_code: string;
  status: CertificateStatus;
  status_reason: string | null;
  issued_on: string;
  valid_from: string;
  valid_to: string;
  gross_amount: string;
  fee_amount: string;
  value: string;
  fee_calculation: FeeCalculation & { income: { total: string; persons: number; exact: string; rounded: string } };
  released_amount: string;
  releases: number;
  issued_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface CertificateLineRow {
  id: string;
  certificate_id: string;
  line_no: number;
  service_code: string;
  service_name: string;
  form: ServiceForm;
  unit: string;
  volume_per_month: number;
  months: number;
  volume: number;
  unit_cost: string;
  cost_breakdown: Record<string, unknown>;
  gross_amount: string;
  fee_amount: string;
  net_amount: string;
  units_booked: number;
  units_consumed: number;
  amount_consumed: string;
  units_confirmed: number;
}

export const CERTIFICATE_COLUMNS = `id, number, recipient_id, programme_id, budget_programme_id, region_code, status, status_reason, issued_on::text as issued_on,
  valid_from::text as valid_from, valid_to::text as valid_to, gross_amount, fee_amount, value, fee_calculation, released_amount, releases, issued_by, created_at, updated_at`;

export async function findCertificate(em: EntityManager, id: string, forUpdate = false): Promise<CertificateRow> {
  const rows: CertificateRow[] = await em.execute(`select ${CERTIFICATE_COLUMNS} from certificates.certificates where id = ?${forUpdate ? ' for update' : ''}`, [id]);
  if (!rows[0]) throw notFound('certificate_not_found', `Сертификат ${id} не найден.`);
  return rows[0];
}

export async function findLines(em: EntityManager, certificateId: string): Promise<CertificateLineRow[]> {
  return em.execute(`select * from certificates.certificate_lines where certificate_id = ? order by line_no`, [certificateId]);
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
  feeCalculation: CertificateRow['fee_calculation'];
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

export async function insertCertificate(
  em: EntityManager,
  c: { id: string; recipient: RecipientRow; programmeId: string; budgetProgrammeId: string; issuedOn: string; quote: CertificateQuote; issuedBy: string },
): Promise<string> {
  const numbered: Array<{ number: string }> = await em.execute(
    `select ? || '-' || ? || '-' || lpad(nextval('certificates.certificate_numbers')::text, 7, '0') as number`,
    [c.recipient.region_code, c.issuedOn.slice(0, 4)],
  );
  const number = numbered[0]!.number;
  await em.execute(
    `insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to,
       gross_amount, fee_amount, value, fee_calculation, issued_by)
     values (?, ?, ?, ?, ?, ?, 'issuing', ?, ?, ?, ?, ?, ?, ?::jsonb, ?)`,
    [
      c.id,
      number,
      c.recipient.id,
      c.programmeId,
      c.budgetProgrammeId,
      c.recipient.region_code,
      c.issuedOn,
      c.quote.validFrom,
      c.quote.validTo,
      c.quote.gross.toString(),
      c.quote.fee.toString(),
      c.quote.value.toString(),
      JSON.stringify(c.quote.feeCalculation),
      c.issuedBy,
    ],
  );
  for (const [index, l] of c.quote.lines.entries()) {
    await em.execute(
      `insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume,
         unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)`,
      [
        randomUUID(),
        c.id,
        index + 1,
        l.service_code,
        l.service_name,
        l.form,
        l.unit,
        l.volume_per_month,
        l.months,
        l.volume,
        l.unit_cost.toString(),
        JSON.stringify(l.cost_breakdown),
        l.gross.toString(),
        l.fee.toString(),
        l.net.toString(),
      ],
    );
  }
  return number;
}

/**
 * Issues a certificate for a drawn individual programme. The certificate is written as `issuing`
 * first, then the ledger moves its value from the programme's allocation, then it becomes `issued`
 * (or `refused` with budget_exhausted). A process that dies in between leaves an `issuing` row that
 * the recovery job completes with the same transfer id, so the money moves at most once.
 */
export async function issueCertificate(
  deps: Deps,
  principal: Principal,
  input: { id?: string; programme_id: string; budget_programme_id: string; valid_from?: string },
) {
  const em = deps.orm.em.fork();
  const id = input.id ?? randomUUID();
  const existing: Array<{ id: string }> = await em.execute(`select id from certificates.certificates where id = ?`, [id]);
  if (existing[0]) {
    const certificate = await findCertificate(em, id);
    assertCaseworkerOf(principal, certificate.region_code);
    if (certificate.status === 'issuing') await completeIssuing(deps, id);
    return finishedIssue(deps, principal, id);
  }
  const programme = await findProgramme(em, input.programme_id);
  const recipient = await findRecipient(em, programme.recipient_id);
  assertCaseworkerOf(principal, recipient.region_code);
  const budgetProgramme = await findBudgetProgramme(em, input.budget_programme_id);
  if (budgetProgramme.region_code !== recipient.region_code) {
    throw unprocessable('budget_programme_other_region', `Программа ${budgetProgramme.code} финансируется другим регионом (${budgetProgramme.region_code}).`);
  }
  const issuedOn = todayInRussia();
  if (input.valid_from && input.valid_from < issuedOn) {
    throw new AppError('validation', 'validation_failed', 'Срок действия сертификата не может начинаться раньше даты выдачи.', {}, [
      { field: 'valid_from', message: `не раньше ${issuedOn}` },
    ]);
  }
  const quote = await quoteCertificate(deps, em, recipient, programme, issuedOn, input.valid_from);
  await withTransaction(em, async (tx) => {
    const issued: Array<{ id: string }> = await tx.execute(
      `select id from certificates.certificates where programme_id = ? and status not in ('refused', 'revoked', 'expired') for update`,
      [programme.id],
    );
    if (issued[0]) throw conflict('programme_already_certified', 'По этой индивидуальной программе сертификат уже выдан.', { certificate_id: issued[0].id });
    await insertCertificate(tx, { id, recipient, programmeId: programme.id, budgetProgrammeId: budgetProgramme.id, issuedOn, quote, issuedBy: principal.subject });
  });
  await completeIssuing(deps, id);
  return finishedIssue(deps, principal, id);
}

async function finishedIssue(deps: Deps, principal: Principal, id: string) {
  const certificate = await findCertificate(deps.orm.em.fork(), id);
  if (certificate.status === 'refused') {
    throw refusalError('budget_exhausted', { certificate_id: id, number: certificate.number, value: certificate.value });
  }
  return readCertificate(deps, principal, id);
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
    const updated: unknown[] = await tx.execute(
      `update certificates.certificates set status = ?, updated_at = clock_timestamp() where id = ? and status = 'issuing' returning id`,
      [refused ? 'refused' : 'issued', id],
    );
    if (refused && updated.length) {
      await recordRefusal(tx, { recipientId: certificate.recipient_id, regionCode: certificate.region_code, subjectKind: 'certificate', subjectId: id, code: 'budget_exhausted' });
    }
  });
}

export async function readCertificate(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, id);
  const recipient = await findRecipient(em, certificate.recipient_id);
  assertCanReadRecipient(principal, recipient);
  const bookings: BookingRow[] = await em.execute(`select * from certificates.bookings where certificate_id = ? order by requested_at`, [id]);
  const deliveries: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.certificate_id = ? order by d.recorded_at`, [id]);
  const contracts = bookings.map((b) => ({ ...bookingView(b), deliveries: deliveries.filter((d) => d.booking_id === b.id).map(deliveryView) }));
  const account = await deps.ledger.getAccount(ledgerAccountIds.certificate(id)).catch(() => undefined);
  return { ...certificateView(certificate, await findLines(em, id), contracts, recipient), ledger_balance: ledgerBalance(account) };
}

type Contract = ReturnType<typeof bookingView> & { deliveries: Array<ReturnType<typeof deliveryView>> };

function ledgerBalance(account: { credits_posted: string; debits_posted: string; debits_pending: string } | undefined) {
  if (!account) return null;
  const posted = Money.parse(account.credits_posted).subtract(Money.parse(account.debits_posted));
  return { posted: posted.toString(), held: account.debits_pending, available: posted.subtract(Money.parse(account.debits_pending)).toString() };
}

/** The certificate's three sections (189-FZ): I general, II services and providers, III contracts, acts and results. */
export function certificateView(c: CertificateRow, lines: CertificateLineRow[], contracts: Contract[], recipient?: RecipientRow) {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    status_reason: c.status_reason,
    region_code: c.region_code,
    value: c.value,
    gross_amount: c.gross_amount,
    fee_amount: c.fee_amount,
    released_amount: c.released_amount,
    general: {
      holder: recipient ? { recipient_id: recipient.id, name: fullName(recipient), snils: recipient.snils } : { recipient_id: c.recipient_id },
      issuer: { region_code: c.region_code, issued_by: c.issued_by },
      budget_programme_id: c.budget_programme_id,
      programme_id: c.programme_id,
      issued_on: c.issued_on,
      valid_from: c.valid_from,
      valid_to: c.valid_to,
      fee_calculation: c.fee_calculation,
    },
    services: lines.map((l) => ({
      line_id: l.id,
      line_no: l.line_no,
      service_code: l.service_code,
      service_name: l.service_name,
      form: l.form,
      unit: l.unit,
      volume_per_month: l.volume_per_month,
      months: l.months,
      volume: l.volume,
      unit_cost: l.unit_cost,
      cost_breakdown: l.cost_breakdown,
      gross_amount: l.gross_amount,
      fee_amount: l.fee_amount,
      value: l.net_amount,
      units_booked: l.units_booked,
      units_in_use: l.units_consumed,
      units_confirmed: l.units_confirmed,
      amount_charged: l.amount_consumed,
      providers: contracts
        .filter((b) => b.line_id === l.id && ['requested', 'accepted'].includes(b.status))
        .map((b) => ({ booking_id: b.id, provider_id: b.provider_id, provider_name: b.provider_name, status: b.status })),
    })),
    contracts,
    refusal: c.status === 'refused' ? refusalView('budget_exhausted') : null,
  };
}

/**
 * Gives the certificate's available balance back to the programme's allocation (expiry, revocation,
 * or a hold voided after either). Holds still pending stay: each goes back here when it is voided.
 */
export async function releaseAvailable(deps: Deps, certificateId: string): Promise<Money> {
  const em = deps.orm.em.fork();
  const account = await deps.ledger.getAccount(ledgerAccountIds.certificate(certificateId));
  const balance = ledgerBalance(account);
  if (!balance) return Money.zero();
  const available = Money.parse(balance.available);
  if (!available.isPositive()) return Money.zero();
  return withTransaction(em, async (tx) => {
    const certificate = await findCertificate(tx, certificateId, true);
    const budgetProgramme = await findBudgetProgramme(tx, certificate.budget_programme_id);
    const result = await deps.ledger.transfer({
      id: derivedTransferId(certificateId, `release/${certificate.releases + 1}`),
      debit_account_id: ledgerAccountIds.certificate(certificateId),
      credit_account_id: budgetProgramme.allocation_account_id,
      amount: available.toString(),
      code: certificate.status === 'revoked' ? 'revoke_certificate' : 'expire_certificate',
      reference: `Возврат остатка сертификата ${certificate.number}`,
    });
    if (result.status === 'failed') throw new AppError('unavailable', 'release_failed', `Леджер не принял возврат остатка: ${result.code}. Повторите позже.`);
    await tx.execute(
      `update certificates.certificates set released_amount = released_amount + ?, releases = releases + 1, updated_at = clock_timestamp() where id = ?`,
      [available.toString(), certificateId],
    );
    return available;
  });
}

export async function revokeCertificate(deps: Deps, principal: Principal, id: string, input: { reason: string }) {
  const em = deps.orm.em.fork();
  await withTransaction(em, async (tx) => {
    const certificate = await findCertificate(tx, id, true);
    assertCaseworkerOf(principal, certificate.region_code);
    if (!['issued', 'active', 'suspended'].includes(certificate.status)) {
      throw conflict('certificate_not_revocable', `Сертификат в статусе «${certificate.status}» отозвать нельзя.`);
    }
    await tx.execute(`update certificates.certificates set status = 'revoked', status_reason = ?, updated_at = clock_timestamp() where id = ?`, [input.reason, id]);
    await cancelOpenBookings(tx, id);
  });
  await releaseAvailable(deps, id);
  return readCertificate(deps, principal, id);
}

/** Closing a certificate frees the volume it reserved at providers; acts already recorded still resolve. */
async function cancelOpenBookings(tx: EntityManager, certificateId: string) {
  const open: Array<{ id: string; provider_id: string; service_code: string; units_per_month: number }> = await tx.execute(
    `update certificates.bookings set status = 'cancelled', decided_at = clock_timestamp() where certificate_id = ? and status in ('requested', 'accepted')
     returning id, provider_id, service_code, units_per_month`,
    [certificateId],
  );
  for (const b of open.sort((a, z) => `${a.provider_id}/${a.service_code}`.localeCompare(`${z.provider_id}/${z.service_code}`))) {
    await tx.execute(
      `update certificates.provider_capacity set reserved_per_month = greatest(0, reserved_per_month - ?) where provider_id = ? and service_code = ?`,
      [b.units_per_month, b.provider_id, b.service_code],
    );
  }
}

/** Certificates past their validity: status expired, open bookings cancelled, the available balance back to the allocation. */
export async function expireDue(deps: Deps, today = todayInRussia()): Promise<number> {
  const em = deps.orm.em.fork();
  const due: Array<{ id: string }> = await em.execute(
    `select id from certificates.certificates where valid_to < ? and status in ('issued', 'active', 'suspended') order by valid_to limit 1000`,
    [today],
  );
  for (const { id } of due) {
    await withTransaction(em.fork(), async (tx) => {
      const updated: unknown[] = await tx.execute(
        `update certificates.certificates set status = 'expired', status_reason = 'Истёк срок действия', updated_at = clock_timestamp()
          where id = ? and status in ('issued', 'active', 'suspended') returning id`,
        [id],
      );
      if (updated.length) await cancelOpenBookings(tx, id);
    });
    await releaseAvailable(deps, id);
  }
  return due.length;
}

export async function listCertificates(em: EntityManager, principal: Principal, query: { recipient_id?: string; region_code?: string; limit: number }) {
  if (query.recipient_id) {
    assertCanReadRecipient(principal, await findRecipient(em, query.recipient_id));
  } else if (query.region_code) {
    const financeOfRegion = principal.roles.includes('finance') && principal.regionCode === query.region_code;
    if (!readsEverything(principal) && !financeOfRegion) assertCaseworkerOf(principal, query.region_code);
  } else {
    throw new AppError('validation', 'validation_failed', 'Укажите recipient_id или region_code.', {}, [{ field: 'recipient_id', message: 'или region_code' }]);
  }
  const rows: CertificateRow[] = await em.execute(
    `select ${CERTIFICATE_COLUMNS} from certificates.certificates where ${query.recipient_id ? 'recipient_id' : 'region_code'} = ? order by created_at desc limit ?`,
    [query.recipient_id ?? query.region_code!, query.limit],
  );
  return rows.map((c) => ({ id: c.id, number: c.number, status: c.status, value: c.value, valid_from: c.valid_from, valid_to: c.valid_to, recipient_id: c.recipient_id }));
}


/** A case worker suspends a certificate while a complaint or a change of circumstances is reviewed: no new bookings or acts meanwhile. */
export async function suspendCertificate(deps: Deps, principal: Principal, id: string, input: { reason: string }) {
  await withTransaction(deps.orm.em.fork(), async (tx) => {
    const certificate = await findCertificate(tx, id, true);
    assertCaseworkerOf(principal, certificate.region_code);
    if (certificate.status === 'suspended') return;
    if (!SPENDABLE.includes(certificate.status)) throw conflict('certificate_not_suspendable', `Сертификат в статусе «${certificate.status}» приостановить нельзя.`);
    await tx.execute(`update certificates.certificates set status = 'suspended', status_reason = ?, updated_at = clock_timestamp() where id = ?`, [input.reason, id]);
  });
  return readCertificate(deps, principal, id);
}

export async function resumeCertificate(deps: Deps, principal: Principal, id: string) {
  await withTransaction(deps.orm.em.fork(), async (tx) => {
    const certificate = await findCertificate(tx, id, true);
    assertCaseworkerOf(principal, certificate.region_code);
    if (certificate.status !== 'suspended') throw conflict('certificate_not_suspended', 'Сертификат не приостановлен.');
    await tx.execute(
      `update certificates.certificates set status = case when exists (select 1 from certificates.bookings b where b.certificate_id = ? and b.status = 'accepted') then 'active' else 'issued' end,
              status_reason = null, updated_at = clock_timestamp() where id = ?`,
      [id, id],
    );
  });
  return readCertificate(deps, principal, id);
}
