import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerAccountInput, type LedgerTransferInput, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError } from '@esc/service-kit';
import type { RegistryService } from '../clients/registry-client';
import type { BulkIssueRowResult } from '../data-access/bulk-issue-store';
import type { CertificateToIssue } from '../data-access/bulk-certificate-store';
import { lineFromCatalog, type ProgrammeLine } from './assessments';
import type { BulkRow, RowError } from './bulk-csv';
import { fullName, type Recipient } from './recipients';
import { formatSnils } from './snils';

/*
 * The decisions of a bulk issue, without I/O: a recipient's rows against the catalog's standards and
 * the register, the certificates' charges to the budget allocation, and what the budget answered,
 * row by row. The unit costs and fees come from quoteCertificate in between.
 */

export type RowFailure = RowError & { rowNo: number };

/** A recipient's rows as programme lines: every service in the catalog, every volume within its standard. */
export function programmeLinesFor(rows: BulkRow[], catalog: ReadonlyMap<string, RegistryService | undefined>): ProgrammeLine[] | RowFailure {
  const lines: ProgrammeLine[] = [];
  for (const row of rows) {
    const checked = lineFromCatalog({ service_code: row.serviceCode, volume_per_month: row.volumePerMonth, months: row.months }, catalog.get(row.serviceCode));
    if (checked.code) return { rowNo: row.rowNo, code: checked.code, detail: checked.detail };
    lines.push(checked.line);
  }
  return lines;
}

export type GroupCheck = { lines: ProgrammeLine[]; failure?: undefined } | { failure: RowFailure; lines?: undefined };

/**
 * A recipient's rows before any cost is asked: the lines against the catalog first, then the
 * registered person (if any) against the file.
 */
export function checkGroup(rows: BulkRow[], catalog: ReadonlyMap<string, RegistryService | undefined>, known: Recipient | undefined, regionCode: string): GroupCheck {
  const lines = programmeLinesFor(rows, catalog);
  if (!Array.isArray(lines)) return { failure: lines };
  const conflict = registerConflict(known, rows[0]!, regionCode);
  return conflict ? { failure: conflict } : { lines };
}

const comparable = (name: string) => name.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е');

/** The register and the file name the same person: surname, first name (case and ё aside) and birth date. */
export function samePerson(known: Pick<Recipient, 'last_name' | 'first_name' | 'birth_date'>, row: Pick<BulkRow, 'lastName' | 'firstName' | 'birthDate'>): boolean {
  return comparable(known.last_name) === comparable(row.lastName) && comparable(known.first_name) === comparable(row.firstName) && known.birth_date === row.birthDate;
}

/**
 * Why a registered recipient cannot take the file's rows: registered in another region, or the SNILS
 * belongs to someone else. Undefined when the file may issue to them (or they are not registered).
 */
export function registerConflict(known: Recipient | undefined, first: BulkRow, regionCode: string): RowFailure | undefined {
  if (!known) return undefined;
  if (known.region_code !== regionCode) {
    return {
      rowNo: first.rowNo,
      code: 'recipient_other_region',
      detail: `Получатель с этим СНИЛС состоит в регистре региона ${known.region_code}; сертификат ему выдаёт орган социальной защиты того региона.`,
    };
  }
  if (!samePerson(known, first)) {
    const fileName = fullName({ last_name: first.lastName, first_name: first.firstName, middle_name: first.middleName });
    return {
      rowNo: first.rowNo,
      code: 'recipient_mismatch',
      detail: `СНИЛС ${formatSnils(first.snils)} в регистре принадлежит получателю ${fullName(known)}, ${known.birth_date} г. р.; в файле — ${fileName}, ${first.birthDate} г. р. Проверьте СНИЛС и данные получателя.`,
    };
  }
  return undefined;
}

/** A recipient the file registers, from its first row. */
export function recipientFromRow(row: BulkRow, regionCode: string, createdBy: string, id: string, now: Date): Recipient {
  return {
    id,
    snils: row.snils,
    region_code: regionCode,
    last_name: row.lastName,
    first_name: row.firstName,
    middle_name: row.middleName,
    birth_date: row.birthDate,
    district_code: row.districtCode,
    address: row.address,
    phone: null,
    categories: row.categories,
    own_income: row.ownIncome,
    household: [],
    created_by: createdBy,
    created_at: now,
    updated_at: now,
  };
}

export interface IssueOrders {
  accounts: LedgerAccountInput[];
  transfers: LedgerTransferInput[];
  /** The certificate each transfer issues, by position. */
  transferCertificates: string[];
}

/**
 * What the ledger is asked for the certificates still `issuing`: each one's account, and its value
 * moved from the budget allocation (a certificate worth nothing moves nothing). The transfer ids derive
 * from the certificates, so asking again never charges twice.
 */
export function issueOrders(certificates: CertificateToIssue[], allocationAccountId: string): IssueOrders {
  const issuing = certificates.filter((c) => c.status === 'issuing');
  const charged = issuing.filter((c) => Money.parse(c.value).isPositive());
  return {
    accounts: issuing.map((c) => ({
      id: ledgerAccountIds.certificate(c.id),
      ledger: 'RUB',
      code: 'certificate',
      owner: { type: 'certificate', id: c.id },
      region_code: c.region_code,
      metadata: { number: c.number },
    })),
    transfers: charged.map((c) => ({
      id: derivedTransferId(c.id, 'issue'),
      debit_account_id: allocationAccountId,
      credit_account_id: ledgerAccountIds.certificate(c.id),
      amount: c.value,
      code: 'issue_certificate',
      reference: `Сертификат ${c.number}`,
    })),
    transferCertificates: charged.map((c) => c.id),
  };
}

/**
 * The certificates of a batch the allocation could not cover. Any other refusal is not the budget's:
 * it stops the file, to be resumed.
 */
export function refusedForBudget(certificateIds: string[], results: LedgerTransferResult[]): string[] {
  const refused: string[] = [];
  results.forEach((result, i) => {
    if (result.status !== 'failed') return;
    if (result.code !== 'insufficient_funds') throw new AppError('internal', 'ledger_refused', `Леджер отклонил выдачу: ${result.code}.`);
    refused.push(certificateIds[i]!);
  });
  return refused;
}

export interface PlannedCertificate {
  certificateId: string;
  rows: Array<Pick<BulkRow, 'rowNo' | 'snils'>>;
}

/**
 * Each planned row's line in the report, from its certificate's status after the ledger: issued, or
 * refused for the budget. A certificate still `issuing` (or missing) means the ledger half did not
 * finish; the file is resumed rather than reported.
 */
export function rowResultsOf(plans: PlannedCertificate[], statuses: ReadonlyMap<string, string>, budgetRefusal: { reason: string; next_steps: string }): BulkIssueRowResult[] {
  const results: BulkIssueRowResult[] = [];
  for (const plan of plans) {
    const status = statuses.get(plan.certificateId);
    if (status === 'issuing' || status === undefined) {
      throw new AppError('unavailable', 'issue_incomplete', `Сертификат ${plan.certificateId} ещё не проведён в леджере; обработка файла продолжится при повторе.`);
    }
    for (const row of plan.rows) {
      results.push(
        status === 'refused'
          ? {
              row_no: row.rowNo,
              snils: row.snils,
              status: 'failed',
              certificate_id: plan.certificateId,
              error_code: 'budget_exhausted',
              error_detail: `${budgetRefusal.reason} ${budgetRefusal.next_steps}`,
            }
          : { row_no: row.rowNo, snils: row.snils, status: 'issued', certificate_id: plan.certificateId, error_code: null, error_detail: null },
      );
    }
  }
  return results;
}

/** The rows of a recipient group that failed, each with its own error. */
export function failedRows(group: Array<{ rowNo: number; snils: string | null }>, errors: ReadonlyMap<number, RowError>): BulkIssueRowResult[] {
  return group.map((r) => {
    const e = errors.get(r.rowNo)!;
    return { row_no: r.rowNo, snils: r.snils, status: 'failed', certificate_id: null, error_code: e.code, error_detail: e.detail };
  });
}
