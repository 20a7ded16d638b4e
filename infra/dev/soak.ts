/**
 * `pnpm soak [minutes]` (default 10; SOAK_MINUTES, SOAK_USERS): a mixed load of the whole journey
 * against the marketplace as `pnpm start` runs it (started here unless it already answers on :4000).
 * Each virtual user loops: a case worker registers a person, decides, draws a programme and issues a
 * certificate; the person is booked with a provider, who accepts and records an act; the case worker
 * confirms it for the person; the navigator's search and the certificate are read; the certificate is
 * revoked (the person moves away), which gives the provider's places back. Every minute it
 * prints the requests done, their p99, the errors and each service's RSS; it ends with
 * `RESULT case=soak minutes=<n> p99_ms=<n> rss_growth_mb=<n> errors=<n>`, where the growth is the
 * services' RSS at the end over their RSS after the first minute (warm-up excluded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sleep, tcpAnswers } from './backing-services';
import { DEMO_BUDGET_PROGRAMME_ID } from './seed-certificates';

const MINUTES = Number(process.argv[2] ?? process.env.SOAK_MINUTES ?? 10);
const USERS = Number(process.env.SOAK_USERS ?? 8);
const GATEWAY = 'http://127.0.0.1:4000';
const REGISTRY = 'http://127.0.0.1:4002';
const CERTIFICATES = 'http://127.0.0.1:4003';
const SERVICES = ['gateway', 'ledger', 'registry', 'certificates', 'settlement'];
const REPO_ROOT = path.resolve(__dirname, '../..');
/** The demo NGO «Забота», admitted for home care in Ulyanovsk. */
const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';

interface Sample {
  ms: number;
  ok: boolean;
}
let window: Sample[] = [];
const all: number[] = [];
let errors = 0;
const errorKinds = new Map<string, number>();

/** The fields of the answers the journey reads on. */
interface Answer {
  id: string;
  services: Array<{ line_id: string }>;
  general: { valid_from: string };
}

async function call(token: string, method: string, url: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  let ok = false;
  try {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
    ok = res.ok;
    if (!ok) {
      const kind = `${method} ${url.replace(/[0-9a-f-]{36}/g, '{id}').replace(/\?.*/, '')} → ${res.status} ${(parsed as { code?: string })?.code ?? ''}`;
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      throw new Error(kind);
    }
    return parsed as Answer;
  } finally {
    const ms = performance.now() - started;
    window.push({ ms, ok });
    all.push(ms);
    if (!ok) errors += 1;
  }
}

async function signIn(username: string): Promise<string> {
  const res = await fetch(`${GATEWAY}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  if (!res.ok) throw new Error(`sign-in ${username}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

let snilsCounter = 3_000_000 + Math.floor(Math.random() * 4_000_000);
function nextSnils(): string {
  const body = String(++snilsCounter * 100 + 7).padStart(9, '0').slice(-9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}

interface Tokens {
  caseworker: string;
  providerAdmin: string;
  providerStaff: string;
  citizen: string;
}

/** One person's way from registration to a confirmed act, with the reads around it. */
async function journey(t: Tokens): Promise<void> {
  const recipient = await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/recipients`, {
    snils: nextSnils(),
    region_code: '73',
    last_name: 'Нагрузкина',
    first_name: 'Анна',
    middle_name: 'Сергеевна',
    birth_date: '1946-04-02',
    district_code: '73701000',
    address: 'г. Ульяновск, ул. Гончарова, д. 1',
    own_income: '14000.00',
    household: [],
  });
  const assessment = await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/assessments`, { recipient_id: recipient.id, reason: 'Заявление о социальном обслуживании на дому' });
  await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/assessments/${assessment.id}/decision`, { decision: 'recognised' });
  const programme = await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/assessments/${assessment.id}/programme`, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 4, months: 1 }] });
  const certificate = await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/certificates`, { id: randomUUID(), programme_id: programme.id, budget_programme_id: DEMO_BUDGET_PROGRAMME_ID });
  await call(t.citizen, 'GET', `${REGISTRY}/v1/providers?service=HOME-HOUSEHOLD-HOUR&district=73701000`);
  const booking = await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/certificates/${certificate.id}/bookings`, { id: randomUUID(), line_id: certificate.services[0]!.line_id, provider_id: ZABOTA_ID, units: 2 });
  await call(t.providerAdmin, 'POST', `${CERTIFICATES}/v1/bookings/${booking.id}/accept`);
  const act = await call(t.providerStaff, 'POST', `${CERTIFICATES}/v1/bookings/${booking.id}/deliveries`, {
    id: randomUUID(),
    delivered_on: certificate.general.valid_from,
    units: 1,
    staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
  });
  await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/deliveries/${act.id}/confirm`);
  await call(t.caseworker, 'GET', `${CERTIFICATES}/v1/certificates/${certificate.id}`);
  // The person moves away: the booking's places go back to the provider and the rest of the money to the programme.
  await call(t.caseworker, 'POST', `${CERTIFICATES}/v1/certificates/${certificate.id}/revoke`, { reason: 'Получатель переехал в другой регион' });
}

/** Each running service's resident memory, MB, found by its entry file in /proc. */
function serviceRss(): Record<string, number> {
  const rss: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const name = SERVICES.find((s) => cmdline.includes(`services/${s}/src/main.ts`));
      if (!name) continue;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      rss[name] = (rss[name] ?? 0) + kb / 1024;
    } catch {
      // the process ended while it was read
    }
  }
  return rss;
}

const p99 = (values: number[]) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!);
};

async function ensureMarketplace(): Promise<ChildProcess | undefined> {
  if (await tcpAnswers('127.0.0.1', 4003)) {
    console.log('soak: using the marketplace already running on :4000–:4004');
    return undefined;
  }
  console.log('soak: starting the marketplace (pnpm start) …');
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/dev/start.ts'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // The launcher's summary follows the demo data: the marketplace is ready for people.
      if (/curl/.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`pnpm start exited (${code})`)));
  });
  return child;
}

async function main() {
  const launcher = await ensureMarketplace();
  const tokens: Tokens = {
    caseworker: await signIn('caseworker-73'),
    providerAdmin: await signIn('zabota-admin'),
    providerStaff: await signIn('zabota-staff'),
    citizen: await signIn('citizen-ivanova'),
  };
  // Enough money for every certificate the soak issues.
  await call(await signIn('finance-73-a'), 'POST', `${CERTIFICATES}/v1/budget-programmes/${DEMO_BUDGET_PROGRAMME_ID}/funding`, { id: randomUUID(), amount: '500000000.00', reference: 'Нагрузочный прогон' });

  // Each journey books two of Забота's places and gives them back when its certificate is revoked.
  const free = (await call(tokens.citizen, 'GET', `${REGISTRY}/v1/providers?service=HOME-HOUSEHOLD-HOUR&district=73701000&min_free_capacity=${2 * USERS}`)) as unknown as { items: Array<{ id: string }> };
  if (!free.items.some((p) => p.id === ZABOTA_ID)) {
    throw new Error('Забота has no free places for home care in Ulyanovsk left in this database (bookings of an earlier run?): start the soak on a fresh database.');
  }

  const deadline = Date.now() + MINUTES * 60_000;
  let journeys = 0;
  const users = Array.from({ length: USERS }, async () => {
    while (Date.now() < deadline) {
      await journey(tokens).then(
        () => (journeys += 1),
        () => sleep(200),
      );
    }
  });

  let baseline: Record<string, number> | undefined;
  let latest: Record<string, number> = {};
  console.log(`soak: ${USERS} users for ${MINUTES} min`);
  for (let minute = 1; minute <= MINUTES; minute++) {
    await sleep(Math.max(0, Math.min(60_000, deadline - Date.now())));
    latest = serviceRss();
    if (minute === 1) baseline = latest;
    const done = window;
    window = [];
    console.log(
      `minute ${minute}: ${done.length} requests (${(done.length / 60).toFixed(1)}/s), p99 ${p99(done.map((s) => s.ms))} ms, errors ${done.filter((s) => !s.ok).length}, journeys ${journeys}; RSS MB ${SERVICES.map((s) => `${s} ${Math.round(latest[s] ?? 0)}`).join(', ')}`,
    );
  }
  await Promise.all(users);
  const growth = SERVICES.reduce((sum, s) => sum + ((latest[s] ?? 0) - (baseline?.[s] ?? 0)), 0);
  for (const [kind, count] of errorKinds) console.log(`error ×${count}: ${kind}`);
  console.log(`RESULT case=soak minutes=${MINUTES} p99_ms=${p99(all)} rss_growth_mb=${Math.round(growth)} errors=${errors}`);
  if (launcher?.pid) process.kill(-launcher.pid, 'SIGINT');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
