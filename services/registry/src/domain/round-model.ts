import { conflict, forbidden, regionTimeLabel, type Principal } from '@esc/service-kit';

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

export interface Round extends Omit<RoundInput, 'applications_open_at' | 'applications_close_at'> {
  id: string;
  applications_open_at: Date;
  applications_close_at: Date;
  /** When the committee published the round's final results; null before. */
  results_published_at: Date | null;
  created_by: string;
  created_at: Date;
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
  /** The committee's reason for its assessment of this criterion. */
  comment?: string;
}

export interface Refusal {
  code: 'formal_criteria_failed' | 'below_threshold';
  reason: string;
  what_to_fix: string[];
  /** ISO 8601 */
  appeal_deadline: string;
  how_to_appeal: string;
}

export interface Decision {
  outcome: 'admitted' | 'refused';
  criteria: CriterionResult[];
  total_points: string | null;
  threshold: string;
  decided_by: string;
  /** ISO 8601 */
  decided_at: string;
  reason?: string;
  refusal?: Refusal;
}

export type ApplicationStatus = 'awaiting_scoring' | 'admitted' | 'refused' | 'appealed' | 'appeal_rejected' | 'withdrawn';

export interface Appeal {
  reason: string;
  /** ISO 8601 */
  filed_at: string;
  filed_by: string;
  previous_decision?: Decision;
}

export interface Application {
  id: string;
  round_id: string;
  provider_id: string;
  service_codes: string[];
  status: ApplicationStatus;
  formal_results: CriterionResult[];
  decision: Decision | null;
  decided_at: Date | null;
  appeal: Appeal | null;
  submitted_by: string;
  submitted_at: Date;
}

/** Applications are taken from the opening to the closing moment, both included. */
export function assertApplicationWindowOpen(round: Pick<Round, 'applications_open_at' | 'applications_close_at'>, now: Date, timeZone: string): void {
  const { applications_open_at: open, applications_close_at: close } = round;
  if (now >= open && now <= close) return;
  throw conflict(
    'application_window_closed',
    `Заявки в этот отбор принимаются с ${regionTimeLabel(open, timeZone)} по ${regionTimeLabel(close, timeZone)}; сейчас приём ${now < open ? 'ещё не начался' : 'завершён'}.`,
    { applications_open_at: open.toISOString(), applications_close_at: close.toISOString() },
  );
}

const SEES_EVERY_APPLICATION = ['committee', 'admin', 'auditor'] as const;

export function seesEveryApplication(principal: Principal): boolean {
  return SEES_EVERY_APPLICATION.some((r) => principal.roles.includes(r));
}

export function assertCanReadApplication(principal: Principal, application: Pick<Application, 'provider_id'>): void {
  if (seesEveryApplication(principal)) return;
  if (principal.providerId === application.provider_id) return;
  throw forbidden('Заявка доступна только подавшему её поставщику и комиссии по отбору.', 'not_your_application');
}

/** A refusal may be appealed once, by the applicant's admin, until the deadline it names (inclusive). */
export function assertAppealAllowed(principal: Principal, application: Pick<Application, 'provider_id' | 'status' | 'decision'>, now: Date, timeZone: string): void {
  if (!principal.roles.includes('provider_admin') || principal.providerId !== application.provider_id) {
    throw forbidden('Апелляцию подаёт администратор поставщика, подавшего заявку.', 'not_your_application');
  }
  if (application.status !== 'refused' || !application.decision?.refusal) {
    throw conflict('appeal_not_allowed', 'Апелляцию можно подать только на отказ, и только один раз.', { application_status: application.status });
  }
  const deadline = application.decision.refusal.appeal_deadline;
  if (now > new Date(deadline)) {
    throw conflict('appeal_window_closed', `Срок подачи апелляции истёк ${regionTimeLabel(deadline, timeZone)}.`, { appeal_deadline: deadline });
  }
}

export const PUBLIC_ROUND_STATUSES = ['upcoming', 'open', 'closed', 'decided'] as const;
export type PublicRoundStatus = (typeof PUBLIC_ROUND_STATUSES)[number];

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
