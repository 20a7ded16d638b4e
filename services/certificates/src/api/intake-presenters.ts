import type { certificates } from '@esc/api-types';
import { missedDeadline, type Assessment, type Programme } from '../domain/assessments';
import type { BudgetProgrammeBalance, BudgetProgrammeRow, RegionalParameters } from '../domain/budget';
import type { BulkIssueErrorRow, BulkIssueRow } from '../domain/bulk-issues';
import { perCapitaIncome } from '../domain/fees';
import type { Recipient } from '../domain/recipients';
import { refusalView, type RefusalCode } from '../domain/refusals';
import type { MyRequests } from '../domain/requests';

type Schemas = certificates.components['schemas'];
type Operations = certificates.operations;

/** Timestamps arrive as Date (entities) or text (hand-written SQL, other drivers); answers carry ISO 8601. */
const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function recipientView(r: Recipient): Schemas['Recipient'] {
  const income = perCapitaIncome({ ownIncome: r.own_income, household: r.household });
  return {
    id: r.id,
    snils: r.snils,
    region_code: r.region_code,
    last_name: r.last_name,
    first_name: r.first_name,
    middle_name: r.middle_name,
    birth_date: r.birth_date,
    district_code: r.district_code,
    address: r.address,
    phone: r.phone,
    categories: r.categories,
    own_income: r.own_income,
    household: r.household,
    per_capita_income: { total: income.total, persons: income.persons, exact: income.exact, rounded: income.rounded.toString() },
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

export function programmeView(p: Programme): Schemas['Programme'] {
  return { id: p.id, assessment_id: p.assessment_id, valid_from: p.valid_from, lines: p.lines, drawn_by: p.drawn_by, drawn_at: iso(p.drawn_at) };
}

export function assessmentView(a: Assessment, programme?: Programme | null): Schemas['Assessment'] {
  return {
    id: a.id,
    recipient_id: a.recipient_id,
    region_code: a.region_code,
    source: a.source,
    life_event_id: a.life_event_id,
    status: a.status,
    reason: a.reason,
    opened_on: a.opened_on,
    decision_due: a.decision_due,
    programme_due: a.programme_due,
    decided_by: a.decided_by,
    decided_at: isoOrNull(a.decided_at),
    refusal: a.refusal_code ? (refusalView(a.refusal_code as RefusalCode) as Schemas['Refusal']) : null,
    programme: programme ? programmeView(programme) : null,
  };
}

export function overdueAssessmentView(a: Assessment): Schemas['OverdueAssessment'] {
  return { ...assessmentView(a), ...missedDeadline(a) };
}

export function parametersView(p: RegionalParameters): Schemas['RegionalParameters'] {
  return {
    region_code: p.region_code,
    valid_from: p.valid_from,
    subsistence_minimum: p.subsistence_minimum,
    limit_coefficient: p.limit_coefficient,
    set_by: p.set_by,
    set_at: iso(p.set_at),
  };
}

export function budgetProgrammeView(p: BudgetProgrammeRow): Schemas['BudgetProgramme'] {
  return {
    id: p.id,
    region_code: p.region_code,
    code: p.code,
    name: p.name,
    year: p.year,
    allocation_account_id: p.allocation_account_id,
    created_at: iso(p.created_at),
  };
}

export function budgetProgrammeBalanceView(b: BudgetProgrammeBalance): Schemas['BudgetProgrammeBalance'] {
  return { ...budgetProgrammeView(b.programme), funded: b.funded, committed: b.committed, available: b.available };
}

export function bulkIssueView(b: BulkIssueRow): Schemas['BulkIssue'] {
  return {
    id: b.id,
    status: b.status,
    region_code: b.region_code,
    budget_programme_id: b.budget_programme_id,
    file_name: b.file_name,
    total_rows: b.total_rows,
    processed_rows: b.processed_rows,
    issued: b.issued,
    failed: b.failed,
    issued_on: b.issued_on,
    created_by: b.created_by,
    created_at: iso(b.created_at),
    started_at: isoOrNull(b.started_at),
    finished_at: isoOrNull(b.finished_at),
    failure: b.failure_detail ? { detail: b.failure_detail } : null,
    links: { self: `/v1/bulk-issues/${b.id}`, errors: `/v1/bulk-issues/${b.id}/errors` },
  };
}

type BulkIssueErrorsPage = Operations['listBulkIssueErrors']['responses'][200]['content']['application/json'];

/** A page of the rows not issued; the cursor is the last row's number while pages come full. */
export function bulkIssueErrorsView(rows: BulkIssueErrorRow[], limit: number): BulkIssueErrorsPage {
  return {
    items: rows.map((r): Schemas['BulkIssueRowError'] => ({ row_no: r.row_no, snils: r.snils, code: r.error_code, detail: r.error_detail })),
    next_cursor: rows.length === limit ? rows[rows.length - 1]!.row_no : null,
  };
}

export function myRequestsView(r: MyRequests): Schemas['MyRequests'] {
  return {
    recipient_id: r.recipient_id,
    items: r.items.map((i) => ({ ...i, at: iso(i.at as string), refusal: i.refusal ?? null }) as Schemas['HistoryItem']),
    notices: r.notices.map((n) => ({ ...n, created_at: iso(n.created_at) })),
  };
}
