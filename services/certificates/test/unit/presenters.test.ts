import { assessmentView, bulkIssueErrorsView, bulkIssueView, overdueAssessmentView, recipientView } from '../../src/api/presenters';
import type { Assessment, Programme } from '../../src/domain/assessments';
import type { BulkIssueRow } from '../../src/domain/bulk-issues';
import type { Recipient } from '../../src/domain/recipients';

const recipient: Recipient = {
  id: 'a0000000-0000-4000-8000-000000000001',
  snils: '11223344595',
  region_code: '73',
  last_name: 'Иванова',
  first_name: 'Мария',
  middle_name: null,
  birth_date: '1948-03-12',
  district_code: '73701000',
  address: 'г. Ульяновск',
  phone: null,
  categories: [],
  own_income: '14000.00',
  household: [{ relation: 'супруг', full_name: 'Иванов И. И.', monthly_income: '12000.01' }],
  created_by: 'caseworker:1',
  created_at: new Date('2026-11-24T00:37:00.120Z'),
  updated_at: new Date('2026-11-25T10:00:00.000Z'),
};

const assessment: Assessment = {
  id: 'b0000000-0000-4000-8000-000000000001',
  recipient_id: recipient.id,
  region_code: '73',
  source: 'application',
  life_event_id: null,
  status: 'refused',
  reason: null,
  opened_by: 'caseworker:1',
  opened_on: '2026-11-20',
  decision_due: '2026-11-27',
  programme_due: '2026-12-04',
  decided_by: 'caseworker:1',
  decided_at: new Date('2026-11-24T09:00:00Z'),
  refusal_code: 'not_resident',
  created_at: new Date('2026-11-20T08:00:00Z'),
};

describe('Views of the intake', () => {
  test('When a recipient is shown, then the per-capita income is worked out and timestamps are ISO 8601', () => {
    expect(recipientView(recipient)).toMatchObject({
      per_capita_income: { total: '26000.01', persons: 2, rounded: '13000.01' },
      created_at: '2026-11-24T00:37:00.120Z',
      updated_at: '2026-11-25T10:00:00.000Z',
    });
  });

  test('When a refused assessment is shown, then it carries the refusal’s standard texts and no programme', () => {
    const view = assessmentView(assessment);
    expect(view.refusal).toMatchObject({ code: 'not_resident', reason: expect.any(String), next_steps: expect.any(String), appeal: expect.any(String) });
    expect(view).toMatchObject({ decided_at: '2026-11-24T09:00:00.000Z', programme: null });
  });

  test('When an assessment with its programme is shown, then the programme is nested; an undecided one has no decision time', () => {
    const programme: Programme = {
      id: 'c0000000-0000-4000-8000-000000000001',
      assessment_id: assessment.id,
      recipient_id: recipient.id,
      region_code: '73',
      valid_from: '2026-12-01',
      lines: [],
      drawn_by: 'caseworker:1',
      drawn_at: new Date('2026-11-26T12:00:00Z'),
    };
    const view = assessmentView({ ...assessment, status: 'programme_drawn', refusal_code: null, decided_at: null }, programme);
    expect(view).toMatchObject({ refusal: null, decided_at: null, programme: { id: programme.id, drawn_at: '2026-11-26T12:00:00.000Z' } });
    expect(view.programme).not.toHaveProperty('recipient_id');
  });

  test('When an overdue open assessment is listed, then it says the decision deadline passed', () => {
    expect(overdueAssessmentView({ ...assessment, status: 'open', refusal_code: null, decided_at: null })).toMatchObject({ overdue: 'decision', due: '2026-11-27' });
  });

  test('When a failed bulk issue is shown, then its failure and links are there', () => {
    const bulk: BulkIssueRow = {
      id: 'd0000000-0000-4000-8000-000000000001',
      region_code: '73',
      budget_programme_id: 'e0000000-0000-4000-8000-000000000001',
      file_name: null,
      status: 'failed',
      total_rows: 3,
      processed_rows: 1,
      issued: 1,
      failed: 0,
      issued_on: '2026-11-24',
      created_by: 'caseworker:1',
      created_at: '2026-11-24T00:37:00.120Z',
      started_at: '2026-11-24T00:37:01.000Z',
      finished_at: null,
      failure_detail: 'Леджер недоступен.',
    };
    expect(bulkIssueView(bulk)).toMatchObject({
      failure: { detail: 'Леджер недоступен.' },
      finished_at: null,
      links: { self: `/v1/bulk-issues/${bulk.id}`, errors: `/v1/bulk-issues/${bulk.id}/errors` },
    });
    expect(bulkIssueView({ ...bulk, failure_detail: null }).failure).toBeNull();
  });

  test('When a page of errors comes full, then the cursor is its last row; a shorter page ends the list', () => {
    const rows = [
      { row_no: 4, snils: null, error_code: 'invalid_snils', error_detail: 'СНИЛС' },
      { row_no: 9, snils: '11223344595', error_code: 'invalid_date', error_detail: 'дата' },
    ];
    expect(bulkIssueErrorsView(rows, 2)).toEqual({
      items: [
        { row_no: 4, snils: null, code: 'invalid_snils', detail: 'СНИЛС' },
        { row_no: 9, snils: '11223344595', code: 'invalid_date', detail: 'дата' },
      ],
      next_cursor: 9,
    });
    expect(bulkIssueErrorsView(rows, 3).next_cursor).toBeNull();
  });
});
