import createClient, { type Middleware } from 'openapi-fetch';
import type { registry } from '@esc/api-types';
import { AppError } from '@esc/service-kit';

type Schemas = registry.components['schemas'];
export type RegistryUnitCost = Schemas['UnitCost'];
export type RegistryProvider = Omit<Schemas['Provider'], 'services'> & {
  services: Array<{ service_code: string; capacity_per_month: number; admitted?: boolean; admitted_territory?: string[] }>;
};
export type RegistryProviderSummary = Schemas['ProviderSummary'];
export type RegistrySupply = Schemas['RegionSupply'];
export interface RegistryService {
  code: string;
  name: string;
  form: 'home' | 'day_care' | 'residential';
  unit: string;
  standard: { max_volume_per_month?: number } & Record<string, unknown>;
}

const unavailable = (what: string, status?: number) =>
  new AppError('unavailable', 'registry_unavailable', `Реестр поставщиков и услуг сейчас недоступен (${what}${status ? `, ${status}` : ''}). Повторите попытку через минуту.`);

/** The registry's catalog, costs and providers, read with this service's token. */
export class RegistryClient {
  private readonly http;

  constructor(baseUrl: string, token: () => Promise<string>) {
    this.http = createClient<registry.paths>({ baseUrl });
    const auth: Middleware = {
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${await token()}`);
        return request;
      },
    };
    this.http.use(auth);
  }

  async service(code: string): Promise<RegistryService | undefined> {
    const { data, response } = await this.call('catalog', () => this.http.GET('/v1/catalog/services/{code}', { params: { path: { code } } }));
    if (response.status === 404) return undefined;
    if (!data) throw unavailable('catalog', response.status);
    return data as unknown as RegistryService;
  }

  /** The unit cost as the registry computes it for a date, or the registry's refusal (unknown service, no cost in force, unknown coefficient). */
  async unitCost(code: string, region: string, date: string, coefficients: string[]): Promise<RegistryUnitCost> {
    const { data, error, response } = await this.call('cost', () =>
      this.http.GET('/v1/catalog/services/{code}/cost', {
        params: { path: { code }, query: { region, date, ...(coefficients.length ? { coefficients: coefficients.join(',') } : {}) } as never },
      }),
    );
    if (data) return data;
    if (response.status >= 400 && response.status < 500) {
      const problem = error as { code?: string; detail?: string } | undefined;
      throw new AppError('unprocessable', problem?.code ?? 'cost_unavailable', problem?.detail ?? `Нет нормативной стоимости услуги ${code} на ${date}.`, {
        service_code: code,
      });
    }
    throw unavailable('cost', response.status);
  }

  async provider(id: string): Promise<RegistryProvider | undefined> {
    const { data, response } = await this.call('providers', () => this.http.GET('/v1/providers/{id}', { params: { path: { id } } }));
    if (response.status === 404) return undefined;
    if (!data) throw unavailable('providers', response.status);
    return data as RegistryProvider;
  }

  async searchProviders(query: { service: string; district?: string; perPage?: number }): Promise<RegistryProviderSummary[]> {
    const { data, response } = await this.call('search', () =>
      this.http.GET('/v1/providers', {
        params: { query: { service: query.service, ...(query.district ? { district: query.district } : {}), per_page: query.perPage ?? 50 } as never },
      }),
    );
    if (!data) throw unavailable('search', response.status);
    return (data as { items: RegistryProviderSummary[] }).items;
  }

  /** Admitted capacity per district and service of a region, with the catalog. */
  async supply(region: string): Promise<RegistrySupply> {
    const { data, response } = await this.call('supply', () => this.http.GET('/v1/regions/{region}/supply', { params: { path: { region } } }));
    if (!data) throw unavailable('supply', response.status);
    return data;
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch {
      throw unavailable(what);
    }
  }
}
