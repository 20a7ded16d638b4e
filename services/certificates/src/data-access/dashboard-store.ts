import { sqlOf, type EntityManager } from '@esc/service-kit';

/** One month and district of the region's figures, as the certificates, acts and ratings show them. */
export interface DashboardCell {
  month: string;
  district_code: string;
  certificates_issued: number;
  certificates_value: string;
  spent: string;
  held: string;
  returned: string;
  returned_certificates: number;
  acts: number;
  delivered_units: number;
  non_state_units: number;
  non_state_amount: string;
  first_deliveries: number;
  waiting_days_total: number;
  acts_resolved: number;
  disputes: number;
  ratings: number;
  rating_total: number;
}

/**
 * Set-based over the region's months [from, to]: certificates by the month they were issued, acts by
 * the day of delivery (spent = posted, held = awaiting the citizen), unspent value returned by the
 * month the certificate closed, the wait from the programme to the first delivered act, disputes and
 * ratings; each by the recipient's district. Non-state = bookings paid by compensation.
 */
export function dashboardCells(em: EntityManager, input: { regionCode: string; from: string; to: string }): Promise<DashboardCell[]> {
  return sqlOf(em).rows<DashboardCell>(
    `with issued as (
       select to_char(c.issued_on, 'YYYY-MM') as month, left(r.district_code, 8) as district_code, count(*)::int as n, sum(c.value) as value
         from certificates.certificates c join certificates.recipients r on r.id = c.recipient_id
        where c.region_code = $1 and c.issued_on between $2::date and $3::date and c.status not in ('issuing', 'refused')
        group by 1, 2
     ),
     acts as (
       select to_char(d.delivered_on, 'YYYY-MM') as month, left(r.district_code, 8) as district_code,
              coalesce(sum(d.posted_amount) filter (where d.status = 'posted'), 0) as spent,
              coalesce(sum(d.amount) filter (where d.status = 'held'), 0) as held,
              coalesce(sum(coalesce(d.confirmed_units, d.units)) filter (where d.status = 'posted'), 0)::int as units,
              coalesce(sum(coalesce(d.confirmed_units, d.units)) filter (where d.status = 'posted' and b.funding_mode = 'compensation'), 0)::int as non_state_units,
              coalesce(sum(d.posted_amount) filter (where d.status = 'posted' and b.funding_mode = 'compensation'), 0) as non_state_amount,
              count(*) filter (where d.status in ('held', 'posted', 'voided'))::int as acts,
              count(*) filter (where d.resolution is not null)::int as resolved,
              count(*) filter (where d.resolution in ('disputed', 'partly_disputed'))::int as disputes
         from certificates.deliveries d
         join certificates.bookings b on b.id = d.booking_id
         join certificates.recipients r on r.id = d.recipient_id
        where b.region_code = $1 and d.delivered_on between $2::date and $3::date
        group by 1, 2
     ),
     returned as (
       select to_char(c.updated_at at time zone 'Europe/Moscow', 'YYYY-MM') as month, left(r.district_code, 8) as district_code, sum(c.released_amount) as amount, count(*)::int as n
         from certificates.certificates c join certificates.recipients r on r.id = c.recipient_id
        where c.region_code = $1 and c.released_amount > 0 and c.status in ('expired', 'revoked')
          and (c.updated_at at time zone 'Europe/Moscow')::date between $2::date and $3::date
        group by 1, 2
     ),
     first_acts as (
       select c.programme_id, min(d.delivered_on) as first_on
         from certificates.deliveries d join certificates.certificates c on c.id = d.certificate_id
        where c.region_code = $1 and d.status in ('held', 'posted')
        group by 1
     ),
     waits as (
       select to_char(f.first_on, 'YYYY-MM') as month, left(r.district_code, 8) as district_code, count(*)::int as n,
              sum(greatest(f.first_on - (p.drawn_at at time zone 'Europe/Moscow')::date, 0))::int as days
         from first_acts f join certificates.programmes p on p.id = f.programme_id join certificates.recipients r on r.id = p.recipient_id
        where f.first_on between $2::date and $3::date
        group by 1, 2
     ),
     ratings as (
       select to_char(f.created_at at time zone 'Europe/Moscow', 'YYYY-MM') as month, left(r.district_code, 8) as district_code, count(*)::int as n, sum(f.score)::int as total
         from certificates.feedback f join certificates.recipients r on r.id = f.recipient_id
        where r.region_code = $1 and (f.created_at at time zone 'Europe/Moscow')::date between $2::date and $3::date
        group by 1, 2
     ),
     cells as (
       select month, district_code from issued union select month, district_code from acts union select month, district_code from returned
       union select month, district_code from waits union select month, district_code from ratings
     )
     select k.month, k.district_code,
            coalesce(i.n, 0) as certificates_issued, coalesce(i.value, 0)::numeric(20,2)::text as certificates_value,
            coalesce(a.spent, 0)::numeric(20,2)::text as spent, coalesce(a.held, 0)::numeric(20,2)::text as held,
            coalesce(x.amount, 0)::numeric(20,2)::text as returned, coalesce(x.n, 0) as returned_certificates, coalesce(a.acts, 0) as acts,
            coalesce(a.units, 0) as delivered_units, coalesce(a.non_state_units, 0) as non_state_units,
            coalesce(a.non_state_amount, 0)::numeric(20,2)::text as non_state_amount,
            coalesce(w.n, 0) as first_deliveries, coalesce(w.days, 0) as waiting_days_total,
            coalesce(a.resolved, 0) as acts_resolved, coalesce(a.disputes, 0) as disputes,
            coalesce(g.n, 0) as ratings, coalesce(g.total, 0) as rating_total
       from cells k
       left join issued i using (month, district_code)
       left join acts a using (month, district_code)
       left join returned x using (month, district_code)
       left join waits w using (month, district_code)
       left join ratings g using (month, district_code)
      order by k.month, k.district_code`,
    [input.regionCode, input.from, input.to],
  );
}
