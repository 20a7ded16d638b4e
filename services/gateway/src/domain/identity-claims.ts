import { z } from 'zod';
import { AppError } from '@esc/service-kit';
import type { IdentityClaims } from './account-model';

/** SNILS check number (ПФР rules): the weighted sum of the first nine digits, taken modulo 101. */
export function snilsValid(snils: string): boolean {
  if (!/^\d{11}$/.test(snils)) return false;
  const sum = [...snils.slice(0, 9)].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(snils.slice(9));
}

const text = (max: number) => z.string().trim().min(1).max(max);

// What the marketplace takes from an ID token; anything larger or odder than ЕСИА ever sends is refused whole.
const claimsSchema = z.object({
  iss: z.string().min(1).max(500),
  sub: z.string().min(1).max(255),
  name: text(300).optional(),
  family_name: text(100).optional(),
  given_name: text(100).optional(),
  middle_name: z.string().trim().max(100).optional(),
  snils: z.string().regex(/^\d{11}$/).refine(snilsValid, 'контрольное число СНИЛС не сходится').optional(),
  birthdate: z.iso.date().optional(),
  trusted: z.boolean().optional(),
  org_inn: z.string().regex(/^(\d{10}|\d{12})$/).optional(),
  org_ogrn: z.string().regex(/^(\d{13}|\d{15})$/).optional(),
  org_name: text(500).optional(),
  org_position: text(200).optional(),
});

/** The ID token's claims checked and narrowed; a claim that is too large or malformed is a 422 problem, never a 500. */
export function readIdentityClaims(raw: Record<string, unknown>): IdentityClaims {
  const parsed = claimsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].filter(Boolean);
    throw new AppError(
      'unprocessable',
      'identity_claims_invalid',
      `Поставщик удостоверений передал сведения, которые мы не можем принять (${fields.join(', ')}). Проверьте данные профиля на Госуслугах и войдите снова; если ошибка повторится, сообщите в поддержку.`,
      { claims: fields },
    );
  }
  const c = parsed.data;
  const name = c.name ?? [c.family_name, c.given_name, c.middle_name].filter(Boolean).join(' ');
  if (!name) {
    throw new AppError('unprocessable', 'identity_claims_invalid', 'Поставщик удостоверений не передал ваше имя. Разрешите передачу ФИО на Госуслугах и войдите снова.', { claims: ['name'] });
  }
  return {
    issuer: c.iss,
    subject: c.sub,
    name,
    trusted: c.trusted === true,
    ...(c.snils ? { snils: c.snils } : {}),
    ...(c.birthdate ? { birthDate: c.birthdate } : {}),
    ...(c.org_inn ? { org: { inn: c.org_inn, ogrn: c.org_ogrn, name: c.org_name, position: c.org_position } } : {}),
  };
}
