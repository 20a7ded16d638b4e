import { z } from 'zod';
import { regionCode } from './schemas';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'должен быть месяцем в формате ГГГГ-ММ');
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
