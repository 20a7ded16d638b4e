import { sqlOf, type EntityManager } from '@esc/service-kit';

export interface ProviderShareRow {
  district_code: string;
  service_code: string;
  provider_id: string;
  name: string;
  type: string;
  funding_mode: 'state_assignment' | 'compensation';
  capacity_per_month: number;
  booked_per_month: number;
}

/**
 * Each admitted provider's admitted service, its capacity and booked figure split evenly over the
 * districts it serves (its admitted territory, else its locations' districts), half-up per district.
 */
export function providerShares(em: EntityManager, regionCode: string): Promise<ProviderShareRow[]> {
  return sqlOf(em).rows<ProviderShareRow>(
    `with offered as (
       select ps.provider_id, ps.service_code, ps.capacity_per_month, ps.booked_per_month, coalesce(p.short_name, p.name) as name, p.type, p.funding_mode,
              case when cardinality(ps.admitted_territory) > 0 then ps.admitted_territory
                   else array(select distinct l.district_code from registry.provider_locations l where l.provider_id = ps.provider_id) end as districts
         from registry.provider_services ps
         join registry.providers p on p.id = ps.provider_id
        where p.region_code = $1 and p.status = 'admitted' and ps.admitted
     )
     select d.district_code, o.service_code, o.provider_id, o.name, o.type, o.funding_mode,
            round(o.capacity_per_month::numeric / cardinality(o.districts))::int as capacity_per_month,
            round(least(o.booked_per_month, o.capacity_per_month)::numeric / cardinality(o.districts))::int as booked_per_month
       from offered o cross join lateral unnest(o.districts) as d(district_code)
      order by d.district_code, o.service_code, o.name, o.provider_id`,
    [regionCode],
  );
}

export function catalogServices(em: EntityManager): Promise<Array<{ code: string; name: string; kind: string; form: string }>> {
  return sqlOf(em).rows(`select code, name, kind, form from registry.services order by code`);
}
