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

export type ActRecorded = z.infer<typeof actRecorded>;
export type ActSettled = z.infer<typeof actSettled>;
export type BookingCreated = z.infer<typeof bookingCreated>;
export type BookingDecided = z.infer<typeof bookingDecided>;
export type CertificateIssued = z.infer<typeof certificateIssued>;
export type CertificateStatusChanged = z.infer<typeof certificateStatusChanged>;

export const NOTICE_TOPICS = ['act.recorded', 'act.auto_confirmed', 'act.disputed', 'booking.created', 'booking.accepted', 'booking.declined', 'certificate.issued', 'certificate.suspended', 'certificate.revoked'] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];
