import { MONEY_PATTERN } from '@esc/money';
import { z } from 'zod';
import { ASSESSMENT_REFUSAL_CODES, MAX_PROGRAMME_MONTHS } from '../domain/assessments';
import { DECLINE_CODES } from '../domain/bookings';
import { LIFE_EVENT_KINDS } from '../domain/life-events';

const moneyPattern = new RegExp(MONEY_PATTERN);
const amount = z.string().regex(moneyPattern, 'должна быть суммой строкой с не более чем двумя знаками после запятой, например "1234.50"');
const nonNegativeAmount = amount.refine((s) => !s.startsWith('-'), 'не может быть отрицательной');
const positiveAmount = nonNegativeAmount.refine((s) => /[1-9]/.test(s), 'должна быть больше нуля');
export const regionCode = z.string().regex(/^[0-9]{2}$/, 'должен быть двузначным кодом региона, например "73"');
const isoDate = z.iso.date({ error: 'должна быть датой в формате ГГГГ-ММ-ДД' });
const serviceCode = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'должен состоять из заглавных латинских букв, цифр и дефисов');
const snils = z.string().regex(/^\d{3}-?\d{3}-?\d{3}[ -]?\d{2}$/, 'должен состоять из 11 цифр, например "112-233-445 95"');
// NUL and unpaired surrogates never get this far: service-kit's input guard refuses them for every service.
const name = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const coefficientCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'должен состоять из строчных латинских букв, цифр, «-» и «_»');
// 8 or 11 digits, as the registry's search takes them (9 or 10 would make it refuse the providers' search).
const oktmo = z.string().regex(/^[0-9]{8}([0-9]{3})?$/, 'должен быть кодом ОКТМО (8 или 11 цифр)');
const units = z.number().int('целое число').min(1).max(10_000);

export const idParam = z.strictObject({ id: z.uuid() });
export const certificateLineParams = z.strictObject({ id: z.uuid(), lineId: z.uuid() });
export const regionParam = z.strictObject({ region: regionCode });
export const noQuery = z.strictObject({});

// The per-capita income adds up to 21 incomes (one's own and a household's): each stays below a
// trillion roubles so that their sum is still an amount (Money overflows at 10^18 and the answer fails).
const monthlyIncome = nonNegativeAmount.refine((s) => s.split('.')[0]!.length <= 12, 'не может быть больше 999 999 999 999,99 ₽ в месяц');
const householdMember = z.strictObject({ relation: text(50), full_name: text(200), monthly_income: monthlyIncome });

export const recipientBody = z.strictObject({
  snils,
  region_code: regionCode,
  last_name: name,
  first_name: name,
  middle_name: name.nullish(),
  birth_date: isoDate,
  district_code: oktmo,
  address: text(500),
  phone: z.string().regex(/^\+7[0-9]{10}$/, 'в формате +7XXXXXXXXXX').nullish(),
  categories: z.array(coefficientCode).max(10).default([]),
  own_income: monthlyIncome,
  household: z.array(householdMember).max(20).default([]),
});

// No defaults here: a field left out of a change keeps its stored value.
export const recipientChanges = z.strictObject({
  district_code: recipientBody.shape.district_code.optional(),
  address: recipientBody.shape.address.optional(),
  phone: recipientBody.shape.phone,
  categories: z.array(coefficientCode).max(10).optional(),
  own_income: monthlyIncome.optional(),
  household: z.array(householdMember).max(20).optional(),
});

export const openAssessmentBody = z.strictObject({ recipient_id: z.uuid(), reason: text(1000).nullish() });

export const decisionBody = z.strictObject({
  decision: z.enum(['recognised', 'refused']),
  refusal_code: z.enum(ASSESSMENT_REFUSAL_CODES).optional(),
  comment: text(2000).nullish(),
});

export const programmeBody = z.strictObject({
  valid_from: isoDate.optional(),
  lines: z
    .array(
      z.strictObject({
        service_code: serviceCode,
        volume_per_month: units,
        months: z.number().int('целое число').min(1).max(MAX_PROGRAMME_MONTHS),
      }),
    )
    .min(1)
    .max(20),
});

export const overdueQuery = z.strictObject({ region_code: regionCode });

export const parametersBody = z.strictObject({
  valid_from: isoDate,
  subsistence_minimum: positiveAmount,
  limit_coefficient: z.string().regex(/^[0-9]{1,2}(\.[0-9]{1,3})?$/, 'должен быть числом строкой, например "1.5"').refine((s) => Number(s) >= 1.5, 'не меньше 1.5 (442-ФЗ, ст. 31)'),
});

export const budgetProgrammeBody = z.strictObject({
  id: z.uuid().optional(),
  region_code: regionCode,
  code: text(50),
  name: text(300),
  year: z.number().int().min(2020).max(2100),
});

export const fundingBody = z.strictObject({ id: z.uuid(), amount: positiveAmount, reference: text(200).nullish() });

export const issueBody = z.strictObject({ id: z.uuid().optional(), programme_id: z.uuid(), budget_programme_id: z.uuid(), valid_from: isoDate.optional() });

export const listCertificatesQuery = z.strictObject({
  recipient_id: z.uuid().optional(),
  region_code: regionCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const revokeBody = z.strictObject({ reason: text(1000) });

export const bookingBody = z.strictObject({ id: z.uuid().optional(), line_id: z.uuid(), provider_id: z.uuid(), units: units.optional() });
export const declineBody = z.strictObject({ code: z.enum(DECLINE_CODES), reason: text(1000) });
const bookingStatus = z.enum(['requested', 'accepted', 'declined', 'cancelled']);
export const providerBookingsQuery = z.strictObject({ status: bookingStatus.optional() });

export const deliveryBody = z.strictObject({
  id: z.uuid().optional(),
  delivered_on: isoDate,
  units,
  staff: z.strictObject({ name: text(200), position: text(200) }),
});

export const confirmBody = z.strictObject({ units: z.number().int('целое число').min(0).max(10_000).optional(), dispute_reason: text(1000).nullish() });
export const disputeBody = z.strictObject({ reason: text(1000) });
export const feedbackBody = z.strictObject({ score: z.number().int('целое число').min(1).max(5), comment: text(2000).nullish() });

export const lifeEventBody = z.strictObject({
  id: z.uuid(),
  kind: z.enum(LIFE_EVENT_KINDS),
  occurred_on: isoDate,
  region_code: regionCode,
  person: z.strictObject({
    snils,
    last_name: name,
    first_name: name,
    middle_name: name.nullish(),
    birth_date: isoDate,
    district_code: oktmo,
    address: text(500),
    phone: z.string().regex(/^\+7[0-9]{10}$/, 'в формате +7XXXXXXXXXX').nullish(),
  }),
  circumstances: z.record(z.string(), z.unknown()).optional(),
});

export const bulkIssueBody = z.strictObject({
  id: z.uuid().optional(),
  budget_programme_id: z.uuid(),
  region_code: regionCode,
  file_name: text(255).nullish(),
  csv: z.string().min(1, 'не может быть пустым: передайте текст CSV-файла'),
});

export const bulkIssueErrorsQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
  after_row: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const myCertificatesQuery = z.strictObject({ recipient_id: z.uuid().optional() });
export const myDeliveriesQuery = z.strictObject({ recipient_id: z.uuid().optional(), status: z.enum(['authorising', 'held', 'posted', 'voided', 'refused']).optional() });
export const myBookingsQuery = z.strictObject({ recipient_id: z.uuid().optional(), status: bookingStatus.optional() });
export const statementQuery = z.strictObject({ format: z.enum(['csv', 'pdf']).default('csv') });

export const workQueueQuery = z.strictObject({
  region_code: regionCode,
  status: z.enum(['open', 'recognised', 'refused', 'programme_drawn']).optional(),
  district_code: oktmo.optional(),
  recipient_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const recipientSearchQuery = z.strictObject({ region_code: regionCode, q: z.string().trim().min(2).max(100), limit: z.coerce.number().int().min(1).max(100).default(20) });
export const budgetProgrammesQuery = z.strictObject({ region_code: regionCode });
export const quoteQuery = z.strictObject({ budget_programme_id: z.uuid(), valid_from: isoDate.optional() });
export const bulkIssuesQuery = z.strictObject({ region_code: regionCode, limit: z.coerce.number().int().min(1).max(100).default(20) });
