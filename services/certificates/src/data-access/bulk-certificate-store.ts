import { sqlOf, type EntityManager } from '@esc/service-kit';

/*
 * The certificates, lines and refusals a bulk issue writes, a chunk per statement. These tables'
 * single-row writes live with the certificate and refusal stores; these batch writes join them there.
 */

export interface IssuingCertificate {
  id: string;
  recipient_id: string;
  programme_id: string;
  valid_from: string;
  valid_to: string;
  gross_amount: string;
  fee_amount: string;
  value: string;
  fee_calculation: unknown;
}

/** Certificates of a chunk as `issuing`, numbered `<region>-<year>-<sequence>`; ids seen before are skipped. */
export async function insertIssuingCertificatesIfAbsent(
  em: EntityManager,
  common: { region_code: string; budget_programme_id: string; issued_on: string; issued_by: string },
  certificates: IssuingCertificate[],
): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to,
       gross_amount, fee_amount, value, fee_calculation, issued_by)
     select c.id, $1::text || '-' || $2::text || '-' || lpad(nextval('certificates.certificate_numbers')::text, 7, '0'), c.recipient_id, c.programme_id, $3, $1::text, 'issuing', $4,
            c.valid_from, c.valid_to, c.gross_amount, c.fee_amount, c.value, c.fee_calculation, $5
       from jsonb_to_recordset($6::jsonb) as c(id uuid, recipient_id uuid, programme_id uuid, valid_from date, valid_to date, gross_amount numeric,
            fee_amount numeric, value numeric, fee_calculation jsonb)
     on conflict (id) do nothing`,
    [common.region_code, common.issued_on.slice(0, 4), common.budget_programme_id, common.issued_on, common.issued_by, JSON.stringify(certificates)],
  );
}

export interface IssuingCertificateLine {
  certificate_id: string;
  line_no: number;
  service_code: string;
  service_name: string;
  form: string;
  unit: string;
  volume_per_month: number;
  months: number;
  volume: number;
  unit_cost: string;
  cost_breakdown: unknown;
  gross_amount: string;
  fee_amount: string;
  net_amount: string;
}

export async function insertCertificateLinesIfAbsent(em: EntityManager, lines: IssuingCertificateLine[]): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume,
       unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount)
     select gen_random_uuid(), l.certificate_id, l.line_no, l.service_code, l.service_name, l.form, l.unit, l.volume_per_month, l.months, l.volume,
            l.unit_cost, l.cost_breakdown, l.gross_amount, l.fee_amount, l.net_amount
       from jsonb_to_recordset($1::jsonb) as l(certificate_id uuid, line_no int, service_code text, service_name text, form text, unit text,
            volume_per_month int, months int, volume int, unit_cost numeric, cost_breakdown jsonb, gross_amount numeric, fee_amount numeric, net_amount numeric)
     on conflict (certificate_id, line_no) do nothing`,
    [JSON.stringify(lines)],
  );
}

export interface CertificateToIssue {
  id: string;
  number: string;
  value: string;
  status: string;
  region_code: string;
}

export function certificatesToIssue(em: EntityManager, ids: string[]): Promise<CertificateToIssue[]> {
  return sqlOf(em).rows<CertificateToIssue>(
    `select id, number, value::text as value, status, region_code from certificates.certificates where id = any($1::uuid[])`,
    [ids],
  );
}

/** Ends `issuing` with the ledger's answer; certificates a previous run finished are left alone. Answers the ones changed. */
export function settleIssuingCertificates(
  em: EntityManager,
  outcomes: Array<{ id: string; status: 'issued' | 'refused' }>,
): Promise<Array<{ id: string; status: string; recipient_id: string; region_code: string }>> {
  return sqlOf(em).rows(
    `update certificates.certificates c set status = v.status, updated_at = clock_timestamp()
       from jsonb_to_recordset($1::jsonb) as v(id uuid, status text)
      where c.id = v.id and c.status = 'issuing'
      returning c.id, c.status, c.recipient_id, c.region_code`,
    [JSON.stringify(outcomes)],
  );
}

export async function certificateStatuses(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
  const rows = await sqlOf(em).rows<{ id: string; status: string }>(`select id, status from certificates.certificates where id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((c) => [c.id, c.status]));
}

/** One refusal with the same texts for many certificates, each in its holder's history. */
export async function insertCertificateRefusals(
  em: EntityManager,
  refusal: { code: string; reason: string; next_steps: string; appeal: string },
  certificates: Array<{ id: string; recipient_id: string; region_code: string }>,
): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.refusals (id, recipient_id, region_code, subject_kind, subject_id, code, reason, next_steps, appeal)
     select gen_random_uuid(), r.recipient_id, r.region_code, 'certificate', r.id, $1, $2, $3, $4 from jsonb_to_recordset($5::jsonb) as r(id uuid, recipient_id uuid, region_code text)`,
    [refusal.code, refusal.reason, refusal.next_steps, refusal.appeal, JSON.stringify(certificates)],
  );
}
