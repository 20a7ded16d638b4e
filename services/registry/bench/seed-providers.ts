import { Client } from 'pg';
import { SEARCH_CARDS_COLUMNS, SEARCH_CARDS_SELECT, SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT } from '../src/data-access/search-index';

/** Admitted providers for benchmarks (bench:registry, bench:web), written straight into the registry's tables. */
export const DISTRICTS = Array.from({ length: 24 }, (_, i) => `73${String(600 + i * 4).padStart(3, '0')}000`);
export const SERVICES = ['HOME-HOUSEHOLD-HOUR', 'DAYCARE-ELDERLY-DAY', 'CHILD-REHAB-COURSE', 'HOME-PSYCH-VISIT', 'HOME-LEGAL-VISIT'];
export const FEATURES = ['wheelchair_access', 'ramp', 'elevator', 'accessible_toilet', 'sign_language', 'braille', 'hearing_loop', 'parking_for_disabled', 'home_visits'];

export async function seedBenchProviders(url: string, providers: number) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`insert into registry.services (code, name, kind, form, unit, standard, licence_required)
      values ('HOME-LEGAL-VISIT', 'Социально-правовые услуги на дому', 'legal', 'home', 'visit',
              '{"content":"Помощь в оформлении документов","staff_qualification":"Юрист","max_volume_per_month":4}', false)
      on conflict do nothing`);
    await client.query(
      `insert into registry.providers (id, inn, ogrn, kpp, name, legal_form, type, funding_mode, registered_at, region_code, bank, contacts,
         accessibility, status, rating, rating_count, rating_sum, created_by)
       select md5('provider' || i)::uuid, lpad(i::text, 10, '0'), lpad(i::text, 13, '1'), '732501001',
              'Поставщик № ' || i, 'АНО', (array['nko','sonko','social_enterprise','entrepreneur','state_institution'])[1 + i % 5],
              case when i % 4 = 0 then 'state_assignment' else 'compensation' end, date '2015-01-01' + (i % 3000),
              '73', '{"bic":"044525225","account":"40702817300000000001","bank_name":"ПАО Сбербанк"}', '{"phone":"+78422000000","email":"bench@example.org"}',
              (select coalesce(array_agg(f), '{}') from unnest($1::text[]) with ordinality as t(f, n) where (i >> n::int) % 2 = 1),
              'admitted', case when i % 7 = 0 then null else round((1 + (i * 7919 % 400) / 100.0)::numeric, 2) end,
              case when i % 7 = 0 then 0 else 1 + i % 50 end, 0, 'bench'
         from generate_series(1, $2::int) i`,
      [FEATURES, providers],
    );
    await client.query(
      `insert into registry.provider_services (provider_id, service_code, capacity_per_month, booked_per_month, admitted, admitted_territory)
       select md5('provider' || i)::uuid, s, 10 + (i * 31 + length(s)) % 200, (i * 17) % 60, true, '{}'
         from generate_series(1, $1::int) i, unnest($2::text[]) s`,
      [providers, SERVICES],
    );
    await client.query(
      `insert into registry.provider_locations (provider_id, address, district_code, lat, lon)
       select md5('provider' || i)::uuid, 'Ульяновская область, адрес ' || i || '-' || k, ($2::text[])[1 + (i * 3 + k * 11) % 24],
              53.5 + ((i * 13 + k * 29) % 1500) / 1000.0, 46.5 + ((i * 19 + k * 37) % 3000) / 1000.0
         from generate_series(1, $1::int) i, generate_series(1, 2) k`,
      [providers, DISTRICTS],
    );
    await client.query(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT}`);
    await client.query(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT}`);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

