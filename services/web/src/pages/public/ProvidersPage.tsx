import { lazy, Suspense, useMemo, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { Loader, SegmentedRadioGroup, Text } from '@gravity-ui/uikit';
import { useHref, useLocation, useNavigate } from 'react-router';
import { $registry } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { Pager } from '../../components/Pager';
import { providersCount } from './dictionary';
import { useCatalog, useDistricts } from './lookups';
import { ProviderList } from './ProviderList';
import { ProviderSearchForm, type GeoState } from './ProviderSearchForm';
import { changeFilters, DEFAULT_FILTERS, parseFilters, PER_PAGE, serializeFilters, toSearchQuery, type Origin, type ProviderFilters, type ViewMode } from './provider-filters';

// d3-geo and the drawing live in the map's own chunk: only the map view loads them.
const DistrictMap = lazy(() => import('../../map/DistrictMap').then((m) => ({ default: m.DistrictMap })));

export function ProvidersPage() {
  usePageTitle('Поставщики социальных услуг');
  const location = useLocation();
  const navigate = useNavigate();
  const filters = useMemo(() => parseFilters(location.search), [location.search]);
  const catalog = useCatalog();
  const districts = useDistricts();
  const [geo, setGeo] = useState<GeoState>({ status: 'idle' });

  // Every change is a new history entry, so Back returns to the previous search.
  const go = (next: ProviderFilters) => {
    const search = serializeFilters(next);
    navigate({ pathname: location.pathname, search: search ? `?${search}` : '' });
  };
  const update = (patch: Partial<ProviderFilters>) => go(changeFilters(filters, patch));

  const districtCenter = districts.options.find((d) => d.oktmo === filters.district)?.center;
  const origin: Origin | null = geo.status === 'ready' ? { lat: geo.lat, lon: geo.lon } : districtCenter ? { lon: districtCenter[0], lat: districtCenter[1] } : null;
  const distanceFrom = geo.status === 'ready' ? 'location' : districtCenter ? 'district' : null;
  const { query, sort } = toSearchQuery(filters, origin);
  const search = $registry.useQuery('get', '/v1/providers', { params: { query } }, { placeholderData: keepPreviousData });

  const askLocation = () => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      setGeo({ status: 'unavailable' });
      return;
    }
    setGeo({ status: 'asking' });
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setGeo({ status: 'ready', lat: position.coords.latitude, lon: position.coords.longitude });
        update({ sort: 'distance' });
      },
      () => setGeo({ status: 'denied' }),
      { timeout: 15_000, maximumAge: 10 * 60_000 },
    );
  };

  const providerHref = useHref('/providers');
  const items = search.data?.items ?? [];
  const perPage = PER_PAGE[filters.view];
  const first = (filters.page - 1) * perPage + 1;
  const hasNext = search.data?.next_page != null;

  return (
    <div className="navigator stack">
      <Text as="h1" variant="header-2" className="page-title">
        Поставщики социальных услуг
      </Text>
      <Text>
        Здесь собраны организации и предприниматели, допущенные к оказанию услуг по социальному сертификату. Выберите условия — список и карта обновятся сразу,
        а адрес страницы сохранит их: ссылкой можно поделиться.
      </Text>
      <div className="navigator-search">
        <aside aria-labelledby="filters-title" className="navigator-search__filters">
          <Text as="h2" variant="subheader-3" id="filters-title">
            Условия поиска
          </Text>
          <ProviderSearchForm
            filters={filters}
            services={catalog.services}
            districts={districts.options}
            effectiveSort={sort}
            distanceFrom={distanceFrom}
            geo={geo}
            onChange={update}
            onReset={() => go({ ...DEFAULT_FILTERS, view: filters.view })}
            onAskLocation={askLocation}
          />
        </aside>
        <section aria-labelledby="results-title" aria-busy={search.isPlaceholderData} className="stack navigator-search__results">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <Text as="h2" variant="subheader-3" id="results-title" tabIndex={-1} className="focus-target">
              Результаты
            </Text>
            <SegmentedRadioGroup
              size="l"
              name="view"
              aria-label="Как показать результаты"
              value={filters.view}
              onUpdate={(view: ViewMode) => update({ view })}
              options={[
                { value: 'list', content: 'Список' },
                { value: 'map', content: 'Карта' },
              ]}
            />
          </div>
          <Text role="status" aria-live="polite" color="secondary">
            {search.isPlaceholderData
              ? 'Обновляем список…'
              : search.isSuccess
                ? items.length === 0
                  ? 'Ничего не найдено'
                  : `Страница ${filters.page}: ${providersCount(items.length)}, с ${first} по ${first + items.length - 1}${hasNext ? '; есть ещё' : ''}`
                : ''}
          </Text>
          {filters.sort === 'distance' && sort !== 'distance' ? (
            <Text color="secondary">Сортировка по расстоянию включится, когда вы выберете район или разрешите определить местоположение; пока список упорядочен по рейтингу.</Text>
          ) : null}
          <PageState loading={search.isPending} error={search.error} retry={() => void search.refetch()}>
            {filters.view === 'map' ? (
              districts.error ? (
                <ProblemAlert error={districts.error} retry={() => void districts.refetch()} />
              ) : districts.data ? (
                <Suspense fallback={<Loader size="m" />}>
                  <DistrictMap
                    districts={districts.data}
                    providers={items}
                    selectedDistrict={filters.district}
                    onSelectDistrict={(oktmo) => update({ district: oktmo === filters.district ? null : oktmo })}
                    providerHref={(id) => `${providerHref}/${id}`}
                    onOpenProvider={(id) => navigate(`/providers/${id}`)}
                  />
                </Suspense>
              ) : (
                <Loader size="m" />
              )
            ) : null}
            {items.length === 0 ? (
              <EmptyState title="Поставщики не найдены. Измените условия поиска:">
                выберите другой район или всю область, уберите часть отметок о типе и доступности, покажите поставщиков без свободных мест или выберите
                другую услугу.
              </EmptyState>
            ) : (
              <>
                {filters.view === 'map' ? <Text color="secondary">Те же поставщики списком:</Text> : null}
                <ProviderList providers={items} filters={filters} services={catalog.byCode} districts={districts.options} start={first} />
              </>
            )}
            <Pager
              page={filters.page}
              hasNext={hasNext}
              label="Страницы результатов"
              onChange={(page) => {
                update({ page });
                // The new page starts at the top of the results, and so does the reader.
                const heading = document.getElementById('results-title');
                heading?.focus();
                heading?.scrollIntoView?.({ block: 'start' });
              }}
            />
          </PageState>
        </section>
      </div>
    </div>
  );
}
