import { notFound, type Principal } from '@esc/service-kit';
import { admittedProviderRow, providerLocations, publicProviderServices, type AdmittedProviderRow, type PublicProviderServiceRow } from '../data-access/navigator-store';
import { todayIn } from './clock';
import type { Deps } from './deps';
import type { Location } from './provider-model';

export interface PublicProvider {
  provider: AdmittedProviderRow;
  locations: Location[];
  /** Admitted services with today's tariff in the provider's region and the round that admitted each. */
  services: PublicProviderServiceRow[];
}

/**
 * An admitted provider as the navigator shows it to anyone: only its public columns are read. Anything
 * but an admitted provider is "not found": applicants are nobody's business before they are admitted.
 */
export async function publicProvider(deps: Deps, _principal: Principal, input: { id: string }): Promise<PublicProvider> {
  const em = deps.orm.em.fork();
  const provider = await admittedProviderRow(em, input.id);
  if (!provider) {
    throw notFound('provider_not_found', `Поставщик ${input.id} не найден среди допущенных к оказанию услуг по социальному сертификату.`, { provider_id: input.id });
  }
  const locations = await providerLocations(em, input.id);
  const services = await publicProviderServices(em, input.id, provider.region_code, todayIn(deps, provider.region_code, deps.now()));
  return { provider, locations, services };
}
