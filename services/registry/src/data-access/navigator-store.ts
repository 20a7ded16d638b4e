import type { EntityManager } from '@esc/service-kit';
import { pgTextArray } from './sql';

/** Reads behind the public navigator: admitted providers, catalog services, current costs, rounds. */

export interface AdmittedProviderRow {
  id: string;
  name: string;
  short_name: string | null;
  type: string;
  legal_form: string;
  funding_mode: string;
  region_code: string;
  rating: string | null;
  rating_count: number;
  accessibility: string[];
  phone: string;
  email: string;
  website: string | null;
}

export interface ProviderLocationRow {
  address: string;
  district_code: string;
  lat: number;
  lon: number;
}

export interface PublicProviderServiceRow {
  service_code: string;
  name: string;
  unit: string;
  form: string;
  capacity_per_month: number;
  free_capacity: number;
  admitted_territory: string[];
  tariff: string | null;
  round_id: string | null;
  round_title: string | null;
  decided_at: Date | null;
  admitted_status_at: Date | null;
}

export interface ServiceSummaryRow {
  code: string;
  name: string;
  unit: string;
  form: string;
}

export interface CurrentCostRow {
  service_code: string;
  valid_from: string;
  amount: string;
}

export interface PublicRoundRow {
  id: string;
  title: string;
  region_code: string;
  territory: string[];
  service_codes: string[];
  applications_open_at: Date;
  applications_close_at: Date;
  applications: number;
  pending: number;
  published: number;
  admitted: number;
  service_names: Record<string, string>;
}

/**
 * The public columns of an admitted provider, picked one by one, so bank details, identifiers,
 * declarations, licences and contact persons cannot slip in; no row unless the provider is admitted.
 */
export async function admittedProviderRow(em: EntityManager, id: string): Promise<AdmittedProviderRow | undefined> {
  const rows: AdmittedProviderRow[] = await em.execute(
    `select id, name, short_name, type, legal_form, funding_mode, region_code, rating::text as rating, rating_count, accessibility,
            contacts ->> 'phone' as phone, contacts ->> 'email' as email, nullif(contacts ->> 'website', '') as website
       from registry.providers where id = ? and status = 'admitted'`,
    [id],
  );
  return rows[0];
}

export async function providerLocations(em: EntityManager, providerId: string): Promise<ProviderLocationRow[]> {
  return em.execute(
    `select address, district_code, lat::float8 as lat, lon::float8 as lon from registry.provider_locations where provider_id = ? order by id`,
    [providerId],
  );
}

/**
 * A provider's admitted services with the tariff in force on `date` in `region`. The round that admitted
 * a service is the latest admitted application naming it; a service admitted otherwise (no such
 * application) carries when the provider was last admitted.
 */
export async function publicProviderServices(em: EntityManager, providerId: string, region: string, date: string): Promise<PublicProviderServiceRow[]> {
  return em.execute(
    `select ps.service_code, s.name, s.unit, s.form, ps.capacity_per_month,
            greatest(ps.capacity_per_month - ps.booked_per_month, 0) as free_capacity, ps.admitted_territory,
            (select c.amount::text from registry.normative_costs c
              where c.service_code = ps.service_code and c.region_code = ? and c.valid_from <= ?::date
              order by c.valid_from desc limit 1) as tariff,
            adm.round_id, adm.round_title, adm.decided_at,
            (select max(h.at) from registry.provider_status_history h where h.provider_id = ps.provider_id and h.to_status = 'admitted') as admitted_status_at
       from registry.provider_services ps
       join registry.services s on s.code = ps.service_code
       left join lateral (
         select a.round_id, r.title as round_title, a.decided_at
           from registry.applications a join registry.rounds r on r.id = a.round_id
          where a.provider_id = ps.provider_id and a.status = 'admitted' and ps.service_code = any(a.service_codes)
          order by a.decided_at desc nulls last limit 1) adm on true
      where ps.provider_id = ? and ps.admitted
      order by ps.service_code`,
    [region, date, providerId],
  );
}

export async function servicesByCode(em: EntityManager, codes: string[]): Promise<ServiceSummaryRow[]> {
  return em.execute(`select code, name, unit, form from registry.services where code = any(?::text[])`, [pgTextArray(codes)]);
}

/** Each service's (of `codes`, when given) latest normative cost from on or before `date` in `region`. */
export async function currentCosts(em: EntityManager, region: string, date: string, codes?: string[]): Promise<CurrentCostRow[]> {
  return em.execute(
    `select distinct on (service_code) service_code, valid_from::text as valid_from, amount::text as amount
       from registry.normative_costs
      where region_code = ? and valid_from <= ?::date and (?::text[] is null or service_code = any(?::text[]))
      order by service_code, valid_from desc`,
    [region, date, codes ? pgTextArray(codes) : null, codes ? pgTextArray(codes) : null],
  );
}

/** Every round (of `region`, when given) with its application counts and service names, newest window first. */
export async function publicRounds(em: EntityManager, region: string | undefined): Promise<PublicRoundRow[]> {
  return em.execute(
    `select r.id, r.title, r.region_code, r.territory, r.service_codes, r.applications_open_at, r.applications_close_at,
            count(a.id)::int as applications,
            count(a.id) filter (where a.status in ('awaiting_scoring', 'appealed'))::int as pending,
            count(a.id) filter (where a.decision is not null and a.status <> 'appealed')::int as published,
            count(a.id) filter (where a.status = 'admitted')::int as admitted,
            (select coalesce(jsonb_object_agg(s.code, s.name), '{}') from registry.services s where s.code = any(r.service_codes)) as service_names
       from registry.rounds r left join registry.applications a on a.round_id = r.id
      where (?::text is null or r.region_code = ?)
      group by r.id
      order by r.applications_open_at desc, r.id`,
    [region ?? null, region ?? null],
  );
}
