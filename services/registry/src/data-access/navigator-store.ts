import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { ServiceForm, ServiceUnit } from '../domain/catalog-model';
import type { FundingMode, ProviderType } from '../domain/provider-model';

/** Reads behind the public navigator: admitted providers and their services, catalog service summaries. */

export interface AdmittedProviderRow {
  id: string;
  name: string;
  short_name: string | null;
  type: ProviderType;
  legal_form: string;
  funding_mode: FundingMode;
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
  unit: ServiceUnit;
  form: ServiceForm;
  capacity_per_month: number;
  free_capacity: number;
  admitted_territory: string[];
  tariff: string | null;
  round_id: string | null;
  round_title: string | null;
  /** ISO 8601 */
  decided_at: string | null;
  /** ISO 8601 */
  admitted_status_at: string | null;
}

export interface ServiceSummaryRow {
  code: string;
  name: string;
  unit: ServiceUnit;
  form: ServiceForm;
}

/**
 * The public columns of an admitted provider (contacts: the public business ones), picked one by one, so bank details, identifiers,
 * declarations, licences and contact persons cannot slip in; no row unless the provider is admitted.
 */
export function admittedProviderRow(em: EntityManager, id: string): Promise<AdmittedProviderRow | undefined> {
  return sqlOf(em).one(
    `select id, name, short_name, type, legal_form, funding_mode, region_code, rating::text as rating, rating_count, accessibility,
            contacts ->> 'phone' as phone, contacts ->> 'email' as email, nullif(contacts ->> 'website', '') as website
       from registry.providers where id = $1 and status = 'admitted'`,
    [id],
  );
}

export function providerLocations(em: EntityManager, providerId: string): Promise<ProviderLocationRow[]> {
  return sqlOf(em).rows(
    `select address, district_code, lat::float8 as lat, lon::float8 as lon from registry.provider_locations where provider_id = $1 order by id`,
    [providerId],
  );
}

/**
 * A provider's admitted services with the tariff in force on `date` in `region`. The round that admitted
 * a service is the latest admitted application naming it; a service admitted otherwise (no such
 * application) carries when the provider was last admitted.
 */
export function publicProviderServices(em: EntityManager, providerId: string, region: string, date: string): Promise<PublicProviderServiceRow[]> {
  return sqlOf(em).rows(
    `select ps.service_code, s.name, s.unit, s.form, ps.capacity_per_month,
            greatest(ps.capacity_per_month - ps.booked_per_month, 0) as free_capacity, ps.admitted_territory,
            (select c.amount::text from registry.normative_costs c
              where c.service_code = ps.service_code and c.region_code = $1 and c.valid_from <= $2::date
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
      where ps.provider_id = $3 and ps.admitted
      order by ps.service_code`,
    [region, date, providerId],
  );
}

export function servicesByCode(em: EntityManager, codes: readonly string[]): Promise<ServiceSummaryRow[]> {
  return sqlOf(em).rows(`select code, name, unit, form from registry.services where code = any($1::text[])`, [codes]);
}
