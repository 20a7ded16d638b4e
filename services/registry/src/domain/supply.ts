import { AppError, forbidden, type Principal } from '@esc/service-kit';
import { catalogServices, providerShares } from '../data-access/supply-store';
import type { Deps } from './deps';

export interface ProviderShare {
  id: string;
  name: string;
  type: string;
  funding_mode: 'state_assignment' | 'compensation';
  capacity_per_month: number;
  booked_per_month: number;
}

export interface DistrictSupply {
  district_code: string;
  service_code: string;
  providers: ProviderShare[];
  capacity_per_month: number;
  booked_per_month: number;
}

export interface RegionSupply {
  region_code: string;
  as_of: string;
  services: Array<{ code: string; name: string; kind: string; form: string }>;
  items: DistrictSupply[];
}

const READERS = ['committee', 'admin', 'auditor'] as const;

/** The committee, admins, auditors, finance of the region and services with registry:read. */
export function assertReadsSupply(principal: Principal, regionCode: string): void {
  if (READERS.some((r) => principal.roles.includes(r))) return;
  if (principal.kind === 'service' && principal.scopes.includes('registry:read')) return;
  if (principal.roles.includes('finance')) {
    if (principal.regionCode === regionCode) return;
    throw new AppError('forbidden', 'other_region', `Финансовый орган региона ${principal.regionCode ?? '—'} не видит предложение поставщиков региона ${regionCode}.`, {
      region_code: regionCode,
    });
  }
  throw forbidden('Предложение поставщиков по районам видят комиссия по отбору, финансовый орган, министерство и контроль.');
}

/** Admitted capacity per district and service, with each provider's share. */
export async function regionSupply(deps: Deps, principal: Principal, input: { region: string }): Promise<RegionSupply> {
  assertReadsSupply(principal, input.region);
  const em = deps.orm.em.fork();
  const shares = await providerShares(em, input.region);
  const services = await catalogServices(em);
  const items = new Map<string, DistrictSupply>();
  for (const share of shares) {
    const key = `${share.district_code}|${share.service_code}`;
    let item = items.get(key);
    if (!item) {
      item = { district_code: share.district_code, service_code: share.service_code, providers: [], capacity_per_month: 0, booked_per_month: 0 };
      items.set(key, item);
    }
    item.providers.push({ id: share.provider_id, name: share.name, type: share.type, funding_mode: share.funding_mode, capacity_per_month: share.capacity_per_month, booked_per_month: share.booked_per_month });
    item.capacity_per_month += share.capacity_per_month;
    item.booked_per_month += share.booked_per_month;
  }
  return { region_code: input.region, as_of: deps.now().toISOString(), services, items: [...items.values()] };
}
