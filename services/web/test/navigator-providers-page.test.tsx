/** @jest-environment jsdom */
import './navigator-setup';
import { act, fireEvent, screen } from '@testing-library/react';
import type { QueryClient } from '@tanstack/react-query';
import { ProvidersPage } from '../src/pages/public/ProvidersPage';
import { parseFilters, toSearchQuery } from '../src/pages/public/provider-filters';
import { page, provider, renderRoutes } from './navigator-fixtures';

const routes = [
  { path: '/providers', element: <ProvidersPage /> },
  { path: '/providers/:id', element: <p>Страница поставщика</p> },
];

/** The search the page must ask for the given address, seeded with its answer. */
function seedSearch(client: QueryClient, search: string, answer: ReturnType<typeof page>) {
  const { query } = toSearchQuery(parseFilters(search), null);
  client.setQueryData(['get', '/v1/providers', { params: { query } }], answer);
}

const zabota = provider('6e9de740-d447-49a2-a48f-a219e95a9be5', 'АНО «Центр социальной помощи „Забота“»', 'sonko');
const kcson = provider('0f8e3c2a-5d1b-4c6e-9a7f-2b3c4d5e6f70', 'ОГБУСО «КЦСОН „Доверие“»', 'state_institution', { rating: null, rating_count: 0 });
const barysh = provider('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'ООО «Забота Барыш»', 'social_enterprise', {
  locations: [{ address: 'г. Барыш, ул. Пушкина, д. 3', district_code: '73605000', lat: 53.65, lon: 47.12 }],
});

test('When a person ticks a provider type, then the address gains the filter, the new list is shown and Back restores the old one', async () => {
  const { router } = renderRoutes(routes, '/providers?service=HOME-HOUSEHOLD-HOUR&page=2', (client) => {
    seedSearch(client, '?service=HOME-HOUSEHOLD-HOUR&page=2', page([kcson, zabota], 2));
    seedSearch(client, '?service=HOME-HOUSEHOLD-HOUR&type=nko', page([zabota]));
  });

  expect(await screen.findByRole('heading', { level: 1, name: 'Поставщики социальных услуг' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'ОГБУСО «КЦСОН „Доверие“»' })).toBeTruthy();
  expect(screen.getByText('4,6 из 5 · 12 оценок')).toBeTruthy();
  expect(screen.getByText('Пока нет оценок')).toBeTruthy();

  const nko = screen.getByRole('checkbox', { name: 'Некоммерческая организация (НКО, СОНКО)' });
  expect((nko as HTMLInputElement).checked).toBe(false);
  fireEvent.click(nko);

  // A new filter starts at page 1; the URL is the whole state.
  expect(router.location.search).toBe('?service=HOME-HOUSEHOLD-HOUR&type=nko');
  expect(await screen.findByText('Страница 1: 1 поставщик, с 1 по 1')).toBeTruthy();
  expect(screen.queryByRole('link', { name: 'ОГБУСО «КЦСОН „Доверие“»' })).toBeNull();
  expect((screen.getByRole('checkbox', { name: 'Некоммерческая организация (НКО, СОНКО)' }) as HTMLInputElement).checked).toBe(true);

  act(() => void router.navigate(-1));
  expect(router.location.search).toBe('?service=HOME-HOUSEHOLD-HOUR&page=2');
  expect(await screen.findByRole('link', { name: 'ОГБУСО «КЦСОН „Доверие“»' })).toBeTruthy();
  expect((screen.getByRole('checkbox', { name: 'Некоммерческая организация (НКО, СОНКО)' }) as HTMLInputElement).checked).toBe(false);
});

test('When the search finds nobody, then the page says so and how to widen it', async () => {
  renderRoutes(routes, '/providers?accessibility=braille', (client) => seedSearch(client, '?accessibility=braille', page([])));
  expect(await screen.findByText('Поставщики не найдены. Измените условия поиска:')).toBeTruthy();
});

test('When every filter control is rendered, then each has a label a screen reader announces', async () => {
  const { container } = renderRoutes(routes, '/providers', (client) => seedSearch(client, '', page([zabota])));
  await screen.findByRole('link', { name: zabota.name });
  for (const id of ['filter-service', 'filter-district', 'filter-form', 'filter-free']) {
    const control = container.querySelector(`#${id}`);
    expect(control).not.toBeNull();
    expect(container.querySelector(`label[for="${id}"]`)?.textContent).toBeTruthy();
    expect(['BUTTON', 'INPUT', 'SELECT']).toContain(control!.tagName);
  }
  // Distance needs a point: without a district or the person's location it is offered but disabled.
  expect((screen.getByRole('radio', { name: 'Сначала ближайшие' }) as HTMLInputElement).disabled).toBe(true);
  expect(screen.getByRole('radiogroup', { name: 'Порядок' })).toBeTruthy();
});

test('When the map is shown, then districts and providers are keyboard targets and Enter on a district filters by it', async () => {
  const { router } = renderRoutes(routes, '/providers?view=map', (client) => {
    seedSearch(client, '?view=map', { items: [zabota, barysh], page: 1, per_page: 100, next_page: null });
    seedSearch(client, '?district=73605000&view=map', { items: [barysh], page: 1, per_page: 100, next_page: null });
  });

  const ulyanovsk = await screen.findByRole('button', { name: /^город Ульяновск: найден 1 поставщик\./ });
  expect(ulyanovsk.getAttribute('tabindex')).toBe('0');
  expect(ulyanovsk.querySelector('title')?.textContent).toBe('город Ульяновск: найден 1 поставщик');
  expect(screen.getByText('Схема районов условная, не для измерения расстояний.')).toBeTruthy();
  const point = screen.getByRole('link', { name: /^АНО «Центр социальной помощи „Забота“», г\. Ульяновск, ул\. Гончарова, д\. 12/ });
  expect(point.getAttribute('href')).toBe(`/providers/${zabota.id}`);

  const barysh_ = screen.getByRole('button', { name: /^Барышский район: найден 1 поставщик\./ });
  fireEvent.keyDown(barysh_, { key: 'Enter' });
  expect(router.location.search).toBe('?district=73605000&view=map');
  const selected = await screen.findByRole('button', { name: /^Барышский район: найден 1 поставщик, выбран/ });
  expect(selected.getAttribute('aria-pressed')).toBe('true');
  // The list under the map is its text alternative: the same providers.
  expect(screen.getByRole('heading', { level: 3, name: 'ООО «Забота Барыш»' })).toBeTruthy();
  expect(screen.queryByRole('heading', { level: 3, name: zabota.name })).toBeNull();

  fireEvent.click(screen.getByRole('link', { name: /^ООО «Забота Барыш», г\. Барыш/ }));
  expect(router.location.pathname).toBe(`/providers/${barysh.id}`);
});

test('When the person switches to the map, then the filters stay in the address and the same providers are drawn', async () => {
  const { router } = renderRoutes(routes, '/providers?type=state,social&page=2', (client) => {
    seedSearch(client, '?type=state,social&page=2', page([kcson], 2));
    seedSearch(client, '?type=state,social&view=map', { items: [kcson, barysh], page: 1, per_page: 100, next_page: null });
  });
  await screen.findByRole('link', { name: kcson.name });
  fireEvent.click(screen.getByRole('radio', { name: 'Карта' }));
  expect(router.location.search).toBe('?type=state,social&view=map');
  expect(await screen.findByRole('button', { name: /^Барышский район: найден 1 поставщик\./ })).toBeTruthy();
  expect(screen.getByRole('link', { name: /^ООО «Забота Барыш», г\. Барыш, ул\. Пушкина, д\. 3\. Открыть/ })).toBeTruthy();
  expect(screen.getByRole('heading', { level: 3, name: kcson.name })).toBeTruthy();
  act(() => void router.navigate(-1));
  expect(await screen.findByText('Страница 2: 1 поставщик, с 11 по 11')).toBeTruthy();
});
