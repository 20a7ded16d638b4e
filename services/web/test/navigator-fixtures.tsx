import './navigator-setup';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ThemeProvider } from '@gravity-ui/uikit';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation, useNavigate, type Location, type NavigateFunction } from 'react-router';
import type { RegistrySchemas } from '../src/api/client';
import { catalogInit, districtsInit } from '../src/pages/public/lookups';

type Service = RegistrySchemas['Service'];
type ProviderSummary = RegistrySchemas['ProviderSummary'];

export const services: Service[] = [
  {
    code: 'HOME-HOUSEHOLD-HOUR',
    name: 'Помощь по дому',
    kind: 'household',
    form: 'home',
    unit: 'hour',
    standard: { content: 'Покупка продуктов, уборка, приготовление пищи', staff_qualification: 'Социальный работник', max_volume_per_month: 60 },
    licence_required: false,
    description: 'Социальный работник приходит домой и помогает с делами по хозяйству.',
    eligibility: 'Люди, которые частично утратили способность себя обслуживать.',
    documents: ['Паспорт', 'СНИЛС'],
    procedure: 'Подайте заявление в комплексный центр социального обслуживания или через Госуслуги.',
    deadlines: { assessment_working_days: 5, programme_working_days: 10, text: 'Решение — за 5 рабочих дней, программа — за 10.' },
    current_cost: { region_code: '73', amount: '412.50', valid_from: '2026-01-01' },
    coefficients: [{ code: 'rural', kind: 'territory', name: 'Сельская местность', factor: '1.15' }],
  },
  {
    code: 'CHILD-REHAB-COURSE',
    name: 'Курс реабилитации ребёнка',
    kind: 'medical',
    form: 'day_care',
    unit: 'course',
    standard: { content: 'Занятия с логопедом и инструктором ЛФК', staff_qualification: 'Врач ЛФК', max_volume_per_month: 1 },
    licence_required: true,
    description: null,
    eligibility: null,
    documents: [],
    procedure: null,
    current_cost: null,
    coefficients: [],
  },
];

const ring = (west: number, south: number, east: number, north: number) => [
  [west, north],
  [east, north],
  [east, south],
  [west, south],
  [west, north],
];

export const districts: RegistrySchemas['DistrictCollection'] = {
  type: 'FeatureCollection',
  region_code: '73',
  region_name: 'Ульяновская область',
  schematic: true,
  winding: 'd3',
  attribution: 'Схема составлена для демонстрации',
  note: 'Границы показаны приблизительно.',
  features: [
    {
      type: 'Feature',
      id: '73701000',
      properties: { oktmo: '73701000', name: 'город Ульяновск', kind: 'city_okrug', center: [48.4, 54.3] },
      geometry: { type: 'Polygon', coordinates: [ring(48.2, 54.2, 48.6, 54.45)] },
    },
    {
      type: 'Feature',
      id: '73605000',
      properties: { oktmo: '73605000', name: 'Барышский район', kind: 'municipal_district', center: [47.3, 53.65] },
      geometry: { type: 'Polygon', coordinates: [ring(46.9, 53.4, 47.7, 53.9)] },
    },
  ],
};

export function provider(id: string, name: string, type: string, overrides: Partial<ProviderSummary> = {}): ProviderSummary {
  return {
    id,
    name,
    short_name: null,
    type,
    funding_mode: 'compensation',
    rating: '4.60',
    rating_count: 12,
    accessibility: ['ramp'],
    distance_km: null,
    locations: [{ address: 'г. Ульяновск, ул. Гончарова, д. 12', district_code: '73701000', lat: 54.3142, lon: 48.4031 }],
    services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', form: 'home', capacity_per_month: 400, free_capacity: 12 }],
    ...overrides,
  };
}

export function page(items: ProviderSummary[], pageNumber = 1, nextPage: number | null = null) {
  return { items, page: pageNumber, per_page: 10, next_page: nextPage };
}

export interface Probe {
  location: Location;
  navigate: NavigateFunction;
}

/** Lets a test read the address and press Back, as the person's browser would. */
function LocationProbe({ probe }: { probe: Partial<Probe> }) {
  probe.location = useLocation();
  probe.navigate = useNavigate();
  return null;
}

/**
 * The pages over a memory router (the data router needs fetch's Request, which jsdom lacks), with
 * answers seeded under the exact keys openapi-react-query asks; nothing else is mocked.
 */
export function renderRoutes(routes: { path: string; element: ReactElement }[], url: string, seed: (client: QueryClient) => void = () => undefined) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(['get', '/v1/catalog/services', catalogInit], { items: services });
  client.setQueryData(['get', '/v1/regions/{region}/districts', districtsInit], districts);
  seed(client);
  const probe: Partial<Probe> = {};
  const view = render(
    <QueryClientProvider client={client}>
      <ThemeProvider theme="light" lang="ru">
        <MemoryRouter initialEntries={[url]}>
          <LocationProbe probe={probe} />
          <Routes>
            {routes.map((route) => (
              <Route key={route.path} path={route.path} element={route.element} />
            ))}
          </Routes>
        </MemoryRouter>
      </ThemeProvider>
    </QueryClientProvider>,
  );
  return { router: probe as Probe, client, ...view };
}
