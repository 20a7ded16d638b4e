import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { AppError, conflict, notFound, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import * as store from '../data-access/recipient-store';
import type { HouseholdMember, Recipient } from '../data-access/recipient-store';
import { assertCanReadRecipient, assertCaseworkerOf } from './access';
import type { Deps } from './context';
import { formatSnils, isValidSnils, normaliseSnils } from './snils';

export type { HouseholdMember, Recipient };
/** The name the rest of the service reads a recipient by. */
export type RecipientRow = Recipient;

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

export type RecipientChanges = Partial<Pick<RecipientInput, 'district_code' | 'address' | 'phone' | 'categories' | 'own_income' | 'household'>>;

export function assertSnils(raw: string): string {
  const snils = normaliseSnils(raw);
  if (!isValidSnils(snils)) {
    throw new AppError('validation', 'invalid_snils', `СНИЛС ${raw} указан с ошибкой: не сходится контрольное число. Сверьте номер со страховым свидетельством.`, {}, [
      { field: 'snils', message: 'контрольное число не сходится' },
    ]);
  }
  return snils;
}

/** Amounts as the numeric(20,2) column keeps them ("14000" is "14000.00"), so what is answered is what a later read finds. */
const storedAmount = (amount: string) => Money.parse(amount).toString();

/** The fields a change sets: what it names replaces the stored value, what it leaves out stays. */
export function changedRecipientFields(
  recipient: Pick<Recipient, 'district_code' | 'address' | 'phone' | 'categories' | 'own_income' | 'household'>,
  changes: RecipientChanges,
): Pick<Recipient, 'district_code' | 'address' | 'phone' | 'categories' | 'own_income' | 'household'> {
  const next = { ...recipient, ...changes };
  return {
    district_code: next.district_code,
    address: next.address,
    phone: next.phone ?? null,
    categories: next.categories ?? [],
    own_income: storedAmount(next.own_income),
    household: next.household ?? [],
  };
}

export async function findRecipient(em: EntityManager, id: string): Promise<Recipient> {
  const recipient = await store.findRecipientById(em, id);
  if (!recipient) throw notFound('recipient_not_found', `Получатель ${id} не найден в регистре.`);
  return recipient;
}

export async function findRecipientBySnils(em: EntityManager, snils: string): Promise<Recipient | undefined> {
  return (await store.findRecipientWithSnils(em, snils)) ?? undefined;
}

/** Registers a recipient in the caller's transaction (a life event's person, say); written at once. */
export async function insertRecipient(em: EntityManager, input: RecipientInput & { snils: string }, createdBy: string, id = randomUUID()): Promise<Recipient> {
  return store.insertRecipient(em, {
    id,
    snils: input.snils,
    region_code: input.region_code,
    last_name: input.last_name,
    first_name: input.first_name,
    middle_name: input.middle_name ?? null,
    birth_date: input.birth_date,
    district_code: input.district_code,
    address: input.address,
    phone: input.phone ?? null,
    categories: input.categories ?? [],
    own_income: storedAmount(input.own_income),
    household: input.household ?? [],
    created_by: createdBy,
  });
}

export async function registerRecipient(deps: Deps, principal: Principal, input: RecipientInput): Promise<Recipient> {
  assertCaseworkerOf(principal, input.region_code);
  const snils = assertSnils(input.snils);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const existing = await store.findRecipientWithSnils(tx, snils);
    if (existing) {
      throw conflict('recipient_exists', `Получатель со СНИЛС ${formatSnils(snils)} уже есть в регистре; обновите его сведения вместо повторной регистрации.`, {
        recipient_id: existing.id,
      });
    }
    return insertRecipient(tx, { ...input, snils }, principal.subject);
  });
}

export async function updateRecipient(deps: Deps, principal: Principal, input: RecipientChanges & { id: string }): Promise<Recipient> {
  const { id, ...changes } = input;
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const recipient = await findRecipient(tx, id);
    assertCaseworkerOf(principal, recipient.region_code);
    Object.assign(recipient, changedRecipientFields(recipient, changes), { updated_at: new Date() });
    return recipient;
  });
}

export async function readRecipient(deps: Deps, principal: Principal, input: { id: string }): Promise<Recipient> {
  const recipient = await findRecipient(deps.orm.em.fork(), input.id);
  assertCanReadRecipient(principal, recipient);
  return recipient;
}

export const fullName = (r: Pick<Recipient, 'last_name' | 'first_name' | 'middle_name'>) => [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');
