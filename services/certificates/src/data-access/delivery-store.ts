import type { MikroORM } from '@mikro-orm/postgresql';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import { plainSqlArray, withSqlClient, type SqlClient } from '@esc/service-kit/hot';
import type { RefusalCode } from '../domain/refusals';
import { actRecordedOutboxCte, actSettledOutboxCte } from './notice-event-store';

/**
 * The delivery hot path on raw pooled connections with prepared statements. Acts are recorded and
 * settled in batches (see GroupCommit): each statement takes arrays and handles every act of the
 * batch, because the round trips and commits, not the work, are what an act costs. Dates leave as
 * text; amounts as text. The reads off the hot path go through sqlOf.
 */

export type DeliveryStatus = 'authorising' | 'held' | 'posted' | 'voided' | 'refused';
export type DeliveryResolution = 'confirmed' | 'auto_confirmed' | 'disputed' | 'partly_disputed' | 'hold_expired';

export interface DeliveryRow {
  id: string;
  booking_id: string;
  certificate_id: string;
  line_id: string;
  provider_id: string;
  recipient_id: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
  amount: string;
  gross_amount: string;
  status: DeliveryStatus;
  confirm_by: string;
  recorded_by: string;
  recorded_at: string;
  resolution: DeliveryResolution | null;
  resolved_by: string | null;
  resolved_at: string | null;
  confirmed_units: number | null;
  posted_amount: string | null;
  dispute_reason: string | null;
  refusal_code: RefusalCode | null;
}

// The prepared statements' rows skip sqlOf's conversion: their timestamps leave PostgreSQL already in ISO 8601.
const isoTimestamp = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A delivery's columns as the domain reads them, from a table or CTE aliased `d`. */
export const DELIVERY_COLUMNS = `d.id, d.booking_id, d.certificate_id, d.line_id, d.provider_id, d.recipient_id, d.delivered_on::text as delivered_on, d.units, d.staff,
  d.amount::text as amount, d.gross_amount::text as gross_amount, d.status, ${isoTimestamp('d.confirm_by')} as confirm_by, d.recorded_by, ${isoTimestamp('d.recorded_at')} as recorded_at,
  d.resolution, d.resolved_by, ${isoTimestamp('d.resolved_at')} as resolved_at, d.confirmed_units, d.posted_amount::text as posted_amount, d.dispute_reason, d.refusal_code`;

const asIs = (id: string) => id;

export interface RecordingState {
  booking_id: string;
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
  provider_standing: string | null;
}

/**
 * The bookings with their lines locked, in line id order so that concurrent batches (and settling,
 * which locks lines the same way) cannot deadlock: every change to a line's counters happens under
 * this lock. Also answers which of the requested delivery ids already exist (retries) and which were
 * given up as abandoned (their holds voided).
 */
/** An act already stored under an id, as sent: what a repeat of the id is compared with. */
export interface StoredAct {
  booking_id: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
}

export async function lockForRecording(
  sql: SqlClient,
  bookingIds: string[],
  deliveryIds: string[],
): Promise<{ states: RecordingState[]; existing: Map<string, StoredAct>; abandoned: Set<string> }> {
  const { rows } = await sql.query<RecordingState & { existing: Array<StoredAct & { id: string }>; abandoned: string[] }>({
    name: 'certificates_lock_for_recording',
    // `existing` is one uncorrelated subquery, evaluated once and repeated on every row: it saves a round trip.
    text: `select b.id as booking_id, l.id as line_id, l.net_amount::text as net_amount, l.volume, l.units_consumed, l.amount_consumed::text as amount_consumed, l.unit_cost::text as unit_cost,
                  b.status as booking_status, b.units as booking_units, b.units_consumed as booking_consumed,
                  b.certificate_id, b.recipient_id, b.provider_id, b.region_code,
                  c.status as certificate_status, c.valid_from::text as valid_from, c.valid_to::text as valid_to, s.status as provider_standing,
                  (select coalesce(json_agg(json_build_object('id', e.id, 'booking_id', e.booking_id, 'delivered_on', e.delivered_on::text, 'units', e.units, 'staff', e.staff)), '[]')
                     from certificates.deliveries e where e.id = any($2::uuid[])) as existing,
                  (select coalesce(json_agg(a.id), '[]') from certificates.abandoned_holds a where a.id = any($2::uuid[])) as abandoned
             from certificates.bookings b
             join certificates.certificate_lines l on l.id = b.line_id
             join certificates.certificates c on c.id = b.certificate_id
             left join certificates.provider_standing s on s.provider_id = b.provider_id
            where b.id = any($1::uuid[])
            order by l.id
              for update of l`,
    values: [plainSqlArray(bookingIds, asIs), plainSqlArray(deliveryIds, asIs)],
  });
  return { states: rows, existing: new Map((rows[0]?.existing ?? []).map(({ id, ...act }) => [id, act])), abandoned: new Set(rows[0]?.abandoned ?? []) };
}

export async function deliveriesById(sql: SqlClient, ids: string[]): Promise<Map<string, DeliveryRow>> {
  const { rows } = await sql.query<DeliveryRow>({ name: 'certificates_deliveries_by_id', text: `select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.id = any($1::uuid[])`, values: [plainSqlArray(ids, asIs)] });
  return new Map(rows.map((r) => [r.id, r]));
}

export interface NewDelivery {
  id: string;
  state: RecordingState;
  deliveredOn: string;
  units: number;
  staff: unknown;
  amount: string;
  gross: string;
  recordedBy: string;
  /** held: the ledger placed the hold; authorising: its answer was lost (a job asks again); refused: refused by the rules or by the ledger, kept so that its id answers the refusal again. */
  status: 'held' | 'authorising' | 'refused';
  refusalCode: string | null;
}

/**
 * Writes the acts and counts the units and amounts of those not refused as in use on their lines and
 * bookings. An id already stored (written meanwhile by another instance) is left as it is and not in
 * the answer. Sends its one statement before its first await (a pipelined transaction's final write).
 */
export async function insertActs(sql: SqlClient, acts: NewDelivery[], windowSeconds: number): Promise<Map<string, DeliveryRow>> {
  const { rows } = await sql.query<DeliveryRow>({
    name: 'certificates_insert_acts',
    text: `with v as (
             select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::date[], $8::int[], $9::numeric[], $10::numeric[], $11::text[], $12::text[], $13::text[])
                           with ordinality as v(id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, amount, gross_amount, recorded_by, status, refusal_code, n)),
           d as (
             insert into certificates.deliveries (id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, staff, amount, gross_amount, status, refusal_code, resolved_at, confirm_by, recorded_by)
             select id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, $14::jsonb -> (n::int - 1), amount, gross_amount, status, refusal_code,
                    case when status = 'refused' then clock_timestamp() end, clock_timestamp() + make_interval(secs => $15), recorded_by from v
             -- An id given up as abandoned meanwhile (its hold voided) is not written: the caller finds it lost.
             where not exists (select 1 from certificates.abandoned_holds a where a.id = v.id)
             on conflict (id) do nothing
             returning *),
           used as (select v.* from v join d on d.id = v.id where v.status <> 'refused'),
           l as (update certificates.certificate_lines t set units_consumed = t.units_consumed + s.units, amount_consumed = t.amount_consumed + s.amount
                   from (select line_id, sum(units) as units, sum(amount) as amount from used group by line_id) s where t.id = s.line_id),
           b as (update certificates.bookings t set units_consumed = t.units_consumed + s.units
                   from (select booking_id, sum(units) as units from used group by booking_id) s where t.id = s.booking_id),
           o as (${actRecordedOutboxCte('d')})
           select ${DELIVERY_COLUMNS} from d`,
    values: [
      plainSqlArray(acts, (a) => a.id),
      plainSqlArray(acts, (a) => a.state.booking_id),
      plainSqlArray(acts, (a) => a.state.certificate_id),
      plainSqlArray(acts, (a) => a.state.line_id),
      plainSqlArray(acts, (a) => a.state.provider_id),
      plainSqlArray(acts, (a) => a.state.recipient_id),
      plainSqlArray(acts, (a) => a.deliveredOn),
      plainSqlArray(acts, (a) => a.units),
      plainSqlArray(acts, (a) => a.amount),
      plainSqlArray(acts, (a) => a.gross),
      acts.map((a) => a.recordedBy),
      plainSqlArray(acts, (a) => a.status),
      plainSqlArray(acts, (a) => a.refusalCode),
      JSON.stringify(acts.map((a) => a.staff)),
      windowSeconds,
    ],
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Acts whose hold the ledger has placed; an act no longer `authorising` is left as it is. */
export async function markHeld(sql: SqlClient, ids: string[]): Promise<Map<string, DeliveryRow>> {
  const { rows } = await sql.query<DeliveryRow>({
    name: 'certificates_mark_held',
    // Joined to the ids rather than `id = any(...)`: otherwise the planner ANDs the primary key with the
    // partial index of authorising acts, which is full of entries not yet vacuumed after busy minutes.
    text: `with h as (update certificates.deliveries d set status = 'held' from unnest($1::uuid[]) as q(id)
                       where d.id = q.id and d.status = 'authorising' returning d.*),
                 o as (${actRecordedOutboxCte('h')})
            select ${DELIVERY_COLUMNS} from h d`,
    values: [plainSqlArray(ids, asIs)],
  });
  return new Map(rows.map((r) => [r.id, r]));
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

/**
 * The acts with what settling them needs, their lines locked in id order (as recording locks them, so
 * the two cannot deadlock): every change to a line's counters happens under this lock.
 */
export async function lockForSettling(sql: SqlClient, deliveryIds: string[]): Promise<Map<string, DeliveryRow & SettlementContext>> {
  const { rows } = await sql.query<DeliveryRow & SettlementContext>({
    name: 'certificates_lock_for_settling',
    text: `select ${DELIVERY_COLUMNS},
                  r.snils, r.region_code as recipient_region, l.unit_cost::text as unit_cost, l.service_code, l.service_name, l.unit, b.funding_mode,
                  c.number, c.status as certificate_status, c.budget_programme_id, c.region_code as certificate_region, bp.code as budget_programme_code
             from certificates.deliveries d
             join certificates.recipients r on r.id = d.recipient_id
             join certificates.certificate_lines l on l.id = d.line_id
             join certificates.bookings b on b.id = d.booking_id
             join certificates.certificates c on c.id = d.certificate_id
             join certificates.budget_programmes bp on bp.id = c.budget_programme_id
            where d.id = any($1::uuid[])
            order by l.id
              for update of l`,
    values: [plainSqlArray(deliveryIds, asIs)],
  });
  return new Map(rows.map((r) => [r.id, r]));
}

export interface SettlementWrite {
  id: string;
  lineId: string;
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
}

/**
 * Records the outcomes of holds the ledger has posted or voided: the acts (only those still held),
 * their lines' and bookings' counters, redemption.posted for confirmed units, and `exhausted` once all
 * of a certificate's value is posted. Run after lockForSettling in the same transaction. Sends its one
 * statement before its first await, so it can be a pipelined transaction's final write.
 */
export async function writeSettlements(sql: SqlClient, writes: SettlementWrite[]): Promise<Map<string, DeliveryRow>> {
  const { rows } = await sql.query<DeliveryRow>({
    name: 'certificates_write_settlements',
    text: `with v as (
             select u.*, $11::jsonb -> (u.n::int - 1) as payload
               from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::numeric[], $7::text[], $8::int[], $9::numeric[], $10::uuid[])
                    with ordinality as u(id, status, resolution, actor, confirmed_units, posted_amount, dispute_reason, units_back, amount_back, event_id, n)),
           d as (
             update certificates.deliveries t
                set status = v.status, resolution = v.resolution, resolved_by = v.actor, resolved_at = clock_timestamp(),
                    confirmed_units = v.confirmed_units, posted_amount = v.posted_amount, dispute_reason = v.dispute_reason
               from v
              where t.id = v.id and t.status = 'held'
              returning t.*, v.units_back, v.amount_back, v.event_id, v.payload),
           -- Units given back by an act of a cancelled booking are no longer booked either: the cancellation
           -- kept them booked while the act was held.
           l as (update certificates.certificate_lines t
                    set units_consumed = t.units_consumed - s.units_back, amount_consumed = t.amount_consumed - s.amount_back,
                        units_confirmed = t.units_confirmed + s.confirmed, amount_posted = t.amount_posted + s.posted,
                        units_booked = t.units_booked - s.booked_back
                   from (select d.line_id, sum(d.units_back) as units_back, sum(d.amount_back) as amount_back, sum(d.confirmed_units) as confirmed, sum(d.posted_amount) as posted,
                                sum(case when bk.status = 'cancelled' then d.units_back else 0 end) as booked_back
                           from d join certificates.bookings bk on bk.id = d.booking_id group by d.line_id) s
                  where t.id = s.line_id
              returning t.certificate_id, t.amount_posted >= t.net_amount as paid_in_full),
           b as (update certificates.bookings t set units_consumed = t.units_consumed - s.units_back, units_confirmed = t.units_confirmed + s.confirmed
                   from (select booking_id, sum(units_back) as units_back, sum(confirmed_units) as confirmed from d group by booking_id) s
                  where t.id = s.booking_id),
           o as (insert into certificates.outbox (id, topic, payload)
                 select event_id, 'redemption.posted', payload from d where confirmed_units > 0
                 on conflict (id) do nothing),
           n as (${actSettledOutboxCte('d')}),
           x as (update certificates.certificates c set status = 'exhausted', status_reason = 'Все средства сертификата использованы', updated_at = clock_timestamp()
                   -- A certificate's value is its lines' net amounts: only a batch that pays a line in full can use it up.
                   from (select certificate_id, sum(posted_amount) as posted from d
                          where confirmed_units > 0 and certificate_id in (select certificate_id from l where paid_in_full) group by certificate_id) s
                  where c.id = s.certificate_id and c.status in ('issued', 'active')
                    -- The lines' totals as they were before this statement (l's update is not visible here), plus this batch.
                    and c.value <= s.posted + (select sum(p.amount_posted) from certificates.certificate_lines p where p.certificate_id = c.id))
           select ${DELIVERY_COLUMNS} from d`,
    values: [
      plainSqlArray(writes, (w) => w.id),
      plainSqlArray(writes, (w) => w.status),
      plainSqlArray(writes, (w) => w.resolution),
      writes.map((w) => w.actor),
      plainSqlArray(writes, (w) => w.confirmedUnits),
      plainSqlArray(writes, (w) => w.postedAmount),
      writes.map((w) => w.disputeReason),
      plainSqlArray(writes, (w) => w.unitsBack),
      plainSqlArray(writes, (w) => w.amountBack),
      plainSqlArray(writes, (w) => w.eventId),
      JSON.stringify(writes.map((w) => w.payload)),
    ],
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Acts whose hold the ledger has placed, marked held on a connection of the pool; those no longer `authorising` as they are now. */
export async function markHeldOnPool(orm: MikroORM, ids: string[]): Promise<Map<string, DeliveryRow>> {
  return withSqlClient(orm, async (sql) => {
    const marked = await markHeld(sql, ids);
    const unmarked = ids.filter((id) => !marked.has(id));
    return unmarked.length ? new Map([...marked, ...(await deliveriesById(sql, unmarked))]) : marked;
  });
}

export async function deliveriesByIdOnPool(orm: MikroORM, ids: string[]): Promise<Map<string, DeliveryRow>> {
  return withSqlClient(orm, (sql) => deliveriesById(sql, ids));
}

export async function findDeliveryRow(em: EntityManager, id: string): Promise<DeliveryRow | undefined> {
  return sqlOf(em).one<DeliveryRow>(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.id = $1`, [id]);
}

export async function deliveriesOfBooking(em: EntityManager, bookingId: string): Promise<DeliveryRow[]> {
  return sqlOf(em).rows<DeliveryRow>(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.booking_id = $1 order by d.recorded_at`, [bookingId]);
}

export async function deliveriesOfCertificate(em: EntityManager, certificateId: string): Promise<DeliveryRow[]> {
  return sqlOf(em).rows<DeliveryRow>(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.certificate_id = $1 order by d.recorded_at`, [certificateId]);
}

/** Refuses an act still `authorising` (the ledger refused its hold); false when it no longer was. */
export async function markRefused(em: EntityManager, id: string, code: RefusalCode): Promise<boolean> {
  return (await sqlOf(em).run(`update certificates.deliveries set status = 'refused', refusal_code = $1, resolved_at = clock_timestamp() where id = $2 and status = 'authorising'`, [code, id])) > 0;
}

/** Held acts whose confirmation window has passed, the longest waiting first. */
export async function lapsedHeldDeliveries(em: EntityManager, limit: number): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ id: string }>(`select id from certificates.deliveries where status = 'held' and confirm_by <= clock_timestamp() order by confirm_by limit $1`, [limit]);
  return rows.map((r) => r.id);
}

/** Acts left `authorising` longer than the given seconds. */
export async function deliveriesStuckAuthorising(em: EntityManager, olderThanSeconds: number, limit: number): Promise<DeliveryRow[]> {
  return sqlOf(em).rows<DeliveryRow>(
    `select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.status = 'authorising' and d.recorded_at < clock_timestamp() - make_interval(secs => $1) limit $2`,
    [olderThanSeconds, limit],
  );
}
