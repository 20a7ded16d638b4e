import { z } from 'zod';
import { regionCode } from './schemas';

// PostgreSQL has no year 0000: such a month would fail in the query, not here.
const month = z.string().regex(/^(?!0000)\d{4}-(0[1-9]|1[0-2])$/, 'должен быть месяцем в формате ГГГГ-ММ');
const codeList = (pattern: RegExp, message: string) =>
  z
    .string()
    .max(2000)
    .refine((s) => s.split(',').every((c) => pattern.test(c)), message);
const serviceCodes = codeList(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'должен быть кодом услуги или списком кодов через запятую');
const districtCodes = codeList(/^[0-9]{8}$/, 'должен быть кодом ОКТМО (8 цифр) или списком кодов через запятую');

export const deficitsRegionParam = z.strictObject({ region: regionCode });
export const computeBody = z.strictObject({ month: month.optional() });
export const deficitsQuery = z.strictObject({ month: month.optional(), service_code: serviceCodes.optional(), district_code: districtCodes.optional() });
export const waitingQuery = z.strictObject({
  district_code: z.string().regex(/^[0-9]{8}$/, 'должен быть кодом ОКТМО (8 цифр)'),
  service_code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'должен быть кодом услуги').optional(),
});

const weight = z.string().regex(/^[0-9]{1,3}(\.[0-9]{1,3})?$/, 'должен быть неотрицательным числом строкой, не больше 999.999, например "1.5"');
export const clustersQuery = z.strictObject({ month: month.optional() });
export const weightsBody = z
  .strictObject({ relevance: weight, achievability: weight, budget_coverage: weight, social_effectiveness: weight })
  .refine((w) => [w.relevance, w.achievability, w.budget_coverage, w.social_effectiveness].some((x) => /[1-9]/.test(x)), {
    message: 'хотя бы один вес должен быть больше нуля',
    path: ['relevance'],
  });

export const dashboardQuery = z.strictObject({ from: month.optional(), to: month.optional() });
export const openDataQuery = z.strictObject({ from: month.optional(), to: month.optional(), format: z.enum(['json', 'csv']).default('json') });
