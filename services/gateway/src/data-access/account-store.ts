import { randomUUID } from 'node:crypto';
import { sqlOf, type EntityManager, type Role } from '@esc/service-kit';
import type { Account, Grant, IdentityClaims } from '../domain/account-model';

const ACCOUNT = `a.id, a.subject, a.name, a.snils, to_char(a.birth_date, 'YYYY-MM-DD') as "birthDate", a.org_inn as "orgInn", a.org_ogrn as "orgOgrn",
  a.org_name as "orgName", a.org_position as "orgPosition", a.created_at as "createdAt", a.last_sign_in_at as "lastSignInAt"`;
const GRANT = `g.id, g.account_id as "accountId", g.role, g.region_code as "regionCode", g.provider_id as "providerId", g.granted_by as "grantedBy",
  g.granted_at as "grantedAt", g.revoked_by as "revokedBy", g.revoked_at as "revokedAt"`;

type Row<T> = { [K in keyof T]: T[K] extends string | null ? string | Date | null : T[K] };
const iso = (v: string | Date | null) => (v instanceof Date ? v.toISOString() : v);
const account = (r: Row<Account>): Account => ({ ...(r as Account), createdAt: iso(r.createdAt)!, lastSignInAt: iso(r.lastSignInAt) });
const grant = (r: Row<Grant>): Grant => ({ ...(r as Grant), grantedAt: iso(r.grantedAt)!, revokedAt: iso(r.revokedAt) });

export async function findAccountByIdentity(em: EntityManager, issuer: string, subject: string): Promise<Account | undefined> {
  const row = await sqlOf(em).one<Row<Account>>(
    `select ${ACCOUNT} from gateway.identities i join gateway.accounts a on a.id = i.account_id where i.issuer = $1 and i.subject = $2 for update of a`,
    [issuer, subject],
  );
  return row && account(row);
}

/** An account made for this SNILS (seeded, or by an administrator) that this issuer has not linked yet. */
export async function findUnlinkedAccountBySnils(em: EntityManager, issuer: string, snils: string): Promise<Account | undefined> {
  const row = await sqlOf(em).one<Row<Account>>(
    `select ${ACCOUNT} from gateway.accounts a
      where a.snils = $1 and not exists (select 1 from gateway.identities i where i.account_id = a.id and i.issuer = $2)
      for update`,
    [snils, issuer],
  );
  return row && account(row);
}

export async function findAccount(em: EntityManager, id: string): Promise<Account | undefined> {
  const row = await sqlOf(em).one<Row<Account>>(`select ${ACCOUNT} from gateway.accounts a where a.id = $1`, [id]);
  return row && account(row);
}

export async function findAccountBySubject(em: EntityManager, subject: string): Promise<Account | undefined> {
  const row = await sqlOf(em).one<Row<Account>>(`select ${ACCOUNT} from gateway.accounts a where a.subject = $1`, [subject]);
  return row && account(row);
}

export async function listAccounts(em: EntityManager, search: string | undefined, limit: number): Promise<Account[]> {
  const rows = await sqlOf(em).rows<Row<Account>>(
    `select ${ACCOUNT} from gateway.accounts a
      where $1::text is null or a.name ilike '%' || $1 || '%' or a.snils = $1 or a.org_inn = $1
      order by a.name, a.id limit $2`,
    [search ?? null, limit],
  );
  return rows.map(account);
}

export interface NewAccount {
  subject?: string;
  name: string;
  snils?: string;
  birthDate?: string;
  org?: IdentityClaims['org'];
}

export async function insertAccount(em: EntityManager, input: NewAccount): Promise<Account> {
  const id = randomUUID();
  const row = await sqlOf(em).one<Row<Account>>(
    `insert into gateway.accounts as a (id, subject, name, snils, birth_date, org_inn, org_ogrn, org_name, org_position)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (subject) do update set name = excluded.name
     returning ${ACCOUNT}`,
    [id, input.subject ?? `user:${id}`, input.name, input.snils ?? null, input.birthDate ?? null, input.org?.inn ?? null, input.org?.ogrn ?? null, input.org?.name ?? null, input.org?.position ?? null],
  );
  return account(row!);
}

/** The identity provider's latest word on who the person is (never their roles). */
export async function updateProfile(em: EntityManager, accountId: string, claims: IdentityClaims): Promise<void> {
  await sqlOf(em).run(
    `update gateway.accounts set name = $2, snils = coalesce($3, snils), birth_date = coalesce($4::date, birth_date),
       org_inn = $5, org_ogrn = $6, org_name = $7, org_position = $8, last_sign_in_at = clock_timestamp()
     where id = $1`,
    [accountId, claims.name, claims.snils ?? null, claims.birthDate ?? null, claims.org?.inn ?? null, claims.org?.ogrn ?? null, claims.org?.name ?? null, claims.org?.position ?? null],
  );
}

export async function insertIdentity(em: EntityManager, claims: IdentityClaims, accountId: string): Promise<void> {
  await sqlOf(em).run(`insert into gateway.identities (issuer, subject, account_id, trusted) values ($1, $2, $3, $4)`, [claims.issuer, claims.subject, accountId, claims.trusted]);
}

export async function activeGrants(em: EntityManager, accountId: string): Promise<Grant[]> {
  const rows = await sqlOf(em).rows<Row<Grant>>(`select ${GRANT} from gateway.grants g where g.account_id = $1 and g.revoked_at is null order by g.granted_at, g.id`, [accountId]);
  return rows.map(grant);
}

export async function grantHistory(em: EntityManager, accountId: string): Promise<Grant[]> {
  const rows = await sqlOf(em).rows<Row<Grant>>(`select ${GRANT} from gateway.grants g where g.account_id = $1 order by g.granted_at desc, g.id`, [accountId]);
  return rows.map(grant);
}

export interface NewGrant {
  accountId: string;
  role: Role;
  regionCode?: string;
  providerId?: string;
  grantedBy: string;
}

/** Undefined when the account already holds this role (the unique index on active grants). */
export async function insertGrant(em: EntityManager, input: NewGrant): Promise<Grant | undefined> {
  const row = await sqlOf(em).one<Row<Grant>>(
    `insert into gateway.grants as g (id, account_id, role, region_code, provider_id, granted_by) values ($1, $2, $3, $4, $5, $6)
     on conflict (account_id, role) where revoked_at is null do nothing
     returning ${GRANT}`,
    [randomUUID(), input.accountId, input.role, input.regionCode ?? null, input.providerId ?? null, input.grantedBy],
  );
  return row && grant(row);
}

export async function revokeGrant(em: EntityManager, accountId: string, grantId: string, revokedBy: string): Promise<Grant | undefined> {
  const row = await sqlOf(em).one<Row<Grant>>(
    `update gateway.grants g set revoked_by = $3, revoked_at = clock_timestamp()
      where g.id = $2 and g.account_id = $1 and g.revoked_at is null
      returning ${GRANT}`,
    [accountId, grantId, revokedBy],
  );
  return row && grant(row);
}

export async function lockAccount(em: EntityManager, accountId: string): Promise<Account | undefined> {
  const row = await sqlOf(em).one<Row<Account>>(`select ${ACCOUNT} from gateway.accounts a where a.id = $1 for update`, [accountId]);
  return row && account(row);
}
