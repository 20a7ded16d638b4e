import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { AppError, conflict, forbidden, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { publicRounds } from '../data-access/navigator-store';
import { refreshSearchEntries } from '../data-access/search-index';
import { pgTextArray } from '../data-access/sql';
import { today } from './clock';
import { innProblem, kppProblem, ogrnProblem } from './identifiers';
import { changeStatus, getProvider, type DeclarationCode, type Provider } from './providers';

export const FORMAL_CRITERIA = [
  'identifiers_valid',
  'registered_one_year',
  'licence_present',
  'location_in_territory',
  'no_tax_arrears',
  'not_bankrupt',
  'not_liquidating',
  'not_unscrupulous_supplier',
] as const;
export type FormalCriterion = (typeof FORMAL_CRITERIA)[number];

/** Scored criteria the registry computes from its own data; any other code is scored by the committee. */
export const AUTO_SCORED = ['experience_years', 'rating', 'accessibility'] as const;

export interface ScoredCriterion {
  code: string;
  name: string;
  weight: string;
  max_points: number;
  source: 'auto' | 'committee';
}

export interface RoundInput {
  title: string;
  region_code: string;
  territory: string[];
  service_codes: string[];
  applications_open_at: string;
  applications_close_at: string;
  appeal_window_days: number;
  formal_criteria: FormalCriterion[];
  scored_criteria: ScoredCriterion[];
  threshold: string;
  sonko_preference_points: string;
}

export interface Round extends RoundInput {
  id: string;
  created_by: string;
  created_at: string;
}

export interface CriterionResult {
  code: string;
  kind: 'formal' | 'scored' | 'preference';
  name: string;
  result: 'pass' | 'fail' | 'scored';
  points: number | null;
  weight: string | null;
  weighted_points: string | null;
  detail: string;
  what_to_fix?: string;
}

export interface Decision {
  outcome: 'admitted' | 'refused';
  criteria: CriterionResult[];
  total_points: string | null;
  threshold: string;
  decided_by: string;
  decided_at: string;
  reason?: string;
  refusal?: {
    code: 'formal_criteria_failed' | 'below_threshold';
    reason: string;
    what_to_fix: string[];
    appeal_deadline: string;
    how_to_appeal: string;
  };
}

export type ApplicationStatus = 'awaiting_scoring' | 'admitted' | 'refused' | 'appealed' | 'appeal_rejected';

export interface Application {
  id: string;
  round_id: string;
  provider_id: string;
  service_codes: string[];
  status: ApplicationStatus;
  formal_results: CriterionResult[];
  decision: Decision | null;
  appeal: { reason: string; filed_at: string; filed_by: string; previous_decision?: Decision } | null;
  submitted_at: string;
}

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

const ROUND_COLUMNS = `id, title, region_code, territory, service_codes, applications_open_at, applications_close_at, appeal_window_days,
  formal_criteria, scored_criteria, threshold::text as threshold, sonko_preference_points::text as sonko_preference_points, created_by, created_at`;

interface RoundRow extends Omit<Round, 'applications_open_at' | 'applications_close_at' | 'created_at'> {
  applications_open_at: Date;
  applications_close_at: Date;
  created_at: Date;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function roundFromRow(r: RoundRow): Round {
  return {
    ...r,
    threshold: new Decimal(r.threshold).toString(),
    sonko_preference_points: new Decimal(r.sonko_preference_points).toString(),
    applications_open_at: iso(r.applications_open_at),
    applications_close_at: iso(r.applications_close_at),
    created_at: iso(r.created_at),
  };
}

export async function openRound(em: EntityManager, input: RoundInput, actor: string): Promise<Round> {
  const rows: Array<{ code: string }> = await em.execute(`select code from registry.services where code = any(?::text[])`, [pgTextArray(input.service_codes)]);
  const unknown = input.service_codes.filter((c) => !rows.some((r) => r.code === c));
  if (unknown.length) {
    throw new AppError('unprocessable', 'unknown_service', `В перечне нет услуг с кодами: ${unknown.join(', ')}.`, { unknown });
  }
  const id = randomUUID();
  await em.execute(
    `insert into registry.rounds (id, title, region_code, territory, service_codes, applications_open_at, applications_close_at,
       appeal_window_days, formal_criteria, scored_criteria, threshold, sonko_preference_points, created_by)
     values (?, ?, ?, ?::text[], ?::text[], ?, ?, ?, ?::text[], ?::jsonb, ?, ?, ?)`,
    [
      id,
      input.title,
      input.region_code,
      pgTextArray(input.territory),
      pgTextArray(input.service_codes),
      input.applications_open_at,
      input.applications_close_at,
      input.appeal_window_days,
      pgTextArray(input.formal_criteria),
      JSON.stringify(input.scored_criteria),
      input.threshold,
      input.sonko_preference_points,
      actor,
    ],
  );
  return getRound(em, id);
}

export async function getRound(em: EntityManager, id: string): Promise<Round> {
  const rows: RoundRow[] = await em.execute(`select ${ROUND_COLUMNS} from registry.rounds where id = ?`, [id]);
  if (!rows[0]) throw notFound('round_not_found', `Отбор ${id} не найден.`, { round_id: id });
  return roundFromRow(rows[0]);
}

export async function listRounds(em: EntityManager): Promise<Round[]> {
  const rows: RoundRow[] = await em.execute(`select ${ROUND_COLUMNS} from registry.rounds order by applications_open_at desc, id`);
  return rows.map(roundFromRow);
}

const validOn = (doc: { issued_at?: string; valid_until?: string | null } | null | undefined, date: string) =>
  !!doc && (!doc.issued_at || doc.issued_at <= date) && (!doc.valid_until || doc.valid_until >= date);

function yearsSince(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** The pass/fail criteria, each decided from the registry's data as of `date`. */
export async function checkFormal(em: EntityManager, round: Round, provider: Provider, serviceCodes: string[], date: string): Promise<CriterionResult[]> {
  const needLicence: Array<{ code: string; name: string }> = await em.execute(
    `select code, name from registry.services where code = any(?::text[]) and licence_required order by code`,
    [pgTextArray(serviceCodes)],
  );
  const uploaded: Array<{ id: string; title: string; valid_until: string | null }> = await em.execute(
    `select id, title, valid_until::text as valid_until from registry.documents where provider_id = ?`,
    [provider.id],
  );
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
        if (!needLicence.length) return pass('Для заявленных услуг лицензия не требуется');
        const missing = needLicence.filter((s) => !provider.licences.some((l) => l.service_codes.includes(s.code) && validOn(l, date)));
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
          const file = uploaded.find((d) => d.id === fileId);
          if (!file) return fail(`Файл документа ${fileId} не найден среди загруженных документов поставщика`, `${DECLARATION_FIX[code]} (загрузите файл и укажите его document_id)`);
          if (file.valid_until && file.valid_until < date) return fail(`Срок действия загруженного документа «${file.title}» истёк ${file.valid_until}`, DECLARATION_FIX[code]);
          return pass(`Подтверждено загруженным документом «${file.title}» (${declaration.document.kind} № ${declaration.document.number})`);
        }
        return pass(`Подтверждено: ${declaration.document.kind} № ${declaration.document.number} от ${declaration.document.issued_at}`);
      }
    }
  });
}

function autoPoints(code: string, maxPoints: number, provider: Provider, date: string): { points: number; detail: string } {
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

function appealDeadline(decidedAt: Date, days: number): string {
  return new Date(decidedAt.getTime() + days * 86_400_000).toISOString();
}

const HOW_TO_APPEAL = 'Подайте апелляцию в комиссию по отбору в личном кабинете поставщика (раздел «Отборы»), указав, что исправлено, до указанного срока.';

function refusal(round: Round, criteria: CriterionResult[], decidedAt: Date, belowThreshold?: { total: Decimal }): Decision['refusal'] {
  const failed = criteria.filter((c) => c.result === 'fail');
  const deadline = appealDeadline(decidedAt, round.appeal_window_days);
  if (!belowThreshold) {
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

/** Scores every criterion; committee criteria need a score in `scores`. */
function score(round: Round, provider: Provider, formal: CriterionResult[], scores: Record<string, number>, date: string, actor: string, decidedAt: Date): Decision {
  const base = { threshold: round.threshold, decided_by: actor, decided_at: decidedAt.toISOString() };
  if (formal.some((c) => c.result === 'fail')) {
    return { ...base, outcome: 'refused', criteria: formal, total_points: null, refusal: refusal(round, formal, decidedAt) };
  }
  const missing = round.scored_criteria.filter((c) => c.source === 'committee' && scores[c.code] === undefined).map((c) => c.code);
  if (missing.length) {
    throw new AppError('validation', 'scores_missing', `Комиссия должна оценить критерии: ${missing.join(', ')}.`, { missing }, missing.map((code) => ({ field: `scores.${code}`, message: 'нужна оценка комиссии' })));
  }
  const over = round.scored_criteria.filter((c) => c.source === 'committee' && scores[c.code]! > c.max_points);
  if (over.length) {
    throw new AppError('validation', 'score_out_of_range', 'Оценка превышает максимальный балл критерия.', {}, over.map((c) => ({ field: `scores.${c.code}`, message: `не более ${c.max_points}` })));
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
    ...(admitted ? {} : { refusal: refusal(round, criteria, decidedAt, { total }) }),
  };
}

const APPLICATION_COLUMNS = `id, round_id, provider_id, service_codes, status, formal_results, decision, appeal, submitted_at`;

function applicationFromRow(r: Application): Application {
  return { ...r, submitted_at: iso(r.submitted_at) };
}

export async function getApplication(em: EntityManager, roundId: string, id: string, lock = false): Promise<Application> {
  const rows: Application[] = await em.execute(
    `select ${APPLICATION_COLUMNS} from registry.applications where id = ? and round_id = ?${lock ? ' for update' : ''}`,
    [id, roundId],
  );
  if (!rows[0]) throw notFound('application_not_found', `Заявка ${id} в отборе ${roundId} не найдена.`, { application_id: id });
  return applicationFromRow(rows[0]);
}

export async function listApplications(em: EntityManager, roundId: string, providerId?: string): Promise<Application[]> {
  await getRound(em, roundId);
  const rows: Application[] = await em.execute(
    `select ${APPLICATION_COLUMNS} from registry.applications where round_id = ? and (?::uuid is null or provider_id = ?) order by submitted_at, id`,
    [roundId, providerId ?? null, providerId ?? null],
  );
  return rows.map(applicationFromRow);
}

export function assertCanReadApplication(principal: Principal, application: Application): void {
  if (['committee', 'admin', 'auditor'].some((r) => principal.roles.includes(r as never))) return;
  if (principal.providerId === application.provider_id) return;
  throw forbidden('Заявка доступна только подавшему её поставщику и комиссии по отбору.', 'not_your_application');
}

function fmt(d: string) {
  return new Date(d).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' });
}

export async function apply(em: EntityManager, roundId: string, serviceCodes: string[], principal: Principal, now = new Date()): Promise<Application> {
  if (!principal.providerId) throw forbidden('Подать заявку может только администратор зарегистрированного поставщика.', 'no_provider_claim');
  const providerId = principal.providerId;
  return withTransaction(em, async (tx) => {
    const round = await getRound(tx, roundId);
    if (now < new Date(round.applications_open_at) || now > new Date(round.applications_close_at)) {
      throw conflict(
        'application_window_closed',
        `Заявки в этот отбор принимаются с ${fmt(round.applications_open_at)} по ${fmt(round.applications_close_at)} (мск); сейчас приём ${now < new Date(round.applications_open_at) ? 'ещё не начался' : 'завершён'}.`,
        { applications_open_at: round.applications_open_at, applications_close_at: round.applications_close_at },
      );
    }
    const provider = await getProvider(tx, providerId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'provider_not_found') {
        throw new AppError('unprocessable', 'provider_not_registered', 'Сначала зарегистрируйте организацию в реестре поставщиков, затем подайте заявку.');
      }
      throw err;
    });
    if (provider.status === 'excluded' || provider.status === 'suspended') {
      throw conflict('provider_not_eligible', `Поставщик в статусе «${provider.status}» не может участвовать в отборе.`, { provider_status: provider.status });
    }
    const outside = serviceCodes.filter((c) => !round.service_codes.includes(c));
    const notOffered = serviceCodes.filter((c) => !provider.services.some((s) => s.service_code === c));
    if (outside.length || notOffered.length) {
      throw new AppError(
        'unprocessable',
        'services_not_applicable',
        [
          outside.length ? `Услуги ${outside.join(', ')} не входят в этот отбор.` : '',
          notOffered.length ? `Услуги ${notOffered.join(', ')} не указаны в сведениях о поставщике; добавьте их с объёмом в месяц.` : '',
        ]
          .filter(Boolean)
          .join(' '),
        { not_in_round: outside, not_offered: notOffered },
      );
    }
    const existing: Array<{ id: string }> = await tx.execute(`select id from registry.applications where round_id = ? and provider_id = ?`, [roundId, providerId]);
    if (existing.length) {
      throw conflict('already_applied', 'Ваша заявка в этот отбор уже подана.', { application_id: existing[0]!.id });
    }
    const date = today(now);
    const formal = await checkFormal(tx, round, provider, serviceCodes, date);
    const failed = formal.some((c) => c.result === 'fail');
    const id = randomUUID();
    const decision = failed ? score(round, provider, formal, {}, date, 'system:formal-check', now) : null;
    await tx.execute(
      `insert into registry.applications (id, round_id, provider_id, service_codes, status, formal_results, decision, decided_at, submitted_by)
       values (?, ?, ?, ?::text[], ?, ?::jsonb, ?::jsonb, ?, ?)`,
      [id, roundId, providerId, pgTextArray(serviceCodes), failed ? 'refused' : 'awaiting_scoring', JSON.stringify(formal), decision && JSON.stringify(decision), decision && now, principal.subject],
    );
    if (!failed && provider.status === 'applicant') {
      await changeStatus(tx, providerId, 'under_review', `Заявка на участие в отборе «${round.title}» прошла формальную проверку`, 'system:formal-check');
    }
    return getApplication(tx, roundId, id);
  });
}

async function admit(tx: EntityManager, round: Round, application: Application, actor: string): Promise<void> {
  await tx.execute(
    `update registry.provider_services set admitted = true,
       admitted_territory = (select array(select distinct unnest(admitted_territory || ?::text[])))
     where provider_id = ? and service_code = any(?::text[])`,
    [pgTextArray(round.territory), application.provider_id, pgTextArray(application.service_codes)],
  );
  const provider = await getProvider(tx, application.provider_id);
  const reason = `Решение комиссии по отбору «${round.title}»`;
  if (provider.status === 'under_review' || provider.status === 'applicant') {
    if (provider.status === 'applicant') await changeStatus(tx, provider.id, 'under_review', reason, actor);
    await changeStatus(tx, provider.id, 'admitted', reason, actor);
  } else {
    await writeOutboxEvent(tx, REGISTRY_SCHEMA, 'provider.admitted', {
      provider_id: provider.id,
      from_status: provider.status,
      status: provider.status,
      reason,
      actor,
      services: provider.services.filter((s) => s.admitted).map((s) => ({ service_code: s.service_code, admitted_territory: s.admitted_territory })),
    });
  }
  await refreshSearchEntries(tx, provider.id);
}

export async function decide(em: EntityManager, roundId: string, applicationId: string, scores: Record<string, number>, actor: string, now = new Date()) {
  return withTransaction(em, async (tx) => {
    const round = await getRound(tx, roundId);
    const application = await getApplication(tx, roundId, applicationId, true);
    if (application.status !== 'awaiting_scoring') {
      throw conflict('application_already_decided', `По заявке уже принято решение (статус «${application.status}»).`, { application_status: application.status });
    }
    const provider = await getProvider(tx, application.provider_id);
    const decision = score(round, provider, application.formal_results, scores, today(now), actor, now);
    await tx.execute(`update registry.applications set status = ?, decision = ?::jsonb, decided_at = ? where id = ?`, [
      decision.outcome,
      JSON.stringify(decision),
      now,
      applicationId,
    ]);
    if (decision.outcome === 'admitted') await admit(tx, round, application, actor);
    return getApplication(tx, roundId, applicationId);
  });
}

export async function fileAppeal(em: EntityManager, roundId: string, applicationId: string, reason: string, principal: Principal, now = new Date()) {
  return withTransaction(em, async (tx) => {
    const application = await getApplication(tx, roundId, applicationId, true);
    if (!principal.roles.includes('provider_admin') || principal.providerId !== application.provider_id) {
      throw forbidden('Апелляцию подаёт администратор поставщика, подавшего заявку.', 'not_your_application');
    }
    if (application.status !== 'refused' || !application.decision?.refusal) {
      throw conflict('appeal_not_allowed', 'Апелляцию можно подать только на отказ, и только один раз.', { application_status: application.status });
    }
    const deadline = application.decision.refusal.appeal_deadline;
    if (now > new Date(deadline)) {
      throw conflict('appeal_window_closed', `Срок подачи апелляции истёк ${fmt(deadline)} (мск).`, { appeal_deadline: deadline });
    }
    const appeal = { reason, filed_at: now.toISOString(), filed_by: principal.subject };
    await tx.execute(`update registry.applications set status = 'appealed', appeal = ?::jsonb where id = ?`, [JSON.stringify(appeal), applicationId]);
    return getApplication(tx, roundId, applicationId);
  });
}

/** The appeal is decided again from the provider's current data, with the committee's reason recorded. */
export async function decideAppeal(
  em: EntityManager,
  roundId: string,
  applicationId: string,
  input: { reason: string; scores: Record<string, number> },
  actor: string,
  now = new Date(),
) {
  return withTransaction(em, async (tx) => {
    const round = await getRound(tx, roundId);
    const application = await getApplication(tx, roundId, applicationId, true);
    if (application.status !== 'appealed' || !application.appeal) {
      throw conflict('appeal_not_pending', 'По этой заявке нет апелляции, ожидающей решения.', { application_status: application.status });
    }
    const provider = await getProvider(tx, application.provider_id);
    const date = today(now);
    const formal = await checkFormal(tx, round, provider, application.service_codes, date);
    const decision: Decision = { ...score(round, provider, formal, input.scores, date, actor, now), reason: input.reason };
    if (decision.refusal) decision.refusal.appeal_deadline = application.decision!.refusal!.appeal_deadline;
    const appeal = { ...application.appeal, previous_decision: application.decision! };
    await tx.execute(
      `update registry.applications set status = ?, formal_results = ?::jsonb, decision = ?::jsonb, decided_at = ?, appeal = ?::jsonb where id = ?`,
      [decision.outcome === 'admitted' ? 'admitted' : 'appeal_rejected', JSON.stringify(formal), JSON.stringify(decision), now, JSON.stringify(appeal), applicationId],
    );
    if (decision.outcome === 'admitted') await admit(tx, round, application, actor);
    return getApplication(tx, roundId, applicationId);
  });
}

/** Published results: who was admitted or refused, with totals, for anyone to read. */
export async function results(em: EntityManager, roundId: string) {
  const round = await getRound(em, roundId);
  const rows: Array<{ provider_id: string; name: string; type: string; status: string; decision: Decision | null }> = await em.execute(
    `select a.provider_id, p.name, p.type, a.status, a.decision from registry.applications a join registry.providers p on p.id = a.provider_id
      where a.round_id = ? and a.decision is not null and a.status <> 'appealed' order by p.name`,
    [roundId],
  );
  return {
    round_id: round.id,
    title: round.title,
    items: rows.map((r) => ({
      provider_id: r.provider_id,
      provider_name: r.name,
      outcome: r.decision!.outcome,
      total_points: r.decision!.total_points,
      refusal_code: r.decision!.refusal?.code ?? null,
    })),
  };
}

export const PUBLIC_ROUND_STATUSES = ['upcoming', 'open', 'closed', 'decided'] as const;
export type PublicRoundStatus = (typeof PUBLIC_ROUND_STATUSES)[number];

export interface PublicRound {
  id: string;
  title: string;
  region_code: string;
  services: Array<{ code: string; name: string }>;
  territory: string[];
  applications_open_at: string;
  applications_close_at: string;
  status: PublicRoundStatus;
  results_published: boolean;
  admitted_count: number;
  results_href: string;
}

/**
 * Where a round stands for the public. After the window a round stays `closed` while the committee
 * still has something to decide (an application to score, an appeal), or when nobody applied.
 */
export function publicRoundStatus(
  window: { applications_open_at: Date | string; applications_close_at: Date | string },
  counts: { applications: number; pending: number },
  now: Date,
): PublicRoundStatus {
  if (now < new Date(window.applications_open_at)) return 'upcoming';
  if (now <= new Date(window.applications_close_at)) return 'open';
  return counts.applications > 0 && counts.pending === 0 ? 'decided' : 'closed';
}

/** Every round (of one region, when asked), newest window first, for the navigator. */
export async function listPublicRounds(em: EntityManager, filter: { region?: string; statuses: PublicRoundStatus[] }, now: Date): Promise<PublicRound[]> {
  const rows = await publicRounds(em, filter.region);
  return rows
    .map(
      (r): PublicRound => ({
        id: r.id,
        title: r.title,
        region_code: r.region_code,
        services: r.service_codes.map((code) => ({ code, name: r.service_names[code] ?? code })),
        territory: r.territory,
        applications_open_at: iso(r.applications_open_at),
        applications_close_at: iso(r.applications_close_at),
        status: publicRoundStatus(r, r, now),
        // The published results (GET /v1/rounds/{id}/results) list decisions not under appeal.
        results_published: r.published > 0,
        admitted_count: r.admitted,
        results_href: `/v1/rounds/${r.id}/results`,
      }),
    )
    .filter((r) => filter.statuses.length === 0 || filter.statuses.includes(r.status));
}
