import { iso } from './time';
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { assertCanReadRecipient, assertCaseworkerOf } from './access';
import { perCapitaIncome } from './fees';
import { formatSnils, isValidSnils, normaliseSnils } from './snils';

export interface HouseholdMember {
  relation: string;
  full_name: string;
  monthly_income: string;
}

export interface RecipientInput {
  snils: string;
  region_code: string;
  last_name: string;
  first_name: string;
  middle_name?: string | null;
  birth_date: string;
  district_code: string;
  address: string;
  phone?: string | null;
  categories?: string[];
  own_income: string;
  household?: HouseholdMember[];
}

export interface RecipientRow {
  id: string;
  snils: string;
  region_code: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  district_code: string;
  address: string;
  phone: string | null;
  categories: string[];
  own_income: string;
  household: HouseholdMember[];
  created_at: Date;
  updated_at: Date;
}

const RECIPIENT_COLUMNS = `id, snils, region_code, last_name, first_name, middle_name, birth_date::text as birth_date, district_code, address, phone,
  categories, own_income, household, created_at, updated_at`;

export function assertSnils(raw: string): string {
  const snils = normaliseSnils(raw);
  if (!isValidSnils(snils)) {
    throw new AppError('validation', 'invalid_snils', `СНИЛС ${raw} указан с ошибкой: не сходится контрольное число. Сверьте номер со страховым свидетельством.`, {}, [
      { field: 'snils', message: 'контрольное число не сходится' },
    ]);
  }
  return snils;
}

export async function findRecipient(em: EntityManager, id: string): Promise<RecipientRow> {
  const [row] = await em.execute<RecipientRow[]>(`select ${RECIPIENT_COLUMNS} from certificates.recipients where id = ?`, [id]);
  if (!row) throw notFound('recipient_not_found', `Получатель ${id} не найден в регистре.`);
  return row;
}

export async function findRecipientBySnils(em: EntityManager, snils: string): Promise<RecipientRow | undefined> {
  const [row] = await em.execute<RecipientRow[]>(`select ${RECIPIENT_COLUMNS} from certificates.recipients where snils = ?`, [snils]);
  return row;
}

export async function insertRecipient(em: EntityManager, input: RecipientInput & { snils: string }, createdBy: string, id = randomUUID()): Promise<void> {
  await em.execute(
    `insert into certificates.recipients (id, snils, region_code, last_name, first_name, middle_name, birth_date, district_code, address, phone, categories, own_income, household, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::jsonb, ?)`,
    [
      id,
      input.snils,
      input.region_code,
      input.last_name,
      input.first_name,
      input.middle_name ?? null,
      input.birth_date,
      input.district_code,
      input.address,
      input.phone ?? null,
      `{${(input.categories ?? []).join(',')}}`,
      input.own_income,
      JSON.stringify(input.household ?? []),
      createdBy,
    ],
  );
}

export async function registerRecipient(em: EntityManager, principal: Principal, input: RecipientInput): Promise<RecipientRow> {
  assertCaseworkerOf(principal, input.region_code);
  const snils = assertSnils(input.snils);
  return withTransaction(em, async (tx) => {
    const existing = await findRecipientBySnils(tx, snils);
    if (existing) {
      throw conflict('recipient_exists', `Получатель со СНИЛС ${formatSnils(snils)} уже есть в регистре; обновите его сведения вместо повторной регистрации.`, {
        recipient_id: existing.id,
      });
    }
    const id = randomUUID();
    await insertRecipient(tx, { ...input, snils }, principal.subject, id);
    return findRecipient(tx, id);
  });
}

export async function updateRecipient(
  em: EntityManager,
  principal: Principal,
  id: string,
  changes: Partial<Pick<RecipientInput, 'district_code' | 'address' | 'phone' | 'categories' | 'own_income' | 'household'>>,
): Promise<RecipientRow> {
  return withTransaction(em, async (tx) => {
    const recipient = await findRecipient(tx, id);
    assertCaseworkerOf(principal, recipient.region_code);
    const next = { ...recipient, ...changes };
    await tx.execute(
      `update certificates.recipients set district_code = ?, address = ?, phone = ?, categories = ?::text[], own_income = ?, household = ?::jsonb, updated_at = clock_timestamp() where id = ?`,
      [next.district_code, next.address, next.phone ?? null, `{${(next.categories ?? []).join(',')}}`, next.own_income, JSON.stringify(next.household ?? []), id],
    );
    return findRecipient(tx, id);
  });
}

export async function readRecipient(em: EntityManager, principal: Principal, id: string): Promise<RecipientRow> {
  const recipient = await findRecipient(em, id);
  assertCanReadRecipient(principal, recipient);
  return recipient;
}

export function recipientView(r: RecipientRow) {
  const income = perCapitaIncome({ ownIncome: r.own_income, household: r.household });
  return {
    id: r.id,
    snils: r.snils,
    region_code: r.region_code,
    last_name: r.last_name,
    first_name: r.first_name,
    middle_name: r.middle_name,
    birth_date: r.birth_date,
    district_code: r.district_code,
    address: r.address,
    phone: r.phone,
    categories: r.categories,
    own_income: r.own_income,
    household: r.household,
    per_capita_income: { total: income.total, persons: income.persons, exact: income.exact, rounded: income.rounded.toString() },
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

export const fullName = (r: Pick<RecipientRow, 'last_name' | 'first_name' | 'middle_name'>) => [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');
