/** @jest-environment jsdom */
import { countByDistrict, fittingLabel, layoutDistricts, layoutPoints } from '../src/map/layout';
import { districts, provider } from './navigator-fixtures';

test('When districts come in either winding, then each is drawn as itself, not as the globe around it', () => {
  const reversed = {
    ...districts,
    winding: 'rfc7946' as const,
    features: districts.features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((ring) => [...ring].reverse()) } })),
  };
  for (const collection of [districts, reversed]) {
    const layout = layoutDistricts(collection, 800);
    expect(layout.districts.map((d) => d.oktmo)).toEqual(['73701000', '73605000']);
    for (const d of layout.districts) {
      const [[x0, y0], [x1, y1]] = d.bounds;
      // Fitted into the 800-unit-wide canvas with its padding: a globe-sized shape would fill it whole and leave no room for the other.
      expect(x0).toBeGreaterThanOrEqual(7.9);
      expect(x1).toBeLessThanOrEqual(792.1);
      expect(x1 - x0).toBeLessThan(600);
      expect(y1).toBeLessThanOrEqual(layout.height);
      expect(y0).toBeGreaterThanOrEqual(0);
      expect(d.d).toMatch(/^M/);
    }
  }
});

test('When providers are placed, then every location becomes a point and a district counts each provider once', () => {
  const layout = layoutDistricts(districts, 800);
  const twoOffices = provider('a', 'Два офиса', 'nko', {
    locations: [
      { address: 'г. Ульяновск, ул. Гончарова, д. 12', district_code: '73701000', lat: 54.31, lon: 48.4 },
      { address: 'г. Ульяновск, ул. Радищева, д. 39', district_code: '73701000', lat: 54.3, lon: 48.38 },
    ],
  });
  const barysh = provider('b', 'Барыш', 'nko', { locations: [{ address: 'г. Барыш', district_code: '73605000', lat: 53.65, lon: 47.12 }] });
  const points = layoutPoints(layout, [twoOffices, barysh], null);
  expect(points.map((p) => p.key)).toEqual(['a-0', 'a-1', 'b-0']);
  expect(layoutPoints(layout, [twoOffices, barysh], '73605000').map((p) => p.providerId)).toEqual(['b']);
  expect(countByDistrict(layout.districts, [twoOffices, barysh])).toEqual(new Map([['73701000', 1], ['73605000', 1]]));
  // The point lies inside its district's box.
  const city = layout.districts[0]!;
  expect(points[0]!.x).toBeGreaterThan(city.bounds[0][0]);
  expect(points[0]!.x).toBeLessThan(city.bounds[1][0]);
});

test('When a name does not fit its district, then an abbreviation or nothing is shown', () => {
  const shape = { labelAt: [100, 100] as [number, number], bounds: [[0, 0], [200, 200]] as [[number, number], [number, number]] };
  expect(fittingLabel('Барышский', shape, 13)).toBe('Барышский');
  expect(fittingLabel('Старокулаткинский', { ...shape, bounds: [[40, 0], [160, 200]] }, 13)).toBe('Стар.');
  expect(fittingLabel('Старокулаткинский', { ...shape, bounds: [[90, 0], [110, 200]] }, 13)).toBeNull();
  // A label point near the edge has only the room to that edge on either side.
  expect(fittingLabel('Барышский', { ...shape, labelAt: [30, 100] }, 13)).toBe('Бары.');
});
