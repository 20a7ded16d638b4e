import { AppError } from '@esc/service-kit';
/** What settlement needs to know about a provider to pay it and to name it in reports. */
export interface ProviderDetails {
  id: string;
  name: string;
  inn: string;
  kpp: string | null;
  fundingMode: 'compensation' | 'state_assignment';
  bank: { bic: string; account: string; bankName: string; correspondentAccount: string | null };
}

/** Where provider details come from: the registry in production, a fixed list in tests and the benchmark. */
export interface ProviderDirectory {
  /** Details of the providers found; a provider the source does not know is absent from the map. */
  get(ids: readonly string[]): Promise<Map<string, ProviderDetails>>;
}

/** The registry was unreachable or failed; the caller may try again later. */
const unavailable = (why: string) =>
  new AppError('unavailable', 'registry_unavailable', 'Реестр поставщиков сейчас недоступен; повторите через минуту.', { cause: why });

interface RegistryProvider {
  id: string;
  name: string;
  inn: string;
  kpp?: string | null;
  funding_mode: 'compensation' | 'state_assignment';
  bank: { bic: string; account: string; bank_name: string; correspondent_account?: string | null };
}

/** GET /v1/providers/{id} on the registry with a service token (registry:read), a few requests in flight. */
export class RegistryProviderDirectory implements ProviderDirectory {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
    private readonly concurrency = 8,
  ) {}

  async get(ids: readonly string[]): Promise<Map<string, ProviderDetails>> {
    const found = new Map<string, ProviderDetails>();
    const queue = [...new Set(ids)];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const details = await this.one(id);
        if (details) found.set(id, details);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return found;
  }

  private async one(id: string): Promise<ProviderDetails | undefined> {
    let response: Response;
    try {
      response = await fetch(new URL(`/v1/providers/${id}`, this.baseUrl), { headers: { authorization: `Bearer ${await this.token()}` } });
    } catch (err) {
      throw unavailable((err as Error).message);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw unavailable(`registry answered ${response.status} for provider ${id}`);
    const p = (await response.json()) as RegistryProvider;
    return {
      id: p.id,
      name: p.name,
      inn: p.inn,
      kpp: p.kpp ?? null,
      fundingMode: p.funding_mode,
      bank: { bic: p.bank.bic, account: p.bank.account, bankName: p.bank.bank_name, correspondentAccount: p.bank.correspondent_account ?? null },
    };
  }
}

/** A fixed set of providers (tests, benchmark). */
export class StaticProviderDirectory implements ProviderDirectory {
  private readonly providers = new Map<string, ProviderDetails>();

  constructor(providers: Iterable<ProviderDetails> = []) {
    for (const p of providers) this.providers.set(p.id, p);
  }

  put(provider: ProviderDetails): void {
    this.providers.set(provider.id, provider);
  }

  async get(ids: readonly string[]): Promise<Map<string, ProviderDetails>> {
    const found = new Map<string, ProviderDetails>();
    for (const id of ids) {
      const p = this.providers.get(id);
      if (p) found.set(id, p);
    }
    return found;
  }
}
