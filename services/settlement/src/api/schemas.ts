import { z } from 'zod';

const period = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const regionCode = z.string().regex(/^[0-9]{2}$/, 'a two-digit region code');
const amount = z.string().regex(/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,2})?$/, 'roubles with at most two decimals, e.g. "1234.50"');

export const idParam = z.strictObject({ id: z.uuid() });
export const noQuery = z.strictObject({});

export const createRunBody = z.strictObject({ region_code: regionCode, period });
export const listRunsQuery = z.strictObject({ region_code: regionCode });

export const payoutLimitParams = z.strictObject({ budget_programme_id: z.uuid(), period });
export const payoutLimitBody = z.strictObject({ region_code: regionCode, amount });
export const listLimitsQuery = z.strictObject({ region_code: regionCode, period: period.optional() });

export const standingRuleParams = z.strictObject({ region_code: regionCode });
export const standingRuleBody = z.strictObject({
  while_suspended: z.enum(['hold', 'pay']),
  when_excluded: z.enum(['pay_delivered_before', 'hold']),
});

export const programmeParams = z.strictObject({ budget_programme_id: z.uuid() });
export const programmeSettingsBody = z.strictObject({
  period_months: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)]),
});

export const assignmentParams = z.strictObject({ provider_id: z.uuid(), service_code: z.string().min(1).max(64), period });
export const assignmentBody = z.strictObject({ region_code: regionCode, units: z.number().int().min(0).max(100_000_000) });

export const exportQuery = z.strictObject({ format: z.enum(['1c', 'pain001', 'csv']) });
export const reportQuery = z.strictObject({ format: z.enum(['json', 'csv', 'xlsx']).default('json') });
export const periodReportQuery = reportQuery.extend({ provider_id: z.uuid().optional(), service_code: z.string().min(1).max(64).optional() });
export const listStatementsQuery = z.strictObject({ region_code: regionCode });
export const regionQuery = listStatementsQuery;
export const listPayoutsQuery = z.strictObject({ region_code: regionCode, status: z.enum(['pending', 'in_transit', 'paid', 'returned', 'withheld']) });

export const importStatementBody = z.strictObject({
  format: z.enum(['1c', 'camt053']),
  file_name: z.string().min(1).max(255).optional(),
  content_base64: z.string().min(1).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 (RFC 4648, no line breaks)'),
});

export const discrepanciesQuery = z.strictObject({ region_code: regionCode, open: z.enum(['true', 'false']).default('true') });
export const resolveBody = z.strictObject({ note: z.string().trim().min(3).max(2000), payout_id: z.uuid().optional() });
