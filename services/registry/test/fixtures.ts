/** Demo provider ids as the gateway's demo users carry them in the provider_id claim. */
export const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';
export const REHAB_ID = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';

export function zabotaRegistration(overrides: Record<string, unknown> = {}) {
  return {
    inn: '7830002293',
    ogrn: '1027700132195',
    kpp: '773601001',
    name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
    short_name: 'АНО «Забота»',
    legal_form: 'Автономная некоммерческая организация',
    type: 'sonko',
    funding_mode: 'compensation',
    registered_at: '2002-08-16',
    region_code: '73',
    contacts: { phone: '+78422000001', email: 'info@zabota73.ru', contact_person: 'Кузнецова Ольга Викторовна' },
    bank: { bic: '044525225', account: '40702817300000000001', bank_name: 'ПАО Сбербанк', correspondent_account: '30101810400000000225' },
    licences: [],
    declarations: {
      no_tax_arrears: { declared: true, document: { kind: 'Справка ФНС об отсутствии задолженности', number: '12345', issued_at: '2026-10-01' } },
      not_bankrupt: { declared: true, document: { kind: 'Выписка ЕФРСБ', number: 'Б-1', issued_at: '2026-10-01' } },
      not_liquidating: { declared: true, document: { kind: 'Выписка ЕГРЮЛ', number: 'ЮЭ-1', issued_at: '2026-10-01' } },
      not_unscrupulous_supplier: { declared: true, document: { kind: 'Выписка РНП', number: 'Р-1', issued_at: '2026-10-01' } },
    },
    accessibility: ['ramp', 'home_visits'],
    locations: [{ address: 'г. Ульяновск, ул. Гончарова, д. 1', district_code: '73701000', lat: 54.3142, lon: 48.4031 }],
    services: [
      { service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 400 },
      { service_code: 'HOME-PSYCH-VISIT', capacity_per_month: 60 },
    ],
    ...overrides,
  };
}

export function rehabRegistration(overrides: Record<string, unknown> = {}) {
  return zabotaRegistration({
    inn: '7707083893',
    ogrn: '1037739010891',
    registered_at: '2003-01-15',
    name: 'Общество с ограниченной ответственностью «Реабилитация Плюс»',
    short_name: 'ООО «Реабилитация Плюс»',
    legal_form: 'Общество с ограниченной ответственностью',
    type: 'social_enterprise',
    contacts: { phone: '+78422000002', email: 'info@rehab73.ru' },
    accessibility: ['wheelchair_access', 'elevator', 'accessible_toilet'],
    locations: [{ address: 'г. Димитровград, ул. Гагарина, д. 5', district_code: '73705000', lat: 54.2167, lon: 49.6167 }],
    services: [{ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 30 }],
    ...overrides,
  });
}

/** An OGRN assigned in the year of `date` (test data; the check digit rule itself is tested on known numbers). */
export function ogrnRegisteredOn(date: string): string {
  const body = `1${date.slice(2, 4)}730000001`;
  return body + String((BigInt(body) % 11n) % 10n);
}
