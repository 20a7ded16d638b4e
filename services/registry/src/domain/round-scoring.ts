import { Decimal } from 'decimal.js';
import { AppError } from '@esc/service-kit';
import { innProblem, kppProblem, ogrnProblem } from './identifiers';
import type { DeclarationCode, Provider } from './provider-model';
import type { CriterionResult, Decision, FormalCriterion, Refusal, Round } from './round-model';

/**
 * How a round decides an application, as pure functions of what the use case loaded: the formal
 * (pass/fail) check, the points of the scored criteria, the refusal with its reasons, and the appeal
 * deadline.
 */

const FORMAL_NAMES: Record<FormalCriterion, string> = {
  identifiers_valid: 'Корректность ИНН, ОГРН и КПП',
  registered_one_year: 'Не менее одного года с даты государственной регистрации',
  licence_present: 'Лицензия на услуги, для которых она требуется',
  location_in_territory: 'Место оказания услуг на территории отбора',
  no_tax_arrears: 'Отсутствие недоимки по налогам и сборам',
  not_bankrupt: 'Не находится в процедуре банкротства',
  not_liquidating: 'Не находится в процессе ликвидации',
  not_unscrupulous_supplier: 'Отсутствует в реестре недобросовестных поставщиков',
};

const DECLARATION_FIX: Record<DeclarationCode, string> = {
  no_tax_arrears: 'Заявите об отсутствии недоимки и приложите справку ФНС об исполнении обязанности по уплате налогов',
  not_bankrupt: 'Заявите, что организация не находится в процедуре банкротства, и приложите выписку из ЕФРСБ',
  not_liquidating: 'Заявите, что организация не ликвидируется, и приложите выписку из ЕГРЮЛ',
  not_unscrupulous_supplier: 'Заявите об отсутствии в реестре недобросовестных поставщиков и приложите выписку из РНП',
};

export type ScoredProvider = Pick<
  Provider,
  'inn' | 'ogrn' | 'kpp' | 'registered_at' | 'licences' | 'locations' | 'declarations' | 'rating' | 'rating_count' | 'accessibility' | 'type'
>;

/** What the formal check reads besides the round and the provider. */
export interface FormalFacts {
  /** The applied-for services that need a licence. */
  licensedServices: Array<{ code: string; name: string }>;
  /** The provider's uploaded documents (valid_until as YYYY-MM-DD). */
  uploadedDocuments: Array<{ id: string; title: string; valid_until: string | null }>;
  /** The civil date the check is made on (YYYY-MM-DD). */
  date: string;
}

const validOn = (doc: { issued_at?: string; valid_until?: string | null } | null | undefined, date: string) =>
  !!doc && (!doc.issued_at || doc.issued_at <= date) && (!doc.valid_until || doc.valid_until >= date);

/** Full years from one civil date to another (a birthday rule: 29 February counts from 1 March). */
export function yearsSince(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** The pass/fail criteria of the round, each decided from the provider's data as of `facts.date`. */
export function checkFormal(round: Pick<Round, 'formal_criteria' | 'territory'>, provider: ScoredProvider, facts: FormalFacts): CriterionResult[] {
  const { date, licensedServices, uploadedDocuments } = facts;
  return round.formal_criteria.map((code): CriterionResult => {
    const base = { code, kind: 'formal' as const, name: FORMAL_NAMES[code], points: null, weight: null, weighted_points: null };
    const pass = (detail: string): CriterionResult => ({ ...base, result: 'pass', detail });
    const fail = (detail: string, what_to_fix: string): CriterionResult => ({ ...base, result: 'fail', detail, what_to_fix });
    switch (code) {
      case 'identifiers_valid': {
        const problems = [innProblem(provider.inn), ogrnProblem(provider.ogrn), provider.kpp ? kppProblem(provider.kpp) : undefined].filter(Boolean);
        return problems.length ? fail(problems.join('; '), 'Исправьте реквизиты организации в реестре') : pass('ИНН, ОГРН и КПП прошли проверку контрольных чисел');
      }
      case 'registered_one_year': {
        const years = yearsSince(provider.registered_at, date);
        return years >= 1
          ? pass(`Зарегистрирована ${provider.registered_at}, полных лет: ${years}`)
          : fail(
              `Зарегистрирована ${provider.registered_at}: на ${date} не прошло одного года`,
              'Подайте заявку в следующий отбор после истечения года с даты регистрации',
            );
      }
      case 'licence_present': {
        if (!licensedServices.length) return pass('Для заявленных услуг лицензия не требуется');
        const missing = licensedServices.filter((s) => !provider.licences.some((l) => l.service_codes.includes(s.code) && validOn(l, date)));
        return missing.length
          ? fail(
              `Нет действующей лицензии на услуги: ${missing.map((s) => `${s.code} («${s.name}»)`).join(', ')}`,
              'Добавьте в сведения о поставщике действующую лицензию (номер, кем и когда выдана, срок действия) на эти услуги',
            )
          : pass('Действующая лицензия есть на все услуги, которые её требуют');
      }
      case 'location_in_territory':
        return provider.locations.some((l) => round.territory.includes(l.district_code))
          ? pass('Есть место оказания услуг на территории отбора')
          : fail(
              `Ни одно место оказания услуг не находится на территории отбора (${round.territory.join(', ')})`,
              'Укажите адрес оказания услуг на территории отбора',
            );
      default: {
        const declaration = provider.declarations[code];
        if (!declaration?.declared) return fail('Заявление не подано', DECLARATION_FIX[code]);
        if (!declaration.document) return fail('Заявление не подтверждено документом', DECLARATION_FIX[code]);
        if (!validOn(declaration.document, date)) {
          return fail(`Документ «${declaration.document.kind}» № ${declaration.document.number} не действует на ${date}`, DECLARATION_FIX[code]);
        }
        const fileId = declaration.document.document_id;
        if (fileId) {
          const file = uploadedDocuments.find((d) => d.id === fileId);
          if (!file) return fail(`Файл документа ${fileId} не найден среди загруженных документов поставщика`, `${DECLARATION_FIX[code]} (загрузите файл и укажите его document_id)`);
          if (file.valid_until && file.valid_until < date) return fail(`Срок действия загруженного документа «${file.title}» истёк ${file.valid_until}`, DECLARATION_FIX[code]);
          return pass(`Подтверждено загруженным документом «${file.title}» (${declaration.document.kind} № ${declaration.document.number})`);
        }
        return pass(`Подтверждено: ${declaration.document.kind} № ${declaration.document.number} от ${declaration.document.issued_at}`);
      }
    }
  });
}

/** Points of a criterion the registry scores itself (experience_years, rating, accessibility), capped at its maximum. */
export function autoPoints(code: string, maxPoints: number, provider: ScoredProvider, date: string): { points: number; detail: string } {
  switch (code) {
    case 'experience_years': {
      const years = yearsSince(provider.registered_at, date);
      return { points: Math.min(Math.max(years, 0), maxPoints), detail: `Опыт работы: ${years} полных лет` };
    }
    case 'rating': {
      if (!provider.rating || provider.rating_count === 0) return { points: 0, detail: 'Оценок получателей пока нет' };
      const points = new Decimal(provider.rating).times(maxPoints).div(5).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
      return { points, detail: `Рейтинг ${provider.rating} по ${provider.rating_count} оценкам` };
    }
    default:
      return {
        points: Math.min(provider.accessibility.length, maxPoints),
        detail: `Условия доступности: ${provider.accessibility.length ? provider.accessibility.join(', ') : 'не указаны'}`,
      };
  }
}

/** The last moment a refusal may be appealed: `days` whole days (calendar, not working days) after the decision. */
export function appealDeadline(decidedAt: Date, days: number): string {
  return new Date(decidedAt.getTime() + days * 86_400_000).toISOString();
}

export const HOW_TO_APPEAL = 'Подайте апелляцию в комиссию по отбору в личном кабинете поставщика (раздел «Отборы»), указав, что исправлено, до указанного срока.';

/**
 * Why an application is refused and what to fix: the failed formal criteria, or — when they all
 * passed — the points short of the threshold.
 */
export function refusalOf(
  round: Pick<Round, 'appeal_window_days' | 'threshold'>,
  criteria: CriterionResult[],
  decidedAt: Date,
  belowThreshold?: { total: Decimal },
): Refusal {
  const deadline = appealDeadline(decidedAt, round.appeal_window_days);
  if (!belowThreshold) {
    const failed = criteria.filter((c) => c.result === 'fail');
    return {
      code: 'formal_criteria_failed',
      reason: `Не выполнены обязательные требования отбора: ${failed.map((c) => `«${c.name}» — ${c.detail}`).join('; ')}.`,
      what_to_fix: failed.map((c) => c.what_to_fix!),
      appeal_deadline: deadline,
      how_to_appeal: HOW_TO_APPEAL,
    };
  }
  return {
    code: 'below_threshold',
    reason: `Набрано ${belowThreshold.total.toString()} баллов при проходном значении ${round.threshold}.`,
    what_to_fix: ['Повысьте показатели по оцениваемым критериям (см. баллы по каждому критерию) и подайте заявку в следующий отбор либо апелляцию, если баллы начислены неверно'],
    appeal_deadline: deadline,
    how_to_appeal: HOW_TO_APPEAL,
  };
}

export type ScoringRound = Pick<Round, 'threshold' | 'scored_criteria' | 'sonko_preference_points' | 'appeal_window_days'>;

/**
 * The decision on an application. A failed formal criterion refuses it outright; otherwise every
 * scored criterion is scored (committee criteria need a score in `scores`, at most their maximum),
 * weighted and summed, a SONKO gets the preference points, and the total must reach the threshold.
 */
export function scoreApplication(
  round: ScoringRound,
  provider: ScoredProvider,
  formal: CriterionResult[],
  scores: Record<string, number>,
  decision: { date: string; actor: string; decidedAt: Date },
): Decision {
  const { date, actor, decidedAt } = decision;
  const base = { threshold: round.threshold, decided_by: actor, decided_at: decidedAt.toISOString() };
  if (formal.some((c) => c.result === 'fail')) {
    return { ...base, outcome: 'refused', criteria: formal, total_points: null, refusal: refusalOf(round, formal, decidedAt) };
  }
  const missing = round.scored_criteria.filter((c) => c.source === 'committee' && scores[c.code] === undefined).map((c) => c.code);
  if (missing.length) {
    throw new AppError(
      'validation',
      'scores_missing',
      `Комиссия должна оценить критерии: ${missing.join(', ')}.`,
      { missing },
      missing.map((code) => ({ field: `scores.${code}`, message: 'нужна оценка комиссии' })),
    );
  }
  const over = round.scored_criteria.filter((c) => c.source === 'committee' && scores[c.code]! > c.max_points);
  if (over.length) {
    throw new AppError(
      'validation',
      'score_out_of_range',
      'Оценка превышает максимальный балл критерия.',
      {},
      over.map((c) => ({ field: `scores.${c.code}`, message: `не более ${c.max_points}` })),
    );
  }
  let total = new Decimal(0);
  const scored = round.scored_criteria.map((c): CriterionResult => {
    const { points, detail } = c.source === 'auto' ? autoPoints(c.code, c.max_points, provider, date) : { points: scores[c.code]!, detail: 'Оценка комиссии' };
    const weighted = new Decimal(points).times(c.weight);
    total = total.plus(weighted);
    return { code: c.code, kind: 'scored', name: c.name, result: 'scored', points, weight: c.weight, weighted_points: weighted.toString(), detail: `${detail}; ${points} из ${c.max_points}` };
  });
  const preference = new Decimal(round.sonko_preference_points);
  const criteria = [...formal, ...scored];
  if (preference.gt(0)) {
    const applies = provider.type === 'sonko';
    if (applies) total = total.plus(preference);
    criteria.push({
      code: 'sonko_preference',
      kind: 'preference',
      name: 'Преимущество СОНКО / ИОПУ',
      result: applies ? 'pass' : 'fail',
      points: null,
      weight: null,
      weighted_points: applies ? preference.toString() : '0',
      detail: applies ? 'Организация — СОНКО' : 'Организация не является СОНКО',
    });
  }
  const admitted = total.gte(round.threshold);
  return {
    ...base,
    outcome: admitted ? 'admitted' : 'refused',
    criteria,
    total_points: total.toString(),
    ...(admitted ? {} : { refusal: refusalOf(round, criteria, decidedAt, { total }) }),
  };
}

/**
 * The committee's reason per criterion, kept beside the criterion's result. A code that is not a
 * criterion of the round is refused (a typo would otherwise lose the reason silently).
 */
export function withComments(decision: Decision, round: Pick<Round, 'formal_criteria' | 'scored_criteria'>, comments: Record<string, string> = {}): Decision {
  const known = new Set<string>([...round.formal_criteria, ...round.scored_criteria.map((c) => c.code), 'sonko_preference']);
  const unknown = Object.keys(comments).filter((code) => !known.has(code));
  if (unknown.length) {
    throw new AppError(
      'validation',
      'unknown_criterion',
      `В отборе нет критериев с кодами: ${unknown.join(', ')}.`,
      { unknown },
      unknown.map((code) => ({ field: `comments.${code}`, message: 'нет такого критерия в отборе' })),
    );
  }
  return { ...decision, criteria: decision.criteria.map((c) => (comments[c.code] ? { ...c, comment: comments[c.code] } : c)) };
}
