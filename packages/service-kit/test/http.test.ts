import type { Server } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@esc/testing/src/database';
import { httpClient, type HttpClient } from '@esc/testing/src/http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { Client } from 'pg';
import { z } from 'zod';
import {
  AppError,
  closeHttpServer,
  conflict,
  createHttpApp,
  createOrm,
  forbidden,
  healthRouter,
  listen,
  notFound,
  parseInput,
  unprocessable,
  withTransaction,
  type EntityManager,
} from '../src';
import { silentLogger } from './helpers';

const SCHEMA = 'kit_http';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let db: TestDatabase;
let orm: MikroORM;
let server: Server;
let api: HttpClient;
let probeMode: 'up' | 'down' | 'hang' = 'up';

const sql = <R = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<R[]> => orm.em.fork().execute(query, params);

async function setCounter(n: number) {
  await sql(`update "${SCHEMA}".counter set n = ? where id = 1`, [n]);
}

/** Another connection changes the counter and commits. */
async function concurrentBump(by: number) {
  await withTransaction(orm.em.fork(), (em) => em.execute(`update "${SCHEMA}".counter set n = n + ? where id = 1`, [by]));
}

/**
 * A SERIALIZABLE read-modify-write of the counter. When `interfere` says so, another transaction
 * commits a change to the row between the read and the write, which makes the write fail with 40001.
 */
async function incrementSerializable(em: EntityManager, interfere: boolean): Promise<number> {
  await em.execute('set transaction isolation level serializable');
  const [row] = await em.execute<Array<{ n: number }>>(`select n from "${SCHEMA}".counter where id = 1`);
  if (interfere) await concurrentBump(10);
  const next = Number(row?.n) + 1;
  await em.execute(`update "${SCHEMA}".counter set n = ? where id = 1`, [next]);
  return next;
}

const thrown: Record<string, () => AppError> = {
  conflict: () => conflict('certificate_already_redeemed', 'The certificate was already redeemed.', { certificate_id: 'C-1' }),
  unprocessable: () => unprocessable('insufficient_funds', 'The account lacks the funds.', { available: '10.00' }),
  'not-found': () => notFound('certificate_not_found', 'There is no such certificate.'),
  forbidden: () => forbidden('Only the committee may approve.'),
  'bad-password': () => new AppError('unauthenticated', 'invalid_credentials', 'The username or password is wrong.'),
  expired: () => new AppError('unauthenticated', 'token_expired', 'The token has expired.'),
  unavailable: () => new AppError('unavailable', 'ledger_unavailable', 'The ledger does not answer.'),
};

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function testRoutes(): Router {
  const router = Router();
  router.post('/echo', (req, res) => {
    res.json({ received: req.body });
  });
  router.post('/validated', (req, res) => {
    const body = parseInput(z.object({ amount: z.string().regex(/^\d+\.\d\d$/), region_code: z.string().length(2) }), req.body);
    res.json(body);
  });
  router.get('/errors/:which', (req) => {
    const make = thrown[String(req.params.which)];
    throw make ? make() : new Error('no such test error');
  });
  router.get('/boom', () => {
    throw new Error('connect ECONNREFUSED postgres://admin:hunter2@10.0.0.7/esc');
  });
  router.get('/boom-async', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw new TypeError("Cannot read properties of undefined (reading 'balance')");
  });
  router.post('/things', async (req, res) => {
    const name = String((req.body as { name?: unknown }).name);
    const [row] = await withTransaction(orm.em.fork(), (em) =>
      em.execute<Array<{ id: number }>>(`insert into "${SCHEMA}".things (name) values (?) returning id`, [name]),
    );
    res.status(201).json(row);
  });
  // What a PostgreSQL restart does to a request: its session terminated (57P01), or no server to connect to.
  router.get('/db/terminated', async () => {
    const client = new Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('select pg_terminate_backend(pg_backend_pid())');
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  router.get('/db/refused', async () => {
    const client = new Client({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', database: 'postgres' });
    await client.connect();
  });
  router.post('/counter/always-collides', async (_req, res) => {
    res.json({ n: await withTransaction(orm.em.fork(), (em) => incrementSerializable(em, true), 2) });
  });
  return router;
}

beforeAll(async () => {
  db = await createTestDatabase('kit_http');
  orm = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger });
  const em = orm.em.fork();
  await em.execute(`create schema "${SCHEMA}"`);
  await em.execute(`create table "${SCHEMA}".things (id serial primary key, name text not null unique)`);
  await em.execute(`create table "${SCHEMA}".counter (id int primary key, n int not null)`);
  await em.execute(`insert into "${SCHEMA}".counter (id, n) values (1, 0)`);

  const app = createHttpApp({
    logger: silentLogger,
    bodyLimit: '1kb',
    publicRouters: [
      healthRouter({
        postgres: () => orm.em.fork().execute('select 1'),
        dependency: async () => {
          if (probeMode === 'down') throw new Error('connection refused');
          if (probeMode === 'hang') await new Promise(() => undefined);
        },
      }),
    ],
    routers: [testRoutes()],
  });
  const listening = await listen(app, 0);
  server = listening.server;
  api = httpClient(listening.url);
});

afterAll(async () => {
  if (server) await closeHttpServer(server);
  await orm?.close(true);
  await db?.drop();
});

const problemType = 'application/problem+json; charset=utf-8';

describe('HTTP app', () => {
  it('When the body is valid JSON, then the route receives it parsed', async () => {
    const res = await api.post('/echo', { amount: '10.00' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: { amount: '10.00' } });
  });

  it('When the JSON is malformed, then the answer is a 400 malformed_json problem', async () => {
    const res = await api.post('/echo', '{"amount": ');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(problemType);
    expect(res.body).toMatchObject({ type: 'urn:esc:problem:malformed_json', title: 'Bad Request', status: 400, code: 'malformed_json' });
  });

  it('When the body is larger than the limit, then the answer is 413', async () => {
    const res = await api.post('/echo', { padding: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe(problemType);
    expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large', title: 'Content Too Large' });
  });

  /** What the server writes back to raw bytes, up to its closing the connection. */
  const rawExchange = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const { port } = server.address() as { port: number };
      const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });

  it.each([
    ['an address longer than the parser reads', `GET /echo?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 431, 'request_too_large'],
    ['a broken request line', 'GARBAGE\r\n\r\n', 400, 'malformed_request'],
  ])('When a request has %s, then the answer is a problem with a code, not a bare status', async (_what, bytes, status, code) => {
    const answer = await rawExchange(bytes);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain(`Content-Type: ${problemType}`);
    expect(JSON.parse(body!)).toMatchObject({ status, code });
  });

  it('When input fails validation, then the 400 lists every bad field', async () => {
    const res = await api.post('/validated', { amount: '10', region_code: 'ULY' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'region_code']);
  });

  it('When no route matches, then the answer is a 404 route_not_found problem', async () => {
    const res = await api.get('/nowhere?x=1');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(problemType);
    expect(res.body).toMatchObject({ code: 'route_not_found', status: 404 });
    expect(res.body.detail).toContain('GET /nowhere');
  });

  it.each([
    ['conflict', 409, 'certificate_already_redeemed', { certificate_id: 'C-1' }],
    ['unprocessable', 422, 'insufficient_funds', { available: '10.00' }],
    ['not-found', 404, 'certificate_not_found', {}],
    ['forbidden', 403, 'forbidden', {}],
    ['bad-password', 401, 'invalid_credentials', {}],
    ['expired', 401, 'token_expired', {}],
    ['unavailable', 503, 'ledger_unavailable', {}],
  ])('When a route throws the %s AppError, then the answer is %i with its code and extensions', async (which, status, code, extensions) => {
    const res = await api.get(`/errors/${which}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(problemType);
    expect(res.body).toEqual({
      type: `urn:esc:problem:${code}`,
      title: expect.any(String),
      status,
      code,
      detail: expect.any(String),
      ...extensions,
    });
  });

  it('When a 401 is about a bearer token, then it challenges with WWW-Authenticate, and when it is about a password, then it does not', async () => {
    expect((await api.get('/errors/expired')).headers.get('www-authenticate')).toBe('Bearer');
    expect((await api.get('/errors/bad-password')).headers.get('www-authenticate')).toBeNull();
    expect((await api.get('/errors/forbidden')).headers.get('www-authenticate')).toBeNull();
  });

  it('When the answer is 503, then it says when to retry', async () => {
    expect((await api.get('/errors/unavailable')).headers.get('retry-after')).toBe('1');
  });

  it.each(['/boom', '/boom-async'])(
    'When %s throws a plain error, then the answer is a 500 internal_error with the request id and no internals',
    async (path) => {
      const res = await api.call('GET', path, undefined, { 'x-request-id': 'support-ticket-42' });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe(problemType);
      expect(res.body).toEqual({
        type: 'urn:esc:problem:internal_error',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal_error',
        detail: expect.any(String),
        request_id: 'support-ticket-42',
      });
      const text = JSON.stringify(res.body);
      for (const leak of ['hunter2', '10.0.0.7', 'ECONNREFUSED', 'balance', 'TypeError', 'stack', '.ts:']) expect(text).not.toContain(leak);
    },
  );

  it('When a real insert violates a unique constraint, then the answer is a 409 already_exists problem', async () => {
    expect((await api.post('/things', { name: 'voucher-7' })).status).toBe(201);
    const res = await api.post('/things', { name: 'voucher-7' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', status: 409, constraint: 'things_name_key' });
    expect(await sql(`select 1 from "${SCHEMA}".things where name = 'voucher-7'`)).toHaveLength(1);
  });

  it.each([
    ['its database session is terminated (PostgreSQL shutting down, 57P01)', '/db/terminated'],
    ['its database refuses the connection (PostgreSQL down)', '/db/refused'],
  ])('When %s, then the answer is a 503 database_unavailable with Retry-After, not a 500', async (_label, path) => {
    const res = await api.get(path);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ code: 'database_unavailable', status: 503 });
  });

  it('When every attempt collides with a concurrent transaction, then the answer is a 503 retry_transaction with Retry-After', async () => {
    await setCounter(0);
    const res = await api.post('/counter/always-collides');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ code: 'retry_transaction', status: 503 });
    // Both attempts lost to a concurrent +10; neither of their own writes survived.
    expect((await sql<{ n: number }>(`select n from "${SCHEMA}".counter`))[0]?.n).toBe(20);
  });

  describe('request ids', () => {
    it('When the caller sends a well-formed X-Request-Id, then it is echoed', async () => {
      const res = await api.call('GET', '/nowhere', undefined, { 'x-request-id': 'trace-7f3a.b_C' });
      expect(res.headers.get('x-request-id')).toBe('trace-7f3a.b_C');
    });

    it.each([
      ['none', undefined],
      ['one with spaces', 'not a valid id'],
      ['one that is too long', 'a'.repeat(101)],
      ['one with characters outside letters, digits, dot, dash and underscore', 'abc;def'],
    ])('When the caller sends %s, then a fresh UUID is used', async (_label, sent) => {
      const res = await api.call('GET', '/boom', undefined, sent === undefined ? {} : { 'x-request-id': sent });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(res.body.request_id).toBe(id);
    });
  });

  describe('health', () => {
    it('When every dependency answers, then the service is live and ready', async () => {
      probeMode = 'up';
      expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
      const res = await api.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'ok', dependency: 'ok' } });
    });

    it('When a dependency fails or hangs, then readiness is 503 naming it', async () => {
      probeMode = 'down';
      const down = await api.get('/health/ready');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'not_ready', checks: { postgres: 'ok', dependency: 'failing: connection refused' } });

      probeMode = 'hang';
      const started = Date.now();
      const hung = await api.get('/health/ready');
      expect(hung.status).toBe(503);
      expect(hung.body.checks.dependency).toBe('failing: timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      probeMode = 'up';
    });
  });
});

describe('withTransaction', () => {
  it('When called inside an open transaction, then it joins it: the inner call sees the outer uncommitted row and a rollback removes both', async () => {
    let seenByInner: unknown[] = [];
    let seenOutside: unknown[] = [];
    await expect(
      withTransaction(orm.em.fork(), async (outer) => {
        await outer.execute(`insert into "${SCHEMA}".things (name) values ('outer-row')`);
        await withTransaction(outer, async (inner) => {
          expect(inner).toBe(outer);
          seenByInner = await inner.execute(`select name from "${SCHEMA}".things where name = 'outer-row'`);
          await inner.execute(`insert into "${SCHEMA}".things (name) values ('inner-row')`);
        });
        seenOutside = await orm.em.fork().execute(`select name from "${SCHEMA}".things where name in ('outer-row', 'inner-row')`);
        throw new Error('the use case fails after the nested call');
      }),
    ).rejects.toThrow('the use case fails after the nested call');

    expect(seenByInner).toEqual([{ name: 'outer-row' }]);
    expect(seenOutside).toEqual([]);
    expect(await sql(`select name from "${SCHEMA}".things where name in ('outer-row', 'inner-row')`)).toEqual([]);
  });

  it('When the outer transaction commits, then what the joined call wrote commits with it', async () => {
    await withTransaction(orm.em.fork(), async (outer) => {
      await outer.execute(`insert into "${SCHEMA}".things (name) values ('outer-kept')`);
      await withTransaction(outer, (inner) => inner.execute(`insert into "${SCHEMA}".things (name) values ('inner-kept')`));
    });
    const rows = await sql<{ name: string }>(`select name from "${SCHEMA}".things where name in ('outer-kept', 'inner-kept') order by name`);
    expect(rows.map((r) => r.name)).toEqual(['inner-kept', 'outer-kept']);
  });

  it('When a serializable transaction hits a real serialization failure, then it is retried and no update is lost', async () => {
    await setCounter(0);
    let attempts = 0;
    const errors: string[] = [];
    const result = await withTransaction(orm.em.fork(), async (em) => {
      attempts += 1;
      try {
        return await incrementSerializable(em, attempts === 1);
      } catch (err) {
        errors.push((err as { code?: string }).code ?? String(err));
        throw err;
      }
    });
    expect(errors).toEqual(['40001']);
    expect(attempts).toBe(2);
    expect(result).toBe(11);
    expect((await sql<{ n: number }>(`select n from "${SCHEMA}".counter`))[0]?.n).toBe(11);
  });

  it('When the error is not a serialization failure, then it is not retried', async () => {
    let attempts = 0;
    await expect(
      withTransaction(orm.em.fork(), async (em) => {
        attempts += 1;
        await em.execute(`insert into "${SCHEMA}".things (name) values ('once'), ('once')`);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
