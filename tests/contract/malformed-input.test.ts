import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { parse } from 'yaml';
import { certificatesConfigSchema } from 'certificates/src/config';
import { loadGatewayConfig } from 'gateway/src/config';
import { ledgerConfigSchema } from 'ledger/src/config';
import { registryConfigSchema } from 'registry/src/config';
import { settlementConfigSchema } from 'settlement/src/config';
import { notificationsConfigSchema } from 'notifications/src/config';
import { NOBODY, ROWS, tokenFor, type Caller } from './authorization-rows';
import { startStack, type Fixtures, type Stack } from './authorization-stack';

/**
 * Issue 17, bad input: every operation of the contracts, called by a caller who may call it (a really
 * signed token), with property-based malformed input — wrong types, missing and extra fields, huge,
 * empty, Unicode and NUL strings, negative and three-decimal amounts, huge numbers, bodies that are
 * not JSON, not an object or nested too deep, wrong content types and encodings, path parameters that are not ids, bad query
 * parameters. Every answer must be a 4xx problem+json with a `code` its contract lists or, where the contract itself
 * accepts the input, a non-5xx answer; never a 5xx, never a stack trace. Oversized bodies are sent
 * once per service.
 *
 * The seed is fixed; a failure prints it with fast-check's path to replay one operation (with
 * STACK_LOG_LEVEL=error the services log the 5xx's error and stack):
 *   MALFORMED_SEED=… MALFORMED_PATH=… MALFORMED_OP='certificates POST /v1/recipients' npx jest tests/contract/malformed-input.test.ts
 * MALFORMED_RUNS (default 15 per operation) and another MALFORMED_SEED search further.
 */

const SEED = Number(process.env.MALFORMED_SEED ?? 17);
const RUNS = Number(process.env.MALFORMED_RUNS ?? 15);
const ONLY = process.env.MALFORMED_OP;
const REPLAY_PATH = process.env.MALFORMED_PATH;

type Contract = 'ledger' | 'registry' | 'certificates' | 'settlement' | 'notifications' | 'gateway';
const CONTRACTS: Contract[] = ['ledger', 'registry', 'certificates', 'settlement', 'notifications', 'gateway'];

// ---- The contracts, as JSON Schema ----

type Schema = Record<string, any>;
const BASE = 'https://contracts.invalid/';
const OPENAPI = join(__dirname, '../../openapi');
const docs = new Map<string, Schema>();
const readDoc = (file: string) => parse(readFileSync(join(OPENAPI, file), 'utf8')) as Schema;
for (const c of CONTRACTS) docs.set(`${c}.yaml`, readDoc(`${c}.yaml`));
docs.set('shared/audit-log.yaml', readDoc('shared/audit-log.yaml'));

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
/** Query and path values arrive as text: compared after coercion, as the services' zod schemas do. */
const ajvText = new Ajv2020({ strict: false, allErrors: false, coerceTypes: 'array' });
addFormats(ajvText);
for (const [file, doc] of docs) {
  ajv.addSchema({ ...doc, $id: BASE + file });
  ajvText.addSchema({ ...doc, $id: BASE + file });
}

function absoluteRef(ref: string, file: string): { file: string; pointer: string } {
  const [target, pointer = ''] = ref.split('#');
  if (!target) return { file, pointer };
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return { file: join(dir, target).replace(/^\.\//, ''), pointer };
}

function at(file: string, pointer: string): Schema {
  let node: any = docs.get(file);
  for (const token of pointer.split('/').slice(1)) node = node?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`no ${file}#${pointer}`);
  return node;
}

/** Follows $ref chains; answers the schema and the file its own refs are relative to. */
function deref(schema: Schema, file: string): [Schema, string] {
  while (schema && typeof schema.$ref === 'string') {
    const target = absoluteRef(schema.$ref, file);
    file = target.file;
    schema = at(file, target.pointer);
  }
  return [schema, file];
}

/** An inline schema whose refs point into the registered contracts. */
function rebased(schema: unknown, file: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebased(s, file));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') {
      const target = absoluteRef(v, file);
      out[k] = `${BASE}${target.file}#${target.pointer}`;
    } else out[k] = rebased(v, file);
  }
  return out;
}

interface Param {
  name: string;
  in: 'path' | 'query';
  schema: Schema;
  file: string;
  validate: ValidateFunction;
}

interface Operation {
  key: string;
  contract: Contract;
  method: string;
  template: string;
  params: Param[];
  /** The JSON body's schema, when the operation takes one. */
  body?: { schema: Schema; file: string; validate: ValidateFunction; required: boolean };
  takesBody: boolean;
}

function operationsOf(contract: Contract): Operation[] {
  const file = `${contract}.yaml`;
  const doc = docs.get(file)!;
  const ops: Operation[] = [];
  for (const [template, rawItem] of Object.entries(doc.paths as Record<string, Schema>)) {
    const [item, itemFile] = deref(rawItem, file);
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const params: Param[] = [];
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const [p, pFile] = deref(raw, itemFile);
        if (p.in !== 'path' && p.in !== 'query') continue;
        const schema = p.schema ?? { type: 'string' };
        params.push({ name: p.name, in: p.in, schema, file: pFile, validate: ajvText.compile(rebased(schema, pFile) as object) });
      }
      let body: Operation['body'];
      let takesBody = false;
      if (op.requestBody) {
        const [rb, rbFile] = deref(op.requestBody, itemFile);
        takesBody = true;
        const json = rb.content?.['application/json']?.schema;
        if (json) body = { schema: json, file: rbFile, validate: ajv.compile(rebased(json, rbFile) as object), required: rb.required === true };
      }
      ops.push({ key: `${contract} ${method.toUpperCase()} ${template}`, contract, method: method.toUpperCase(), template, params, body, takesBody });
    }
  }
  return ops;
}

// ---- A plausible value of a schema, to start from: its mutations then reach past the first missing field ----

const STRING_CANDIDATES = ['1.00', '73', '2026-01', 'HOME-HOUSEHOLD-HOUR', '73701000', '+79270000000', '12345678901', '112-233-445 95', 'a', 'A1', '1'];

function exampleOf(raw: Schema, file: string, depth = 0): unknown {
  const [schema, sFile] = deref(raw, file);
  if (!schema || depth > 5) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((v: unknown) => v !== null);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: Schema) => exampleOf(s, sFile, depth + 1)));
  if (schema.oneOf ?? schema.anyOf) return exampleOf((schema.oneOf ?? schema.anyOf)[0], sFile, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const prop = schema.properties?.[name];
        out[name] = prop ? exampleOf(prop, sFile, depth + 1) : 'a';
      }
      return out;
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, sFile, depth + 1)].filter((v) => v !== undefined) : [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return true;
    case 'string': {
      const byFormat: Record<string, string> = { uuid: NOBODY, date: '2026-01-15', 'date-time': '2026-01-15T10:00:00Z', email: 'test@example.ru' };
      if (schema.format && byFormat[schema.format]) return byFormat[schema.format];
      if (schema.pattern) {
        const re = new RegExp(schema.pattern, 'u');
        return STRING_CANDIDATES.find((s) => re.test(s)) ?? '1';
      }
      return 'Тестовое значение'.slice(0, schema.maxLength ?? 100).padEnd(schema.minLength ?? 0, 'а');
    }
    default:
      return 'a';
  }
}

interface Field {
  path: Array<string | number>;
  schema: Schema;
  file: string;
}

/** Where a field can be changed: every property the schema names (present or not), two levels deep. */
function fieldsOf(raw: Schema, file: string, value: unknown, prefix: Array<string | number> = [], depth = 0): Field[] {
  const [schema, sFile] = deref(raw, file);
  if (!schema || depth > 2) return [];
  const out: Field[] = [];
  const parts = [schema, ...(schema.allOf ?? []).map((s: Schema) => deref(s, sFile)[0])];
  for (const part of parts) {
    for (const [name, prop] of Object.entries((part.properties ?? {}) as Record<string, Schema>)) {
      const path = [...prefix, name];
      out.push({ path, schema: prop, file: sFile });
      const child = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
      const [p] = deref(prop, sFile);
      if (p?.type === 'array' && Array.isArray(child) && child.length && p.items) out.push(...fieldsOf(p.items, sFile, child[0], [...path, 0], depth + 1));
      else if (child && typeof child === 'object') out.push(...fieldsOf(prop, sFile, child, path, depth + 1));
    }
  }
  return out;
}

function withField(value: unknown, path: Array<string | number>, replacement: unknown, remove = false): unknown {
  const copy = structuredClone(value) as any;
  let node = copy;
  for (const step of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return copy;
    node[step] ??= {};
    node = node[step];
  }
  if (!node || typeof node !== 'object') return copy;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

// ---- Bad values ----

/** Percent-encoding of any text: a lone surrogate (which has no UTF-8) is sent as U+FFFD, as a browser would. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const HUGE = 'ж'.repeat(70_000);
const nastyString = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '😀👩‍👩‍👧', '\u202eRTL', 'Ѐ̈́', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', 'null', 'NaN', HUGE),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000`),
);
const badAmount = fc.constantFrom('-1.00', '-0.01', '1.005', '0.001', '1e3', '1e309', '99999999999999999999999999999.99', '1,00', ' 1.00', '１.００', '+1.00', '.5', '1.', 'Infinity');
const badNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0.01, 1.005, 0.5, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: badAmount },
  { weight: 2, arbitrary: badNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { a: 1 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/** Path segments that are not ids (and some that are not even valid percent-encoding). */
const badSegment = fc.oneof(
  fc.constantFrom('abc', '0', '-1', '1e309', 'null', 'undefined', '00000000-0000-0000-0000-00000000000g', '%20', '%00', '%zz', '%ff', '%C0%AF', '..', '%2e%2e', 'x'.repeat(3000), '%F0%9F%98%80', `${NOBODY}%00`, `${NOBODY}x`, 'DROP%20TABLE'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encode),
);
const badQueryValue = fc.oneof(
  fc.constantFrom('', '-1', '0', '1e309', '1.5', '99999999999999999999', 'abc', '%00', '%zz', NOBODY.toUpperCase(), 'x'.repeat(5000), '2026-13-45', 'true'),
  nastyString.map((s) => encode(s.slice(0, 200))),
);
const rawNumbers = fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0', '1.0000000000000000000001', '0.1e-400');
const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":', "{'a':1}", 'undefined', '{"a":1,}', '[1,2', 'NaN', '\u0000', '<xml/>', 'a=1&b=2', '{"a":"\\x00"}', '{"a":"\\ud800"}'),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);
const wrongContentType = fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'image/png', 'application/jsonx');

/** Text the contracts' patterns may accept at their edges: the most digits, zeros, leading zeros. */
const EDGE_TEXT = ['0', '00', '0.00', '0.01', '9', '99', '999999999999999999', '9999999999999999999', '99999999999999999999', '999999999999999999.99', '-999999999999999999.99', `${'9'.repeat(40)}.99`, '2026-13', '0000-01', '9999-12', '73-9999-9999999', 'A'.repeat(64), 'a'.repeat(64)];

/**
 * Values the field's own schema accepts, at its edges: the longest text, the largest numbers, the
 * first and last dates, ids of other objects. Validation lets them through; the database must too.
 */
function edgesOf(raw: Schema, file: string, f: Fixtures, depth = 0): fc.Arbitrary<unknown> {
  const [schema, sFile] = deref(raw, file);
  if (!schema || depth > 3) return fc.constant(null);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.oneOf ?? schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: Schema) => edgesOf(s, sFile, f, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  const ids = [f.recipientId, f.assessmentId, f.programmeId, f.certificateId, f.lineId, f.bookingId, f.deliveryId, f.roundId, f.applicationId, f.runId, f.budgetProgrammeId];
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', NOBODY.toUpperCase(), ...ids);
      if (schema.format === 'date') return fc.constantFrom('0001-01-01', '9999-12-31', '1970-01-01', '2000-02-29', '2026-12-31');
      if (schema.format === 'date-time') return fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-01-15T10:00:00+14:00', '2026-01-15T23:59:59.999999Z', '1969-12-31T23:59:59-12:00');
      if (schema.pattern) {
        const re = new RegExp(schema.pattern, 'u');
        const edges = EDGE_TEXT.filter((t) => re.test(t));
        let matching: fc.Arbitrary<string>;
        try {
          matching = fc.stringMatching(re);
        } catch {
          // fast-check cannot generate from every pattern (a lookahead, say): the edges and the example then.
          matching = fc.constant(exampleOf(schema, sFile) as string);
        }
        return edges.length ? fc.oneof(matching, fc.constantFrom(...edges)) : matching;
      }
      const max = Math.min(schema.maxLength ?? 5000, 100_000);
      return fc.constantFrom('ж'.repeat(max), 'a'.repeat(max), '😀'.repeat(Math.floor(max / 2)), ''.padEnd(schema.minLength ?? 0, 'я'), `${'а'.repeat(Math.max(0, max - 1))}\u0301`);
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : -(2 ** 53) + 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : 2 ** 53 - 1;
      const candidates = [min, max, 0, 1, 2 ** 15, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 1e15, 2 ** 53 - 1].filter((n) => n >= min && n <= max);
      return fc.oneof(fc.constantFrom(...candidates), type === 'integer' ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) : fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = schema.items ? edgesOf(schema.items, sFile, f, depth + 1) : fc.constant('a');
      const many = Math.min(schema.maxItems ?? 1000, 1000);
      return fc.oneof(fc.array(item, { minLength: schema.minItems ?? 0, maxLength: 3 }), item.map((v) => Array.from({ length: many }, () => v)));
    }
    default:
      return fc.constant(exampleOf(schema, sFile));
  }
}

// ---- Probes ----

interface Probe {
  kind: string;
  /** Path and query, percent-encoded. */
  url: string;
  contentType?: string;
  /** A Content-Encoding the body does not have (or no service reads). */
  contentEncoding?: string;
  text?: string;
  /** Whether the contract itself refuses this request: then only a 4xx will do. */
  invalid: boolean;
}

interface Target {
  op: Operation;
  caller?: Caller;
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => unknown;
}

function pathValues(op: Operation, url: string): Map<string, string> | undefined {
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const pattern = new RegExp(`^${op.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]*)')}$`);
  const m = pattern.exec(url.split('?')[0]!);
  if (!m) return undefined;
  return new Map(names.map((n, i) => [n, m[i + 1]!]));
}

const textValid = (param: Param, raw: string | string[]) => param.validate(raw) as boolean;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Whether the contract accepts the address: every path and query parameter valid. */
function addressValid(op: Operation, url: string): boolean {
  const path = pathValues(op, url);
  if (!path) return true; // A segment with a slash: routed elsewhere; anything but 5xx will do.
  for (const p of op.params.filter((x) => x.in === 'path')) {
    const v = decoded(path.get(p.name) ?? '');
    if (v === undefined || !textValid(p, v) || v === '') return false;
  }
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const values = query.getAll(p.name);
    if (!values.length) continue;
    const [schema] = deref(p.schema, p.file);
    if (values.length > 1 && schema.type !== 'array') return false;
    if (!textValid(p, values.length > 1 || schema.type === 'array' ? values : values[0]!)) return false;
  }
  return true;
}

function probes(t: Target, f: Fixtures): fc.Arbitrary<Probe> {
  const { op } = t;
  const url = t.path(f);
  const addressOk = addressValid(op, url);
  const given = t.body?.(f);
  const base: unknown =
    op.body && (given === undefined || (typeof given === 'object' && !Array.isArray(given)))
      ? // The row's empty lists (the matrix needs no items) give way to the schema's one plausible item.
        { ...(exampleOf(op.body.schema, op.body.file) as object), ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => !(Array.isArray(v) && !v.length))) }
      : given;
  const hasJsonBody = op.body !== undefined;
  // A JSON null where the body is optional is taken as no body, as the services do.
  const bodyInvalid = (value: unknown) =>
    !addressOk || (op.body ? !op.body.validate(value) && !(value === null && !op.body.required) : op.takesBody);
  const jsonProbe = (kind: string, value: unknown): Probe => ({ kind, url, contentType: 'application/json', text: JSON.stringify(value), invalid: bodyInvalid(value) });

  const arbs: Array<fc.WeightedArbitrary<Probe>> = [];
  if (hasJsonBody) {
    const fields = fieldsOf(op.body!.schema, op.body!.file, base);
    if (fields.length) {
      const field = fc.constantFrom(...fields).map((x) => x.path);
      const change = fc.constantFrom(...fields).chain((x) => fc.tuple(fc.constant(x.path), fc.oneof(badValue, edgesOf(x.schema, x.file, f))));
      arbs.push({
        weight: 6,
        arbitrary: fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) =>
          jsonProbe(`fields ${changes.map(([path]) => path.join('.')).join(', ')}`, changes.reduce((body, [path, v]) => withField(body, path, v), base)),
        ),
      });
      arbs.push({ weight: 1, arbitrary: field.map((path) => jsonProbe(`missing ${path.join('.')}`, withField(base, path, undefined, true))) });
      arbs.push({
        weight: 1,
        arbitrary: fc.tuple(field, fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(([path, name, v]) =>
          jsonProbe(`extra ${[...path.slice(0, -1), name].join('.')}`, withField(base, [...path.slice(0, -1), name], v)),
        ),
      });
      arbs.push({
        weight: 1,
        arbitrary: fc.tuple(field, rawNumbers).map(([path, n]) => {
          const marker = '"__raw_number__"';
          const text = JSON.stringify(withField(base, path, '__raw_number__')).replace(marker, n);
          return { kind: `raw number ${path.join('.')}=${n}`, url, contentType: 'application/json', text, invalid: bodyInvalid(JSON.parse(text)) };
        }),
      });
    }
    arbs.push({ weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], [base], 'text', 0)).map((v) => jsonProbe('whole body', v)) });
  }
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    arbs.push({ weight: 1, arbitrary: notJson.map((text) => ({ kind: 'not JSON', url, contentType: 'application/json', text, invalid: true })) });
    arbs.push({
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(33, 1000, 100_000), fc.boolean()).map(([depth, arrays]) => ({
        kind: `nested ${depth} deep`,
        url,
        contentType: 'application/json',
        text: arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        invalid: true,
      })),
    });
    arbs.push({
      weight: 1,
      arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'zstd', 'identity, gzip', 'x-unknown').map((contentEncoding) => ({
        kind: `content encoding ${contentEncoding}`,
        url,
        contentType: 'application/json',
        contentEncoding,
        text: JSON.stringify(base ?? {}),
        invalid: true,
      })),
    });
    arbs.push({
      weight: 1,
      arbitrary: wrongContentType.map((contentType) => ({ kind: `content type ${contentType}`, url, contentType, text: JSON.stringify(base ?? {}), invalid: true })),
    });
  }
  const pathNames = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const segments = pathNames.length;
  const paramEdges = (name: string, where: 'path' | 'query' = 'path') => {
    const param = op.params.find((p) => p.name === name && p.in === where);
    return param ? edgesOf(param.schema, param.file, f).map((v) => encode(Array.isArray(v) ? v.join(',') : String(v))) : badSegment;
  };
  if (segments) {
    arbs.push({
      weight: 3,
      arbitrary: fc.nat(segments - 1).chain((i) => fc.tuple(fc.constant(i), fc.oneof(badSegment, paramEdges(pathNames[i]!)))).map(([i, segment]) => {
        const parts = url.split('?');
        const templateParts = op.template.split('/');
        const concrete = parts[0]!.split('/');
        const positions = templateParts.flatMap((p, j) => (p.startsWith('{') ? [j] : []));
        concrete[positions[i]!] = segment;
        const bad = concrete.join('/') + (parts[1] ? `?${parts[1]}` : '');
        const value = given === undefined ? undefined : base;
        return {
          kind: `path ${templateParts[positions[i]!]}=${segment.slice(0, 40)}`,
          url: bad,
          ...(op.method === 'GET' || op.method === 'DELETE' || value === undefined ? {} : { contentType: 'application/json', text: JSON.stringify(value) }),
          invalid: !addressValid(op, bad) || (op.body ? !op.body.validate(value) : false),
        };
      }),
    });
  }
  const queryNames = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  {
    const name = queryNames.length ? fc.oneof(fc.constantFrom(...queryNames), fc.constantFrom('x', 'limit', 'after', '__proto__')) : fc.constantFrom('x', 'limit', '__proto__');
    arbs.push({
      weight: queryNames.length ? 3 : 1,
      arbitrary: name.chain((n) => fc.tuple(fc.constant(n), fc.array(fc.oneof(badQueryValue, paramEdges(n, 'query')), { minLength: 1, maxLength: 2 }))).map(([n, values]) => {
        const [pathPart, queryPart = ''] = url.split('?');
        const kept = queryPart.split('&').filter((pair) => pair && pair.split('=')[0] !== n);
        const bad = `${pathPart}?${[...kept, ...values.map((v) => `${encodeURIComponent(n)}=${v}`)].join('&')}`;
        const value = op.takesBody ? base : undefined;
        return {
          kind: `query ${n}=${values.join('&').slice(0, 40)}`,
          url: bad,
          ...(value === undefined || op.method === 'GET' ? {} : { contentType: 'application/json', text: JSON.stringify(value) }),
          invalid: !addressValid(op, bad) || (op.body ? !op.body.validate(value) : false),
        };
      }),
    });
  }
  return fc.oneof(...arbs);
}

// ---- Which operations, asked by whom ----

const GATEWAY_TARGETS: Array<Omit<Target, 'op'> & { key: string }> = [
  { key: 'gateway POST /v1/auth/sign-in', path: () => '/v1/auth/sign-in', body: () => ({ username: 'citizen-ivanova', password: 'demo' }) },
  { key: 'gateway POST /v1/auth/service-token', path: () => '/v1/auth/service-token', body: () => ({ client_id: 'bench', client_secret: 'dev-secret-bench' }) },
  { key: 'gateway GET /v1/me', caller: 'citizen-ivanova', path: () => '/v1/me' },
  { key: 'gateway POST /api/session', path: () => '/api/session', body: () => ({ username: 'citizen-ivanova', password: 'demo' }) },
  { key: 'gateway POST /api/session/refresh', path: () => '/api/session/refresh' },
  { key: 'gateway GET /v1/auth/demo-users', path: () => '/v1/auth/demo-users' },
  { key: 'gateway GET /api/auth/login', path: () => '/api/auth/login?return_to=/cabinet' },
  { key: 'gateway GET /api/auth/callback', path: () => '/api/auth/callback?code=forged&state=forged' },
  { key: 'gateway GET /api/session/all', path: () => '/api/session/all' },
  { key: 'gateway DELETE /api/session/others', path: () => '/api/session/others' },
  { key: 'gateway GET /api/admin/accounts', path: () => '/api/admin/accounts?search=Иванова' },
  { key: 'gateway GET /api/admin/accounts/{account_id}', path: () => `/api/admin/accounts/${NOBODY}` },
  { key: 'gateway POST /api/admin/accounts/{account_id}/grants', path: () => `/api/admin/accounts/${NOBODY}/grants`, body: () => ({ role: 'caseworker', region_code: '73' }) },
  { key: 'gateway DELETE /api/admin/accounts/{account_id}/grants/{grant_id}', path: () => `/api/admin/accounts/${NOBODY}/grants/${NOBODY}` },
  { key: 'gateway GET /api/onboarding', path: () => '/api/onboarding' },
  { key: 'gateway POST /api/onboarding/provider', path: () => '/api/onboarding/provider', body: () => ({ inn: '7325000038' }) },
  { key: 'gateway GET /api/provider/staff', path: () => '/api/provider/staff' },
  { key: 'gateway DELETE /api/provider/staff/{account_id}', path: () => `/api/provider/staff/${NOBODY}` },
  { key: 'gateway GET /api/provider/invitations', path: () => '/api/provider/invitations' },
  { key: 'gateway POST /api/provider/invitations', path: () => '/api/provider/invitations', body: () => ({ email: 'staff@example.ru', role: 'provider_staff' }) },
  { key: 'gateway GET /api/admin/join-requests', path: () => '/api/admin/join-requests' },
  { key: 'gateway POST /api/admin/join-requests/{id}/approve', path: () => `/api/admin/join-requests/${NOBODY}/approve`, body: () => ({ role: 'provider_admin' }) },
  { key: 'gateway POST /api/admin/join-requests/{id}/decline', path: () => `/api/admin/join-requests/${NOBODY}/decline` },
  { key: 'gateway GET /api/provider/join-requests', path: () => '/api/provider/join-requests' },
  { key: 'gateway POST /api/provider/join-requests/{id}/approve', path: () => `/api/provider/join-requests/${NOBODY}/approve`, body: () => ({ role: 'provider_staff' }) },
  { key: 'gateway POST /api/provider/join-requests/{id}/decline', path: () => `/api/provider/join-requests/${NOBODY}/decline` },
  { key: 'gateway GET /api/invitations/{token}', path: () => `/api/invitations/${'A'.repeat(43)}` },
  { key: 'gateway POST /api/invitations/{token}/accept', path: () => `/api/invitations/${'A'.repeat(43)}/accept` },
];

const OPERATIONS = new Map(CONTRACTS.flatMap(operationsOf).map((op) => [op.key, op]));
const TARGETS: Target[] = [
  ...ROWS.filter((r) => !r.op.includes('/health/')).map((r) => ({
    op: OPERATIONS.get(`${r.service} ${r.op}`)!,
    caller: r.public ? undefined : (r.allowed ?? r.scopedList)?.[0],
    path: r.path,
    body: r.body,
  })),
  ...GATEWAY_TARGETS.map(({ key, ...rest }) => ({ op: OPERATIONS.get(key)!, ...rest })),
].filter((t) => t.op && (!ONLY || t.op.key === ONLY));

// ---- The stack ----

let stack: Stack;
let baseUrls: Record<Contract, string>;
const tokens = new Map<Caller, string>();
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

beforeAll(async () => {
  stack = await startStack('malformed_input');
  baseUrls = { ...stack.urls, gateway: stack.gateway.url };
  for (const caller of new Set(TARGETS.flatMap((t) => (t.caller ? [t.caller] : [])))) tokens.set(caller, await tokenFor(stack, caller));
}, 180_000);

afterAll(async () => {
  agent.destroy();
  await stack?.stop();
});

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** Sent with node:http, byte for byte: fetch's URL parser would resolve `..` and `%2e%2e` before the service saw them. */
function send(t: Target, probe: Probe): Promise<Reply> {
  const token = t.caller ? tokens.get(t.caller) : undefined;
  const body = probe.text === undefined ? undefined : Buffer.from(probe.text);
  const headers: Record<string, string | number> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(probe.contentType ? { 'content-type': probe.contentType } : {}),
    ...(probe.contentEncoding ? { 'content-encoding': probe.contentEncoding } : {}),
    ...(body ? { 'content-length': body.length } : {}),
  };
  const base = new URL(baseUrls[t.op.contract]);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method: t.op.method, path: probe.url.replace(/[^\x21-\x7e]/gu, encodeURIComponent), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const STACK_TRACE = /(\n|\\n)\s+at \S.*:\d+:\d+|node_modules\/|"stack"\s*:/;

/** The codes each contract lists (x-problem-codes): an answered code must be one of them. */
const listedCodes = (contract: Contract) => new Set(Object.keys(docs.get(`${contract}.yaml`)!.components.schemas.Problem['x-problem-codes'] ?? {}));
const LISTED = new Map(CONTRACTS.map((c) => [c, listedCodes(c)]));

/** Why the reply is wrong, or undefined. */
function verdict(contract: Contract, probe: Probe, reply: Reply): string | undefined {
  if (reply.status >= 500) return 'a 5xx';
  if (STACK_TRACE.test(reply.text)) return 'a stack trace in the body';
  if (reply.status >= 400) {
    if (!reply.contentType.startsWith('application/problem+json')) return 'a 4xx that is not application/problem+json';
    let code: unknown;
    try {
      code = (JSON.parse(reply.text) as { code?: unknown }).code;
    } catch {
      return 'a problem that is not JSON';
    }
    if (typeof code !== 'string' || !code) return 'a problem without a code';
    if (!LISTED.get(contract)!.has(code)) return `a code its contract does not list (${code})`;
    return undefined;
  }
  if (probe.invalid) return `${reply.status} to input the contract refuses`;
  return undefined;
}

const describeProbe = (p: Probe) => `${p.kind} | ${p.contentType ?? '-'} ${p.url.slice(0, 160)} ${(p.text ?? '').slice(0, 240)}`;

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

test('Every operation of the contracts has a target here (the rows of the authorization matrix)', () => {
  if (ONLY) return;
  const missing = [...OPERATIONS.keys()].filter((k) => !k.startsWith('gateway ') && !k.includes('/health/') && !TARGETS.some((t) => t.op.key === k));
  expect(missing).toEqual([]);
});

test('Malformed input to every operation: a 4xx problem with a code, never a 5xx, never a stack trace', async () => {
  const failures: string[] = [];
  let requests = 0;
  const started = Date.now();
  await inBatches(TARGETS, 6, async (t) => {
    const details = await fc.check(
      fc.asyncProperty(probes(t, stack.fixtures), async (probe) => {
        requests++;
        const reply = await send(t, probe);
        const wrong = verdict(t.op.contract, probe, reply);
        if (wrong) throw new Error(`${wrong}: ${describeProbe(probe)}\n    → ${reply.status} ${reply.contentType} ${reply.text.slice(0, 400)}`);
      }),
      { seed: SEED, numRuns: RUNS, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}) },
    );
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      failures.push(
        `${t.op.key} as ${t.caller ?? 'anyone'}: ${error}\n    replay: MALFORMED_SEED=${details.seed} MALFORMED_PATH=${details.counterexamplePath} MALFORMED_OP='${t.op.key}'`,
      );
    }
  });
  console.log(`malformed input: ${TARGETS.length} operations, ${requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(failures.sort()).toEqual([]);
}, 600_000);

// ---- Oversized bodies: one a little over each service's limit ----

const LIMITS: Record<Contract, string> = {
  ledger: ledgerConfigSchema.shape.BODY_LIMIT.parse(undefined),
  registry: registryConfigSchema.shape.BODY_LIMIT.parse(undefined),
  certificates: certificatesConfigSchema.shape.BODY_LIMIT.parse(undefined),
  settlement: settlementConfigSchema.shape.BODY_LIMIT.parse(undefined),
  notifications: notificationsConfigSchema.shape.BODY_LIMIT.parse(undefined),
  gateway: loadGatewayConfig({}).BODY_LIMIT,
};
const bytes = (limit: string) => Number(/^\d+/.exec(limit)![0]) * (/mb$/i.test(limit) ? 1024 * 1024 : 1024);

test('A body over the service’s limit is refused with 413 and a problem', async () => {
  if (ONLY) return;
  const failures: string[] = [];
  for (const contract of CONTRACTS) {
    const withBody = (method: string) => TARGETS.find((x) => x.op.contract === contract && x.op.body && x.op.method === method);
    const t = (withBody('POST') ?? withBody('PUT'))!;
    const text = `{"x":"${'a'.repeat(bytes(LIMITS[contract]) + 1024)}"}`;
    const reply = await send(t, { kind: 'oversized', url: t.path(stack.fixtures), contentType: 'application/json', text, invalid: true });
    if (reply.status !== 413 || verdict(contract, { kind: 'oversized', url: '', invalid: true }, reply)) failures.push(`${t.op.key}: ${reply.status} ${reply.text.slice(0, 200)}`);
  }
  expect(failures).toEqual([]);
}, 120_000);
