import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Money } from '@esc/money';
import { ledgerAccountIds } from '@esc/ledger-client';
import { fundRegion, nextSnils, recipientBody, ZABOTA_ID } from '../../services/certificates/test/harness';
import { Queue } from '@esc/service-kit';
import type { Marketplace, ServiceName } from './marketplace';

/**
 * A redemption load as people make it, for the fault tests: providers record delivered units and case
 * workers confirm, partly dispute or leave them; when a booking's units run out a case worker issues the
 * next certificate, books it and the provider accepts. Every request carries the id its client chose and
 * is sent again, unchanged, while the answer is a network error or a 5xx, as a client does; the provider's
 * side goes through the gateway's back end for front end (a session cookie and CSRF), the case worker's
 * straight to the certificates service with a bearer token.
 *
 * `verifyBooks` then says whether the faults created or lost anything.
 */

const STAFF = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const RETRY_EVERY_MS = 150;
const GIVE_UP_AFTER_MS = 90_000;
const EVENT_REDELIVERY_MS = 100_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number;
  body: any;
}

interface Request {
  via: 'gateway' | 'direct';
  user: string;
  method: 'POST' | 'PUT' | 'GET';
  path: string;
  body?: unknown;
}

/** What one request met on the way to its answer. */
export interface Sent {
  request: Request;
  failures: string[];
  answer: Answer;
}

export async function sql<R = any>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(250);
  }
}

/** A person's way in: a gateway session (cookie and CSRF token, signed in again when it is gone) or a bearer token. */
class Clients {
  private sessions = new Map<string, Promise<{ cookie: string; csrf: string }>>();
  private tokens = new Map<string, Promise<string>>();
  constructor(private readonly m: Marketplace) {}

  private session(user: string) {
    if (!this.sessions.has(user)) {
      const signIn = (async () => {
        const res = await fetch(`${this.m.url.gateway}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: this.m.url.gateway },
          body: JSON.stringify({ username: user, password: 'demo' }),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status !== 201 && res.status !== 200) throw new Error(`sign-in ${user}: ${res.status}`);
        const cookie = res.headers.getSetCookie().find((c) => c.startsWith('esc_session='))!.split(';')[0]!;
        return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token };
      })();
      signIn.catch(() => this.sessions.delete(user));
      this.sessions.set(user, signIn);
    }
    return this.sessions.get(user)!;
  }

  private token(user: string) {
    if (!this.tokens.has(user)) {
      const signIn = (async () => {
        const res = await fetch(`${this.m.url.gateway}/v1/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: user, password: 'demo' }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`sign-in ${user}: ${res.status}`);
        return ((await res.json()) as { access_token: string }).access_token;
      })();
      signIn.catch(() => this.tokens.delete(user));
      this.tokens.set(user, signIn);
    }
    return this.tokens.get(user)!;
  }

  /** One attempt; a network error is thrown. */
  async once(request: Request, service: ServiceName = 'certificates'): Promise<Answer> {
    let url: string;
    const headers: Record<string, string> = request.body === undefined ? {} : { 'content-type': 'application/json' };
    if (request.via === 'gateway') {
      const { cookie, csrf } = await this.session(request.user);
      url = `${this.m.url.gateway}/api/${service}${request.path}`;
      Object.assign(headers, { cookie, 'x-csrf-token': csrf, origin: this.m.url.gateway });
    } else {
      url = `${this.m.url[service]}${request.path}`;
      headers.authorization = `Bearer ${await this.token(request.user)}`;
    }
    const res = await fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the failure's description
    }
    // A session Redis lost (restarted empty) is signed in again, as the web app does.
    if (res.status === 401 && request.via === 'gateway') this.sessions.delete(request.user);
    return { status: res.status, body };
  }
}

export class RedemptionLoad {
  readonly sent: Sent[] = [];
  private readonly clients: Clients;
  private stopping = false;
  private workers: Promise<void>[] = [];
  private programmes: string[] = [];
  budgetProgrammeId = '';
  period = '';
  /** What the case worker decided for each act answered 201: confirmed in full or in part, disputed (voided) or left held. */
  readonly intents = new Map<string, 'confirm' | 'partial' | 'dispute' | 'leave'>();
  readonly certificates = new Set<string>();
  /** Acts whose provider gave up after one failed attempt: whatever the fault left of them, the recovery job finishes. */
  readonly abandoned = new Set<string>();
  private readonly givenUp: string[] = [];
  /** After `verifyBooks`: holds left by acts given up on whose write was lost, voided by the abandoned-hold sweep. */
  orphanHolds = 0;
  /** After `verifyBooks`: acts the faults left `authorising` that the recovery job finished. */
  recovered = 0;
  /** After `verifyBooks`: how long settlement and notifications took to have every event. */
  eventsWaitedMs = 0;
  private acts = 0;

  constructor(private readonly m: Marketplace) {
    this.clients = new Clients(m);
  }

  /** Sends the request until it gets an answer that is neither a network error nor a 5xx (nor a lost session). */
  async send(request: Request, service?: ServiceName): Promise<Answer>;
  /** With `giveUp`, a failure answered with a 503 is not sent again: it answers undefined. */
  async send(request: Request, service: ServiceName, options: { giveUp: true }): Promise<Answer | undefined>;
  async send(request: Request, service: ServiceName = 'certificates', options: { giveUp?: boolean } = {}): Promise<Answer | undefined> {
    const failures: string[] = [];
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    for (;;) {
      let failure: string;
      let unavailable = false;
      try {
        const answer = await this.clients.once(request, service);
        unavailable = answer.status === 503;
        if (answer.status < 500 && !(answer.status === 401 && request.via === 'gateway')) {
          this.sent.push({ request, failures, answer });
          return answer;
        }
        failure = `${answer.status} ${answer.body?.code ?? String(answer.body).slice(0, 80)}`;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        failure = cause?.code ?? (err as Error).name;
      }
      failures.push(failure);
      if (options.giveUp && unavailable) {
        this.givenUp.push(...failures);
        return undefined;
      }
      if (Date.now() > deadline) throw new Error(`${request.method} ${request.path} kept failing: ${failures.slice(-5).join(', ')}`);
      await sleep(RETRY_EVERY_MS);
    }
  }

  private async must(request: Request, expected: number[], service: ServiceName = 'certificates'): Promise<any> {
    const answer = await this.send(request, service);
    if (!expected.includes(answer.status)) throw new Error(`${request.method} ${request.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Funds the region and draws programmes for the certificates the load will issue (none of that is under a fault). */
  async prepare(programmes: number): Promise<void> {
    this.budgetProgrammeId = await fundRegion({ as: (user) => this.m.as(user, 'certificates') }, '5000000.00');
    const caseworker = await this.m.as('caseworker-73', 'certificates');
    const draw = async () => {
      const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
      const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id, reason: 'Заявление о предоставлении социальных услуг на дому' });
      await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'recognised' });
      const programme = await caseworker.post(`/v1/assessments/${assessment.body.id}/programme`, {
        lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }],
      });
      if (programme.status !== 201) throw new Error(`programme: ${programme.status} ${JSON.stringify(programme.body)}`);
      return programme.body.id as string;
    };
    for (let i = 0; i < programmes; i += 4) this.programmes.push(...(await Promise.all(Array.from({ length: Math.min(4, programmes - i) }, draw))));
  }

  /** A new certificate booked with Zabota and accepted: issue, book, accept. */
  private async newBooking(): Promise<{ bookingId: string; deliveredOn: string }> {
    const programmeId = this.programmes.shift();
    if (!programmeId) throw new Error('the load ran out of drawn programmes');
    const certificate = await this.must(
      { via: 'direct', user: 'caseworker-73', method: 'POST', path: '/v1/certificates', body: { id: randomUUID(), programme_id: programmeId, budget_programme_id: this.budgetProgrammeId } },
      [201],
    );
    this.certificates.add(certificate.id);
    const booking = await this.must(
      {
        via: 'direct',
        user: 'caseworker-73',
        method: 'POST',
        path: `/v1/certificates/${certificate.id}/bookings`,
        body: { id: randomUUID(), line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID },
      },
      [201],
    );
    await this.must({ via: 'gateway', user: 'zabota-admin', method: 'POST', path: `/v1/bookings/${booking.id}/accept` }, [200]);
    this.period ||= String(certificate.general.valid_from).slice(0, 7);
    return { bookingId: booking.id, deliveredOn: certificate.general.valid_from };
  }

  private async worker(): Promise<void> {
    let booking = await this.newBooking();
    while (!this.stopping) {
      const n = this.acts++;
      const request: Request = {
        via: 'gateway',
        user: 'zabota-staff',
        method: 'POST',
        path: `/v1/bookings/${booking.bookingId}/deliveries`,
        body: { id: randomUUID(), delivered_on: booking.deliveredOn, units: 1 + (n % 3), staff: STAFF },
      };
      // One act in five is not sent again when the service answered 503 (it kept the act to finish later):
      // nothing but the recovery job finishes it. An act whose hold the ledger placed but whose write the
      // fault lost is then a hold without an act, which the abandoned-hold sweep voids; an act sent again
      // only after that answers 409 delivery_id_abandoned, and is given up on too.
      const act = n % 5 === 4 ? await this.send(request, 'certificates', { giveUp: true }) : await this.send(request);
      if (!act || (act.status === 409 && act.body?.code === 'delivery_id_abandoned')) {
        this.abandoned.add((request.body as { id: string }).id);
        continue;
      }
      if (act.status === 422 && act.body?.code === 'units_beyond_booking') {
        booking = await this.newBooking();
        continue;
      }
      if (act.status !== 201) throw new Error(`act: ${act.status} ${JSON.stringify(act.body)}`);
      // n % 3 = 2: three units, of which a partial confirmation confirms one.
      const intent = (['leave', 'dispute', 'partial', 'confirm', 'confirm', 'confirm'] as const)[n % 6]!;
      this.intents.set(act.body.id, intent);
      const path = `/v1/deliveries/${act.body.id}`;
      if (intent === 'dispute') await this.must({ via: 'direct', user: 'caseworker-73', method: 'POST', path: `${path}/dispute`, body: { reason: 'Услуга не оказана' } }, [200, 409]);
      if (intent === 'partial') {
        await this.must({ via: 'direct', user: 'caseworker-73', method: 'POST', path: `${path}/confirm`, body: { units: 1, dispute_reason: 'Оказан один час из трёх' } }, [200, 409]);
      }
      if (intent === 'confirm') await this.must({ via: 'direct', user: 'caseworker-73', method: 'POST', path: `${path}/confirm`, body: {} }, [200, 409]);
      await sleep(50);
    }
  }

  start(workers: number): void {
    this.workers = Array.from({ length: workers }, () => this.worker());
    // A worker that fails stops the load at once; its error is what `stop` throws.
    for (const worker of this.workers) worker.catch(() => (this.stopping = true));
  }

  /** Waits until `n` more acts have been answered (the load is running, whatever the fault). */
  async progress(n: number, timeoutMs = 60_000): Promise<void> {
    const target = this.acts + n;
    await until(`${n} more acts`, async () => (this.acts >= target ? true : this.stopping ? Promise.reject(new Error('the load stopped')) : undefined), timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  /** Every request the load sent that met a fault, sent again: each must answer as it finally did. */
  async resendFailed(): Promise<string[]> {
    const differences: string[] = [];
    for (const { request, answer } of this.sent.filter((s) => s.failures.length)) {
      const again = await this.clients.once(request);
      const outcome = (a: Answer) => {
        // A confirmation or dispute sent again finds its act decided: 409 delivery_already_resolved is its answer.
        if (/\/(confirm|dispute)$/.test(request.path)) return a.status === 200 || a.body?.code === 'delivery_already_resolved' ? 'resolved' : `${a.status} ${a.body?.code}`;
        // An act's status moves on (confirmed since): its id and amount are its outcome.
        return `${a.status} ${a.body?.code ?? ''} ${a.body?.id ?? ''} ${a.body?.amount ?? ''}`;
      };
      if (outcome(again) !== outcome(answer)) differences.push(`${request.method} ${request.path}: first ${outcome(answer)}, again ${outcome(again)}`);
    }
    return differences;
  }

  /** One line for the test's output: how much load, and what the faults did to it. */
  summary(): string {
    return `acts ${this.intents.size} (+${this.abandoned.size} given up after a failure), certificates ${this.certificates.size}, requests ${this.sent.length}, failed attempts: ${JSON.stringify(Object.fromEntries(this.failureKinds()))}`;
  }

  failureKinds(): Map<string, number> {
    const kinds = new Map<string, number>();
    for (const failure of [...this.sent.flatMap((s) => s.failures), ...this.givenUp]) kinds.set(failure, (kinds.get(failure) ?? 0) + 1);
    return kinds;
  }
}

/** For a failure's message: what BullMQ says of the events' jobs. */
async function jobStates(m: Marketplace, queueName: string, ids: string[]): Promise<unknown[]> {
  const queue = new Queue(queueName, { connection: { url: m.redisUrl }, prefix: m.queuePrefix });
  try {
    return await Promise.all(
      ids.slice(0, 5).map(async (id) => {
        const job = await queue.getJob(id);
        return job ? { id, state: await job.getState(), attempts: job.attemptsMade, failed: job.failedReason } : { id, state: 'no job' };
      }),
    );
  } finally {
    await queue.close();
  }
}

const sum = (values: Array<string | null>) => values.reduce((total, v) => total.add(Money.parse(v ?? '0.00')), Money.zero()).toString();

/**
 * After the faults: the recovery jobs finish what was interrupted; then every act and certificate is in a
 * final state and as its client was told, each certificate's money in the ledger is exactly its acts', the
 * ledger's invariants hold, settlement received every posted act once and pays them in one batch, and the
 * notices went out once per act.
 */
export async function verifyBooks(m: Marketplace, databaseUrl: string, load: RedemptionLoad, options: { notices?: boolean } = {}): Promise<void> {
  // Time passes for what a crash left half-done: the recovery jobs (every second here) take it up.
  const [interrupted] = await sql(databaseUrl, `select count(*)::int as n from certificates.deliveries where status = 'authorising'`);
  load.recovered = interrupted.n;
  await until('interrupted acts and issues to be completed', async () => {
    await sql(databaseUrl, `update certificates.deliveries set recorded_at = recorded_at - interval '5 minutes' where status = 'authorising'`);
    await sql(databaseUrl, `update certificates.certificates set created_at = created_at - interval '5 minutes' where status = 'issuing'`);
    const [left] = await sql(
      databaseUrl,
      `select (select count(*) from certificates.deliveries where status = 'authorising')::int
            + (select count(*) from certificates.certificates where status = 'issuing')::int as n`,
    );
    return left.n === 0 ? true : undefined;
  });

  const acts: Array<{ id: string; status: string; amount: string; posted_amount: string | null; certificate_id: string }> = await sql(
    databaseUrl,
    `select d.id, d.status, d.amount::text as amount, d.posted_amount::text as posted_amount, b.certificate_id
       from certificates.deliveries d join certificates.bookings b on b.id = d.booking_id`,
  );
  // Acts the provider was told were recorded, and only those (refused ones are kept as refusals); an act
  // given up on after a failure is held (its hold found or placed by the recovery job), refused, or was never written.
  const abandoned = (a: { id: string }) => load.abandoned.has(a.id);
  expect(acts.filter((a) => a.status !== 'refused' && !abandoned(a)).map((a) => a.id).sort()).toEqual([...load.intents.keys()].sort());
  expect(acts.filter((a) => abandoned(a) && a.status !== 'held' && a.status !== 'refused')).toEqual([]);
  const expected = { confirm: 'posted', partial: 'posted', dispute: 'voided', leave: 'held' } as const;
  expect(acts.filter((a) => a.status !== 'refused' && !abandoned(a) && a.status !== expected[load.intents.get(a.id)!])).toEqual([]);
  const intent = (a: { id: string }) => load.intents.get(a.id);
  expect(acts.filter((a) => intent(a) === 'confirm' && a.posted_amount !== a.amount)).toEqual([]);
  expect(acts.filter((a) => intent(a) === 'partial' && !Money.parse(a.posted_amount ?? '0.00').lt(Money.parse(a.amount)))).toEqual([]);

  const certificates: Array<{ id: string; status: string; value: string }> = await sql(
    databaseUrl,
    `select id, status, value::text as value from certificates.certificates where id = any($1::uuid[])`,
    [[...load.certificates]],
  );
  expect(certificates.filter((c) => c.status !== 'issued' && c.status !== 'active')).toEqual([]);
  expect(certificates).toHaveLength(load.certificates.size);
  const ledger = await m.asService('audit-tool', 'ledger');
  // A hold placed for an act given up on whose write the fault lost: no act accounts for it, and the
  // abandoned-hold sweep voids it once ABANDONED_HOLD_AFTER_SECONDS have passed since it was placed.
  const written = new Set(acts.map((a) => a.id));
  const orphanIds = [...load.abandoned].filter((id) => !written.has(id));
  let orphans: Array<{ id: string; debit_account_id: string; amount: string; pending_status: string }>;
  const sweptBy = Date.now() + 90_000;
  for (;;) {
    orphans = [];
    for (const id of orphanIds) {
      const hold = await ledger.get(`/v1/transfers/${id}`);
      if (hold.status === 200) orphans.push(hold.body);
      else expect(hold.status).toBe(404);
    }
    if (orphans.every((o) => o.pending_status === 'voided') || Date.now() > sweptBy) break;
    await sleep(1000);
  }
  expect(orphans.filter((o) => o.pending_status !== 'voided')).toEqual([]);
  const givenUp: Array<{ id: string }> = await sql(databaseUrl, `select id from certificates.abandoned_holds where voided_at is not null and id = any($1::uuid[])`, [
    orphans.map((o) => o.id),
  ]);
  expect(givenUp.map((g) => g.id).sort()).toEqual(orphans.map((o) => o.id).sort());
  load.orphanHolds = orphans.length;
  for (const certificate of certificates) {
    const mine = acts.filter((a) => a.certificate_id === certificate.id);
    const account = (await ledger.get(`/v1/accounts/${ledgerAccountIds.certificate(certificate.id)}`)).body;
    expect({ id: certificate.id, ...account }).toMatchObject({
      id: certificate.id,
      credits_posted: certificate.value,
      debits_pending: sum(mine.filter((a) => a.status === 'held').map((a) => a.amount)),
      debits_posted: sum(mine.filter((a) => a.status === 'posted').map((a) => a.posted_amount)),
    });
  }
  const invariants = await ledger.get('/v1/audit/invariants');
  expect(invariants.body).toMatchObject({ ok: true });

  // Every posted act reached settlement once, with its amount; every act's notice went out. An event a
  // killed consumer was handling comes again once its BullMQ lock lapses and a worker finds it stalled
  // (30 s each by default): hence the long wait.
  const posted = acts.filter((a) => a.status === 'posted');
  const started = Date.now();
  const notInSettlement = () =>
    sql(
      databaseUrl,
      `select o.id, o.occurred_at, o.published_at, o.payload->>'redemption_id' as act
         from certificates.outbox o
        where o.topic = 'redemption.posted' and not exists (select 1 from settlement.redemptions r where r.redemption_id = (o.payload->>'redemption_id')::uuid)`,
    );
  await until('settlement to receive every posted act', async () => ((await notInSettlement()).length === 0 ? true : undefined), EVENT_REDELIVERY_MS).catch(
    async (err: Error) => {
      const missing = await notInSettlement();
      throw new Error(`${err.message}: ${JSON.stringify(missing)} ${JSON.stringify(await jobStates(m, 'settlement-inbox', missing.map((e) => e.id)))}`);
    },
  );
  const [events] = await sql(databaseUrl, `select count(*)::int as n from certificates.outbox where topic = 'redemption.posted'`);
  expect(events.n).toBe(posted.length);
  const received = await sql(databaseUrl, `select redemption_id as id, amount::text as amount from settlement.redemptions`);
  expect(received.map((r) => `${r.id} ${r.amount}`).sort()).toEqual(posted.map((a) => `${a.id} ${a.posted_amount}`).sort());
  const withoutNotice = () =>
    sql(
      databaseUrl,
      `select o.id, o.occurred_at, o.published_at, o.payload->>'delivery_id' as act,
              exists (select 1 from notifications.processed_events p where p.event_id = o.id) as processed
         from certificates.outbox o
        where o.topic = 'act.recorded' and not exists (select 1 from notifications.notifications n where n.event_id = o.id)`,
    );
  if (options.notices !== false) {
    await until('a notice for every recorded act', async () => ((await withoutNotice()).length === 0 ? true : undefined), EVENT_REDELIVERY_MS).catch(async (err: Error) => {
      const missing = await withoutNotice();
      throw new Error(`${err.message}: ${JSON.stringify(missing)} ${JSON.stringify(await jobStates(m, 'notifications-inbox', missing.map((e) => e.id)))}`);
    });
  }
  load.eventsWaitedMs = Date.now() - started;
  const [recorded] = await sql(databaseUrl, `select count(*)::int as n from certificates.outbox where topic = 'act.recorded'`);
  expect(recorded.n).toBe(acts.filter((a) => a.status !== 'refused').length);

  // The period is settled and paid: one batch, every payout in transit, exactly the posted acts' money.
  const finance = await m.as('finance-73-a', 'settlement');
  const second = await m.as('finance-73-b', 'settlement');
  expect((await finance.call('PUT', `/v1/payout-limits/${load.budgetProgrammeId}/${load.period}`, { region_code: '73', amount: '5000000.00' })).status).toBe(200);
  const run = await finance.post('/v1/runs', { region_code: '73', period: load.period });
  expect(run.status).toBe(202);
  await until('the run to complete', async () => ((await finance.get(`/v1/runs/${run.body.id}`)).body.status === 'completed' ? true : undefined));
  const batch = await finance.post(`/v1/runs/${run.body.id}/batch`);
  expect(batch.status).toBe(201);
  expect((await second.post(`/v1/batches/${batch.body.id}/approve`)).status).toBe(202);
  await until('the batch to be approved', async () => ((await second.get(`/v1/batches/${batch.body.id}`)).body.status === 'approved' ? true : undefined));
  const payouts = await sql(databaseUrl, `select status, amount::text as amount from settlement.payouts where batch_id = $1`, [batch.body.id]);
  expect(payouts.filter((p) => p.status !== 'in_transit')).toEqual([]);
  expect(sum(payouts.map((p) => p.amount))).toBe(sum(posted.map((a) => a.posted_amount)));
  expect((await ledger.get(`/v1/accounts/${ledgerAccountIds.payoutsInTransit(batch.body.id)}`)).body.credits_posted).toBe(sum(posted.map((a) => a.posted_amount)));
  expect((await ledger.get('/v1/audit/invariants')).body).toMatchObject({ ok: true });

  expect(await load.resendFailed()).toEqual([]);
}
