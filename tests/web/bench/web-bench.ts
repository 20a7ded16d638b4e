/**
 * pnpm bench:web — what the web app costs a person on a slow device.
 * 1. The gzip size of the JavaScript each route loads first (the entry chunk, the route's own chunk and
 *    their static imports, from Vite's manifest); public and citizen pages must stay ≤ 200 KB.
 * 2. In Chromium with 4× CPU throttling, over 50,000 admitted providers:
 *    - search: a visitor on the navigator's home page opens the provider search (the header link) —
 *      the time from the click to the first provider results;
 *    - cold open: the same search opened by its address in a fresh profile (nothing cached: the
 *      whole app downloaded, parsed and started first);
 *    - baseline, measured the same cold way: the sign-in page, the app with no search at all.
 * Ends with `RESULT case=web first_load_kb=<n> staff_first_load_kb=<n> search_p95_ms=<n> cold_open_p95_ms=<n>`
 * (first_load_kb: the largest public or citizen route; staff_first_load_kb: the largest home route of the
 * provider's, case worker's and committee's cabinets).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { createTestDatabase } from '@esc/testing';
import { createGateway } from 'gateway/src/app';
import { createRegistryService } from 'registry/src/app';
import { seedBenchProviders } from '../../../services/registry/bench/seed-providers';
import { launchChromium } from '../browser';
import { WEB_DIST_DIR } from '../stack';

const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CPU_SLOWDOWN = 4;
const LIMIT_KB = 200;
const SEARCH_P95_LIMIT_MS = 1000;

const ROUTES: Array<{ path: string; source: string }> = [
  { path: '/', source: 'src/pages/public/HomePage.tsx' },
  { path: '/services', source: 'src/pages/public/ServicesPage.tsx' },
  { path: '/services/:code', source: 'src/pages/public/ServicePage.tsx' },
  { path: '/providers', source: 'src/pages/public/ProvidersPage.tsx' },
  { path: '/providers/:id', source: 'src/pages/public/ProviderPage.tsx' },
  { path: '/rounds', source: 'src/pages/public/RoundsPage.tsx' },
  { path: '/rounds/:id', source: 'src/pages/public/RoundResultsPage.tsx' },
  { path: '/situations', source: 'src/pages/public/SituationsPage.tsx' },
  { path: '/situations/:code', source: 'src/pages/public/SituationPage.tsx' },
  { path: '/sign-in', source: 'src/pages/SignInPage.tsx' },
  { path: '/cabinet/certificates', source: 'src/pages/citizen/CertificatesPage.tsx' },
  { path: '/cabinet/certificates/:id', source: 'src/pages/citizen/CertificatePage.tsx' },
  { path: '/cabinet/certificates/:id/lines/:lineId/book', source: 'src/pages/citizen/BookProviderPage.tsx' },
  { path: '/cabinet/bookings', source: 'src/pages/citizen/BookingsPage.tsx' },
  { path: '/cabinet/acts', source: 'src/pages/citizen/ActsPage.tsx' },
  { path: '/cabinet/requests', source: 'src/pages/citizen/RequestsPage.tsx' },
];

/** The staff cabinets whose home route (the index route of their routes.tsx) is measured. */
const STAFF_CABINETS: Array<{ path: string; folder: string }> = [
  { path: '/provider', folder: 'provider' },
  { path: '/caseworker', folder: 'caseworker' },
  { path: '/committee', folder: 'committee' },
];

/** The page module a cabinet's index route loads, read from its routes.tsx so that a renamed page is still found. */
function homeSource(folder: string): string {
  const routes = readFileSync(join(__dirname, '../../../services/web/src/pages', folder, 'routes.tsx'), 'utf8');
  const match = /index:\s*true[^}]*?import\('\.\/([^']+)'\)/s.exec(routes);
  if (!match) throw new Error(`no index route with a lazily imported page in src/pages/${folder}/routes.tsx`);
  return `src/pages/${folder}/${match[1]}.tsx`;
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

function routeSizes(routes: Array<{ path: string; source: string }>): Array<{ path: string; kb: number }> {
  const manifest = JSON.parse(readFileSync(join(WEB_DIST_DIR, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gzipKb = (file: string) => gzipSync(readFileSync(join(WEB_DIST_DIR, file))).length / 1024;
  const closure = (key: string, seen: Set<string>) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) closure(imported, seen);
  };
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entry) throw new Error('no entry chunk in the Vite manifest');
  return routes.map(({ path, source }) => {
    if (!manifest[source]) throw new Error(`${source} (route ${path}) is not a chunk of the build`);
    const chunks = new Set<string>();
    closure(entry, chunks);
    closure(source, chunks);
    const kb = [...chunks].reduce((sum, key) => sum + (manifest[key]!.file.endsWith('.js') ? gzipKb(manifest[key]!.file) : 0), 0);
    return { path, kb: Math.round(kb * 10) / 10 };
  });
}

const RESULT_SELECTOR = '[data-testid="provider-result"]';

async function slowPage(browser: Browser) {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page };
}

/** Milliseconds from navigation to `selector` visible, in a fresh profile with the CPU slowed down. */
async function timeColdOpen(browser: Browser, url: string, selector: string): Promise<number> {
  const { context, page } = await slowPage(browser);
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 30_000 });
  const elapsed = performance.now() - started;
  await context.close();
  return elapsed;
}

/** Milliseconds from clicking «Поставщики» on the navigator's home page to the first results. */
async function timeSearchFromNavigator(browser: Browser, url: string): Promise<number> {
  const { context, page } = await slowPage(browser);
  await page.goto(`${url}/`);
  const link = page.getByRole('navigation', { name: 'Навигатор услуг' }).getByRole('link', { name: 'Поставщики', exact: true });
  await link.waitFor();
  // A visitor reads the home page before going on: the click comes once it has settled.
  await page.waitForLoadState('networkidle');
  const started = performance.now();
  await link.click();
  await page.locator(RESULT_SELECTOR).first().waitFor({ state: 'visible', timeout: 30_000 });
  const elapsed = performance.now() - started;
  await context.close();
  return elapsed;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
};

async function main() {
  const sizes = routeSizes(ROUTES);
  for (const { path, kb } of sizes) console.log(`first load ${path.padEnd(44)} ${kb.toFixed(1).padStart(6)} KB gzip${kb > LIMIT_KB ? '  OVER ' + LIMIT_KB : ''}`);
  const firstLoadKb = Math.max(...sizes.map((s) => s.kb));
  const staffSizes = routeSizes(STAFF_CABINETS.map(({ path, folder }) => ({ path, source: homeSource(folder) })));
  for (const { path, kb } of staffSizes) console.log(`first load ${`${path} (staff home)`.padEnd(44)} ${kb.toFixed(1).padStart(6)} KB gzip`);
  const staffFirstLoadKb = Math.max(...staffSizes.map((s) => s.kb));

  const db = await createTestDatabase('bench_web');
  const registry = await createRegistryService({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false });
  const registryUrl = (await registry.start(0)).url;
  const gateway = await createGateway({ LOG_LEVEL: 'warn', WEB_DIST_DIR, REGISTRY_URL: registryUrl } as never);
  const url = (await gateway.start(0)).url;
  const browser = await launchChromium();
  try {
    const seeded = Date.now();
    await seedBenchProviders(db.url, PROVIDERS);
    console.log(`seeded ${PROVIDERS} admitted providers in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const search = () => timeSearchFromNavigator(browser, url);
    const cold = () => timeColdOpen(browser, `${url}/providers`, RESULT_SELECTOR);
    const shell = () => timeColdOpen(browser, `${url}/sign-in`, 'h1');
    await search();
    await cold();
    await shell();
    const searchMs: number[] = [];
    const coldMs: number[] = [];
    const shellMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      shellMs.push(await shell());
      coldMs.push(await cold());
      searchMs.push(await search());
    }
    const figures = (values: number[]) => `p50_ms=${percentile(values, 50)} p95_ms=${percentile(values, 95)}`;
    console.log(`CPU ${CPU_SLOWDOWN}× slower, a fresh profile each run, ${RUNS} runs each`);
    console.log(`BASELINE case=app_shell_cold ${figures(shellMs)}`);
    console.log(`cold open of the search over ${PROVIDERS} providers: ${figures(coldMs)}`);
    console.log(`search from the navigator over ${PROVIDERS} providers: ${figures(searchMs)} (limit p95 ${SEARCH_P95_LIMIT_MS} ms)`);
    console.log(`RESULT case=web first_load_kb=${Math.round(firstLoadKb)} staff_first_load_kb=${Math.round(staffFirstLoadKb)} search_p95_ms=${percentile(searchMs, 95)} cold_open_p95_ms=${percentile(coldMs, 95)}`);
  } finally {
    await browser.close();
    await gateway.stop();
    await registry.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
