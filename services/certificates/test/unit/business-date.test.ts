import { regionDateAt, regionTimeZone } from '../../src/domain/business-date';
import { regionTimeZonesOf } from '../../src/config';

const zones = regionTimeZonesOf({ REGION_TIME_ZONES: '77=Europe/Moscow' });

describe('The business date of a region', () => {
  test('When it is 20:30 UTC, then it is already the next day in Ulyanovsk (UTC+4) but still the same day in Moscow (UTC+3)', () => {
    const at = new Date('2026-12-06T20:30:00Z');
    expect(regionDateAt(zones, '73', at)).toBe('2026-12-07');
    expect(regionDateAt(zones, '77', at)).toBe('2026-12-06');
    expect(regionDateAt(zones, '73', new Date('2026-12-06T19:59:59Z'))).toBe('2026-12-06');
  });

  test('When a region has no zone, then it is refused (422 region_time_zone_unknown), not dated in Moscow time', () => {
    expect(() => regionTimeZone(zones, '63')).toThrow(expect.objectContaining({ code: 'region_time_zone_unknown', kind: 'unprocessable' }));
  });

  test('When REGION_TIME_ZONES is bad, then start-up fails naming the entry; 73 is built in', () => {
    expect(regionTimeZonesOf({ REGION_TIME_ZONES: '' }).get('73')).toBe('Europe/Ulyanovsk');
    expect(() => regionTimeZonesOf({ REGION_TIME_ZONES: '63=Europe/Nowhere' })).toThrow(/63=Europe\/Nowhere/);
  });
});
