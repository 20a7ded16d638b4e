import { createHash, randomUUID } from 'node:crypto';
import { AppError, notFound, type Principal } from '@esc/service-kit';
import * as store from '../data-access/provider-store';
import type { Deps } from './deps';
import { assertCanRead, providerNotFound } from './provider-model';

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

/** The media type of an acceptable document, or the problem with it: empty, over 10 MB, or not PDF, JPEG or PNG. */
export function acceptedMediaType(bytes: Buffer, field: string): string {
  if (bytes.length === 0) {
    throw new AppError('validation', 'document_empty', 'Файл пустой; приложите документ в формате PDF, JPEG или PNG.', {}, [{ field, message: 'файл пустой' }]);
  }
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new AppError('too_large', 'document_too_large', `Файл больше 10 МБ (${bytes.length} байт); уменьшите разрешение скана или разделите документ.`, {
      max_bytes: MAX_DOCUMENT_BYTES,
    });
  }
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    throw new AppError('validation', 'document_type_not_allowed', 'Файл не является документом PDF, изображением JPEG или PNG; приложите документ в одном из этих форматов.', {}, [
      { field, message: 'допускаются только PDF, JPEG и PNG' },
    ]);
  }
  return mediaType;
}

export type DocumentRecord = store.DocumentRow;

export interface UploadDocumentInput {
  providerId: string;
  kind: string;
  title: string;
  fileName: string;
  validUntil?: string | null;
  bytes: Buffer;
  /** Where the client put the file: `file` in a form, `content_base64` in JSON. */
  field: string;
}

/** Stores the bytes under their SHA-256 and records the document; the caller checked that the principal is the provider's admin. */
export async function uploadDocument(deps: Deps, principal: Principal, input: UploadDocumentInput): Promise<DocumentRecord> {
  const mediaType = acceptedMediaType(input.bytes, input.field);
  const em = deps.orm.em.fork();
  if (!(await store.findProviderRow(em, input.providerId))) {
    throw providerNotFound(input.providerId);
  }
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await deps.documents.put(sha256, input.bytes);
  return store.insertDocument(em, {
    id: randomUUID(),
    provider_id: input.providerId,
    kind: input.kind,
    title: input.title,
    file_name: input.fileName,
    media_type: mediaType,
    size_bytes: input.bytes.length,
    sha256,
    valid_until: input.validUntil ?? null,
    storage_key: sha256,
    uploaded_by: principal.subject,
  });
}

export async function listDocuments(deps: Deps, principal: Principal, input: { providerId: string }): Promise<DocumentRecord[]> {
  assertCanRead(principal, input.providerId);
  const em = deps.orm.em.fork();
  if (!(await store.findProviderRow(em, input.providerId))) {
    throw providerNotFound(input.providerId);
  }
  return store.documentsOf(em, input.providerId);
}

export async function documentContent(deps: Deps, principal: Principal, input: { providerId: string; documentId: string }): Promise<{ document: DocumentRecord; bytes: Buffer }> {
  assertCanRead(principal, input.providerId);
  const row = await store.findDocument(deps.orm.em.fork(), input.providerId, input.documentId);
  if (!row) throw notFound('document_not_found', `Документ ${input.documentId} не найден.`, { document_id: input.documentId });
  const { storage_key: storageKey, ...document } = row;
  return { document, bytes: await deps.documents.get(storageKey) };
}
