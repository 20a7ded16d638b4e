import type { CertificatesSchemas, RegistrySchemas } from '../../api/client';

export type DeficitEntry = CertificatesSchemas['DeficitEntry'];
export type Cluster = CertificatesSchemas['DeficitClusterRanking']['items'][number];
export type Criteria = CertificatesSchemas['DeficitCriteria'];

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** '2026-12' → 'декабрь 2026'. */
export function monthName(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

export const CHANGE: Record<DeficitEntry['change'], string> = {
  new: 'новый',
  continuing: 'сохраняется',
  resolved: 'устранён',
  none: 'нет',
};

export const SERVICE_KIND: Record<string, string> = {
  household: 'социально-бытовые',
  medical: 'социально-медицинские',
  psychological: 'социально-психологические',
  pedagogical: 'социально-педагогические',
  labour: 'социально-трудовые',
  legal: 'социально-правовые',
  communication: 'коммуникативный потенциал',
  urgent: 'срочные',
  other: 'прочие',
};

export const CATEGORY: Record<string, string> = {
  'disability-group-1': 'инвалиды I группы',
  'child-disability': 'дети-инвалиды',
  dementia: 'граждане с деменцией',
};

export const categoryName = (code: string) => CATEGORY[code] ?? code;

export const CRITERIA: Array<{ key: keyof Criteria; label: string; hint: string }> = [
  { key: 'relevance', label: 'Актуальность для населения', hint: 'сколько людей ждут, по сравнению с самым большим кластером' },
  { key: 'achievability', label: 'Достижимость', hint: 'свободные места тех же услуг в других районах области по отношению к дефициту' },
  { key: 'budget_coverage', label: 'Бюджетная обеспеченность', hint: 'доля ожидающего объёма, уже обеспеченная выданными сертификатами' },
  { key: 'social_effectiveness', label: 'Социальная эффективность', hint: 'доля ожидающих из уязвимых категорий получателей' },
];

export const WAITS: Record<'provider' | 'booking' | 'certificate', string> = {
  provider: 'поставщик не выбран',
  booking: 'запись не подтверждена поставщиком',
  certificate: 'сертификат не выдан',
};

/** A share 0–1 as a percentage in Russian: 0.333 → «33,3 %». */
export const share = (value: number) => `${new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }).format(value * 100)} %`;
export const count = (value: number) => new Intl.NumberFormat('ru-RU').format(value);

/** A district's name from the registry's map, else its OKTMO. */
export function districtNamer(map: RegistrySchemas['DistrictCollection'] | undefined) {
  const names = new Map((map?.features ?? []).map((f) => [String(f.properties.oktmo), String(f.properties.name)]));
  return (oktmo: string) => names.get(oktmo) ?? `ОКТМО ${oktmo}`;
}
