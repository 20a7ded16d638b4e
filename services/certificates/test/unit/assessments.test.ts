import { AppError } from '@esc/service-kit';
import type { RegistryService } from '../../src/clients/registry-client';
import { assertProgrammeCanBeDrawn, assessmentDeadlines, decide, lineFromCatalog, missedDeadline } from '../../src/domain/assessments';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('Assessment deadlines (442-FZ art. 15)', () => {
  test('When an assessment opens on Friday 2026-11-20, then the decision is due on 2026-11-27 and the programme on 2026-12-04', () => {
    expect(assessmentDeadlines('2026-11-20')).toEqual({ decision_due: '2026-11-27', programme_due: '2026-12-04' });
  });
  test('When it opens on 2026-12-29, then the New Year holidays push both deadlines into January', () => {
    // 30 Dec is day 1; 31 Dec and 1–8 Jan are off; 11–14 Jan are days 2–5, 15–21 Jan days 6–10.
    expect(assessmentDeadlines('2026-12-29')).toEqual({ decision_due: '2027-01-14', programme_due: '2027-01-21' });
  });
});

describe('Deciding an assessment', () => {
  const at = new Date('2026-11-24T09:00:00Z');

  test('When an open assessment is recognised, then it records who and when and no refusal', () => {
    expect(decide({ status: 'open' }, { decision: 'recognised', refusal_code: 'not_in_need' }, 'caseworker:1', at)).toEqual({
      status: 'recognised',
      refusal_code: null,
      decided_by: 'caseworker:1',
      decided_at: at,
    });
  });

  test('When an open assessment is refused with a code, then the code is kept', () => {
    expect(decide({ status: 'open' }, { decision: 'refused', refusal_code: 'not_resident' }, 'caseworker:1', at)).toMatchObject({
      status: 'refused',
      refusal_code: 'not_resident',
    });
  });

  test('When a refusal comes without its code, then it is a validation error on refusal_code', () => {
    const error = thrown(() => decide({ status: 'open' }, { decision: 'refused' }, 'caseworker:1', at));
    expect(error).toMatchObject({ kind: 'validation', code: 'validation_failed' });
    expect(error.fieldProblems).toEqual([{ field: 'refusal_code', message: 'обязателен при отказе' }]);
  });

  test.each([['recognised'], ['refused'], ['programme_drawn']] as const)('When the assessment is already %s, then deciding again conflicts', (status) => {
    expect(thrown(() => decide({ status }, { decision: 'refused' }, 'caseworker:1', at))).toMatchObject({ kind: 'conflict', code: 'assessment_already_decided' });
  });
});

describe('Drawing a programme', () => {
  test('When the person is recognised, then the programme may be drawn', () => {
    expect(() => assertProgrammeCanBeDrawn({ status: 'recognised' })).not.toThrow();
  });
  test('When a programme is already drawn, then drawing again conflicts as programme_already_drawn', () => {
    expect(thrown(() => assertProgrammeCanBeDrawn({ status: 'programme_drawn' })).code).toBe('programme_already_drawn');
  });
  test.each([['open'], ['refused']] as const)('When the assessment is %s, then no programme is drawn yet', (status) => {
    expect(thrown(() => assertProgrammeCanBeDrawn({ status })).code).toBe('assessment_not_recognised');
  });
});

describe('A programme line against the catalog', () => {
  const service: RegistryService = { code: 'HOME-PSYCH-VISIT', name: 'Психологическая помощь', form: 'home', unit: 'посещение', standard: { max_volume_per_month: 8 } };

  test('When the volume equals the standard’s maximum, then the line is drawn with the catalog’s words', () => {
    expect(lineFromCatalog({ service_code: service.code, volume_per_month: 8, months: 12 }, service)).toEqual({
      line: { service_code: service.code, volume_per_month: 8, months: 12, service_name: service.name, form: 'home', unit: 'посещение', max_volume_per_month: 8 },
    });
  });

  test('When the volume is one above the maximum, then it is refused with the maximum', () => {
    expect(lineFromCatalog({ service_code: service.code, volume_per_month: 9, months: 1 }, service)).toEqual({
      code: 'volume_beyond_standard',
      detail: 'Объём «Психологическая помощь» — 9 в месяц — больше предельного по стандарту услуги (8 в месяц).',
      max_volume_per_month: 8,
    });
  });

  test('When the standard’s maximum is not a number, then there is no maximum', () => {
    const loose = { ...service, standard: { max_volume_per_month: 'по назначению' } } as unknown as RegistryService;
    expect(lineFromCatalog({ service_code: service.code, volume_per_month: 500, months: 1 }, loose)).toMatchObject({ line: { max_volume_per_month: null } });
  });

  test('When the catalog has no such service, then it is unknown_service', () => {
    expect(lineFromCatalog({ service_code: 'NOPE', volume_per_month: 1, months: 1 }, undefined)).toEqual({ code: 'unknown_service', detail: 'В перечне услуг нет услуги с кодом NOPE.' });
  });
});

describe('Overdue assessments', () => {
  const dates = { decision_due: '2026-11-27', programme_due: '2026-12-04' };
  test('When an open assessment is overdue, then it missed the decision deadline', () => {
    expect(missedDeadline({ status: 'open', ...dates })).toEqual({ overdue: 'decision', due: '2026-11-27' });
  });
  test('When a recognised assessment is overdue, then it missed the programme deadline', () => {
    expect(missedDeadline({ status: 'recognised', ...dates })).toEqual({ overdue: 'programme', due: '2026-12-04' });
  });
});
