import { createHash } from 'node:crypto';

/**
 * Demo data for region 73 (Ульяновская область), written through the ledger's HTTP API.
 * Every id is a UUID v5 of a fixed name, so running the seed again changes nothing.
 */

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';
export const DEFAULT_LEDGER_URL = 'http://127.0.0.1:4001';
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

export interface SeedReport {
  accounts: { created: number; existed: number };
  transfers: { created: number; existed: number };
}

interface Options {
  gatewayUrl?: string;
  ledgerUrl?: string;
  log?: (line: string) => void;
}

async function call(method: string, url: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
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

const describeProblem = (body: unknown) => {
  const problem = body as { code?: string; detail?: string } | undefined;
  return problem?.code ? `${problem.code}: ${problem.detail ?? ''}` : JSON.stringify(body);
};

export async function seedDemo(options: Options = {}): Promise<SeedReport> {
  const gatewayUrl = options.gatewayUrl ?? process.env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL;
  const ledgerUrl = options.ledgerUrl ?? process.env.LEDGER_URL ?? DEFAULT_LEDGER_URL;
  const log = options.log ?? ((line: string) => console.log(line));

  const tokenRes = await call('POST', `${gatewayUrl}/v1/auth/service-token`, SEED_CLIENT);
  const token = (tokenRes.body as { access_token?: string } | undefined)?.access_token;
  if (tokenRes.status !== 200 || !token) throw new Error(`service token: ${tokenRes.status} ${describeProblem(tokenRes.body)}`);

  const report: SeedReport = { accounts: { created: 0, existed: 0 }, transfers: { created: 0, existed: 0 } };
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

  log(
    `Итого / total: accounts ${report.accounts.created} created, ${report.accounts.existed} existed; ` +
      `transfers ${report.transfers.created} created, ${report.transfers.existed} existed`,
  );
  return report;
}

if (require.main === module) {
  seedDemo().catch((err: unknown) => {
    console.error(`seed failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
