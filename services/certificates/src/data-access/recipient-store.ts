import { sqlOf, type EntityManager } from '@esc/service-kit';
import { RecipientEntity, type Recipient } from './entities';

export type { HouseholdMember, Recipient } from './entities';

export type NewRecipient = Omit<Recipient, 'created_at' | 'updated_at'>;

export function findRecipientById(em: EntityManager, id: string): Promise<Recipient | null> {
  return em.findOne(RecipientEntity, id);
}

export function findRecipientWithSnils(em: EntityManager, snils: string): Promise<Recipient | null> {
  return em.findOne(RecipientEntity, { snils });
}

/**
 * Writes the recipient at once rather than at commit: callers go on to insert rows that reference it
 * with statements of their own in the same transaction.
 */
export async function insertRecipient(em: EntityManager, recipient: NewRecipient): Promise<Recipient> {
  const created = em.create(RecipientEntity, recipient);
  em.persist(created);
  await em.flush();
  return created;
}

const RECIPIENT_COLUMNS = `id, snils, region_code, last_name, first_name, middle_name, birth_date::text as birth_date, district_code, address, phone,
  categories, own_income::text as own_income, household, created_by, created_at, updated_at`;

type RecipientRow = Omit<Recipient, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string };

/** The registered recipients among many SNILS (a bulk issue chunk), in one statement. */
export async function recipientsWithSnils(em: EntityManager, snils: string[]): Promise<Recipient[]> {
  const rows = await sqlOf(em).rows<RecipientRow>(`select ${RECIPIENT_COLUMNS} from certificates.recipients where snils = any($1::text[])`, [snils]);
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at) }));
}

/** Registers many recipients in one statement; a SNILS registered meanwhile is skipped. Answers the ones this call wrote. */
export async function insertRecipientsIfAbsent(em: EntityManager, recipients: NewRecipient[]): Promise<Array<{ id: string; snils: string }>> {
  return sqlOf(em).rows(
    `insert into certificates.recipients (id, snils, region_code, last_name, first_name, middle_name, birth_date, district_code, address, categories, own_income, created_by)
     select r.id, r.snils, r.region_code, r.last_name, r.first_name, r.middle_name, r.birth_date, r.district_code, r.address, r.categories, r.own_income, r.created_by
       from jsonb_to_recordset($1::jsonb) as r(id uuid, snils text, region_code text, last_name text, first_name text, middle_name text, birth_date date,
            district_code text, address text, categories text[], own_income numeric, created_by text)
     on conflict (snils) do nothing
     returning id, snils`,
    [
      JSON.stringify(
        recipients.map((r) => ({
          id: r.id,
          snils: r.snils,
          region_code: r.region_code,
          last_name: r.last_name,
          first_name: r.first_name,
          middle_name: r.middle_name,
          birth_date: r.birth_date,
          district_code: r.district_code,
          address: r.address,
          categories: r.categories,
          own_income: r.own_income,
          created_by: r.created_by,
        })),
      ),
    ],
  );
}

export async function recipientIdsWithSnils(em: EntityManager, snils: string[]): Promise<Map<string, string>> {
  const rows = await sqlOf(em).rows<{ id: string; snils: string }>(`select id, snils from certificates.recipients where snils = any($1::text[])`, [snils]);
  return new Map(rows.map((r) => [r.snils, r.id]));
}
