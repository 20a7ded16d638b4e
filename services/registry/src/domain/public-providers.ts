import { notFound, type EntityManager } from '@esc/service-kit';
import { admittedProviderRow, providerLocations, publicProviderServices } from '../data-access/navigator-store';
import type { Location } from './providers';

export interface PublicProviderService {
  service_code: string;
  name: string;
  unit: string;
  form: string;
  capacity_per_month: number;
  free_capacity: number;
  admitted_territory: string[];
  tariff: string | null;
  admission: { admitted_at: string | null; round_id: string | null; round_title: string | null };
}

export interface PublicProvider {
  id: string;
  name: string;
  short_name: string | null;
  type: string;
  legal_form: string;
  funding_mode: string;
  region_code: string;
  rating: string | null;
  rating_count: number;
  accessibility: string[];
  contacts: { phone: string; email: string; website: string | null };
  locations: Location[];
  services: PublicProviderService[];
}

/**
 * An admitted provider as the navigator shows it to anyone. Columns are picked one by one, so bank
 * details, identifiers, declarations, licences and contact persons cannot slip in. Anything but an
 * admitted provider is "not found": applicants are nobody's business before they are admitted.
 */
export async function publicProvider(em: EntityManager, id: string, date: string): Promise<PublicProvider> {
  const p = await admittedProviderRow(em, id);
  if (!p) {
    throw notFound('provider_not_found', `Поставщик ${id} не найден среди допущенных к оказанию услуг по социальному сертификату.`, { provider_id: id });
  }
  const locations: Location[] = await providerLocations(em, id);
  // The round that admitted a service is the latest admitted application naming it; a service admitted
  // otherwise (no such application) shows when the provider was last admitted.
  const services = await publicProviderServices(em, id, p.region_code, date);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: p.id,
    name: p.name,
    short_name: p.short_name,
    type: p.type,
    legal_form: p.legal_form,
    funding_mode: p.funding_mode,
    region_code: p.region_code,
    rating: p.rating,
    rating_count: p.rating_count,
    accessibility: p.accessibility,
    contacts: { phone: p.phone, email: p.email, website: p.website },
    locations,
    services: services.map((s) => ({
      service_code: s.service_code,
      name: s.name,
      unit: s.unit,
      form: s.form,
      capacity_per_month: s.capacity_per_month,
      free_capacity: s.free_capacity,
      admitted_territory: s.admitted_territory,
      tariff: s.tariff,
      admission: { admitted_at: iso(s.decided_at ?? s.admitted_status_at), round_id: s.round_id, round_title: s.round_title },
    })),
  };
}
