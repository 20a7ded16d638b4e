import { LockMode } from '@mikro-orm/core';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Location, OfferedService, StatusChange } from '../domain/provider-model';
import { ProviderEntity, ProviderLocationEntity, type ProviderLocationRow, type ProviderRow } from './entities';

/**
 * The provider aggregate: the provider and its places of service (entities), its offered services,
 * status history and uploaded documents (hand-written SQL), and the ratings and booked capacity that
 * other services report.
 */

export function findProviderRow(em: EntityManager, id: string): Promise<ProviderRow | null> {
  return em.findOne(ProviderEntity, { id });
}

/** The provider as committed now, locked against concurrent status changes until the transaction ends. */
export function lockProviderRow(em: EntityManager, id: string): Promise<ProviderRow | null> {
  return em.findOne(ProviderEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export async function providerIdWithInn(em: EntityManager, inn: string): Promise<string | undefined> {
  return (await sqlOf(em).one<{ id: string }>(`select id from registry.providers where inn = $1`, [inn]))?.id;
}

/** Persisted at the next flush; the database fills the timestamps. */
export function addProvider(em: EntityManager, provider: Omit<ProviderRow, 'created_at' | 'updated_at'>): ProviderRow {
  const row = em.create(ProviderEntity, provider);
  em.persist(row);
  return row;
}

export function locationRowsOf(em: EntityManager, providerId: string): Promise<ProviderLocationRow[]> {
  return em.find(ProviderLocationEntity, { provider_id: providerId }, { orderBy: { id: 'asc' } });
}

/** Replaces the provider's places of service (at the next flush; the provider row must exist by then). */
export async function replaceLocations(em: EntityManager, providerId: string, locations: Location[]): Promise<void> {
  for (const old of await locationRowsOf(em, providerId)) em.remove(old);
  for (const l of locations) em.persist(em.create(ProviderLocationEntity, { provider_id: providerId, address: l.address, district_code: l.district_code, lat: l.lat, lon: l.lon }));
}

export function offeredServicesOf(em: EntityManager, providerId: string): Promise<Array<Required<OfferedService>>> {
  return sqlOf(em).rows(
    `select service_code, capacity_per_month, booked_per_month, admitted, admitted_territory
       from registry.provider_services where provider_id = $1 order by service_code`,
    [providerId],
  );
}

/** Replaces the offered services; admission already granted for a service that stays is kept. */
export async function replaceOfferedServices(em: EntityManager, providerId: string, services: Array<Pick<OfferedService, 'service_code' | 'capacity_per_month'>>): Promise<void> {
  const sql = sqlOf(em);
  const codes = services.map((s) => s.service_code);
  await sql.run(`delete from registry.provider_services where provider_id = $1 and not (service_code = any($2::text[]))`, [providerId, codes]);
  await sql.run(
    `insert into registry.provider_services (provider_id, service_code, capacity_per_month)
     select $1, s.service_code, s.capacity_per_month from unnest($2::text[], $3::int[]) as s(service_code, capacity_per_month)
     on conflict (provider_id, service_code) do update set capacity_per_month = excluded.capacity_per_month`,
    [providerId, codes, services.map((s) => s.capacity_per_month)],
  );
}

/** Admits the provider for `serviceCodes` in `territory`, added to any territory it was admitted for before. */
export async function admitOfferedServices(em: EntityManager, providerId: string, serviceCodes: readonly string[], territory: readonly string[]): Promise<void> {
  await sqlOf(em).run(
    `update registry.provider_services set admitted = true,
       admitted_territory = (select array(select distinct unnest(admitted_territory || $1::text[])))
     where provider_id = $2 and service_code = any($3::text[])`,
    [territory, providerId, serviceCodes],
  );
}

export async function withdrawAdmissions(em: EntityManager, providerId: string): Promise<void> {
  await sqlOf(em).run(`update registry.provider_services set admitted = false where provider_id = $1`, [providerId]);
}

export function admittedServicesOf(em: EntityManager, providerId: string): Promise<Array<{ service_code: string; admitted_territory: string[] }>> {
  return sqlOf(em).rows(
    `select service_code, admitted_territory from registry.provider_services where provider_id = $1 and admitted order by service_code`,
    [providerId],
  );
}

/** Applies a booked-capacity figure unless a newer one (by `asOf`) is already applied; answers whether it was. */
export async function recordBookedCapacity(em: EntityManager, report: { providerId: string; serviceCode: string; reserved: number; asOf: string }): Promise<boolean> {
  const touched = await sqlOf(em).run(
    `update registry.provider_services set booked_per_month = $1, booked_as_of = $2
      where provider_id = $3 and service_code = $4 and (booked_as_of is null or booked_as_of < $2)`,
    [report.reserved, report.asOf, report.providerId, report.serviceCode],
  );
  return touched > 0;
}

/** One more 1–5 rating: the average is recomputed from an exact sum. Answers whether the provider exists. */
export async function addRating(em: EntityManager, providerId: string, score: number): Promise<boolean> {
  const touched = await sqlOf(em).run(
    `update registry.providers
        set rating_sum = rating_sum + $1, rating_count = rating_count + 1,
            rating = round((rating_sum + $1)::numeric / (rating_count + 1), 2)
      where id = $2`,
    [score, providerId],
  );
  return touched > 0;
}

export async function insertStatusChange(em: EntityManager, providerId: string, change: Omit<StatusChange, 'at'>): Promise<void> {
  await sqlOf(em).run(`insert into registry.provider_status_history (provider_id, from_status, to_status, reason, actor) values ($1, $2, $3, $4, $5)`, [
    providerId,
    change.from_status,
    change.to_status,
    change.reason,
    change.actor,
  ]);
}

export function statusChangesOf(em: EntityManager, providerId: string): Promise<StatusChange[]> {
  return sqlOf(em).rows(`select from_status, to_status, reason, actor, at from registry.provider_status_history where provider_id = $1 order by id`, [providerId]);
}

export interface DocumentRow {
  id: string;
  provider_id: string;
  kind: string;
  title: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  /** YYYY-MM-DD */
  valid_until: string | null;
  uploaded_by: string;
  /** ISO 8601 */
  uploaded_at: string;
}

const DOCUMENT_COLUMNS = `id, provider_id, kind, title, file_name, media_type, size_bytes, sha256, valid_until::text as valid_until, uploaded_by, uploaded_at`;

export async function insertDocument(em: EntityManager, document: Omit<DocumentRow, 'uploaded_at'> & { storage_key: string }): Promise<DocumentRow> {
  const row = await sqlOf(em).one<DocumentRow>(
    `insert into registry.documents (id, provider_id, kind, title, file_name, media_type, size_bytes, sha256, valid_until, storage_key, uploaded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning ${DOCUMENT_COLUMNS}`,
    [
      document.id,
      document.provider_id,
      document.kind,
      document.title,
      document.file_name,
      document.media_type,
      document.size_bytes,
      document.sha256,
      document.valid_until,
      document.storage_key,
      document.uploaded_by,
    ],
  );
  return row!;
}

export function documentsOf(em: EntityManager, providerId: string): Promise<DocumentRow[]> {
  return sqlOf(em).rows(`select ${DOCUMENT_COLUMNS} from registry.documents where provider_id = $1 order by uploaded_at, id`, [providerId]);
}

export function findDocument(em: EntityManager, providerId: string, id: string): Promise<(DocumentRow & { storage_key: string }) | undefined> {
  return sqlOf(em).one(`select ${DOCUMENT_COLUMNS}, storage_key from registry.documents where provider_id = $1 and id = $2`, [providerId, id]);
}
