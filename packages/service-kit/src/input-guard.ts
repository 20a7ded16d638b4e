import type { RequestHandler } from 'express';
import { AppError, type FieldProblem, validationFailed } from './errors';

/**
 * Text PostgreSQL cannot store: a NUL character, or half of a UTF-16 surrogate pair (JSON can carry
 * one escaped, `"\ud800"`). PostgreSQL refuses both (22P05 / 22021) after validation has passed, so
 * every service refuses them here, once, at the door: for the JSON body, the query and the path.
 */
// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const FIELD_MESSAGE = 'Содержит недопустимый символ (NUL или одиночный суррогат UTF-16); уберите его.';

/** Field paths as validation problems name them: `staff.name`, `lines[0].reference`. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function walk(value: unknown, path: string, found: FieldProblem[]): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) found.push({ field: path || '(тело запроса)', message: FIELD_MESSAGE });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], child(path, i), found);
    return;
  }
  for (const key in value) {
    // A key is text too (a coefficient's name in a map, say).
    if (UNSTORABLE.test(key)) found.push({ field: child(path, key), message: FIELD_MESSAGE });
    walk((value as Record<string, unknown>)[key], child(path, key), found);
  }
}

/** Every text field of the value (strings nested in objects and arrays, and keys) that PostgreSQL would refuse. */
export function unstorableFields(value: unknown, prefix = ''): FieldProblem[] {
  const found: FieldProblem[] = [];
  walk(value, prefix, found);
  return found;
}

export function invalidCharacters(problems: FieldProblem[]): AppError {
  return new AppError(
    'validation',
    'invalid_characters',
    `Запрос содержит недопустимые символы (NUL или одиночный суррогат UTF-16) в полях: ${problems.map((p) => p.field).join(', ')}. Уберите их и отправьте запрос снова.`,
    {},
    problems,
  );
}

/** The path's percent-decoded segments that carry a NUL (the only unstorable character a valid UTF-8 escape can give). */
function unstorablePathSegments(path: string): FieldProblem[] {
  const found: FieldProblem[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue; // The router answers 400 malformed_path.
    }
    if (UNSTORABLE.test(decoded)) found.push({ field: `path[${i}]`, message: FIELD_MESSAGE });
  }
  return found;
}

/** Deeper than any body of the contracts. JSON.parse takes any depth, but walking it (here, in zod, in JSON.stringify) recurses. */
export const MAX_BODY_DEPTH = 32;

/** Whether the value nests objects and arrays deeper than the limit; without recursion, so any depth is safe to ask about. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Throws 400 validation_failed when the body nests deeper than MAX_BODY_DEPTH (a stack overflow,
 * a 500, further on), and 400 invalid_characters when the path, the query or the body carry text PostgreSQL would
 * refuse. The path and the query are looked at only when the address carries a percent escape (a raw
 * NUL cannot arrive in a URL); the body is walked every time (its size is capped by the parser). Path
 * parameters are not named before routing, so a path segment is named by its position, through
 * either door (Express and the fast routes).
 */
export function assertStorableRequest(url: string, path: string, query: () => unknown, body: unknown): void {
  const found: FieldProblem[] = [];
  if (url.includes('%')) {
    found.push(...unstorablePathSegments(path));
    if (url.includes('?')) walk(query(), '', found);
  }
  if (body !== undefined) {
    if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
      throw validationFailed([{ field: '(тело запроса)', message: `Вложенность глубже ${MAX_BODY_DEPTH} уровней: такого запроса не бывает, отправьте данные по контракту.` }]);
    }
    walk(body, '', found);
  }
  if (found.length) throw invalidCharacters(found);
}

/** Express middleware, mounted after the body parsers. */
export const storableInput: RequestHandler = (req, _res, next) => {
  assertStorableRequest(req.originalUrl ?? req.url, req.path, () => req.query, req.body);
  next();
};
