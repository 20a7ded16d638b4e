import { businessDateTime, unprocessable } from '@esc/service-kit';
import type { Deps } from './context';

/**
 * The IANA time zone of a region (REGION_TIME_ZONES). A region without one is refused rather than
 * guessed: Moscow's date would end certificates, deadlines and acts a day off east or west of it.
 */
export function regionTimeZone(zones: ReadonlyMap<string, string>, regionCode: string): string {
  const zone = zones.get(regionCode);
  if (!zone) {
    throw unprocessable(
      'region_time_zone_unknown',
      `Для региона ${regionCode} не задан часовой пояс, а сроки сертификатов и обследований считаются по местному времени региона. Попросите администратора указать пояс региона в настройке REGION_TIME_ZONES (например, «${regionCode}=Europe/Samara») и повторите.`,
      { region_code: regionCode },
    );
  }
  return zone;
}

/** The region's business date (YYYY-MM-DD) at `at`: in Ulyanovsk (UTC+4) 20:30 UTC is already the next day. */
export function regionDateAt(zones: ReadonlyMap<string, string>, regionCode: string, at: Date): string {
  return businessDateTime(at, regionTimeZone(zones, regionCode)).date;
}

/** Today in the region, by the service's clock. */
export function todayIn(deps: Pick<Deps, 'regionTimeZones' | 'clock'>, regionCode: string): string {
  return regionDateAt(deps.regionTimeZones, regionCode, deps.clock());
}

/** Today in every region with a zone, by the service's clock (the expiry job ends each region's certificates on its own midnight). */
export function todayInEachRegion(deps: Pick<Deps, 'regionTimeZones' | 'clock'>): Map<string, string> {
  const now = deps.clock();
  return new Map([...deps.regionTimeZones].map(([code, zone]) => [code, businessDateTime(now, zone).date]));
}
