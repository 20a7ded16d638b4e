import { createHash, randomUUID } from 'node:crypto';
import { AppError, notFound, type EntityManager } from '@esc/service-kit';
import type { DocumentStorage } from '../data-access/document-storage';
import { getProvider } from './providers';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const SIGNATURES: Array<{ mediaType: string; bytes: number[] }> = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The type is read from the content, never from the file name or what the client claims. */
export function sniffMediaType(bytes: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.mediaType;
}

export interface DocumentRecord {
  id: string;
  provider_id: string;
  kind: string;
  title: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  valid_until: string | null;
  uploaded_by: string;
  uploaded_at: string;
}

const COLUMNS = `id, provider_id, kind, title, file_name, media_type, size_bytes, sha256, valid_until::text as valid_until, uploaded_by, uploaded_at`;

const fromRow = (r: DocumentRecord): DocumentRecord => ({ ...r, uploaded_at: new Date(r.uploaded_at).toISOString() });

export async function uploadDocument(
  em: EntityManager,
  storage: DocumentStorage,
  input: {
    providerId: string;
    kind: string;
    title: string;
    fileName: string;
    validUntil?: string | null;
    bytes: Buffer;
    actor: string;
    /** Where the client put the file: `file` in a form, `content_base64` in JSON. */
    field: string;
  },
): Promise<DocumentRecord> {
  if (input.bytes.length === 0) {
    throw new AppError('validation', 'document_empty', 'Файл пустой; приложите документ в формате PDF, JPEG или PNG.', {}, [{ field: input.field, message: 'файл пустой' }]);
  }
  if (input.bytes.length > MAX_DOCUMENT_BYTES) {
    throw new AppError('too_large', 'document_too_large', `Файл больше 10 МБ (${input.bytes.length} байт); уменьшите разрешение скана или разделите документ.`, {
      max_bytes: MAX_DOCUMENT_BYTES,
    });
  }
  const mediaType = sniffMediaType(input.bytes);
  if (!mediaType) {
    throw new AppError('validation', 'document_type_not_allowed', 'Файл не является документом PDF, изображением JPEG или PNG; приложите документ в одном из этих форматов.', {}, [
      { field: input.field, message: 'допускаются только PDF, JPEG и PNG' },
    ]);
  }
  await getProvider(em, input.providerId);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await storage.put(sha256, input.bytes);
  const rows: DocumentRecord[] = await em.execute(
    `insert into registry.documents (id, provider_id, kind, title, file_name, media_type, size_bytes, sha256, valid_until, storage_key, uploaded_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [randomUUID(), input.providerId, input.kind, input.title, input.fileName, mediaType, input.bytes.length, sha256, input.validUntil ?? null, sha256, input.actor],
  );
  return fromRow(rows[0]!);
}

export async function listDocuments(em: EntityManager, providerId: string): Promise<DocumentRecord[]> {
  await getProvider(em, providerId);
  const rows: DocumentRecord[] = await em.execute(`select ${COLUMNS} from registry.documents where provider_id = ? order by uploaded_at, id`, [providerId]);
  return rows.map(fromRow);
}

export async function documentContent(em: EntityManager, storage: DocumentStorage, providerId: string, id: string) {
  const rows: Array<DocumentRecord & { storage_key: string }> = await em.execute(
    `select ${COLUMNS}, storage_key from registry.documents where provider_id = ? and id = ?`,
    [providerId, id],
  );
  const row = rows[0];
  if (!row) throw notFound('document_not_found', `Документ ${id} не найден.`, { document_id: id });
  return { document: fromRow(row), bytes: await storage.get(row.storage_key) };
}
