import { randomUUID } from 'node:crypto';
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
  /**
   * The refusals of this endpoint that a later change could turn into success (no free capacity, then a
   * place is freed), or why it has none: each is checked by refusalViolations.
   */
  refusals: RefusalCase[] | { none: string };
}

/** A refusal whose cause can go away later. */
export interface RefusalCase {
  name: string;
  /** A valid request under a new id that is refused now; `removeCause` takes the cause away; `state` reads what the request would change. */
  refused(): Promise<{
    body: Record<string, unknown>;
    /** The same request under a new id, when it is not just `body` with another id (the endpoint's path names the id's object). */
    renewed?: Record<string, unknown>;
    removeCause(): Promise<void>;
    state(): Promise<unknown>;
  }>;
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

const isProblem = (r: JsonResponse) =>
  r.status >= 400 && r.status < 500 && !!r.headers.get('content-type')?.includes('application/problem+json') && typeof (r.body as { code?: unknown })?.code === 'string';

/**
 * What breaks "a refused id stays refused" for this refusal; empty when nothing does. The request,
 * sent several times at once, is refused (a 4xx problem with a code) with one answer; once the cause is gone, the same request with the same id answers
 * the first refusal again (same status, same body) and changes nothing, while the same request under a
 * new id is accepted — which shows the cause really is gone, so the check can fail.
 */
export async function refusalViolations(endpoint: ClientIdEndpoint, refusal: RefusalCase, concurrency = 4): Promise<string[]> {
  const violations: string[] = [];
  const say = (what: string) => violations.push(`${endpoint.name}, ${refusal.name}: ${what}`);
  const { body, renewed: renewedBody, removeCause, state } = await refusal.refused();
  // Sent several times at once: one refusal, the same for all, to the order of its fields.
  const firsts = await Promise.all(Array.from({ length: concurrency }, () => endpoint.send(body)));
  const first = firsts[0]!;
  if (!isProblem(first)) {
    say(`the request was not refused (${summary(first)}); the check needs a refusal`);
    return violations;
  }
  if (firsts.some((r) => r.status !== first.status || JSON.stringify(r.body) !== JSON.stringify(first.body))) {
    say(`${concurrency} sends of the refused id at once got different answers: ${firsts.map(summary).join(' | ')}`);
  }
  await removeCause();
  const before = await state();
  const again = await endpoint.send(body);
  if (again.status !== first.status || JSON.stringify(again.body) !== JSON.stringify(first.body)) {
    say(`after the cause was removed the same request answered ${summary(again)} instead of its first refusal ${summary(first)}`);
  }
  const after = await state();
  if (!isDeepStrictEqual(after, before)) say(`the refused id sent again changed ${JSON.stringify(before)} into ${JSON.stringify(after)}`);
  const renewed = await endpoint.send(renewedBody ?? { ...body, id: randomUUID() });
  if (renewed.status < 200 || renewed.status > 299) say(`the same request under a new id was still refused (${summary(renewed)}): the cause was not removed, so the check proves nothing`);
  return violations;
}
