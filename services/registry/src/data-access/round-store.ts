import { LockMode } from '@mikro-orm/core';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Decision } from '../domain/round-model';
import { ApplicationEntity, RoundEntity, type ApplicationRow, type RoundRow } from './entities';

/** Selection rounds and the applications to them (entities), with the published results and the public list (SQL). */

export function findRoundRow(em: EntityManager, id: string): Promise<RoundRow | null> {
  return em.findOne(RoundEntity, { id });
}

export function roundRows(em: EntityManager): Promise<RoundRow[]> {
  return em.find(RoundEntity, {}, { orderBy: { applications_open_at: 'desc', id: 'asc' } });
}

/** Persisted at the next flush; the database fills created_at. */
export function addRound(em: EntityManager, round: Omit<RoundRow, 'created_at' | 'results_published_at'>): RoundRow {
  const row = em.create(RoundEntity, round);
  em.persist(row);
  return row;
}

/**
 * An application of a round; with `lock`, as committed now and locked until the transaction ends, so
 * that two decisions (or a decision and an appeal) on one application run one after the other.
 */
export function findApplicationRow(em: EntityManager, roundId: string, id: string, lock = false): Promise<ApplicationRow | null> {
  return em.findOne(ApplicationEntity, { id, round_id: roundId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
}

export function applicationRowsOf(em: EntityManager, roundId: string, providerId?: string): Promise<ApplicationRow[]> {
  return em.find(ApplicationEntity, { round_id: roundId, ...(providerId ? { provider_id: providerId } : {}) }, { orderBy: { submitted_at: 'asc', id: 'asc' } });
}

export function findApplicationOf(em: EntityManager, roundId: string, providerId: string): Promise<ApplicationRow | null> {
  return em.findOne(ApplicationEntity, { round_id: roundId, provider_id: providerId });
}

/** Persisted at the next flush; the database fills submitted_at. */
export function addApplication(em: EntityManager, application: Omit<ApplicationRow, 'submitted_at'>): ApplicationRow {
  const row = em.create(ApplicationEntity, application);
  em.persist(row);
  return row;
}

export interface ResultRow {
  provider_id: string;
  name: string;
  type: string;
  status: string;
  decision: Decision;
}

/** Decided applications not under appeal, by provider name: what the round publishes. */
export function publishedResults(em: EntityManager, roundId: string): Promise<ResultRow[]> {
  return sqlOf(em).rows(
    `select a.provider_id, p.name, p.type, a.status, a.decision from registry.applications a join registry.providers p on p.id = a.provider_id
      where a.round_id = $1 and a.decision is not null and a.status <> 'appealed' order by p.name`,
    [roundId],
  );
}

export interface PublicRoundRow {
  id: string;
  title: string;
  region_code: string;
  territory: string[];
  service_codes: string[];
  /** ISO 8601 */
  applications_open_at: string;
  /** ISO 8601 */
  applications_close_at: string;
  applications: number;
  pending: number;
  published: number;
  admitted: number;
  service_names: Record<string, string>;
}

/** Every round (of `region`, when given) with its application counts and service names, newest window first. */
export function publicRoundRows(em: EntityManager, region: string | undefined): Promise<PublicRoundRow[]> {
  return sqlOf(em).rows(
    `select r.id, r.title, r.region_code, r.territory, r.service_codes, r.applications_open_at, r.applications_close_at,
            count(a.id)::int as applications,
            count(a.id) filter (where a.status in ('awaiting_scoring', 'appealed'))::int as pending,
            count(a.id) filter (where a.decision is not null and a.status <> 'appealed')::int as published,
            count(a.id) filter (where a.status = 'admitted')::int as admitted,
            (select coalesce(jsonb_object_agg(s.code, s.name), '{}') from registry.services s where s.code = any(r.service_codes)) as service_names
       from registry.rounds r left join registry.applications a on a.round_id = r.id
      where ($1::text is null or r.region_code = $1)
      group by r.id
      order by r.applications_open_at desc, r.id`,
    [region ?? null],
  );
}
