import { notFound, type EntityManager } from '@esc/service-kit';
import type { Location } from './providers';

export interface PublicProviderService {
  service_code: string;
  name: string;
  unit: string;
  form: string;
  capacity_per_month: number;
  free_capacity: number;
  admitted_territory: string[];
  tariff: string | null;
  admission: { admitted_at: string | null; round_id: string | null; round_title: string | null };
}

export interface PublicProvider {
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
  contacts: { phone: string; email: string; website: string | null };
  locations: Location[];
  services: PublicProviderService[];
}

interface ProviderRow {
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

interface ServiceRow extends Omit<PublicProviderService, 'admission'> {
  round_id: string | null;
  round_title: string | null;
  decided_at: Date | null;
  admitted_status_at: Date | null;
}

/**
 * An admitted provider as the navigator shows it to anyone. Columns are picked one by one, so bank
 * details, identifiers, declarations, licences and contact persons cannot slip in. Anything but an
 * admitted provider is "not found": applicants are nobody's business before they are admitted.
 */
export async function publicProvider(em: EntityManager, id: string, date: string): Promise<PublicProvider> {
  const rows: ProviderRow[] = await em.execute(
    `select id, name, short_name, type, legal_form, funding_mode, region_code, rating::text as rating, rating_count, accessibility,
            contacts ->> 'phone' as phone, contacts ->> 'email' as email, nullif(contacts ->> 'website', '') as website
       from registry.providers where id = ? and status = 'admitted'`,
    [id],
  );
  const p = rows[0];
  if (!p) {
    throw notFound('provider_not_found', `Поставщик ${id} не найден среди допущенных к оказанию услуг по социальному сертификату.`, { provider_id: id });
  }
  const locations: Location[] = await em.execute(
    `select address, district_code, lat::float8 as lat, lon::float8 as lon from registry.provider_locations where provider_id = ? order by id`,
    [id],
  );
  // The round that admitted a service is the latest admitted application naming it; a service admitted
  // otherwise (no such application) shows when the provider was last admitted.
  const services: ServiceRow[] = await em.execute(
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
    [p.region_code, date, id],
  );
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: p.id,
    name: p.name,
    short_name: p.short_name,
    type: p.type,
    legal_form: p.legal_form,
    funding_mode: p.funding_mode,
    region_code: p.region_code,
    rating: p.rating,
    rating_count: p.rating_count,
    accessibility: p.accessibility,
    contacts: { phone: p.phone, email: p.email, website: p.website },
    locations,
    services: services.map((s) => ({
      service_code: s.service_code,
      name: s.name,
      unit: s.unit,
      form: s.form,
      capacity_per_month: s.capacity_per_month,
      free_capacity: s.free_capacity,
      admitted_territory: s.admitted_territory,
      tariff: s.tariff,
      admission: { admitted_at: iso(s.decided_at ?? s.admitted_status_at), round_id: s.round_id, round_title: s.round_title },
    })),
  };
}
