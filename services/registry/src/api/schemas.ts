import { Money, MONEY_PATTERN } from '@esc/money';
import { z } from 'zod';
import { COEFFICIENT_KINDS, SERVICE_FORMS, SERVICE_KINDS, SERVICE_UNITS } from '../domain/catalog-model';
import { accountProblem, bicProblem, innProblem, kppProblem, ogrnProblem, ogrnYear } from '../domain/identifiers';
import { ACCESSIBILITY_FEATURES, DECLARATION_CODES, FUNDING_MODES, PROVIDER_STATUSES, PROVIDER_TYPES } from '../domain/provider-model';
import { AUTO_SCORED, FORMAL_CRITERIA, PUBLIC_ROUND_STATUSES } from '../domain/round-model';

const moneyPattern = new RegExp(MONEY_PATTERN);

export const positiveAmount = z
  .string({ error: 'должна быть строкой с суммой, например "1234.50"' })
  .regex(moneyPattern, { error: 'должна быть суммой с не более чем двумя знаками после запятой, например "1234.50"', abort: true })
  .transform((s) => Money.parse(s))
  .refine((amount) => amount.isPositive(), 'должна быть больше нуля');

export const regionCode = z.string().regex(/^[0-9]{2}$/, 'должен быть двузначным кодом региона, например "73"');
export const isoDate = z.iso.date({ error: 'должна быть датой в формате ГГГГ-ММ-ДД' });
export const serviceCode = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'должен состоять из заглавных латинских букв, цифр и дефисов');
const coefficientCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'должен состоять из строчных латинских букв, цифр, «-» и «_»');

export const serviceCodeParam = z.strictObject({ code: serviceCode });

/** The navigator's region: whose normative costs and texts a public read shows. */
const regionQuery = regionCode.default('73');

export const listServicesQuery = z.strictObject({
  kind: z.enum(SERVICE_KINDS).optional(),
  form: z.enum(SERVICE_FORMS).optional(),
  region: regionQuery,
});

export const getServiceQuery = z.strictObject({ region: regionQuery });

const citizenText = z.string().trim().min(3).max(4000);

export const createServiceBody = z.strictObject({
  code: serviceCode,
  name: z.string().trim().min(3).max(300),
  kind: z.enum(SERVICE_KINDS),
  form: z.enum(SERVICE_FORMS),
  unit: z.enum(SERVICE_UNITS),
  standard: z.strictObject({
    content: z.string().trim().min(3).max(4000),
    staff_qualification: z.string().trim().min(3).max(1000),
    equipment: z.string().trim().max(1000).optional(),
    max_volume_per_month: z.number().int().min(1).max(744),
  }),
  licence_required: z.boolean().default(false),
  description: citizenText.nullable().optional(),
  eligibility: citizenText.nullable().optional(),
  documents: z.array(z.string().trim().min(3).max(500)).max(30).default([]),
  procedure: citizenText.nullable().optional(),
  deadlines: z
    .strictObject({
      assessment_working_days: z.number().int().min(1).max(30),
      programme_working_days: z.number().int().min(1).max(60),
      text: z.string().trim().min(3).max(1000),
    })
    .optional(),
});

export const publishCostBody = z.strictObject({
  region_code: regionCode,
  valid_from: isoDate,
  amount: positiveAmount,
  reason: z.string().trim().min(3).max(500),
});

export const costQuery = z.strictObject({
  region: regionCode,
  date: isoDate.optional(),
  coefficients: z
    .string()
    .max(500)
    .optional()
    .transform((s) => (s ? s.split(',').map((c) => c.trim()).filter(Boolean) : []))
    .pipe(z.array(coefficientCode).max(10).refine((list) => new Set(list).size === list.length, 'не должны повторяться')),
});

const coefficientFactor = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,3})(\.[0-9]{1,6})?$/, 'должен быть десятичной строкой с не более чем шестью знаками, например "1.15"')
  .refine((f) => Number(f) > 0, 'должен быть больше нуля');

export const coefficientCodeParam = z.strictObject({ code: coefficientCode });
export const coefficientVersionBody = z.strictObject({ valid_from: isoDate, factor: coefficientFactor, reason: z.string().trim().min(10).max(2000) });

export const createCoefficientBody = z.strictObject({
  code: coefficientCode,
  kind: z.enum(COEFFICIENT_KINDS),
  name: z.string().trim().min(3).max(300),
  factor: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,3})(\.[0-9]{1,6})?$/, 'должен быть десятичной строкой с не более чем шестью знаками, например "1.15"')
    .refine((f) => Number(f) > 0, 'должен быть больше нуля'),
  conditions: z
    .record(z.string(), z.unknown())
    .refine((m) => JSON.stringify(m).length <= 4096, 'должны занимать не более 4 КБ JSON')
    .default({}),
});

const text = (max: number) => z.string().trim().min(1).max(max);

const supportingDocument = z.strictObject({
  kind: text(100),
  number: text(100),
  issued_at: isoDate,
  valid_until: isoDate.nullable().optional(),
  /** An uploaded file (POST /v1/providers/{id}/documents) that backs the declaration. */
  document_id: z.uuid({ error: 'должен быть UUID загруженного документа' }).nullable().optional(),
});

const bank = z
  .strictObject({
    bic: z.string(),
    account: z.string(),
    bank_name: text(300),
    correspondent_account: z.string().regex(/^30101[0-9]{15}$/, 'должен содержать 20 цифр и начинаться с 30101').nullable().optional(),
  })
  .superRefine((b, ctx) => {
    const bic = bicProblem(b.bic);
    if (bic) ctx.addIssue({ code: 'custom', path: ['bic'], message: bic });
    const account = accountProblem(b.account, b.bic);
    if (account) ctx.addIssue({ code: 'custom', path: ['account'], message: account });
    if (b.correspondent_account && !bic) {
      const corr = accountProblem(b.correspondent_account, b.bic);
      if (corr) ctx.addIssue({ code: 'custom', path: ['correspondent_account'], message: corr });
    }
  });

const location = z.strictObject({
  address: text(500),
  district_code: z.string().regex(/^[0-9]{8}([0-9]{3})?$/, 'должен быть кодом ОКТМО из 8 или 11 цифр, например "73701000"'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const offeredService = z.strictObject({
  service_code: serviceCode,
  capacity_per_month: z.number().int().min(1).max(1_000_000),
});

const licence = z.strictObject({
  number: text(100),
  issued_by: text(300),
  issued_at: isoDate,
  valid_until: isoDate.nullable().optional(),
  service_codes: z.array(serviceCode).min(1).max(100),
});

/** declared_at is the registry's own (a client may send back what it read; it is ignored). */
const declaration = z.strictObject({ declared: z.boolean(), document: supportingDocument.nullable().optional(), declared_at: z.string().max(40).nullable().optional() });

const profileShape = {
  name: text(500),
  short_name: text(200).nullable().optional(),
  legal_form: text(200),
  contacts: z.strictObject({
    phone: z.string().regex(/^\+7[0-9]{10}$/, 'должен быть номером в формате +7XXXXXXXXXX'),
    email: z.email({ error: 'должен быть адресом электронной почты' }),
    website: z.url().max(300).nullable().optional(),
    contact_person: text(300).nullable().optional(),
  }),
  bank,
  licences: z.array(licence).max(50),
  declarations: z.strictObject(Object.fromEntries(DECLARATION_CODES.map((c) => [c, declaration.optional()]))),
  accessibility: z.array(z.enum(ACCESSIBILITY_FEATURES)).max(ACCESSIBILITY_FEATURES.length),
  locations: z.array(location).min(1).max(50),
  services: z
    .array(offeredService)
    .min(1)
    .max(100)
    .refine((list) => new Set(list.map((s) => s.service_code)).size === list.length, 'не должны повторяться'),
};

export const registerProviderBody = z
  .strictObject({
    ...profileShape,
    id: z.uuid({ error: 'должен быть UUID' }).optional(),
    licences: profileShape.licences.default([]),
    declarations: profileShape.declarations.default({}),
    accessibility: profileShape.accessibility.default([]),
    inn: z.string(),
    ogrn: z.string(),
    kpp: z.string().nullable().optional(),
    type: z.enum(PROVIDER_TYPES),
    funding_mode: z.enum(FUNDING_MODES),
    registered_at: isoDate,
    region_code: regionCode,
  })
  .superRefine((p, ctx) => {
    const inn = innProblem(p.inn);
    if (inn) ctx.addIssue({ code: 'custom', path: ['inn'], message: inn });
    const ogrn = ogrnProblem(p.ogrn);
    if (ogrn) ctx.addIssue({ code: 'custom', path: ['ogrn'], message: ogrn });
    const entrepreneur = p.type === 'entrepreneur';
    if (!inn && entrepreneur !== (p.inn.length === 12)) {
      ctx.addIssue({ code: 'custom', path: ['inn'], message: entrepreneur ? 'У индивидуального предпринимателя ИНН содержит 12 цифр' : 'У организации ИНН содержит 10 цифр' });
    }
    if (!ogrn && entrepreneur !== (p.ogrn.length === 15)) {
      ctx.addIssue({ code: 'custom', path: ['ogrn'], message: entrepreneur ? 'Индивидуальный предприниматель указывает ОГРНИП из 15 цифр' : 'Организация указывает ОГРН из 13 цифр' });
    }
    if (!entrepreneur) {
      const kpp = p.kpp ? kppProblem(p.kpp) : 'КПП обязателен для организации';
      if (kpp) ctx.addIssue({ code: 'custom', path: ['kpp'], message: kpp });
    }
    if (!ogrn && Number(p.registered_at.slice(0, 4)) !== ogrnYear(p.ogrn)) {
      ctx.addIssue({ code: 'custom', path: ['registered_at'], message: `Год регистрации не совпадает с годом в ОГРН (${ogrnYear(p.ogrn)})` });
    }
  });

export const updateProviderBody = z
  .strictObject(Object.fromEntries(Object.entries(profileShape).map(([k, v]) => [k, (v as z.ZodType).optional()])) as {
    [K in keyof typeof profileShape]: z.ZodOptional<(typeof profileShape)[K]>;
  })
  .refine((p) => Object.keys(p).length > 0, 'нужно указать хотя бы одно изменяемое поле');

export const providerIdParam = z.strictObject({ id: z.uuid({ error: 'должен быть UUID' }) });

export const changeStatusBody = z.strictObject({
  status: z.enum(PROVIDER_STATUSES),
  reason: z.string().trim().min(3).max(2000),
});

const decimalString = (what: string) =>
  z.string().regex(/^(0|[1-9][0-9]{0,5})(\.[0-9]{1,2})?$/, `должен быть неотрицательным числом в виде строки с не более чем двумя знаками, например "${what}"`);

const scoredCriterion = z
  .strictObject({
    code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'должен состоять из строчных латинских букв, цифр и «_»'),
    name: text(300),
    weight: decimalString('1.5'),
    max_points: z.number().int().min(1).max(100),
    source: z.enum(['auto', 'committee']),
  })
  .refine((c) => c.source === 'committee' || (AUTO_SCORED as readonly string[]).includes(c.code), {
    message: `автоматически считаются только ${AUTO_SCORED.join(', ')}`,
    path: ['source'],
  });

export const openRoundBody = z
  .strictObject({
    title: text(300),
    region_code: regionCode,
    territory: z.array(location.shape.district_code).min(1).max(500),
    service_codes: z.array(serviceCode).min(1).max(100),
    applications_open_at: z.iso.datetime({ offset: true, error: 'должна быть датой и временем ISO 8601' }),
    applications_close_at: z.iso.datetime({ offset: true, error: 'должна быть датой и временем ISO 8601' }),
    appeal_window_days: z.number().int().min(1).max(60),
    formal_criteria: z.array(z.enum(FORMAL_CRITERIA)).min(1).default([...FORMAL_CRITERIA]),
    scored_criteria: z
      .array(scoredCriterion)
      .max(30)
      .refine((list) => new Set(list.map((c) => c.code)).size === list.length, 'коды критериев не должны повторяться'),
    threshold: decimalString('60'),
    sonko_preference_points: decimalString('10').default('0'),
  })
  .refine((r) => new Date(r.applications_close_at) > new Date(r.applications_open_at), {
    message: 'должно быть позже начала приёма заявок',
    path: ['applications_close_at'],
  })
  .transform((r) => ({ ...r, formal_criteria: [...new Set(r.formal_criteria)] }));

export const roundIdParam = z.strictObject({ id: z.uuid({ error: 'должен быть UUID' }) });
export const applicationParams = z.strictObject({ id: z.uuid({ error: 'должен быть UUID' }), applicationId: z.uuid({ error: 'должен быть UUID' }) });

export const applyBody = z.strictObject({
  service_codes: z
    .array(serviceCode)
    .min(1)
    .max(100)
    .refine((l) => new Set(l).size === l.length, 'не должны повторяться'),
});

const scores = z.record(z.string().max(64), z.number().int().min(0).max(100)).default({});

const comments = z.record(z.string().max(64), z.string().trim().min(1).max(2000)).optional();

export const decideBody = z.strictObject({ scores, comments });
export const appealBody = z.strictObject({ reason: z.string().trim().min(10).max(4000) });
export const appealDecisionBody = z.strictObject({ reason: z.string().trim().min(10).max(4000), scores, comments });

/** A comma-separated query parameter of enum values, each kept once. */
const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .optional()
    .transform((s) => [...new Set(s ? s.split(',').map((c) => c.trim()).filter(Boolean) : [])])
    .pipe(z.array(z.enum(values)));

export const searchQuery = z
  .strictObject({
    service: serviceCode.optional(),
    district: location.shape.district_code.optional(),
    form: z.enum(SERVICE_FORMS).optional(),
    type: commaList(PROVIDER_TYPES),
    accessibility: z
      .string()
      .max(500)
      .optional()
      .transform((s) => (s ? s.split(',').map((c) => c.trim()).filter(Boolean) : []))
      .pipe(z.array(z.enum(ACCESSIBILITY_FEATURES))),
    min_free_capacity: z.coerce.number().int().min(0).max(1_000_000).default(1),
    sort: z.enum(['rating', 'distance', 'name']).default('rating'),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    per_page: z.coerce.number().int().min(1).max(100).default(20),
  })
  .superRefine((q, ctx) => {
    if ((q.lat === undefined) !== (q.lon === undefined)) ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'lat и lon указываются вместе' });
    if (q.sort === 'distance' && q.lat === undefined) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'для сортировки по расстоянию укажите lat и lon' });
  });

/** The same search asked with its features in another order, or repeated, is the same cache entry. */
export function searchCacheKey(q: z.infer<typeof searchQuery>): string {
  return JSON.stringify({ ...q, accessibility: [...new Set(q.accessibility)].sort(), type: [...q.type].sort() });
}

export const noQuery = z.strictObject({});

export const documentParams = z.strictObject({ id: z.uuid({ error: 'должен быть UUID' }), documentId: z.uuid({ error: 'должен быть UUID' }) });

/** The text fields of a browser form: an empty date field means the document does not expire. */
export const uploadDocumentForm = z.strictObject({
  kind: text(100),
  title: text(300),
  valid_until: z.preprocess((v) => (v === '' ? undefined : v), isoDate.optional()),
});

export const uploadedFileName = z.string().trim().min(1, 'у файла должно быть имя').max(255, 'имя файла длиннее 255 символов');

export const uploadDocumentBody = z
  .strictObject({
    kind: text(100),
    title: text(300),
    file_name: text(255),
    valid_until: isoDate.nullable().optional(),
    content_base64: z
      .string()
      .max(15 * 1024 * 1024)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'должен быть содержимым файла в кодировке base64'),
  })
  .transform(({ content_base64, ...rest }) => ({ ...rest, content: Buffer.from(content_base64, 'base64') }));

export const publicRoundsQuery = z.strictObject({
  status: commaList(PUBLIC_ROUND_STATUSES),
  region: regionCode.optional(),
});

export const lifeSituationsQuery = z.strictObject({ region: regionQuery });
export const lifeSituationParams = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'должен состоять из строчных латинских букв, цифр и «_», например "stroke_alone"'),
});

export const districtsParams = z.strictObject({ region: regionCode });
export const districtsQuery = z.strictObject({ winding: z.enum(['rfc7946', 'd3']).default('rfc7946') });

export const appealsQuery = z.strictObject({ state: z.enum(['pending', 'decided']).default('pending'), region: regionCode.optional() });

export const registryProvidersQuery = z.strictObject({
  status: commaList(PROVIDER_STATUSES),
  q: z.string().max(200).optional(),
  region: regionCode.optional(),
});
