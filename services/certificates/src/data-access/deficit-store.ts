import { sqlOf, type EntityManager } from '@esc/service-kit';

/** Demand of one district (OKTMO, 8 digits) for one service in a month, as the certificates and programmes show it. */
export interface DemandRow {
  district_code: string;
  service_code: string;
  recognised_people: number;
  programme_volume: number;
  lines_without_provider: number;
  lines_waiting_booking: number;
  uncertified_volume: number;
  waiting_people: number;
  vulnerable_people: number;
  waiting_volume: number;
  waiting_amount: string;
  waiting_days_avg: number | null;
  waiting_days_max: number | null;
  categories: Record<string, number>;
}

export interface DeficitRow extends DemandRow {
  service_name: string;
  service_kind: string;
  providers: number;
  capacity: number;
  booked: number;
  free: number;
  deficit: number;
}

export interface ComputationRow {
  region_code: string;
  month: string;
  computed_at: string;
  computed_by: string;
  supply_as_of: string;
}

export interface WeightsRow {
  relevance: string;
  achievability: string;
  budget_coverage: string;
  social_effectiveness: string;
  set_by: string;
  set_at: string;
}

/**
 * Set-based over the region's certificates and programmes in force in [from, to]: who is recognised
 * in need of each service (the lines of their certificates — a certificate carries its programme's
 * lines — or of a programme with no certificate yet), which certificate lines have no accepted
 * booking (no provider chosen, or a request the provider has not accepted) and which programme lines
 * have no certificate; waiting days count from the certificate's issue to `asOf`.
 */
export async function demandOf(em: EntityManager, input: { regionCode: string; from: string; to: string; asOf: string }): Promise<DemandRow[]> {
  const sql = sqlOf(em);
  // One pass over a region's programmes and certificates: its hash aggregates fit in memory instead of spilling sorts to disk.
  await sql.run(`set local work_mem = '128MB'`);
  return sql.rows<DemandRow>(
    `with certified as (
       select distinct programme_id from certificates.certificates
        where region_code = $1 and status in ('issuing', 'issued', 'active', 'suspended', 'exhausted')
     ),
     open_bookings as (
       select line_id, bool_or(status = 'accepted') as accepted from certificates.bookings
        where region_code = $1 and status in ('requested', 'accepted') group by line_id
     ),
     cert_lines as (
       select c.recipient_id, left(r.district_code, 8) as district_code, cardinality(r.categories) > 0 as vulnerable, l.service_code, l.volume_per_month as vol,
              c.status <> 'exhausted' and not coalesce(b.accepted, false) as waiting,
              case when b.line_id is null then 'provider' else 'booking' end as waits,
              ($4::date - c.issued_on) as days, round(l.net_amount / l.months, 2) as monthly_amount
         from certificates.certificates c
         join certificates.recipients r on r.id = c.recipient_id
         join certificates.certificate_lines l on l.certificate_id = c.id
         left join open_bookings b on b.line_id = l.id
        where c.region_code = $1 and c.status in ('issued', 'active', 'suspended', 'exhausted')
          and c.valid_from <= $3::date and c.valid_to >= $2::date
     ),
     uncertified as (
       select p.recipient_id, left(r.district_code, 8) as district_code, cardinality(r.categories) > 0 as vulnerable,
              l->>'service_code' as service_code, (l->>'volume_per_month')::int as vol
         from certificates.programmes p
         join certificates.recipients r on r.id = p.recipient_id
         cross join lateral jsonb_array_elements(p.lines) as l
        where p.region_code = $1 and p.valid_from <= $3::date
          and not exists (select 1 from certified x where x.programme_id = p.id)
          and p.valid_from + make_interval(months => (l->>'months')::int) > $2::date
     ),
     prog as (
       select recipient_id, district_code, service_code, vol from cert_lines
       union all
       select recipient_id, district_code, service_code, vol from uncertified
     ),
     waiting as (
       select recipient_id, district_code, vulnerable, service_code, vol, waits, days, monthly_amount from cert_lines where waiting
       union all
       select recipient_id, district_code, vulnerable, service_code, vol, 'certificate', null, 0 from uncertified
     ),
     demand as (
       select district_code, service_code, count(*)::int as people, sum(vol)::int as volume
         from (select recipient_id, district_code, service_code, sum(vol) as vol from prog group by 1, 2, 3) per_person
        group by 1, 2
     ),
     waiting_people as (
       select district_code, service_code, count(*)::int as people, count(*) filter (where vulnerable)::int as vulnerable
         from (select recipient_id, district_code, service_code, bool_or(vulnerable) as vulnerable from waiting group by 1, 2, 3) per_person
        group by 1, 2
     ),
     waiting_by as (
       select district_code, service_code,
              count(*) filter (where waits = 'provider')::int as without_provider,
              count(*) filter (where waits = 'booking')::int as waiting_booking,
              coalesce(sum(vol) filter (where waits = 'certificate'), 0)::int as uncertified_volume,
              sum(vol)::int as volume, sum(monthly_amount) as amount,
              round(avg(days))::int as days_avg, max(days)::int as days_max
         from waiting group by 1, 2
     ),
     categories as (
       select district_code, service_code, jsonb_object_agg(category, people) as categories
         from (select w.district_code, w.service_code, c.category, count(*)::int as people
                 from (select distinct recipient_id, district_code, service_code from waiting where vulnerable) w
                 join certificates.recipients r on r.id = w.recipient_id
                 cross join lateral unnest(r.categories) as c(category)
                group by 1, 2, 3) per_category
        group by 1, 2
     )
     select coalesce(d.district_code, w.district_code) as district_code, coalesce(d.service_code, w.service_code) as service_code,
            coalesce(d.people, 0) as recognised_people, coalesce(d.volume, 0) as programme_volume,
            coalesce(w.without_provider, 0) as lines_without_provider, coalesce(w.waiting_booking, 0) as lines_waiting_booking,
            coalesce(w.uncertified_volume, 0) as uncertified_volume, coalesce(wp.people, 0) as waiting_people,
            coalesce(wp.vulnerable, 0) as vulnerable_people, coalesce(w.volume, 0) as waiting_volume,
            coalesce(w.amount, 0)::numeric(20,2)::text as waiting_amount, w.days_avg as waiting_days_avg, w.days_max as waiting_days_max,
            coalesce(c.categories, '{}'::jsonb) as categories
       from demand d
       full join waiting_by w on w.district_code = d.district_code and w.service_code = d.service_code
       left join waiting_people wp on wp.district_code = w.district_code and wp.service_code = w.service_code
       left join categories c on c.district_code = w.district_code and c.service_code = w.service_code`,
    [input.regionCode, input.from, input.to, input.asOf],
  );
}

/** Replaces the month's computation and its rows. */
export async function replaceMonth(em: EntityManager, computation: ComputationRow, rows: DeficitRow[]): Promise<void> {
  const sql = sqlOf(em);
  // Two computations of one month at once: the second waits and replaces the first's rows instead of colliding with them.
  await sql.run(`select pg_advisory_xact_lock(hashtext('deficits:' || $1 || ':' || $2))`, [computation.region_code, computation.month]);
  await sql.run(`delete from certificates.deficit_computations where region_code = $1 and month = $2`, [computation.region_code, computation.month]);
  await sql.run(
    `insert into certificates.deficit_computations (region_code, month, computed_at, computed_by, supply_as_of) values ($1, $2, $3, $4, $5)`,
    [computation.region_code, computation.month, computation.computed_at, computation.computed_by, computation.supply_as_of],
  );
  if (rows.length === 0) return;
  await sql.run(
    `insert into certificates.deficits
       (region_code, month, district_code, service_code, service_name, service_kind, recognised_people, programme_volume, lines_without_provider,
        lines_waiting_booking, uncertified_volume, waiting_people, vulnerable_people, waiting_volume, waiting_amount, waiting_days_avg, waiting_days_max,
        providers, capacity, booked, free, deficit, categories)
     select $1, $2, r.district_code, r.service_code, r.service_name, r.service_kind, r.recognised_people, r.programme_volume, r.lines_without_provider,
            r.lines_waiting_booking, r.uncertified_volume, r.waiting_people, r.vulnerable_people, r.waiting_volume, r.waiting_amount, r.waiting_days_avg,
            r.waiting_days_max, r.providers, r.capacity, r.booked, r.free, r.deficit, r.categories
       from jsonb_to_recordset($3::jsonb) as r(district_code text, service_code text, service_name text, service_kind text, recognised_people int,
            programme_volume int, lines_without_provider int, lines_waiting_booking int, uncertified_volume int, waiting_people int, vulnerable_people int,
            waiting_volume int, waiting_amount numeric, waiting_days_avg int, waiting_days_max int, providers int, capacity int, booked int, free int,
            deficit int, categories jsonb)`,
    [computation.region_code, computation.month, JSON.stringify(rows)],
  );
}

export async function fundedRegions(em: EntityManager): Promise<string[]> {
  return (await sqlOf(em).rows<{ region_code: string }>(`select distinct region_code from certificates.budget_programmes order by 1`)).map((r) => r.region_code);
}

export function computedMonths(em: EntityManager, regionCode: string): Promise<ComputationRow[]> {
  return sqlOf(em).rows<ComputationRow>(
    `select region_code, to_char(month, 'YYYY-MM-DD') as month, computed_at, computed_by, supply_as_of
       from certificates.deficit_computations where region_code = $1 order by month`,
    [regionCode],
  );
}

export function deficitRowsOf(em: EntityManager, regionCode: string, month: string): Promise<DeficitRow[]> {
  return sqlOf(em).rows<DeficitRow>(
    `select district_code, service_code, service_name, service_kind, recognised_people, programme_volume, lines_without_provider, lines_waiting_booking,
            uncertified_volume, waiting_people, vulnerable_people, waiting_volume, waiting_amount::text as waiting_amount, waiting_days_avg, waiting_days_max,
            providers, capacity, booked, free, deficit, categories
       from certificates.deficits where region_code = $1 and month = $2 order by district_code, service_code`,
    [regionCode, month],
  );
}

export function weightsOf(em: EntityManager, regionCode: string): Promise<WeightsRow | undefined> {
  return sqlOf(em).one<WeightsRow>(
    `select trim_scale(relevance)::text as relevance, trim_scale(achievability)::text as achievability, trim_scale(budget_coverage)::text as budget_coverage,
            trim_scale(social_effectiveness)::text as social_effectiveness, set_by, set_at
       from certificates.deficit_weights where region_code = $1`,
    [regionCode],
  );
}

export async function saveWeights(em: EntityManager, regionCode: string, weights: Omit<WeightsRow, 'set_at'>): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.deficit_weights (region_code, relevance, achievability, budget_coverage, social_effectiveness, set_by)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (region_code) do update set relevance = excluded.relevance, achievability = excluded.achievability,
       budget_coverage = excluded.budget_coverage, social_effectiveness = excluded.social_effectiveness, set_by = excluded.set_by, set_at = clock_timestamp()`,
    [regionCode, weights.relevance, weights.achievability, weights.budget_coverage, weights.social_effectiveness, weights.set_by],
  );
}

export interface WaitingLineRow {
  certificate_number: string | null;
  service_code: string;
  waits: 'provider' | 'booking' | 'certificate';
  since: string;
  days: number;
  volume_per_month: number;
  categories: string[];
}

/** Today's waiting list of a district and service: certificate lines without an accepted booking, and programme lines without a certificate. */
export function waitingLinesOf(em: EntityManager, input: { regionCode: string; districtCode: string; serviceCode?: string; today: string; limit: number }): Promise<WaitingLineRow[]> {
  return sqlOf(em).rows<WaitingLineRow>(
    `select * from (
       select c.number as certificate_number, l.service_code,
              case when exists (select 1 from certificates.bookings b where b.line_id = l.id and b.status = 'requested') then 'booking' else 'provider' end as waits,
              to_char(c.issued_on, 'YYYY-MM-DD') as since, ($4::date - c.issued_on) as days, l.volume_per_month, r.categories
         from certificates.certificates c
         join certificates.recipients r on r.id = c.recipient_id
         join certificates.certificate_lines l on l.certificate_id = c.id
        where c.region_code = $1 and left(r.district_code, 8) = $2 and ($3::text is null or l.service_code = $3)
          and c.status in ('issued', 'active', 'suspended') and c.valid_to >= $4::date
          and not exists (select 1 from certificates.bookings b where b.line_id = l.id and b.status = 'accepted')
       union all
       select null, l->>'service_code', 'certificate', to_char(p.drawn_at, 'YYYY-MM-DD'), ($4::date - p.drawn_at::date), (l->>'volume_per_month')::int, r.categories
         from certificates.programmes p
         join certificates.recipients r on r.id = p.recipient_id
         cross join lateral jsonb_array_elements(p.lines) as l
        where p.region_code = $1 and left(r.district_code, 8) = $2 and ($3::text is null or l->>'service_code' = $3)
          and p.valid_from + make_interval(months => (l->>'months')::int) > $4::date
          and not exists (select 1 from certificates.certificates x where x.programme_id = p.id and x.status in ('issuing', 'issued', 'active', 'suspended', 'exhausted'))
     ) w order by days desc, certificate_number limit $5`,
    [input.regionCode, input.districtCode, input.serviceCode ?? null, input.today, input.limit],
  );
}
