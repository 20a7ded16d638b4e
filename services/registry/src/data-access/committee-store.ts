import { LockMode } from '@mikro-orm/core';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Appeal, ApplicationStatus, Decision } from '../domain/round-model';
import { RoundEntity, type RoundRow } from './entities';

/** What the committee's desk reads across rounds and providers (SQL), and a round locked for a change of its window. */

export function lockRoundRow(em: EntityManager, id: string): Promise<RoundRow | null> {
  return em.findOne(RoundEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export async function pendingApplications(em: EntityManager, roundId: string): Promise<number> {
  const row = await sqlOf(em).one<{ n: number }>(`select count(*)::int as n from registry.applications where round_id = $1 and status in ('awaiting_scoring', 'appealed')`, [roundId]);
  return row?.n ?? 0;
}

export interface AppealRow {
  application_id: string;
  round_id: string;
  round_title: string;
  region_code: string;
  provider_id: string;
  provider_name: string;
  status: ApplicationStatus;
  appeal: Appeal;
  decision: Decision | null;
}

/** Applications with an appeal (of `region`, when given): pending ones, decided ones or both. */
export function appealRows(em: EntityManager, input: { region?: string; pending?: boolean }): Promise<AppealRow[]> {
  return sqlOf(em).rows(
    `select a.id as application_id, a.round_id, r.title as round_title, r.region_code, a.provider_id, coalesce(p.short_name, p.name) as provider_name,
            a.status, a.appeal, a.decision
       from registry.applications a
       join registry.rounds r on r.id = a.round_id
       join registry.providers p on p.id = a.provider_id
      where a.appeal is not null
        and ($1::text is null or r.region_code = $1)
        and ($2::boolean is null or (a.status = 'appealed') = $2)
      order by a.appeal->>'filed_at', a.id`,
    [input.region ?? null, input.pending ?? null],
  );
}

export interface RegistryProviderRow {
  id: string;
  name: string;
  short_name: string | null;
  inn: string;
  type: string;
  region_code: string;
  status: string;
  updated_at: string;
}

/** Providers of every status (of `region`, when given), optionally of some statuses or matching a name or INN. */
export function registryProviderRows(em: EntityManager, input: { region?: string; statuses: string[]; q?: string }): Promise<RegistryProviderRow[]> {
  return sqlOf(em).rows(
    `select id, name, short_name, inn, type, region_code, status, updated_at from registry.providers
      where ($1::text is null or region_code = $1)
        and (cardinality($2::text[]) = 0 or status = any($2::text[]))
        and ($3::text is null or name ilike '%' || $3 || '%' or coalesce(short_name, '') ilike '%' || $3 || '%' or inn = $3)
      order by coalesce(short_name, name), id
      limit 500`,
    [input.region ?? null, input.statuses, input.q ?? null],
  );
}
