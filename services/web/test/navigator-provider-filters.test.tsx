/** @jest-environment jsdom */
import { changeFilters, DEFAULT_FILTERS, parseFilters, serializeFilters, toSearchQuery, type ProviderFilters } from '../src/pages/public/provider-filters';

test('When the address has no query, then the search starts from the defaults', () => {
  expect(parseFilters('')).toEqual(DEFAULT_FILTERS);
  expect(DEFAULT_FILTERS).toMatchObject({ sort: 'rating', view: 'list', page: 1, free: 1, types: [], accessibility: [] });
  expect(serializeFilters(DEFAULT_FILTERS)).toBe('');
});

test('When the address names every filter, then each is read into the state', () => {
  const filters = parseFilters('?service=HOME-HOUSEHOLD-HOUR&district=73701000&form=home&type=social,nko&accessibility=ramp,home_visits&free=5&sort=name&view=map&page=3');
  expect(filters).toEqual<ProviderFilters>({
    service: 'HOME-HOUSEHOLD-HOUR',
    district: '73701000',
    form: 'home',
    types: ['nko', 'social'],
    accessibility: ['ramp', 'home_visits'],
    free: 5,
    sort: 'name',
    view: 'map',
    page: 3,
  });
});

test('When values are unknown or malformed, then they are dropped and the defaults stay', () => {
  const filters = parseFilters(
    '?service=<script>&district=7370&form=boat&type=nko,pirates,nko&accessibility=ramp,teleport&free=-1&sort=price&view=globe&page=0',
  );
  expect(filters).toEqual<ProviderFilters>({ ...DEFAULT_FILTERS, types: ['nko'], accessibility: ['ramp'] });
  expect(parseFilters('?page=abc&free=1.5').page).toBe(1);
  expect(parseFilters('?page=abc&free=1.5').free).toBe(1);
  expect(parseFilters('?district=73701000123').district).toBe('73701000123');
});

test('When a value is repeated as separate keys, then it is read like a comma-separated one', () => {
  expect(parseFilters('?type=state&type=social').types).toEqual(['state', 'social']);
  expect(parseFilters('?service=home-household-hour').service).toBe('HOME-HOUSEHOLD-HOUR');
});

test('When the state is written to the address and read back, then nothing changes and defaults are left out', () => {
  const states: ProviderFilters[] = [
    DEFAULT_FILTERS,
    { ...DEFAULT_FILTERS, service: 'CHILD-REHAB-COURSE', types: ['state', 'social'], free: 0, view: 'map' },
    { ...DEFAULT_FILTERS, district: '73705000', form: 'day_care', accessibility: ['wheelchair_access', 'elevator'], sort: 'distance', page: 4 },
  ];
  for (const state of states) expect(parseFilters(serializeFilters(state))).toEqual(state);
  expect(serializeFilters(states[1]!)).toBe('service=CHILD-REHAB-COURSE&type=state,social&free=0&view=map');
  expect(serializeFilters({ ...DEFAULT_FILTERS, types: ['social', 'state'] })).toBe('type=state,social');
});

test('When a filter changes, then the search starts again at page 1; a page change keeps the filters', () => {
  const onPage3 = { ...DEFAULT_FILTERS, service: 'HOME-PSYCH-VISIT', page: 3 };
  expect(changeFilters(onPage3, { form: 'home' })).toEqual({ ...onPage3, form: 'home', page: 1 });
  expect(changeFilters(onPage3, { page: 4 })).toEqual({ ...onPage3, page: 4 });
  expect(changeFilters(onPage3, { view: 'map' })).toMatchObject({ service: 'HOME-PSYCH-VISIT', view: 'map', page: 1 });
});

test('When the API is asked, then groups become provider types and distance needs a point', () => {
  const filters = { ...DEFAULT_FILTERS, types: ['nko', 'social'] as ProviderFilters['types'], accessibility: ['ramp'] as ProviderFilters['accessibility'], sort: 'distance' as const };
  const withoutPoint = toSearchQuery(filters, null);
  expect(withoutPoint.sort).toBe('rating');
  expect(withoutPoint.query).toEqual({ sort: 'rating', min_free_capacity: 1, page: 1, per_page: 10, type: 'nko,sonko,social_enterprise,entrepreneur', accessibility: 'ramp' });
  const withPoint = toSearchQuery({ ...filters, view: 'map' }, { lat: 54.314212345, lon: 48.403123456 });
  expect(withPoint.query).toMatchObject({ sort: 'distance', lat: 54.3142, lon: 48.4031, per_page: 100 });
});
