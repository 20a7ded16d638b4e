import { Card, Label, Text } from '@gravity-ui/uikit';
import type { RegistrySchemas } from '../../api/client';
import { RouterLink } from '../../components/RouterLink';
import { accessibilityLabel, distanceText, FORM_LABELS, providerTypeLabel, ratingText, unitCount } from './dictionary';
import type { CatalogService, DistrictOption } from './lookups';
import { districtOf } from './lookups';
import type { ProviderFilters } from './provider-filters';

export type ProviderSummary = RegistrySchemas['ProviderSummary'];

interface Props {
  providers: ProviderSummary[];
  filters: ProviderFilters;
  services: Map<string, CatalogService>;
  districts: DistrictOption[];
  /** The first position of this page in the whole result (for «1.», «21.»). */
  start: number;
}

/** The results as a list: the search itself and the map's text alternative. */
export function ProviderList({ providers, filters, services, districts, start }: Props) {
  return (
    <ol className="provider-list" start={start}>
      {providers.map((provider) => (
        <li key={provider.id} data-testid="provider-result">
          <ProviderCard provider={provider} filters={filters} services={services} districts={districts} />
        </li>
      ))}
    </ol>
  );
}

function ProviderCard({ provider, filters, services, districts }: { provider: ProviderSummary; filters: ProviderFilters; services: Map<string, CatalogService>; districts: DistrictOption[] }) {
  const shown = provider.services.filter((s) => (!filters.service || s.service_code === filters.service) && (!filters.form || s.form === filters.form));
  const locations = filters.district ? provider.locations.filter((l) => l.district_code.startsWith(filters.district!)) : provider.locations;
  return (
    <Card view="outlined" className="card-pad stack provider-card">
      <div className="stack" style={{ gap: 4 }}>
        <Text as="h3" variant="subheader-3" className="provider-card__title">
          <RouterLink to={`/providers/${provider.id}`}>{provider.name}</RouterLink>
        </Text>
        <div className="row" style={{ gap: 8 }}>
          <Label theme="normal">{providerTypeLabel(provider.type)}</Label>
          <Text>
            <span className="muted">Рейтинг: </span>
            {ratingText(provider.rating, provider.rating_count)}
          </Text>
          {provider.distance_km != null ? (
            <Text>
              <span className="muted">Расстояние: </span>
              {distanceText(provider.distance_km)}
            </Text>
          ) : null}
        </div>
      </div>
      <div>
        <Text as="div" variant="subheader-1">
          Услуги и свободные места в месяц
        </Text>
        <ul className="plain-list">
          {shown.map((s) => {
            const service = services.get(s.service_code);
            return (
              <li key={`${s.service_code}-${s.form}`}>
                {service?.name ?? s.service_code} ({FORM_LABELS[s.form].toLowerCase()}):{' '}
                {s.free_capacity > 0 ? (
                  <>
                    свободно {unitCount(s.free_capacity, service?.unit ?? '')} из {s.capacity_per_month}
                  </>
                ) : (
                  <>свободных мест нет</>
                )}
              </li>
            );
          })}
        </ul>
      </div>
      <div>
        <Text as="div" variant="subheader-1">
          {locations.length > 1 ? 'Адреса' : 'Адрес'}
        </Text>
        <ul className="plain-list">
          {locations.map((l) => {
            const district = districtOf(l.district_code, districts);
            return (
              <li key={`${l.address}-${l.lat}-${l.lon}`}>
                {l.address}
                {district && !l.address.includes(district.name) ? <span className="muted"> · {district.name}</span> : null}
              </li>
            );
          })}
        </ul>
      </div>
      <Text>
        <span className="muted">Доступность: </span>
        {provider.accessibility.length ? provider.accessibility.map(accessibilityLabel).join(', ') : 'сведений нет'}
      </Text>
    </Card>
  );
}
