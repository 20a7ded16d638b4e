import type { SqlClient } from '@esc/service-kit';

/**
 * The delivery hot path on raw pooled connections with prepared statements: recording an act and
 * settling it are each a read and one combined write, because the round trips, not the work, are
 * what an act costs. Dates leave as text; amounts as text.
 */

/** A delivery's columns as the domain reads them, from a table or CTE aliased `d`. */
export const DELIVERY_COLUMNS = `d.id, d.booking_id, d.certificate_id, d.line_id, d.provider_id, d.recipient_id, d.delivered_on::text as delivered_on, d.units, d.staff,
  d.amount::text as amount, d.gross_amount::text as gross_amount, d.status, d.confirm_by, d.recorded_by, d.recorded_at, d.resolution, d.resolved_by, d.resolved_at,
  d.confirmed_units, d.posted_amount::text as posted_amount, d.dispute_reason, d.refusal_code`;

export interface RecordingState {
  line_id: string;
  net_amount: string;
  volume: number;
  units_consumed: number;
  amount_consumed: string;
  unit_cost: string;
  booking_status: string;
  booking_units: number;
  booking_consumed: number;
  certificate_id: string;
  recipient_id: string;
  provider_id: string;
  region_code: string;
  certificate_status: string;
  valid_from: string;
  valid_to: string;
  /** The booking of a delivery already recorded under the requested id (a retry), if any. */
  existing_booking_id: string | null;
}

/** The booking with its line locked: every change to a line's counters happens under this lock. */
export async function lockForRecording(sql: SqlClient, bookingId: string, deliveryId: string): Promise<RecordingState | undefined> {
  const { rows } = await sql.query<RecordingState>({
    name: 'certificates_lock_for_recording',
    text: `select l.id as line_id, l.net_amount::text as net_amount, l.volume, l.units_consumed, l.amount_consumed::text as amount_consumed, l.unit_cost::text as unit_cost,
                  b.status as booking_status, b.units as booking_units, b.units_consumed as booking_consumed,
                  b.certificate_id, b.recipient_id, b.provider_id, b.region_code,
                  c.status as certificate_status, c.valid_from::text as valid_from, c.valid_to::text as valid_to,
                  (select e.booking_id from certificates.deliveries e where e.id = $2) as existing_booking_id
             from certificates.bookings b
             join certificates.certificate_lines l on l.id = b.line_id
             join certificates.certificates c on c.id = b.certificate_id
            where b.id = $1
              for update of l`,
    values: [bookingId, deliveryId],
  });
  return rows[0];
}

export async function deliveryById<T>(sql: SqlClient, id: string): Promise<T | undefined> {
  const { rows } = await sql.query<T>({ name: 'certificates_delivery_by_id', text: `select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.id = $1`, values: [id] });
  return rows[0];
}

export async function insertAuthorising<T>(
  sql: SqlClient,
  d: { id: string; bookingId: string; state: RecordingState; deliveredOn: string; units: number; staff: unknown; amount: string; gross: string; windowSeconds: number; recordedBy: string },
): Promise<T> {
  const { rows } = await sql.query<T>({
    name: 'certificates_insert_authorising',
    text: `with d as (
             insert into certificates.deliveries (id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, staff, amount, gross_amount, status, confirm_by, recorded_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, 'authorising', clock_timestamp() + make_interval(secs => $12), $13)
             returning *),
           l as (update certificates.certificate_lines set units_consumed = units_consumed + $8, amount_consumed = amount_consumed + $10 where id = $4 returning id),
           b as (update certificates.bookings set units_consumed = units_consumed + $8 where id = $2 returning id)
           select ${DELIVERY_COLUMNS} from d, l, b`,
    values: [
      d.id,
      d.bookingId,
      d.state.certificate_id,
      d.state.line_id,
      d.state.provider_id,
      d.state.recipient_id,
      d.deliveredOn,
      d.units,
      JSON.stringify(d.staff),
      d.amount,
      d.gross,
      d.windowSeconds,
      d.recordedBy,
    ],
  });
  return rows[0]!;
}

export async function markHeld<T>(sql: SqlClient, id: string): Promise<T | undefined> {
  const { rows } = await sql.query<T>({
    name: 'certificates_mark_held',
    text: `update certificates.deliveries d set status = 'held' where d.id = $1 and d.status = 'authorising' returning ${DELIVERY_COLUMNS}`,
    values: [id],
  });
  return rows[0];
}

export interface SettlementContext {
  snils: string;
  recipient_region: string;
  unit_cost: string;
  service_code: string;
  service_name: string;
  unit: string;
  funding_mode: string;
  number: string;
  certificate_status: string;
  budget_programme_id: string;
  budget_programme_code: string;
  certificate_region: string;
}

export async function settlementContext<T>(sql: SqlClient, deliveryId: string): Promise<(T & SettlementContext) | undefined> {
  const { rows } = await sql.query<T & SettlementContext>({
    name: 'certificates_settlement_context',
    text: `select ${DELIVERY_COLUMNS},
                  r.snils, r.region_code as recipient_region, l.unit_cost::text as unit_cost, l.service_code, l.service_name, l.unit, b.funding_mode,
                  c.number, c.status as certificate_status, c.budget_programme_id, c.region_code as certificate_region, bp.code as budget_programme_code
             from certificates.deliveries d
             join certificates.recipients r on r.id = d.recipient_id
             join certificates.certificate_lines l on l.id = d.line_id
             join certificates.bookings b on b.id = d.booking_id
             join certificates.certificates c on c.id = d.certificate_id
             join certificates.budget_programmes bp on bp.id = c.budget_programme_id
            where d.id = $1`,
    values: [deliveryId],
  });
  return rows[0];
}

/**
 * Records the outcome of a hold in one statement, atomic without an explicit transaction: the act
 * (only if still held), the line's and the booking's counters, redemption.posted for confirmed units,
 * and `exhausted` once all value is posted. Each CTE reads the one before it, so rows are locked in
 * the order act → line → booking → certificate; recording an act locks line → booking, so the two
 * cannot deadlock.
 */
export async function writeSettlement<T>(
  sql: SqlClient,
  s: {
    id: string;
    status: 'posted' | 'voided';
    resolution: string;
    actor: string;
    confirmedUnits: number;
    postedAmount: string;
    disputeReason: string | null;
    unitsBack: number;
    amountBack: string;
    eventId: string;
    payload: unknown;
  },
): Promise<T | undefined> {
  const { rows } = await sql.query<T>({
    name: 'certificates_write_settlement',
    text: `with d as (
             update certificates.deliveries
                set status = $2, resolution = $3, resolved_by = $4, resolved_at = clock_timestamp(), confirmed_units = $5, posted_amount = $6, dispute_reason = $7
              where id = $1 and status = 'held'
              returning *),
           l as (update certificates.certificate_lines
                    set units_consumed = units_consumed - $8, amount_consumed = amount_consumed - $9, units_confirmed = units_confirmed + $5
                  where id = (select line_id from d) returning id),
           b as (update certificates.bookings set units_consumed = units_consumed - $8, units_confirmed = units_confirmed + $5
                  where id = (select booking_id from d) and exists (select 1 from l) returning certificate_id),
           o as (insert into certificates.outbox (id, topic, payload)
                 select $10, 'redemption.posted', $11::jsonb from d where $5::int > 0
                 on conflict (id) do nothing returning id),
           x as (update certificates.certificates c set status = 'exhausted', status_reason = 'Все средства сертификата использованы', updated_at = clock_timestamp()
                  where c.id = (select certificate_id from b) and $5::int > 0 and c.status in ('issued', 'active')
                    and c.value <= $6::numeric + (select coalesce(sum(p.posted_amount), 0) from certificates.deliveries p where p.certificate_id = c.id and p.status = 'posted')
                 returning c.id)
           select ${DELIVERY_COLUMNS} from d`,
    values: [s.id, s.status, s.resolution, s.actor, s.confirmedUnits, s.postedAmount, s.disputeReason, s.unitsBack, s.amountBack, s.eventId, JSON.stringify(s.payload)],
  });
  return rows[0];
}
