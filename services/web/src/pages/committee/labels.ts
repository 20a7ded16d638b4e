import type { RegistrySchemas } from '../../api/client';
import type { Tone } from './ui';

export type Application = RegistrySchemas['Application'];
export type ApplicationStatus = Application['status'];
export type FormalCriterion = NonNullable<RegistrySchemas['RoundInput']['formal_criteria']>[number];
export type ProviderStatus = RegistrySchemas['ProviderStatus'];

export const FORMAL_CRITERIA: Array<{ code: FormalCriterion; name: string; source: string }> = [
  { code: 'identifiers_valid', name: 'Корректность ИНН, ОГРН и КПП', source: 'Реквизиты в реестре поставщиков, проверка контрольных чисел' },
  { code: 'registered_one_year', name: 'Не менее одного года с даты государственной регистрации', source: 'Дата государственной регистрации в реестре поставщиков' },
  { code: 'licence_present', name: 'Лицензия на услуги, для которых она требуется', source: 'Лицензии в сведениях о поставщике и перечень услуг' },
  { code: 'location_in_territory', name: 'Место оказания услуг на территории отбора', source: 'Адреса оказания услуг в сведениях о поставщике' },
  { code: 'no_tax_arrears', name: 'Отсутствие недоимки по налогам и сборам', source: 'Заявление поставщика и справка ФНС' },
  { code: 'not_bankrupt', name: 'Не находится в процедуре банкротства', source: 'Заявление поставщика и выписка из ЕФРСБ' },
  { code: 'not_liquidating', name: 'Не находится в процессе ликвидации', source: 'Заявление поставщика и выписка из ЕГРЮЛ' },
  { code: 'not_unscrupulous_supplier', name: 'Отсутствует в реестре недобросовестных поставщиков', source: 'Заявление поставщика и выписка из РНП' },
];

const AUTO_SOURCES: Record<string, string> = {
  experience_years: 'Рассчитано реестром по дате регистрации',
  rating: 'Рассчитано реестром по оценкам получателей',
  accessibility: 'Рассчитано реестром по условиям доступности в сведениях о поставщике',
  sonko_preference: 'Тип организации в реестре поставщиков',
};

/** Where an automatic check or score took its data from. */
export function criterionSource(code: string, kind: string): string {
  if (kind === 'formal') return FORMAL_CRITERIA.find((c) => c.code === code)?.source ?? 'Проверка реестра';
  return AUTO_SOURCES[code] ?? 'Оценка комиссии';
}

export const APPLICATION_STATUS: Record<ApplicationStatus, { label: string; tone: Tone }> = {
  awaiting_scoring: { label: 'Ждёт оценки комиссии', tone: 'info' },
  admitted: { label: 'Допущена', tone: 'success' },
  refused: { label: 'Отказано', tone: 'danger' },
  appealed: { label: 'Подана апелляция', tone: 'warning' },
  appeal_rejected: { label: 'Апелляция отклонена', tone: 'danger' },
  withdrawn: { label: 'Отозвана поставщиком', tone: 'normal' },
};

export const PROVIDER_STATUS: Record<ProviderStatus, { label: string; tone: Tone }> = {
  applicant: { label: 'Заявитель', tone: 'normal' },
  under_review: { label: 'На рассмотрении', tone: 'info' },
  admitted: { label: 'Допущен', tone: 'success' },
  suspended: { label: 'Приостановлен', tone: 'warning' },
  excluded: { label: 'Исключён', tone: 'danger' },
};

export const RESULT_LABELS: Record<string, string> = { pass: 'Выполнено', fail: 'Не выполнено', scored: 'Оценено' };
