import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { FeeCalculation, ServiceForm } from '../domain/fees';

/** Certificates and their lines: the one writer of both tables (the act batches of delivery-store aside, which move line counters in their single statement). */

export type CertificateStatus = 'issuing' | 'refused' | 'issued' | 'active' | 'suspended' | 'exhausted' | 'expired' | 'revoked';

export type CertificateFeeCalculation = FeeCalculation & { income: { total: string; persons: number; exact: string; rounded: string } };

export interface CertificateRow {
  id: string;
  number: string;
  recipient_id: string;
  programme_id: string;
  budget_programme_id: string;
  region_code: string;
  status: CertificateStatus;
  status_reason: string | null;
  issued_on: string;
  valid_from: string;
  valid_to: string;
  gross_amount: string;
  fee_amount: string;
  value: string;
  fee_calculation: CertificateFeeCalculation;
  released_amount: string;
  releases: number;
  issued_by: string;
  created_at: string;
  updated_at: string;
}

export interface CertificateLineRow {
  id: string;
  certificate_id: string;
  line_no: number;
  service_code: string;
  service_name: string;
  form: ServiceForm;
  unit: string;
  volume_per_month: number;
  months: number;
  volume: number;
  unit_cost: string;
  cost_breakdown: Record<string, unknown>;
  gross_amount: string;
  fee_amount: string;
  net_amount: string;
  units_booked: number;
  units_consumed: number;
  amount_consumed: string;
  units_confirmed: number;
}

export const CERTIFICATE_COLUMNS = `id, number, recipient_id, programme_id, budget_programme_id, region_code, status, status_reason, issued_on::text as issued_on,
  valid_from::text as valid_from, valid_to::text as valid_to, gross_amount, fee_amount, value, fee_calculation, released_amount, releases, issued_by, created_at, updated_at`;

/** Statuses a certificate can still be revoked or expired from. */
const LIVE = `('issued', 'active', 'suspended')`;

export async function findCertificateRow(em: EntityManager, id: string): Promise<CertificateRow | undefined> {
  return sqlOf(em).one<CertificateRow>(`select ${CERTIFICATE_COLUMNS} from certificates.certificates where id = $1`, [id]);
}

export async function lockCertificateRow(em: EntityManager, id: string): Promise<CertificateRow | undefined> {
  return sqlOf(em).one<CertificateRow>(`select ${CERTIFICATE_COLUMNS} from certificates.certificates where id = $1 for update`, [id]);
}

export async function certificateExists(em: EntityManager, id: string): Promise<boolean> {
  return (await sqlOf(em).one(`select 1 from certificates.certificates where id = $1`, [id])) !== undefined;
}

/** Locks the programme (issues of it wait for each other), then answers its certificate that is not refused, revoked or expired. */
export async function lockLiveCertificateOfProgramme(em: EntityManager, programmeId: string): Promise<string | undefined> {
  await sqlOf(em).run(`select 1 from certificates.programmes where id = $1 for update`, [programmeId]);
  const row = await sqlOf(em).one<{ id: string }>(
    `select id from certificates.certificates where programme_id = $1 and status not in ('refused', 'revoked', 'expired') for update`,
    [programmeId],
  );
  return row?.id;
}

export interface NewCertificate {
  id: string;
  recipientId: string;
  programmeId: string;
  budgetProgrammeId: string;
  regionCode: string;
  issuedOn: string;
  validFrom: string;
  validTo: string;
  gross: string;
  fee: string;
  value: string;
  feeCalculation: CertificateFeeCalculation;
  issuedBy: string;
}

export interface NewCertificateLine {
  id: string;
  lineNo: number;
  serviceCode: string;
  serviceName: string;
  form: ServiceForm;
  unit: string;
  volumePerMonth: number;
  months: number;
  volume: number;
  unitCost: string;
  costBreakdown: Record<string, unknown>;
  gross: string;
  fee: string;
  net: string;
}

/** Writes an `issuing` certificate numbered region-year-sequence, with its lines; answers the number. */
export async function insertCertificate(em: EntityManager, c: NewCertificate, lines: NewCertificateLine[]): Promise<string> {
  const sql = sqlOf(em);
  const { number } = (await sql.one<{ number: string }>(`select $1::text || '-' || $2::text || '-' || lpad(nextval('certificates.certificate_numbers')::text, 7, '0') as number`, [
    c.regionCode,
    c.issuedOn.slice(0, 4),
  ]))!;
  await sql.run(
    `insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to,
       gross_amount, fee_amount, value, fee_calculation, issued_by)
     values ($1, $2, $3, $4, $5, $6, 'issuing', $7, $8, $9, $10, $11, $12, $13::jsonb, $14)`,
    [c.id, number, c.recipientId, c.programmeId, c.budgetProgrammeId, c.regionCode, c.issuedOn, c.validFrom, c.validTo, c.gross, c.fee, c.value, JSON.stringify(c.feeCalculation), c.issuedBy],
  );
  for (const l of lines) {
    await sql.run(
      `insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume,
         unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)`,
      [l.id, c.id, l.lineNo, l.serviceCode, l.serviceName, l.form, l.unit, l.volumePerMonth, l.months, l.volume, l.unitCost, JSON.stringify(l.costBreakdown), l.gross, l.fee, l.net],
    );
  }
  return number;
}

/** Ends issuing as `issued` or `refused`; false when the certificate was no longer `issuing`. */
export async function finishIssuing(em: EntityManager, id: string, status: 'issued' | 'refused'): Promise<boolean> {
  return (await sqlOf(em).run(`update certificates.certificates set status = $1, updated_at = clock_timestamp() where id = $2 and status = 'issuing'`, [status, id])) > 0;
}

/** Certificates left `issuing` longer than the given seconds (a process stopped between its two steps). */
export async function certificatesStuckIssuing(em: EntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ id: string }>(
    `select id from certificates.certificates where status = 'issuing' and created_at < clock_timestamp() - make_interval(secs => $1) limit $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}

export async function setCertificateStatus(em: EntityManager, id: string, status: CertificateStatus, reason: string | null): Promise<void> {
  const releasing = status === 'revoked' || status === 'expired';
  await sqlOf(em).run(
    `update certificates.certificates set status = $1, status_reason = $2, updated_at = clock_timestamp()${releasing ? ', release_pending_since = coalesce(release_pending_since, clock_timestamp())' : ''} where id = $3`,
    [status, reason, id],
  );
}

/** Expires a certificate still issued, active or suspended; false when it was not. */
export async function expireCertificate(em: EntityManager, id: string, reason: string): Promise<boolean> {
  return (await sqlOf(em).run(`update certificates.certificates set status = 'expired', status_reason = $1, updated_at = clock_timestamp(),
            release_pending_since = coalesce(release_pending_since, clock_timestamp()) where id = $2 and status in ${LIVE}`, [reason, id])) > 0;
}

/**
 * Live certificates whose validity ended before the day, oldest first: one day for all, or each region's
 * own today (region code → date); certificates of a region not in the map are not due.
 */
export async function certificatesDueForExpiry(em: EntityManager, today: string | ReadonlyMap<string, string>, limit: number): Promise<string[]> {
  const rows =
    typeof today === 'string'
      ? await sqlOf(em).rows<{ id: string }>(`select id from certificates.certificates where valid_to < $1 and status in ${LIVE} order by valid_to limit $2`, [today, limit])
      : await sqlOf(em).rows<{ id: string }>(
          `select c.id from certificates.certificates c join jsonb_each_text($1::jsonb) r(region_code, today) on r.region_code = c.region_code
            where c.valid_to < r.today::date and c.status in ('issued', 'active', 'suspended') order by c.valid_to limit $2`,
          [JSON.stringify(Object.fromEntries(today)), limit],
        );
  return rows.map((r) => r.id);
}

/** Marks a closed certificate's balance as owed back to its allocation until a release clears it. */
export async function markReleasePending(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificates set release_pending_since = coalesce(release_pending_since, clock_timestamp()) where id = $1`, [id]);
}

/** The ledger refused release number `releases + 1` (and keeps that answer under its id): the next try takes the next number. */
export async function skipReleaseNumber(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificates set releases = releases + 1 where id = $1`, [id]);
}

/** The release is done: nothing more is owed back. */
export async function clearReleasePending(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificates set release_pending_since = null where id = $1`, [id]);
}

/** Closed certificates whose release has waited longer than the given seconds (the ledger refused it or a process stopped). */
export async function certificatesWithPendingRelease(em: EntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ id: string }>(
    `select id from certificates.certificates where release_pending_since < clock_timestamp() - make_interval(secs => $1) order by release_pending_since limit $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}

/** A certificate's first accepted booking makes it `active`. */
export async function activateCertificate(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificates set status = 'active', updated_at = clock_timestamp() where id = $1 and status = 'issued'`, [id]);
}

/** Back from `suspended`: `active` when a booking of it is accepted, `issued` otherwise. */
export async function resumeCertificateRow(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(
    `update certificates.certificates set status = case when exists (select 1 from certificates.bookings b where b.certificate_id = $1 and b.status = 'accepted') then 'active' else 'issued' end,
            status_reason = null, updated_at = clock_timestamp() where id = $1`,
    [id],
  );
}

export async function addReleased(em: EntityManager, id: string, amount: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificates set released_amount = released_amount + $1, releases = releases + 1, release_pending_since = null, updated_at = clock_timestamp() where id = $2`, [amount, id]);
}

/** Newest first; by recipient or by region. */
export async function certificatesBy(em: EntityManager, by: { recipientId: string } | { regionCode: string }, limit: number): Promise<CertificateRow[]> {
  const [column, value] = 'recipientId' in by ? ['recipient_id', by.recipientId] : ['region_code', by.regionCode];
  return sqlOf(em).rows<CertificateRow>(`select ${CERTIFICATE_COLUMNS} from certificates.certificates where ${column} = $1 order by created_at desc limit $2`, [value, limit]);
}

export async function linesOfCertificate(em: EntityManager, certificateId: string): Promise<CertificateLineRow[]> {
  return sqlOf(em).rows<CertificateLineRow>(`select * from certificates.certificate_lines where certificate_id = $1 order by line_no`, [certificateId]);
}

export async function findLineRow(em: EntityManager, certificateId: string, lineId: string): Promise<CertificateLineRow | undefined> {
  return sqlOf(em).one<CertificateLineRow>(`select * from certificates.certificate_lines where id = $1 and certificate_id = $2`, [lineId, certificateId]);
}

export async function lockLineRow(em: EntityManager, certificateId: string, lineId: string): Promise<CertificateLineRow | undefined> {
  return sqlOf(em).one<CertificateLineRow>(`select * from certificates.certificate_lines where id = $1 and certificate_id = $2 for update`, [lineId, certificateId]);
}

/** Locks a line by its id alone (releasing a booking locks its line first, as booking does). */
export async function lockLine(em: EntityManager, lineId: string): Promise<void> {
  await sqlOf(em).run(`select id from certificates.certificate_lines where id = $1 for update`, [lineId]);
}

/** Units booked on the line change by `units` (negative to free them). */
export async function addUnitsBooked(em: EntityManager, lineId: string, units: number): Promise<void> {
  await sqlOf(em).run(`update certificates.certificate_lines set units_booked = units_booked + $1 where id = $2`, [units, lineId]);
}

/** Units and amount an act no longer uses go back to its line. */
export async function giveBackLineUsage(em: EntityManager, lineId: string, units: number, amount: string): Promise<void> {
  await sqlOf(em).run(`update certificates.certificate_lines set units_consumed = units_consumed - $1, amount_consumed = amount_consumed - $2 where id = $3`, [units, amount, lineId]);
}
