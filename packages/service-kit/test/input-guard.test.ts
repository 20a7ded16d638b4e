import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '@esc/testing/src/database';
import { httpClient, type HttpClient } from '@esc/testing/src/http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { closeHttpServer, createHttpApp, createOrm, listen, withTransaction } from '../src';
import { withFastRoutes, type FastRoute } from '../src/fast-routes';
import { silentLogger } from './helpers';

/**
 * Malformed requests are the client's mistake, answered 4xx problem+json with a stable code — never
 * 500: a body that does not inflate as its Content-Encoding says, and text PostgreSQL cannot store
 * (a NUL, a lone UTF-16 surrogate) in the body, the query or the path, through Express and through
 * the fast routes alike.
 */
const SCHEMA = 'kit_input';
const problemType = 'application/problem+json; charset=utf-8';

let db: TestDatabase;
let orm: MikroORM;
let server: Server;
let api: HttpClient;
let baseUrl: string;

/** httpClient serialises a Buffer as JSON; compressed bytes go out as they are. */
async function postRaw(path: string, body: Buffer, encoding: string) {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const insertName = (name: string) =>
  withTransaction(orm.em.fork(), (em) => em.execute<Array<{ id: number }>>(`insert into "${SCHEMA}".things (name) values (?) returning id`, [name]));

function routes(): Router {
  const router = Router();
  router.post('/things', async (req, res) => {
    const body = req.body as { staff?: { name?: unknown }; lines?: Array<{ reference?: unknown }> };
    const [row] = await insertName(`${String(body.staff?.name)}/${String(body.lines?.[0]?.reference ?? '')}`);
    res.status(201).json(row);
  });
  router.get('/things/:owner', async (req, res) => {
    const rows = await orm.em.fork().execute(`select id from "${SCHEMA}".things where name = ? or name = ?`, [req.params.owner, String(req.query.reference ?? '')]);
    res.json({ found: rows.length });
  });
  // Bypasses the guard (the text is made on the server): PostgreSQL's own refusal is still a 400.
  router.post('/server-made-nul', async (_req, res) => {
    await insertName('made\u0000here');
    res.status(201).end();
  });
  router.post('/server-made-jsonb', async (_req, res) => {
    await orm.em.fork().execute('select ?::jsonb as doc', ['{"name":"made\\u0000here"}']);
    res.status(201).end();
  });
  return router;
}

const fastRoutes: FastRoute[] = [
  {
    method: 'POST',
    path: /^\/fast\/things\/(?<owner>[^/]+)$/,
    access: 'public',
    async handle({ params, query, body }) {
      const reference = (body as { reference?: string }).reference ?? String(query.reference ?? '');
      const [row] = await insertName(`${params.owner}/${reference}`);
      return { status: 201, body: row };
    },
  },
];

beforeAll(async () => {
  db = await createTestDatabase('kit_input');
  orm = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger });
  await orm.em.fork().execute(`create schema "${SCHEMA}"`);
  await orm.em.fork().execute(`create table "${SCHEMA}".things (id serial primary key, name text not null unique)`);
  const app = createHttpApp({ logger: silentLogger, bodyLimit: '16kb', routers: [routes()] });
  const verifier = { verify: () => Promise.reject(new Error('no tokens here')) };
  const listening = await listen(withFastRoutes(app, fastRoutes, { verifier, logger: silentLogger }), 0);
  server = listening.server;
  api = httpClient(listening.url);
  baseUrl = listening.url;
});

afterAll(async () => {
  if (server) await closeHttpServer(server);
  await orm?.close(true);
  await db?.drop();
});

function expectInvalidCharacters(res: { status: number; headers: Headers; body: any }, fields: string[]) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe(problemType);
  expect(res.body).toMatchObject({ code: 'invalid_characters', status: 400, type: 'urn:esc:problem:invalid_characters' });
  expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
  for (const field of fields) expect(res.body.detail).toContain(field);
  expect(res.body.detail).toMatch(/недопустимые символы/);
}

describe('a compressed body that does not inflate', () => {
  it.each([
    ['not gzip at all', 'gzip', Buffer.from('{"staff":{"name":"Анна"}}')],
    ['a gzip stream cut short', 'gzip', gzipSync(JSON.stringify({ staff: { name: 'Анна' } })).subarray(0, 12)],
    ['not deflate at all', 'deflate', Buffer.from('plain text')],
    ['not brotli at all', 'br', Buffer.from('{"staff":{"name":"Анна"}}')],
    ['not zstd at all', 'zstd', Buffer.from('{"staff":{"name":"Анна"}}')],
  ])('When the body is %s, then the answer is 400 malformed_body, through Express and in front of a fast route', async (_label, encoding, body) => {
    for (const path of ['/things', '/fast/things/anna']) {
      const res = await postRaw(path, body, encoding);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe(problemType);
      expect(res.body).toMatchObject({ code: 'malformed_body', status: 400 });
      expect(res.body.detail).toMatch(/Content-Encoding/);
    }
  });

  it.each([
    ['arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['objects', `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`],
  ])('When the body nests %s thousands deep, then the answer is 400 validation_failed, not a stack overflow', async (_label, text) => {
    for (const path of ['/things', '/fast/things/anna']) {
      const res = await postRaw(path, Buffer.from(text), 'identity');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: '(тело запроса)' })] });
    }
  });

  it('When the gzip body is well formed, then it is read', async () => {
    expect((await postRaw('/things', gzipSync(JSON.stringify({ staff: { name: 'gzip-ok' } })), 'gzip')).status).toBe(201);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('When a nested JSON field carries a NUL, then the answer is 400 invalid_characters naming the field, and nothing is written', async () => {
    const res = await api.post('/things', { staff: { name: 'Анна\u0000' }, lines: [{ reference: 'ok' }] });
    expectInvalidCharacters(res, ['staff.name']);
    expect(await orm.em.fork().execute(`select 1 from "${SCHEMA}".things where name like 'Анна%'`)).toEqual([]);
  });

  it('When JSON carries escaped lone surrogates (high and low), then every field at fault is named', async () => {
    const res = await api.post('/things', '{"staff":{"name":"x\\ud800"},"lines":[{"reference":"\\udc00y"}]}');
    expectInvalidCharacters(res, ['staff.name', 'lines[0].reference']);
  });

  it('When a key of an object carries a NUL, then it is refused too', async () => {
    const res = await api.post('/things', '{"staff":{"name":"k"},"coefficients":{"rural\\u0000":"1.2"}}');
    expectInvalidCharacters(res, ['coefficients.rural\u0000']);
  });

  it('When a surrogate pair is whole (an emoji), then it is stored', async () => {
    const res = await api.post('/things', '{"staff":{"name":"\\ud83d\\ude00"}}');
    expect(res.status).toBe(201);
  });

  it('When a path value or a query value carries %00, then the answer is 400 invalid_characters', async () => {
    expectInvalidCharacters(await api.get('/things/owner%00x'), ['path[2]']);
    expectInvalidCharacters(await api.get('/things/owner?reference=a%00b'), ['reference']);
    expect((await api.get('/things/owner%20x?reference=a%20b')).body).toEqual({ found: 0 });
  });

  it.each(['/server-made-nul', '/server-made-jsonb'])(
    'When text reaches PostgreSQL anyway (%s), then its refusal is 400 invalid_characters, not 500',
    async (path) => {
      const res = await api.post(path, {});
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe(problemType);
      expect(res.body).toMatchObject({ code: 'invalid_characters' });
    },
  );

  it('When a fast route is sent a NUL in its body, its query or its path, then it answers as Express does', async () => {
    expectInvalidCharacters(await api.post('/fast/things/anna', { reference: 'r\u0000' }), ['reference']);
    expectInvalidCharacters(await api.post('/fast/things/anna', '{"reference":"\\udbff"}'), ['reference']);
    expectInvalidCharacters(await api.post('/fast/things/anna%00?reference=x', {}), ['path[3]']);
    expectInvalidCharacters(await api.post('/fast/things/anna?reference=x%00', {}), ['reference']);
    expect((await api.post('/fast/things/anna', { reference: 'fine' })).status).toBe(201);
  });
});
