import { businessDateTime, unprocessable } from '@esc/service-kit';
import type { Deps } from './deps';

/**
 * The IANA time zone of a region (REGION_TIME_ZONES). A region without one is refused rather than
 * guessed: Moscow's date would put cost versions, application windows and deadlines a day off.
 */
export function regionTimeZone(deps: Pick<Deps, 'regionTimeZones'>, regionCode: string): string {
  const zone = deps.regionTimeZones.get(regionCode);
  if (!zone) {
    throw unprocessable(
      'region_time_zone_unknown',
      `Для региона ${regionCode} не задан часовой пояс, а даты отборов и нормативных затрат считаются по местному времени региона. Попросите администратора указать пояс региона в настройке REGION_TIME_ZONES (например, «${regionCode}=Europe/Samara») и повторите.`,
      { region_code: regionCode },
    );
  }
  return zone;
}

/** The region's civil date (YYYY-MM-DD) at `at`: in Ulyanovsk (UTC+4) 20:30 UTC is already the next day. */
export function todayIn(deps: Pick<Deps, 'regionTimeZones'>, regionCode: string, at: Date): string {
  return businessDateTime(at, regionTimeZone(deps, regionCode)).date;
}
