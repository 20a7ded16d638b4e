import { AppError, type EntityManager } from '@esc/service-kit';
import { findRefusedRequest, insertRefusedRequest, type RefusedOperation } from '../data-access/refused-request-store';

/**
 * A refused request keeps its id, as a refused act does: its refusal is stored in the transaction that
 * decided it, and the same id answers it again whatever changes later (a place freed, a certificate
 * resumed), so a client told "refused" is never told "done" for the same request afterwards.
 */
export async function keepRefusal<R>(tx: EntityManager, operation: RefusedOperation, id: string, request: R, error: AppError): Promise<AppError> {
  await insertRefusedRequest(tx, operation, id, request, { kind: error.kind, code: error.code, detail: error.detail, extensions: error.extensions });
  return error;
}

/** The request refused under this id and the answer it got, when it was refused. */
export async function keptRefusal<R>(em: EntityManager, operation: RefusedOperation, id: string): Promise<{ request: R; error: AppError } | undefined> {
  const found = await findRefusedRequest<R>(em, operation, id);
  if (!found) return undefined;
  const { kind, code, detail, extensions } = found.problem;
  return { request: found.request, error: new AppError(kind, code, detail, extensions) };
}
