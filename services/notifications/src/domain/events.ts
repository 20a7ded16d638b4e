import { z } from 'zod';

const uuid = z.uuid();
const snils = z.string().regex(/^\d{11}$/);
const region = z.string().regex(/^\d{2}$/);
const text = z.string().min(1).max(500);

/** The payloads this service reads; the publishers (certificates) write at least these fields. */
export const actRecorded = z.object({
  delivery_id: uuid,
  certificate_number: text,
  recipient_snils: snils,
  region_code: region,
  provider_name: text,
  service_name: text,
  units: z.number().int().positive(),
  delivered_on: z.iso.date(),
  confirm_by: z.iso.datetime({ offset: true }),
});

export const actSettled = z.object({
  delivery_id: uuid,
  certificate_number: text,
  recipient_snils: snils,
  region_code: region,
  provider_id: uuid,
  provider_name: text,
  service_name: text,
  units: z.number().int().positive(),
  confirmed_units: z.number().int().min(0),
  delivered_on: z.iso.date(),
  resolution: z.enum(['auto_confirmed', 'disputed', 'partly_disputed']),
  dispute_reason: z.string().max(2000).nullish(),
});

export const bookingCreated = z.object({
  booking_id: uuid,
  provider_id: uuid,
  region_code: region,
  certificate_number: text,
  service_name: text,
  units: z.number().int().positive(),
  respond_by: z.iso.datetime({ offset: true }).nullish(),
});

export const bookingDecided = z.object({
  booking_id: uuid,
  recipient_snils: snils,
  region_code: region,
  provider_name: text,
  service_name: text,
  reason: z.string().max(2000).nullish(),
});

export const certificateIssued = z.object({
  certificate_id: uuid,
  certificate_number: text,
  recipient_snils: snils,
  region_code: region,
  valid_until: z.iso.date(),
});

export const certificateStatusChanged = z.object({
  certificate_id: uuid,
  certificate_number: text,
  recipient_snils: snils,
  region_code: region,
  reason: z.string().max(2000).nullish(),
});

export const actConfirmationDue = actRecorded.omit({ confirm_by: true }).extend({ confirm_by: z.iso.datetime({ offset: true }) });

const date = z.iso.date();

export const certificateExpiring = z.object({
  certificate_id: uuid,
  certificate_number: text,
  recipient_snils: snils,
  region_code: region,
  valid_until: date,
  days_before: z.union([z.literal(30), z.literal(7)]),
  days_left: z.number().int().min(0).max(30),
});

export const certificateExpired = certificateStatusChanged.extend({ valid_until: date });

export const assessmentRecognised = z.object({
  assessment_id: uuid,
  recipient_snils: snils,
  region_code: region,
  programme_due: date,
});

export const programmeDrawn = z.object({
  programme_id: uuid,
  assessment_id: uuid,
  recipient_snils: snils,
  region_code: region,
  valid_from: date,
  services: z
    .array(z.object({ service_name: text, volume_per_month: z.number().positive(), unit: z.string().max(100), months: z.number().int().positive() }))
    .min(1)
    .max(100),
});

export const refusalRecorded = z.object({
  refusal_id: uuid,
  recipient_snils: snils,
  region_code: region.nullish(),
  subject_kind: z.enum(['assessment', 'certificate', 'booking', 'delivery']),
  subject_id: uuid,
  code: z.string().min(1).max(100),
  reason: z.string().min(1).max(3000),
  next_steps: z.string().min(1).max(3000),
  appeal: z.string().min(1).max(3000),
});

export const roundDecided = z.object({
  application_id: uuid,
  round_id: uuid,
  round_title: text,
  region_code: region,
  provider_id: uuid,
  outcome: z.enum(['admitted', 'refused']),
  total_points: z.string().max(50).nullish(),
  threshold: z.string().max(50),
  reason: z.string().max(3000).nullish(),
  refusal: z
    .object({ reason: z.string().max(3000), what_to_fix: z.array(z.string().max(3000)).max(50), appeal_deadline: z.iso.datetime({ offset: true }), how_to_appeal: z.string().max(3000) })
    .nullish(),
});

const money = z.string().regex(/^-?\d{1,18}(\.\d{1,2})?$/);
const period = z.string().regex(/^\d{4}-\d{2}$/);

export const batchAwaitingApproval = z.object({
  batch_id: uuid,
  region_code: region,
  period,
  created_by: z.string().min(1).max(200),
  payouts: z.number().int().min(0),
  total: money,
});

export const payoutSettled = z.object({
  payout_id: uuid,
  batch_id: uuid,
  provider_id: uuid,
  provider_name: text,
  region_code: region,
  period,
  amount: money,
  reference: z.string().max(100),
  bank_account: z.string().max(34),
  booked_on: date.nullish(),
  return_reason: z.string().max(2000).nullish(),
});

export const statementLinesUnmatched = z.object({
  statement_id: uuid,
  region_code: region,
  statement_ref: z.string().max(200).nullish(),
  file_name: z.string().max(500).nullish(),
  count: z.number().int().positive(),
  lines: z
    .array(z.object({ number: z.number().int(), amount: money, counterparty_name: z.string().max(500).nullish(), reason: z.string().max(2000).nullish() }))
    .max(10)
    .nullish(),
});

export type RoundDecided = z.infer<typeof roundDecided>;
export type BatchAwaitingApproval = z.infer<typeof batchAwaitingApproval>;
export type PayoutSettled = z.infer<typeof payoutSettled>;
export type StatementLinesUnmatched = z.infer<typeof statementLinesUnmatched>;
export type ActRecorded = z.infer<typeof actRecorded>;
export type ActConfirmationDue = z.infer<typeof actConfirmationDue>;
export type CertificateExpiring = z.infer<typeof certificateExpiring>;
export type CertificateExpired = z.infer<typeof certificateExpired>;
export type AssessmentRecognised = z.infer<typeof assessmentRecognised>;
export type ProgrammeDrawn = z.infer<typeof programmeDrawn>;
export type RefusalRecorded = z.infer<typeof refusalRecorded>;
export type ActSettled = z.infer<typeof actSettled>;
export type BookingCreated = z.infer<typeof bookingCreated>;
export type BookingDecided = z.infer<typeof bookingDecided>;
export type CertificateIssued = z.infer<typeof certificateIssued>;
export type CertificateStatusChanged = z.infer<typeof certificateStatusChanged>;

export const NOTICE_TOPICS = [
  'act.recorded',
  'act.confirmation_due',
  'act.auto_confirmed',
  'act.disputed',
  'booking.created',
  'booking.accepted',
  'booking.declined',
  'certificate.issued',
  'certificate.expiring',
  'certificate.expired',
  'certificate.suspended',
  'certificate.revoked',
  'assessment.recognised',
  'programme.drawn',
  'refusal.recorded',
  'round.application_decided',
  'round.appeal_decided',
  'batch.awaiting_approval',
  'payout.paid',
  'payout.returned',
  'statement.lines_unmatched',
] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];
