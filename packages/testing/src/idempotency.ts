import { isDeepStrictEqual } from 'node:util';
import type { JsonResponse } from './http';

/** An endpoint whose request carries an id the client chose. */
export interface ClientIdEndpoint {
  name: string;
  /** Sends one request with this body. */
  send(body: Record<string, unknown>): Promise<JsonResponse>;
  /** A valid request under a new id (each call a new id and, where the endpoint needs it, a new object to act on). */
  fresh(): Promise<Record<string, unknown>>;
  /** The same id with another payload. */
  altered(body: Record<string, unknown>): Record<string, unknown>;
  /**
   * What of an answer must repeat, when not all of it: the ledger answers a repeated transfer `exists`
   * where the first was `created`, an event source is told `created: false` — the same outcome, said so.
   */
  outcome?(body: unknown): unknown;
}

const summary = (r: JsonResponse) => `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;

/**
 * What breaks "one id, one outcome" at this endpoint; empty when nothing does:
 * - the same request again answers the first answer (a 2xx, the same body);
 * - the same id with another payload is 409 problem+json with a code, and changes nothing;
 * - several sends of a new id at once all answer the same.
 */
export async function idempotencyViolations(endpoint: ClientIdEndpoint, concurrency = 6): Promise<string[]> {
  const violations: string[] = [];
  const outcome = (r: JsonResponse) => (endpoint.outcome ? endpoint.outcome(r.body) : r.body);
  const same = (a: JsonResponse, b: JsonResponse) => isDeepStrictEqual(outcome(a), outcome(b));
  const say = (what: string) => violations.push(`${endpoint.name}: ${what}`);

  const body = await endpoint.fresh();
  const first = await endpoint.send(body);
  if (first.status < 200 || first.status > 299) {
    say(`a valid request was refused (${summary(first)}); the check needs an accepted one`);
    return violations;
  }
  const replay = await endpoint.send(body);
  if (replay.status < 200 || replay.status > 299 || !same(replay, first)) {
    say(`the same request again answered ${summary(replay)} instead of the first answer ${summary(first)}`);
  }

  const conflicting = await endpoint.send(endpoint.altered(body));
  const problem = conflicting.body as { code?: unknown } | undefined;
  if (conflicting.status !== 409 || !conflicting.headers.get('content-type')?.includes('application/problem+json') || typeof problem?.code !== 'string') {
    say(`the same id with another payload answered ${summary(conflicting)}, not 409 problem+json with a code`);
  }
  const after = await endpoint.send(body);
  if (!same(after, first)) say(`after the conflicting request the first request answers ${summary(after)}, not its first answer`);

  const racing = await endpoint.fresh();
  const answers = await Promise.all(Array.from({ length: concurrency }, () => endpoint.send(racing)));
  const distinct = new Set(answers.map((a) => `${a.status >= 200 && a.status < 300 ? '2xx' : a.status} ${JSON.stringify(outcome(a))}`));
  if (distinct.size !== 1) say(`${concurrency} sends of one new id at once got ${distinct.size} different answers: ${answers.map(summary).join(' | ')}`);
  return violations;
}
