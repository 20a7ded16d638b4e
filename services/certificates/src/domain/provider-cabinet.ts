import { forbidden, type Principal } from '@esc/service-kit';
import type { BookingStatus } from '../data-access/booking-store';
import { linesOfCertificates } from '../data-access/cabinet-store';
import type { DeliveryStatus } from '../data-access/delivery-store';
import { actsOfProvider, inboxOfProvider, type InboxBookingRow, type ProviderActRow } from '../data-access/provider-cabinet-store';
import { isProviderOf, readsEverything } from './access';
import { actTotalsByLine, lineMoney, UNFUNDED } from './balances';
import { regionDateAt, todayIn } from './business-date';
import type { Deps } from './context';
import { addWorkingDays } from './working-days';

export type { InboxBookingRow, ProviderActRow } from '../data-access/provider-cabinet-store';

/** Working days a provider has to answer a booking, counted after the day it was requested. */
export const BOOKING_RESPONSE_WORKING_DAYS = 2;

export function assertOwnProvider(principal: Principal, providerId: string): void {
  if (!isProviderOf(principal, providerId) && !readsEverything(principal)) throw forbidden('Кабинет поставщика доступен только его сотрудникам.', 'not_your_provider');
}

/** A booking as the provider's inbox shows it. */
export interface InboxBooking {
  booking: InboxBookingRow;
  respondBy: string;
  overdue: boolean;
  available: string;
  /** Null when the registry cannot be read. */
  admission: { territory: string[]; inScope: boolean } | null;
}

/** The region's last day to answer, counted from the day after the request as 442-FZ deadlines are. */
export function respondBy(requestedOn: string): string {
  return addWorkingDays(requestedOn, BOOKING_RESPONSE_WORKING_DAYS);
}

export async function providerInbox(deps: Deps, principal: Principal, input: { id: string; status?: BookingStatus }): Promise<InboxBooking[]> {
  assertOwnProvider(principal, input.id);
  const em = deps.orm.em.fork();
  const rows = await inboxOfProvider(em, input.id, input.status);
  const certificateIds = [...new Set(rows.map((r) => r.certificate_id))];
  const available = new Map<string, string>();
  if (certificateIds.length) {
    const lines = await linesOfCertificates(em, certificateIds);
    const totals = await actTotalsByLine(em, certificateIds);
    for (const id of certificateIds) {
      const row = rows.find((r) => r.certificate_id === id)!;
      const money = lineMoney(
        lines.filter((l) => l.certificate_id === id),
        totals,
        row.certificate_released_amount,
        !UNFUNDED.includes(row.certificate_status),
      );
      for (const m of money) available.set(m.line_id, m.available.toString());
    }
  }
  const registry = await deps.registry.provider(input.id).catch(() => undefined);
  return rows.map((b) => {
    const requestedOn = regionDateAt(deps.regionTimeZones, b.region_code, new Date(b.requested_at));
    const deadline = respondBy(requestedOn);
    const offered = registry?.services.find((s) => s.service_code === b.service_code);
    const territory = offered?.admitted_territory ?? [];
    return {
      booking: b,
      respondBy: deadline,
      overdue: b.status === 'requested' && todayIn(deps, b.region_code) > deadline,
      available: available.get(b.line_id) ?? '0.00',
      admission: registry
        ? {
            territory,
            inScope: offered?.admitted === true && (territory.length === 0 || (b.district_code != null && territory.some((t) => b.district_code!.startsWith(t))) || territory.includes(b.region_code)),
          }
        : null,
    };
  });
}

export async function providerActs(deps: Deps, principal: Principal, input: { id: string; status?: DeliveryStatus }): Promise<ProviderActRow[]> {
  assertOwnProvider(principal, input.id);
  return actsOfProvider(deps.orm.em.fork(), input.id, input.status);
}
