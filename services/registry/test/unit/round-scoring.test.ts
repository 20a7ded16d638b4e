import { AppError } from '@esc/service-kit';
import type { CriterionResult, FormalCriterion, ScoredCriterion } from '../../src/domain/round-model';
import { FORMAL_CRITERIA } from '../../src/domain/round-model';
import { appealDeadline, autoPoints, checkFormal, HOW_TO_APPEAL, refusalOf, scoreApplication, yearsSince, type ScoredProvider } from '../../src/domain/round-scoring';

const DATE = '2027-03-01';
const document = (number: string, extra: Record<string, unknown> = {}) => ({ kind: 'Выписка', number, issued_at: '2027-01-10', ...extra });

function provider(overrides: Partial<ScoredProvider> = {}): ScoredProvider {
  return {
    inn: '7830002293',
    ogrn: '1027700132195',
    kpp: '773601001',
    registered_at: '2002-08-16',
    licences: [],
    locations: [{ address: 'г. Ульяновск', district_code: '73701000', lat: 54.3, lon: 48.4 }],
    declarations: {
      no_tax_arrears: { declared: true, document: document('1') },
      not_bankrupt: { declared: true, document: document('2') },
      not_liquidating: { declared: true, document: document('3') },
      not_unscrupulous_supplier: { declared: true, document: document('4') },
    },
    rating: null,
    rating_count: 0,
    accessibility: ['ramp', 'home_visits'],
    type: 'sonko',
    ...overrides,
  };
}

const round = { formal_criteria: [...FORMAL_CRITERIA], territory: ['73701000', '73705000'] };
const noFacts = { licensedServices: [], uploadedDocuments: [], date: DATE };
const resultOf = (results: CriterionResult[], code: FormalCriterion) => results.find((r) => r.code === code)!;

describe('checkFormal', () => {
  it('When the provider meets every criterion, then each passes, in the round’s order, without points', () => {
    const results = checkFormal(round, provider(), noFacts);
    expect(results.map((r) => [r.code, r.result])).toEqual(FORMAL_CRITERIA.map((c) => [c, 'pass']));
    expect(results.every((r) => r.kind === 'formal' && r.points === null && r.weighted_points === null && r.what_to_fix === undefined)).toBe(true);
  });

  it('When the round checks only some criteria, then only those are decided', () => {
    const results = checkFormal({ ...round, formal_criteria: ['licence_present', 'identifiers_valid'] }, provider(), noFacts);
    expect(results.map((r) => r.code)).toEqual(['licence_present', 'identifiers_valid']);
  });

  it('When identifiers have wrong check digits, then the failure names each; an entrepreneur without a KPP is not asked for one', () => {
    const failed = resultOf(checkFormal(round, provider({ inn: '7830002294', kpp: '77360' }), noFacts), 'identifiers_valid');
    expect(failed).toMatchObject({ result: 'fail', what_to_fix: 'Исправьте реквизиты организации в реестре' });
    expect(failed.detail).toContain('ИНН');
    expect(failed.detail).toContain('КПП');
    expect(resultOf(checkFormal(round, provider({ kpp: null }), noFacts), 'identifiers_valid').result).toBe('pass');
  });

  it('When the provider was registered exactly a year before the date, then it passes; a day less fails', () => {
    expect(resultOf(checkFormal(round, provider({ registered_at: '2026-03-01' }), noFacts), 'registered_one_year')).toMatchObject({
      result: 'pass',
      detail: 'Зарегистрирована 2026-03-01, полных лет: 1',
    });
    expect(resultOf(checkFormal(round, provider({ registered_at: '2026-03-02' }), noFacts), 'registered_one_year')).toMatchObject({
      result: 'fail',
      detail: 'Зарегистрирована 2026-03-02: на 2027-03-01 не прошло одного года',
    });
  });

  it('When a service needs a licence, then only a licence for that service in force on the date passes', () => {
    const licensedServices = [{ code: 'CHILD-REHAB-COURSE', name: 'Курс реабилитации' }];
    const licence = (extra: Record<string, unknown>) => ({ number: 'Л-1', issued_by: 'Минздрав', issued_at: '2024-02-01', service_codes: ['CHILD-REHAB-COURSE'], ...extra });
    const check = (licences: ScoredProvider['licences']) => resultOf(checkFormal(round, provider({ licences }), { ...noFacts, licensedServices }), 'licence_present');
    expect(check([])).toMatchObject({ result: 'fail', detail: 'Нет действующей лицензии на услуги: CHILD-REHAB-COURSE («Курс реабилитации»)' });
    expect(check([licence({ service_codes: ['OTHER'] })]).result).toBe('fail');
    expect(check([licence({ valid_until: '2027-02-28' })]).result).toBe('fail');
    expect(check([licence({ issued_at: '2027-03-02' })]).result).toBe('fail');
    expect(check([licence({ valid_until: DATE })]).result).toBe('pass');
    expect(check([licence({})]).detail).toBe('Действующая лицензия есть на все услуги, которые её требуют');
  });

  it('When no location lies in the round’s territory, then it fails naming the territory', () => {
    const elsewhere = provider({ locations: [{ address: 'Инза', district_code: '73610000', lat: 53.8, lon: 46.3 }] });
    expect(resultOf(checkFormal(round, elsewhere, noFacts), 'location_in_territory')).toMatchObject({
      result: 'fail',
      detail: 'Ни одно место оказания услуг не находится на территории отбора (73701000, 73705000)',
    });
  });

  it('When a declaration is missing, undocumented or its document is not in force on the date, then each says so', () => {
    const results = checkFormal(
      round,
      provider({
        declarations: {
          no_tax_arrears: { declared: false, document: document('1') },
          not_bankrupt: { declared: true },
          not_liquidating: { declared: true, document: document('3', { valid_until: '2027-02-28' }) },
          not_unscrupulous_supplier: { declared: true, document: document('4', { issued_at: '2027-03-02' }) },
        },
      }),
      noFacts,
    );
    expect(resultOf(results, 'no_tax_arrears').detail).toBe('Заявление не подано');
    expect(resultOf(results, 'not_bankrupt').detail).toBe('Заявление не подтверждено документом');
    expect(resultOf(results, 'not_liquidating').detail).toBe('Документ «Выписка» № 3 не действует на 2027-03-01');
    expect(resultOf(results, 'not_unscrupulous_supplier').result).toBe('fail');
    expect(resultOf(results, 'no_tax_arrears').what_to_fix).toContain('справку ФНС');
  });

  it('When a declaration points at an uploaded file, then the file must exist and not have expired before the date', () => {
    const declarations = (documentId: string) => ({ ...provider().declarations, no_tax_arrears: { declared: true, document: document('1', { document_id: documentId }) } });
    const uploadedDocuments = [
      { id: 'in-force', title: 'Справка ФНС', valid_until: DATE },
      { id: 'expired', title: 'Старая справка', valid_until: '2027-02-28' },
      { id: 'open-ended', title: 'Бессрочная', valid_until: null },
    ];
    const check = (id: string) => resultOf(checkFormal(round, provider({ declarations: declarations(id) }), { ...noFacts, uploadedDocuments }), 'no_tax_arrears');
    expect(check('in-force')).toMatchObject({ result: 'pass', detail: 'Подтверждено загруженным документом «Справка ФНС» (Выписка № 1)' });
    expect(check('open-ended').result).toBe('pass');
    expect(check('expired')).toMatchObject({ result: 'fail', detail: 'Срок действия загруженного документа «Старая справка» истёк 2027-02-28' });
    expect(check('missing')).toMatchObject({ result: 'fail', what_to_fix: expect.stringContaining('document_id') });
  });
});

describe('yearsSince and autoPoints', () => {
  it('When counting full years, then the anniversary counts and 29 February is reached on 1 March', () => {
    expect(yearsSince('2020-03-01', '2027-03-01')).toBe(7);
    expect(yearsSince('2020-03-02', '2027-03-01')).toBe(6);
    expect(yearsSince('2020-02-29', '2021-02-28')).toBe(0);
    expect(yearsSince('2020-02-29', '2021-03-01')).toBe(1);
  });

  it('When experience is scored, then it is capped at the maximum and never negative', () => {
    expect(autoPoints('experience_years', 10, provider(), DATE)).toEqual({ points: 10, detail: 'Опыт работы: 24 полных лет' });
    expect(autoPoints('experience_years', 10, provider({ registered_at: '2024-06-01' }), DATE).points).toBe(2);
    expect(autoPoints('experience_years', 10, provider({ registered_at: '2028-01-01' }), DATE).points).toBe(0);
  });

  it('When the rating is scored, then it is rating × max / 5 rounded half-up, and nothing without ratings', () => {
    expect(autoPoints('rating', 5, provider({ rating: '4.50', rating_count: 2 }), DATE)).toEqual({ points: 5, detail: 'Рейтинг 4.50 по 2 оценкам' });
    expect(autoPoints('rating', 10, provider({ rating: '3.25', rating_count: 4 }), DATE).points).toBe(7);
    expect(autoPoints('rating', 10, provider({ rating: '3.20', rating_count: 4 }), DATE).points).toBe(6);
    expect(autoPoints('rating', 5, provider({ rating: '4.00', rating_count: 0 }), DATE)).toEqual({ points: 0, detail: 'Оценок получателей пока нет' });
  });

  it('When accessibility is scored, then each feature is a point up to the maximum', () => {
    expect(autoPoints('accessibility', 1, provider(), DATE).points).toBe(1);
    expect(autoPoints('accessibility', 5, provider({ accessibility: [] }), DATE)).toEqual({ points: 0, detail: 'Условия доступности: не указаны' });
  });
});

describe('scoreApplication', () => {
  const criteria: ScoredCriterion[] = [
    { code: 'experience_years', name: 'Опыт', weight: '2', max_points: 10, source: 'auto' },
    { code: 'qualified_staff', name: 'Персонал', weight: '1.5', max_points: 10, source: 'committee' },
  ];
  const scoring = { threshold: '35', scored_criteria: criteria, sonko_preference_points: '0', appeal_window_days: 10 };
  const decidedAt = new Date('2027-03-01T07:00:00.000Z');
  const at = { date: DATE, actor: 'committee:1', decidedAt };
  const passed = checkFormal(round, provider(), noFacts);

  it('When the total equals the threshold, then the application is admitted (a tie passes)', () => {
    // experience 10 × 2 = 20; staff 10 × 1.5 = 15
    const decision = scoreApplication(scoring, provider(), passed, { qualified_staff: 10 }, at);
    expect(decision).toMatchObject({ outcome: 'admitted', total_points: '35', threshold: '35', decided_by: 'committee:1', decided_at: '2027-03-01T07:00:00.000Z' });
    expect(decision.refusal).toBeUndefined();
    expect(decision.criteria.slice(-2).map((c) => [c.code, c.points, c.weighted_points, c.detail])).toEqual([
      ['experience_years', 10, '20', 'Опыт работы: 24 полных лет; 10 из 10'],
      ['qualified_staff', 10, '15', 'Оценка комиссии; 10 из 10'],
    ]);
  });

  it('When the total is a fraction short of the threshold, then it is refused below_threshold with the points and the appeal deadline', () => {
    const decision = scoreApplication(scoring, provider(), passed, { qualified_staff: 9 }, at);
    expect(decision.outcome).toBe('refused');
    expect(decision.total_points).toBe('33.5');
    expect(decision.refusal).toEqual({
      code: 'below_threshold',
      reason: 'Набрано 33.5 баллов при проходном значении 35.',
      what_to_fix: [expect.stringContaining('Повысьте показатели')],
      appeal_deadline: '2027-03-11T07:00:00.000Z',
      how_to_appeal: HOW_TO_APPEAL,
    });
  });

  it('When decimal weights add up, then the total is exact (no binary rounding)', () => {
    const tenths = { ...scoring, threshold: '0.3', scored_criteria: [1, 2, 3].map((i) => ({ code: `c${i}`, name: `К${i}`, weight: '0.1', max_points: 1, source: 'committee' as const })) };
    expect(scoreApplication(tenths, provider(), passed, { c1: 1, c2: 1, c3: 1 }, at)).toMatchObject({ outcome: 'admitted', total_points: '0.3' });
  });

  it('When a formal criterion failed, then it is refused outright with the formal results only, and committee scores are not asked for', () => {
    const failed = checkFormal(round, provider({ registered_at: '2026-12-01', ogrn: '1027700132195' }), noFacts);
    const decision = scoreApplication(scoring, provider(), failed, {}, at);
    expect(decision).toMatchObject({ outcome: 'refused', total_points: null, criteria: failed });
    expect(decision.refusal).toMatchObject({ code: 'formal_criteria_failed', what_to_fix: ['Подайте заявку в следующий отбор после истечения года с даты регистрации'] });
    expect(decision.refusal!.reason).toBe(
      'Не выполнены обязательные требования отбора: «Не менее одного года с даты государственной регистрации» — Зарегистрирована 2026-12-01: на 2027-03-01 не прошло одного года.',
    );
  });

  it('When a committee score is missing or over the maximum, then a validation error names the field', () => {
    const missing = () => scoreApplication(scoring, provider(), passed, {}, at);
    expect(missing).toThrow(AppError);
    expect(missing).toThrow(expect.objectContaining({ code: 'scores_missing', extensions: { missing: ['qualified_staff'] }, fieldProblems: [{ field: 'scores.qualified_staff', message: 'нужна оценка комиссии' }] }));
    expect(() => scoreApplication(scoring, provider(), passed, { qualified_staff: 11 }, at)).toThrow(
      expect.objectContaining({ code: 'score_out_of_range', fieldProblems: [{ field: 'scores.qualified_staff', message: 'не более 10' }] }),
    );
  });

  it('When the round gives SONKO preference points, then a SONKO gets them and anyone else sees the criterion failed with 0', () => {
    const preferred = { ...scoring, sonko_preference_points: '5' };
    const sonko = scoreApplication(preferred, provider({ type: 'sonko' }), passed, { qualified_staff: 0 }, at);
    expect(sonko.total_points).toBe('25');
    expect(sonko.criteria.at(-1)).toMatchObject({ code: 'sonko_preference', kind: 'preference', result: 'pass', weighted_points: '5' });
    const other = scoreApplication(preferred, provider({ type: 'social_enterprise' }), passed, { qualified_staff: 0 }, at);
    expect(other.total_points).toBe('20');
    expect(other.criteria.at(-1)).toMatchObject({ code: 'sonko_preference', result: 'fail', weighted_points: '0' });
    expect(scoreApplication(scoring, provider(), passed, { qualified_staff: 0 }, at).criteria.some((c) => c.code === 'sonko_preference')).toBe(false);
  });
});

describe('refusalOf', () => {
  it('When several formal criteria failed, then the reason lists each with its name and detail and what to fix follows their order', () => {
    const failed = checkFormal(round, provider({ locations: [], declarations: {} }), noFacts).filter((c) => c.result === 'fail');
    const refusal = refusalOf({ appeal_window_days: 5, threshold: '0' }, failed, new Date('2027-03-01T00:00:00.000Z'));
    expect(refusal.code).toBe('formal_criteria_failed');
    expect(failed.map((c) => c.code)).toEqual(['location_in_territory', 'no_tax_arrears', 'not_bankrupt', 'not_liquidating', 'not_unscrupulous_supplier']);
    expect(refusal.what_to_fix).toEqual(failed.map((c) => c.what_to_fix));
    expect(refusal.reason.split('; ')).toHaveLength(5);
    expect(refusal.appeal_deadline).toBe('2027-03-06T00:00:00.000Z');
  });
});

describe('appealDeadline', () => {
  it('When the window is in days, then they are calendar days to the millisecond: a deadline on a weekend or a holiday is not moved', () => {
    // Friday 15:30 Moscow time + 1 day = Saturday; 8 March (a holiday) stays 8 March.
    expect(appealDeadline(new Date('2027-03-05T12:30:00.123Z'), 1)).toBe('2027-03-06T12:30:00.123Z');
    expect(appealDeadline(new Date('2027-03-01T07:00:00.000Z'), 7)).toBe('2027-03-08T07:00:00.000Z');
  });

  it('When the window crosses a month or a year end, then it simply continues, and a leap day counts', () => {
    expect(appealDeadline(new Date('2027-12-25T21:00:00.000Z'), 10)).toBe('2028-01-04T21:00:00.000Z');
    expect(appealDeadline(new Date('2028-02-25T00:00:00.000Z'), 5)).toBe('2028-03-01T00:00:00.000Z');
  });
});
