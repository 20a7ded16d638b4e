import { ConfigError } from '@esc/service-kit';
import { loadSettlementConfig, regionTimeZonesOf } from '../../src/config';
import { businessDateTime, isoDateTimeWithOffset, regionTimeZone, russianDate } from '../../src/domain/business-time';
import { codeThrown } from './principals';

describe('businessDateTime: the region’s calendar and clock', () => {
  test('23:52 UTC on 6 December is 03:52 on 7 December in Ulyanovsk (UTC+4), 02:52 in Moscow (UTC+3)', () => {
    const at = new Date('2026-12-06T23:52:00Z');
    const ulyanovsk = businessDateTime(at, 'Europe/Ulyanovsk');
    expect(ulyanovsk).toEqual({ date: '2026-12-07', time: '03:52:00', offset: '+04:00', year: 2026, timeZone: 'Europe/Ulyanovsk' });
    expect(russianDate(ulyanovsk)).toBe('07.12.2026');
    expect(isoDateTimeWithOffset(ulyanovsk)).toBe('2026-12-07T03:52:00+04:00');
    expect(isoDateTimeWithOffset(businessDateTime(at, 'Europe/Moscow'))).toBe('2026-12-07T02:52:00+03:00');
  });

  test('offsets east and west of UTC, fractions of a second dropped, and the new year arriving before UTC’s', () => {
    expect(isoDateTimeWithOffset(businessDateTime(new Date('2026-12-06T23:52:00.999Z'), 'Asia/Novosibirsk'))).toBe('2026-12-07T06:52:00+07:00');
    expect(isoDateTimeWithOffset(businessDateTime(new Date('2026-12-06T23:52:00Z'), 'America/St_Johns'))).toBe('2026-12-06T20:22:00-03:30');
    expect(businessDateTime(new Date('2026-12-31T20:30:00Z'), 'Europe/Ulyanovsk')).toMatchObject({ date: '2027-01-01', time: '00:30:00', year: 2027 });
  });

  test('a region without a configured zone is refused rather than dated in Moscow time', () => {
    const zones = regionTimeZonesOf(loadSettlementConfig({}));
    expect(regionTimeZone(zones, '73')).toBe('Europe/Ulyanovsk');
    expect(codeThrown(() => regionTimeZone(zones, '63'))).toBe('region_time_zone_unknown');
  });
});

describe('REGION_TIME_ZONES', () => {
  test('73 is Europe/Ulyanovsk and 77 Europe/Moscow by default; the setting adds regions and may override', () => {
    expect([...regionTimeZonesOf(loadSettlementConfig({}))]).toEqual([['73', 'Europe/Ulyanovsk'], ['77', 'Europe/Moscow']]);
    const zones = regionTimeZonesOf(loadSettlementConfig({ REGION_TIME_ZONES: '63=Europe/Samara, 73=Europe/Samara' }));
    expect(Object.fromEntries(zones)).toEqual({ '73': 'Europe/Samara', '63': 'Europe/Samara', '77': 'Europe/Moscow' });
  });

  test('start-up refuses an unknown zone, a bad region code, and a payer region without a zone', () => {
    expect(() => loadSettlementConfig({ REGION_TIME_ZONES: '73=Europe/Ulyanovsk,63=Mars/Olympus' })).toThrow(/REGION_TIME_ZONES.*Mars\/Olympus/);
    expect(() => loadSettlementConfig({ REGION_TIME_ZONES: '7=Europe/Samara' })).toThrow(ConfigError);
    expect(() => regionTimeZonesOf({ REGION_TIME_ZONES: '', PAYER_REGION_CODE: '63' })).toThrow(/payer's region 63/);
  });
});
