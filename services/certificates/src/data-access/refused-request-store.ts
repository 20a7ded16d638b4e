import { sqlOf, type EntityManager, type ErrorKind } from '@esc/service-kit';

/** Requests refused under a client-chosen id, with the answer they got. */

export type RefusedOperation = 'booking' | 'certificate';

export interface StoredProblem {
  kind: ErrorKind;
  code: string;
  detail: string;
  extensions: Record<string, unknown>;
}

export interface RefusedRequestRow<R> {
  request: R;
  problem: StoredProblem;
}

export function findRefusedRequest<R>(em: EntityManager, operation: RefusedOperation, id: string): Promise<RefusedRequestRow<R> | undefined> {
  return sqlOf(em).one<RefusedRequestRow<R>>(`select request, problem from certificates.refused_requests where operation = $1 and id = $2`, [operation, id]);
}

export async function insertRefusedRequest(em: EntityManager, operation: RefusedOperation, id: string, request: unknown, problem: StoredProblem): Promise<void> {
  await sqlOf(em).run(`insert into certificates.refused_requests (operation, id, request, problem) values ($1, $2, $3, $4)`, [
    operation,
    id,
    JSON.stringify(request),
    JSON.stringify(problem),
  ]);
}
