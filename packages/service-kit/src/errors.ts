/**
 * One error type for every service, with a closed set of kinds mapped to HTTP once (in problem.ts).
 * Domain code throws these; it never knows about HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_many_requests'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly fieldProblems: FieldProblem[] = [],
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, detail: string, ext?: Record<string, unknown>) => new AppError('not_found', code, detail, ext);
export const conflict = (code: string, detail: string, ext?: Record<string, unknown>) => new AppError('conflict', code, detail, ext);
export const unprocessable = (code: string, detail: string, ext?: Record<string, unknown>) =>
  new AppError('unprocessable', code, detail, ext);
export const forbidden = (detail: string, code = 'forbidden') => new AppError('forbidden', code, detail);
export const validationFailed = (fieldProblems: FieldProblem[], detail?: string) =>
  new AppError(
    'validation',
    'validation_failed',
    detail ?? `Запрос не прошёл проверку: ${fieldProblems.map((p) => `${p.field} — ${p.message}`).join('; ')}`,
    {},
    fieldProblems,
  );
