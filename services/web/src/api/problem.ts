import { problemMessage } from '../i18n/problem-messages';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem as the services send it, or a network failure told the same way. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    // What a person reads: the service's own Russian detail, else the message of the code.
    super(detail || problemMessage(code));
    this.name = 'Problem';
  }
}

const CYRILLIC = /[А-Яа-яЁё]/;

/** A service's detail is shown only when it is Russian; some shared errors still answer in English. */
function readableDetail(detail: unknown): string | undefined {
  return typeof detail === 'string' && CYRILLIC.test(detail) ? detail : undefined;
}

export function toProblem(error: unknown, status = 0): Problem {
  if (error instanceof Problem) return error;
  if (error && typeof error === 'object' && 'code' in error) {
    const body = error as Record<string, unknown>;
    const code = String(body.code);
    return new Problem(
      typeof body.status === 'number' ? body.status : status,
      code,
      readableDetail(body.detail) ?? problemMessage(code),
      Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
      body,
    );
  }
  if (error instanceof TypeError) return new Problem(0, 'network_error', problemMessage('network_error'));
  return new Problem(status, 'unexpected_error', problemMessage('unexpected_error'));
}
