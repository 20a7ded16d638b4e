/** @jest-environment jsdom */
import { answer, calls, type Call } from './cabinet-fetch';
import { ThemeProvider } from '@gravity-ui/uikit';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { CertificatesSchemas } from '../src/api/client';
import { DeficitsForRound } from '../src/pages/deficits/DeficitsForRound';

const row = (district: string, deficit: number, change: CertificatesSchemas['DeficitEntry']['change']): CertificatesSchemas['DeficitEntry'] => ({
  district_code: district,
  service_code: 'HOME-HOUSEHOLD-HOUR',
  service_name: 'Социально-бытовые услуги на дому',
  service_kind: 'household',
  recognised_people: 3,
  programme_volume: 40,
  lines_without_provider: 2,
  lines_waiting_booking: 0,
  uncertified_volume: 8,
  waiting_people: 3,
  vulnerable_people: 1,
  waiting_volume: 40,
  waiting_amount: '1000.00',
  waiting_days_avg: 3,
  waiting_days_max: 5,
  providers: 0,
  capacity: 0,
  booked: 0,
  free: 0,
  deficit,
  categories: {},
  previous_deficit: null,
  change,
});

const register: CertificatesSchemas['DeficitRegister'] = {
  region_code: '73',
  month: '2026-12',
  computed_at: '2026-12-07T10:00:00Z',
  supply_as_of: '2026-12-07T10:00:00Z',
  previous_month: null,
  months: ['2026-12'],
  items: [row('73701000', 0, 'none'), row('73636000', 30, 'new')],
};

function route(call: Call) {
  if (call.path.startsWith('/api/certificates/v1/regions/73/deficits?')) return { body: register };
  if (call.path.startsWith('/api/registry/v1/regions/73/districts')) {
    return {
      body: {
        type: 'FeatureCollection',
        region_code: '73',
        region_name: 'Ульяновская область',
        winding: 'd3',
        features: [{ type: 'Feature', id: '73636000', properties: { oktmo: '73636000', name: 'Радищевский район', kind: 'district', center: [47.8, 52.8] }, geometry: { type: 'Polygon', coordinates: [] } }],
      },
    };
  }
  return { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'Не найдено' } };
}

function renderComponent(props: { serviceCodes: string[]; territory: string[] }) {
  const router = createMemoryRouter([{ path: '/', element: <DeficitsForRound region="73" {...props} /> }]);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <ThemeProvider theme="light" lang="ru">
      <QueryClientProvider client={client}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>,
  );
}

beforeEach(() => {
  calls.length = 0;
  answer(route);
});

test("A committee's round shows the deficits of its services and territory, asked for by both, largest first, and links to the register", async () => {
  renderComponent({ serviceCodes: ['HOME-HOUSEHOLD-HOUR'], territory: ['73636000', '73701000'] });
  const table = await screen.findByRole('table', { name: /Дефициты по расчёту за декабрь 2026/ });
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows).toHaveLength(1);
  expect(within(rows[0]!).getByRole('rowheader').textContent).toBe('Радищевский район');
  expect(rows[0]!.textContent).toContain('30');
  expect(calls.find((c) => c.path.includes('/deficits?'))?.path).toBe(
    '/api/certificates/v1/regions/73/deficits?service_code=HOME-HOUSEHOLD-HOUR&district_code=73636000%2C73701000',
  );
  expect(screen.getByRole('link', { name: 'Весь реестр и карта дефицитов' }).getAttribute('href')).toBe('/deficits');
});

test('Without services or territory chosen it asks nothing and says what to choose', async () => {
  renderComponent({ serviceCodes: [], territory: [] });
  expect(await screen.findByText('Выберите услуги и территорию отбора, чтобы увидеть дефициты.')).toBeTruthy();
  expect(calls.some((c) => c.path.includes('/deficits'))).toBe(false);
});
