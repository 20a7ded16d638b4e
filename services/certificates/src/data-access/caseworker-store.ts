import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Assessment, AssessmentStatus } from './entities';
import type { BudgetProgrammeRow } from './budget-store';
import type { BulkIssueRow } from './bulk-issue-store';
import type { Recipient } from './entities';

const RECIPIENT_COLUMNS = `r.id, r.snils, r.region_code, r.last_name, r.first_name, r.middle_name, r.birth_date::text as birth_date, r.district_code, r.address, r.phone,
  r.categories, r.own_income::text as own_income, r.household, r.created_by, r.created_at, r.updated_at`;

type RecipientRow = Omit<Recipient, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string };

/** `%` and `_` typed by a person are letters, not wildcards. */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export type RecipientSearch = { kind: 'snils'; digits: string } | { kind: 'name'; words: string[] };

/** Recipients of the region whose SNILS starts with the digits, or whose last name (then first name or patronymic) start with the words. */
export async function searchRecipients(em: EntityManager, regionCode: string, search: RecipientSearch, limit: number): Promise<Recipient[]> {
  const params: unknown[] = [regionCode];
  let where: string;
  if (search.kind === 'snils') {
    params.push(likePrefix(search.digits));
    where = `r.snils like $2`;
  } else {
    const [last, ...rest] = search.words;
    params.push(likePrefix(last!.toLowerCase()));
    const conditions = [`lower(r.last_name) like $2`];
    for (const word of rest) {
      params.push(likePrefix(word.toLowerCase()));
      const n = params.length;
      conditions.push(`(lower(r.first_name) like $${n} or lower(coalesce(r.middle_name, '')) like $${n})`);
    }
    where = conditions.join(' and ');
  }
  params.push(limit);
  const rows = await sqlOf(em).rows<RecipientRow>(
    `select ${RECIPIENT_COLUMNS} from certificates.recipients r
      where r.region_code = $1 and ${where}
      order by r.last_name, r.first_name, r.middle_name nulls first, r.snils limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at) }));
}

export interface QueuedAssessmentRow extends Assessment {
  recipient_last_name: string;
  recipient_first_name: string;
  recipient_middle_name: string | null;
  recipient_snils: string;
  recipient_district_code: string;
}

type QueueRow = Omit<QueuedAssessmentRow, 'decided_at' | 'created_at'> & { decided_at: string | null; created_at: string };

/**
 * The region's assessments, those under way first by their running deadline (so the overdue lead),
 * then the decided ones newest first.
 */
export async function queuedAssessments(
  em: EntityManager,
  filter: { region_code: string; statuses: AssessmentStatus[]; district_code?: string; recipient_id?: string },
  limit: number,
): Promise<QueuedAssessmentRow[]> {
  const params: unknown[] = [filter.region_code, filter.statuses];
  const conditions = ['a.region_code = $1', 'a.status = any($2::text[])'];
  if (filter.district_code) {
    // A settlement's 11-digit OKTMO lies in the district whose 8 digits it starts with.
    params.push(`${filter.district_code}%`);
    conditions.push(`r.district_code like $${params.length}`);
  }
  if (filter.recipient_id) {
    params.push(filter.recipient_id);
    conditions.push(`a.recipient_id = $${params.length}`);
  }
  params.push(limit);
  const rows = await sqlOf(em).rows<QueueRow>(
    `select a.id, a.recipient_id, a.region_code, a.source, a.life_event_id, a.status, a.reason, a.opened_by, a.opened_on::text as opened_on,
            a.decision_due::text as decision_due, a.programme_due::text as programme_due, a.decided_by, a.decided_at, a.refusal_code, a.created_at,
            r.last_name as recipient_last_name, r.first_name as recipient_first_name, r.middle_name as recipient_middle_name,
            r.snils as recipient_snils, r.district_code as recipient_district_code
       from certificates.assessments a join certificates.recipients r on r.id = a.recipient_id
      where ${conditions.join(' and ')}
      order by case a.status when 'open' then a.decision_due when 'recognised' then a.programme_due end asc nulls last,
               a.opened_on desc, a.created_at desc, a.id
      limit $${params.length}`,
    params,
  );
  return rows.map((a) => ({ ...a, decided_at: a.decided_at === null ? null : new Date(a.decided_at), created_at: new Date(a.created_at) }));
}

export function budgetProgrammesOfRegion(em: EntityManager, regionCode: string): Promise<BudgetProgrammeRow[]> {
  return sqlOf(em).rows<BudgetProgrammeRow>(
    `select id, region_code, code, name, year, allocation_account_id, created_by, created_at from certificates.budget_programmes
      where region_code = $1 order by year desc, code`,
    [regionCode],
  );
}

/** The region's bulk issues, newest upload first. */
export function bulkIssuesOfRegion(em: EntityManager, regionCode: string, limit: number): Promise<BulkIssueRow[]> {
  return sqlOf(em).rows<BulkIssueRow>(
    `select id, region_code, budget_programme_id, file_name, status, total_rows, processed_rows, issued, failed, issued_on::text as issued_on,
            created_by, created_at, started_at, finished_at, failure_detail
       from certificates.bulk_issues where region_code = $1 order by created_at desc, id limit $2`,
    [regionCode, limit],
  );
}
