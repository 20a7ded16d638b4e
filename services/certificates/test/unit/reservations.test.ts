import { capacityReservedBy } from '../../src/domain/reservations';

const ZABOTA = '6e9de740-d447-49a2-a48f-a219e95a9be5';
const REHAB = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';

describe('capacityReservedBy: what closing a certificate frees, per provider and service, in lock order', () => {
  test('When bookings share a provider and service, then their monthly units add up into one entry', () => {
    expect(
      capacityReservedBy([
        { provider_id: ZABOTA, service_code: 'HOME-HOUSEHOLD-HOUR', units_per_month: 20 },
        { provider_id: ZABOTA, service_code: 'HOME-HOUSEHOLD-HOUR', units_per_month: 4 },
      ]),
    ).toEqual([{ providerId: ZABOTA, serviceCode: 'HOME-HOUSEHOLD-HOUR', unitsPerMonth: 24 }]);
  });

  test('When bookings are at several providers and services, then the entries come sorted by provider, then service, whatever the bookings’ order', () => {
    const entries = capacityReservedBy([
      { provider_id: REHAB, service_code: 'CHILD-REHAB-COURSE', units_per_month: 1 },
      { provider_id: ZABOTA, service_code: 'HOME-NURSING-VISIT', units_per_month: 4 },
      { provider_id: ZABOTA, service_code: 'HOME-HOUSEHOLD-HOUR', units_per_month: 20 },
    ]);
    expect(entries.map((e) => [e.providerId, e.serviceCode, e.unitsPerMonth])).toEqual([
      [ZABOTA, 'HOME-HOUSEHOLD-HOUR', 20],
      [ZABOTA, 'HOME-NURSING-VISIT', 4],
      [REHAB, 'CHILD-REHAB-COURSE', 1],
    ]);
  });

  test('When there are no open bookings, then nothing is freed', () => {
    expect(capacityReservedBy([])).toEqual([]);
  });
});
