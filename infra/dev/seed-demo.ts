import { createHash } from 'node:crypto';

/**
 * Demo data for region 73 (Ульяновская область), written through the ledger's and the registry's HTTP APIs.
 * Every ledger id is a UUID v5 of a fixed name; registry data is looked up before it is created.
 * Either way, running the seed again changes nothing.
 */

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';
export const DEFAULT_LEDGER_URL = 'http://127.0.0.1:4001';
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:4002';
export const SEED_CLIENT = { client_id: 'certificates', client_secret: 'dev-secret-certificates' };

const REGION = '73';
const HOLD_TIMEOUT_SECONDS = 72 * 3600;
// Any fixed UUID works; changing it would duplicate the demo data under new ids.
const DEMO_NAMESPACE = '0c7a5e2e-8f3b-4d1a-9c6e-3b2f1d7a4e73';

/** RFC 9562 UUID version 5 (SHA-1 of namespace and name). */
export function uuidV5(name: string, namespace = DEMO_NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type AccountCode = 'treasury_source' | 'budget_allocation' | 'certificate' | 'provider_payable' | 'payouts_in_transit' | 'bank_settled';

interface DemoAccount {
  id: string;
  code: AccountCode;
  owner: { type: string; id: string };
  metadata: Record<string, unknown>;
  label: string;
}

interface DemoTransfer {
  id: string;
  debit_account_id?: string;
  credit_account_id?: string;
  amount?: string;
  code?: string;
  reference?: string;
  flags?: { pending?: boolean; post_pending?: boolean };
  pending_id?: string;
  timeout_seconds?: number;
  label: string;
}

const account = (key: string, code: AccountCode, owner: DemoAccount['owner'], label: string, metadata: Record<string, unknown>): DemoAccount => ({
  id: uuidV5(`account/${key}`),
  code,
  owner,
  label,
  metadata: inJsonbKeyOrder(metadata),
});

/**
 * The ledger tells a repeated account request from a conflicting one by comparing JSON texts of the
 * metadata, and PostgreSQL's jsonb returns keys shortest first, then bytewise. Sending them in that
 * order keeps the seed's repeats answering 200 instead of 409.
 */
function inJsonbKeyOrder(metadata: Record<string, unknown>): Record<string, unknown> {
  const byJsonbOrder = ([a]: [string, unknown], [b]: [string, unknown]) =>
    Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));
  return Object.fromEntries(Object.entries(metadata).sort(byJsonbOrder));
}

const PROGRAMMES = [
  { key: 'du-2026', code: 'ДУ-2026', name: 'Долговременный уход 2026', funded: '50000000.00' },
  { key: 'rdi-2026', code: 'РДИ-2026', name: 'Реабилитация детей-инвалидов 2026', funded: '12000000.00' },
] as const;

// The first two are the gateway's demo providers (services/gateway/src/domain/demo-users.ts), so
// their demo staff own these payables.
const PROVIDERS = [
  { key: 'zabota', id: '6e9de740-d447-49a2-a48f-a219e95a9be5', kind: 'ngo', name: 'АНО «Центр социальной помощи „Забота“»' },
  { key: 'rehab', id: 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b', kind: 'social_enterprise', name: 'ООО «Реабилитация Плюс»' },
  { key: 'kcson', id: uuidV5('provider/kcson'), kind: 'state_institution', name: 'ОГБУСО «Комплексный центр социального обслуживания „Доверие“»' },
] as const;

const CITIZENS = {
  ivanova: 'citizen:c80b4081-efb9-4a21-876f-347976278ce6',
  smirnov: 'citizen:6df27a00-b64a-4288-ba7c-7e1d86f7a6e1',
};

const CERTIFICATES: Array<{ programme: (typeof PROGRAMMES)[number]['key']; amount: string; holder?: string }> = [
  { programme: 'du-2026', amount: '86400.00', holder: CITIZENS.ivanova },
  { programme: 'du-2026', amount: '129600.00', holder: CITIZENS.smirnov },
  { programme: 'du-2026', amount: '43200.00' },
  { programme: 'du-2026', amount: '172800.00' },
  { programme: 'du-2026', amount: '64800.00' },
  { programme: 'du-2026', amount: '97200.00' },
  { programme: 'du-2026', amount: '115200.00' },
  { programme: 'rdi-2026', amount: '150000.00' },
  { programme: 'rdi-2026', amount: '210000.00' },
  { programme: 'rdi-2026', amount: '96000.00' },
];

export const certificateNumber = (index: number) => {
  const certificate = CERTIFICATES[index];
  const programme = PROGRAMMES.find((p) => p.key === certificate?.programme);
  return `${REGION}-${programme?.code ?? '?'}-${String(index + 1).padStart(4, '0')}`;
};

export const DEMO_IDS = {
  treasury: uuidV5('account/treasury/73'),
  allocation: (key: (typeof PROGRAMMES)[number]['key']) => uuidV5(`account/allocation/${key}`),
  payable: (key: (typeof PROVIDERS)[number]['key']) => uuidV5(`account/payable/${key}`),
  certificate: (index: number) => uuidV5(`account/certificate/${certificateNumber(index)}`),
};

export function demoAccounts(): DemoAccount[] {
  return [
    account('treasury/73', 'treasury_source', { type: 'region', id: REGION }, 'казначейство региона 73', {
      name: 'Министерство социального развития Ульяновской области',
    }),
    ...PROGRAMMES.map((p) =>
      account(`allocation/${p.key}`, 'budget_allocation', { type: 'programme', id: p.code }, `лимит «${p.name}»`, { name: p.name, year: 2026 }),
    ),
    ...PROVIDERS.map((p) =>
      account(`payable/${p.key}`, 'provider_payable', { type: 'provider', id: p.id }, `к оплате: ${p.name}`, { name: p.name, kind: p.kind }),
    ),
    account('payouts/73-2026-01', 'payouts_in_transit', { type: 'payout_batch', id: '73-2026-01' }, 'выплаты в пути, пакет 73-2026-01', {
      name: 'Пакет выплат 73-2026-01',
    }),
    account('bank/73', 'bank_settled', { type: 'region', id: REGION }, 'проведено банком, регион 73', { name: 'Расчёты с банком, регион 73' }),
    ...CERTIFICATES.map((c, index) => {
      const number = certificateNumber(index);
      return account(`certificate/${number}`, 'certificate', { type: 'certificate', id: number }, `сертификат ${number}`, {
        number,
        programme: PROGRAMMES.find((p) => p.key === c.programme)?.name,
        ...(c.holder ? { holder: c.holder } : {}),
      });
    }),
  ];
}

export function demoTransfers(): DemoTransfer[][] {
  const funding = PROGRAMMES.map(
    (p): DemoTransfer => ({
      id: uuidV5(`transfer/fund/${p.key}`),
      debit_account_id: DEMO_IDS.treasury,
      credit_account_id: DEMO_IDS.allocation(p.key),
      amount: p.funded,
      code: 'fund_programme',
      reference: `ЛБО ${p.code}`,
      label: `финансирование «${p.name}» ${rub(p.funded)}`,
    }),
  );
  const issuing = CERTIFICATES.map(
    (c, index): DemoTransfer => ({
      id: uuidV5(`transfer/issue/${certificateNumber(index)}`),
      debit_account_id: DEMO_IDS.allocation(c.programme),
      credit_account_id: DEMO_IDS.certificate(index),
      amount: c.amount,
      code: 'issue_certificate',
      reference: certificateNumber(index),
      label: `выдача сертификата ${certificateNumber(index)} ${rub(c.amount)}`,
    }),
  );
  const hold = (act: string, certificate: number, provider: (typeof PROVIDERS)[number]['key'], amount: string): DemoTransfer => ({
    id: uuidV5(`transfer/hold/${act}`),
    debit_account_id: DEMO_IDS.certificate(certificate),
    credit_account_id: DEMO_IDS.payable(provider),
    amount,
    code: 'authorise_delivery',
    reference: act,
    flags: { pending: true },
    timeout_seconds: HOLD_TIMEOUT_SECONDS,
    label: `удержание по акту ${act} (${certificateNumber(certificate)}) ${rub(amount)}, 72 ч`,
  });
  const posted = hold('АКТ-73-0003', 1, 'kcson', '4320.00');
  const delivery = [
    hold('АКТ-73-0001', 0, 'zabota', '2880.00'),
    hold('АКТ-73-0002', 7, 'rehab', '12500.00'),
    posted,
    {
      id: uuidV5('transfer/post/АКТ-73-0003'),
      pending_id: posted.id,
      flags: { post_pending: true },
      reference: 'АКТ-73-0003',
      label: `проведение удержания по акту АКТ-73-0003 (подтверждено получателем)`,
    },
  ];
  return [funding, issuing, delivery];
}

function rub(amount: string): string {
  return `${new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2 }).format(Number(amount))} ₽`;
}

// ── Registry: providers, a selection round, applications and decisions ──

// The gateway's demo users (services/gateway/src/domain/demo-users.ts); a provider admin's token
// carries the provider id its organisation is registered under.
const PROVIDER_ADMINS = { zabota: 'zabota-admin', rehab: 'rehab-admin' } as const;
const COMMITTEE = 'committee-73';

type RegistryProviderKey = keyof typeof PROVIDER_ADMINS;

// OKTMO of the round's territory: Ульяновск and Димитровград.
const ULYANOVSK = '73701000';
const DIMITROVGRAD = '73705000';

// Identifiers are made up for the demo but pass the check digits (services/registry/src/domain/identifiers.ts).
const ULYANOVSK_SBERBANK = {
  bic: '047308602',
  bank_name: 'Ульяновское отделение № 8588 ПАО Сбербанк',
  correspondent_account: '30101810000000000602',
};

/** Declarations the formal checks require, each backed by a document (no expiry, so they stay valid). */
const DECLARATIONS = {
  no_tax_arrears: { declared: true, document: { kind: 'Справка ФНС об исполнении обязанности по уплате налогов', number: '2026-73-1187', issued_at: '2026-11-02' } },
  not_bankrupt: { declared: true, document: { kind: 'Выписка из ЕФРСБ', number: 'ЕФРСБ-73-0412', issued_at: '2026-11-02' } },
  not_liquidating: { declared: true, document: { kind: 'Выписка из ЕГРЮЛ', number: 'ЮЭ9965-26-73001', issued_at: '2026-11-02' } },
  not_unscrupulous_supplier: { declared: true, document: { kind: 'Выписка из реестра недобросовестных поставщиков', number: 'РНП-73-0019', issued_at: '2026-11-02' } },
};

/** POST /v1/providers bodies; `services` are what each applies for in the round. */
const REGISTRATIONS: Record<RegistryProviderKey, { label: string; body: Record<string, unknown>; apply: string[]; staffScore: number }> = {
  zabota: {
    label: 'АНО «Забота» (СОНКО, уход на дому)',
    apply: ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT'],
    staffScore: 8,
    body: {
      inn: '7325012347',
      ogrn: '1027300001233',
      kpp: '732501001',
      name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
      short_name: 'АНО «Забота»',
      legal_form: 'Автономная некоммерческая организация',
      type: 'sonko',
      funding_mode: 'compensation',
      registered_at: '2002-08-16',
      region_code: REGION,
      contacts: { phone: '+78422410001', email: 'info@zabota73.ru', contact_person: 'Кузнецова Ольга Викторовна' },
      bank: { ...ULYANOVSK_SBERBANK, account: '40703810269000001234' },
      licences: [],
      declarations: DECLARATIONS,
      accessibility: ['ramp', 'home_visits'],
      locations: [
        { address: 'г. Ульяновск, ул. Гончарова, д. 12', district_code: ULYANOVSK, lat: 54.3142, lon: 48.4031 },
        { address: 'г. Ульяновск, пр-т Ульяновский, д. 4', district_code: ULYANOVSK, lat: 54.3627, lon: 48.5852 },
      ],
      services: [
        { service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 400 },
        { service_code: 'HOME-PSYCH-VISIT', capacity_per_month: 60 },
      ],
    },
  },
  rehab: {
    label: 'ООО «Реабилитация Плюс» (социальное предприятие, реабилитация детей)',
    apply: ['CHILD-REHAB-COURSE'],
    staffScore: 8,
    body: {
      inn: '7328045679',
      ogrn: '1157325004561',
      kpp: '732801001',
      name: 'Общество с ограниченной ответственностью «Реабилитация Плюс»',
      short_name: 'ООО «Реабилитация Плюс»',
      legal_form: 'Общество с ограниченной ответственностью',
      type: 'social_enterprise',
      funding_mode: 'compensation',
      registered_at: '2015-03-10',
      region_code: REGION,
      contacts: { phone: '+78422410002', email: 'info@rehab73.ru', contact_person: 'Волкова Анна Николаевна' },
      bank: { ...ULYANOVSK_SBERBANK, account: '40702810369000005678' },
      // CHILD-REHAB-COURSE needs a licence (the catalog's licence_required).
      licences: [
        {
          number: 'Л041-01187-73/00345678',
          issued_by: 'Министерство здравоохранения Ульяновской области',
          issued_at: '2016-02-01',
          service_codes: ['CHILD-REHAB-COURSE'],
        },
      ],
      declarations: DECLARATIONS,
      accessibility: ['wheelchair_access', 'elevator', 'accessible_toilet'],
      locations: [
        { address: 'г. Ульяновск, ул. Радищева, д. 39, дневной реабилитационный центр', district_code: ULYANOVSK, lat: 54.3105, lon: 48.3846 },
        { address: 'г. Димитровград, ул. Гагарина, д. 5, филиал', district_code: DIMITROVGRAD, lat: 54.2167, lon: 49.6167 },
      ],
      services: [{ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 30 }],
    },
  },
};

const ROUND_TITLE = 'Отбор исполнителей услуг по социальному сертификату, Ульяновск и Димитровград, 2027';

/**
 * The round covers the catalog's services. Its window opens an hour before the first seed and stays
 * open 60 days; the committee decides during the window (the registry does not wait for it to close).
 */
function demoRound(now = new Date()) {
  return {
    title: ROUND_TITLE,
    region_code: REGION,
    territory: [ULYANOVSK, DIMITROVGRAD],
    service_codes: ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT', 'CHILD-REHAB-COURSE'],
    applications_open_at: new Date(now.getTime() - 3600_000).toISOString(),
    applications_close_at: new Date(now.getTime() + 60 * 86_400_000).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [
      { code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: 10, source: 'auto' },
      { code: 'accessibility', name: 'Условия доступности для инвалидов', weight: '1', max_points: 5, source: 'auto' },
      { code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' },
    ],
    threshold: '40',
    sonko_preference_points: '5',
  };
}

interface RegistryApplication {
  id: string;
  provider_id: string;
  service_codes: string[];
  status: string;
  decision: { outcome: string; total_points: string | null; refusal?: { reason: string } } | null;
}

const refusalOf = (application: RegistryApplication) => application.decision?.refusal?.reason ?? `статус «${application.status}»`;

interface Tally {
  created: number;
  existed: number;
}

export interface SeedReport {
  accounts: Tally;
  transfers: Tally;
  providers: Tally;
  rounds: Tally;
  applications: Tally;
  decisions: Tally;
}

interface Options {
  gatewayUrl?: string;
  ledgerUrl?: string;
  registryUrl?: string;
  log?: (line: string) => void;
}

/** One JSON request to a running service; a connection failure says the marketplace may not be running. */
export async function call(method: string, url: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new Error(`${method} ${url} failed (${String((err as Error).cause ?? (err as Error).message)}); is the marketplace running (pnpm start)?`, { cause: err });
  }
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export const describeProblem = (body: unknown) => {
  const problem = body as { code?: string; detail?: string } | undefined;
  return problem?.code ? `${problem.code}: ${problem.detail ?? ''}` : JSON.stringify(body);
};

const tally = (): Tally => ({ created: 0, existed: 0 });

export async function seedDemo(options: Options = {}): Promise<SeedReport> {
  const gatewayUrl = options.gatewayUrl ?? process.env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL;
  const ledgerUrl = options.ledgerUrl ?? process.env.LEDGER_URL ?? DEFAULT_LEDGER_URL;
  const registryUrl = options.registryUrl ?? process.env.REGISTRY_URL ?? DEFAULT_REGISTRY_URL;
  const log = options.log ?? ((line: string) => console.log(line));

  const tokenRes = await call('POST', `${gatewayUrl}/v1/auth/service-token`, SEED_CLIENT);
  const token = (tokenRes.body as { access_token?: string } | undefined)?.access_token;
  if (tokenRes.status !== 200 || !token) throw new Error(`service token: ${tokenRes.status} ${describeProblem(tokenRes.body)}`);

  const report: SeedReport = { accounts: tally(), transfers: tally(), providers: tally(), rounds: tally(), applications: tally(), decisions: tally() };
  log('Счета / accounts:');
  for (const { label, ...fields } of demoAccounts()) {
    const res = await call('POST', `${ledgerUrl}/v1/accounts`, { ...fields, ledger: 'RUB', region_code: REGION }, token);
    if (res.status !== 201 && res.status !== 200) throw new Error(`account ${fields.id} (${label}): ${res.status} ${describeProblem(res.body)}`);
    const created = res.status === 201;
    report.accounts[created ? 'created' : 'existed'] += 1;
    log(`  ${created ? 'created' : 'exists '}  ${fields.code.padEnd(17)} ${label}`);
  }

  log('Проводки / transfers:');
  for (const batch of demoTransfers()) {
    const res = await call('POST', `${ledgerUrl}/v1/transfers`, { transfers: batch.map(({ label: _label, ...t }) => t) }, token);
    const results = (res.body as { results?: Array<{ id: string; status: string; code?: string; detail?: string }> } | undefined)?.results;
    if (!results) throw new Error(`transfers: ${res.status} ${describeProblem(res.body)}`);
    batch.forEach((transfer, i) => {
      const result = results[i];
      if (result?.status === 'created' || result?.status === 'exists') {
        report.transfers[result.status === 'created' ? 'created' : 'existed'] += 1;
        log(`  ${result.status.padEnd(7)}  ${transfer.label}`);
      } else {
        log(`  FAILED   ${transfer.label}: ${result?.code ?? '?'} ${result?.detail ?? ''}`);
      }
    });
    const failed = results.filter((r) => r.status === 'failed').length;
    if (failed) throw new Error(`${failed} demo transfer(s) were rejected (see above)`);
  }

  await seedRegistry(gatewayUrl, registryUrl, report, log);

  const total = (name: keyof SeedReport) => `${name} ${report[name].created} created, ${report[name].existed} existed`;
  log(`Итого / total: ${(Object.keys(report) as Array<keyof SeedReport>).map(total).join('; ')}`);
  return report;
}

/** Only the registry's part: the demo providers registered and admitted through a round. Other services' tests build on it. */
export async function seedRegistryDemo(gatewayUrl: string, registryUrl: string): Promise<void> {
  const report: SeedReport = { accounts: tally(), transfers: tally(), providers: tally(), rounds: tally(), applications: tally(), decisions: tally() };
  await seedRegistry(gatewayUrl, registryUrl, report, () => undefined);
}

/** Signs the gateway's demo users in, once each. */
export function demoSignIn(gatewayUrl: string): (username: string) => Promise<string> {
  const password = process.env.DEMO_PASSWORD ?? 'demo';
  const tokens = new Map<string, Promise<string>>();
  const signIn = async (username: string) => {
    const res = await call('POST', `${gatewayUrl}/v1/auth/sign-in`, { username, password });
    const token = (res.body as { access_token?: string } | undefined)?.access_token;
    if (res.status !== 200 || !token) throw new Error(`sign-in as ${username}: ${res.status} ${describeProblem(res.body)}`);
    return token;
  };
  return (username) => {
    if (!tokens.has(username)) tokens.set(username, signIn(username));
    return tokens.get(username)!;
  };
}

async function seedRegistry(gatewayUrl: string, registryUrl: string, report: SeedReport, log: (line: string) => void): Promise<void> {
  const tokenOf = demoSignIn(gatewayUrl);
  const registry = async (method: string, path: string, as: string, body?: unknown, expected: number[] = [200]) => {
    const res = await call(method, `${registryUrl}${path}`, body, await tokenOf(as));
    if (!expected.includes(res.status)) throw new Error(`${method} ${path} as ${as}: ${res.status} ${describeProblem(res.body)}`);
    return res;
  };
  const keys = Object.keys(REGISTRATIONS) as RegistryProviderKey[];
  const providerId = (key: RegistryProviderKey) => PROVIDERS.find((p) => p.key === key)!.id;

  log('Поставщики / providers:');
  for (const key of keys) {
    const { label, body } = REGISTRATIONS[key];
    // The provider's id comes from its admin's token, so it is looked up by that id.
    const existing = await registry('GET', `/v1/providers/${providerId(key)}`, PROVIDER_ADMINS[key], undefined, [200, 404]);
    const created = existing.status === 404;
    if (created) await registry('POST', '/v1/providers', PROVIDER_ADMINS[key], body, [201]);
    report.providers[created ? 'created' : 'existed'] += 1;
    log(`  ${created ? 'created' : 'exists '}  ${label}`);
  }

  log('Отбор / selection round:');
  const rounds = (await registry('GET', '/v1/rounds', COMMITTEE)).body as { items: Array<{ id: string; title: string; region_code: string }> };
  const found = rounds.items.find((r) => r.title === ROUND_TITLE && r.region_code === REGION);
  const round = found ?? ((await registry('POST', '/v1/rounds', COMMITTEE, demoRound(), [201])).body as { id: string });
  report.rounds[found ? 'existed' : 'created'] += 1;
  log(`  ${found ? 'exists ' : 'created'}  «${ROUND_TITLE}» (${round.id})`);

  log('Заявки / applications:');
  const applications = new Map<RegistryProviderKey, RegistryApplication>();
  for (const key of keys) {
    const { label, apply } = REGISTRATIONS[key];
    const own = (await registry('GET', `/v1/rounds/${round.id}/applications`, PROVIDER_ADMINS[key])).body as { items: RegistryApplication[] };
    const found = own.items[0];
    const application =
      found ?? ((await registry('POST', `/v1/rounds/${round.id}/applications`, PROVIDER_ADMINS[key], { service_codes: apply }, [201])).body as RegistryApplication);
    report.applications[found ? 'existed' : 'created'] += 1;
    log(`  ${found ? 'exists ' : 'created'}  ${label}: ${application.service_codes.join(', ')}`);
    if (application.status === 'refused') throw new Error(`the application of ${label} was refused at the formal checks: ${refusalOf(application)}`);
    applications.set(key, application);
  }

  log('Решения комиссии / committee decisions:');
  for (const key of keys) {
    const { label, staffScore } = REGISTRATIONS[key];
    let application = applications.get(key)!;
    const created = application.status === 'awaiting_scoring';
    if (created) {
      const path = `/v1/rounds/${round.id}/applications/${application.id}/decision`;
      application = (await registry('POST', path, COMMITTEE, { scores: { qualified_staff: staffScore } })).body as RegistryApplication;
    }
    if (application.status !== 'admitted') throw new Error(`${label} was not admitted: ${refusalOf(application)}`);
    report.decisions[created ? 'created' : 'existed'] += 1;
    log(`  ${created ? 'created' : 'exists '}  ${label}: допущен, ${application.decision?.total_points ?? '?'} баллов`);
  }
}

if (require.main === module) {
  seedDemo().catch((err: unknown) => {
    console.error(`seed failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
