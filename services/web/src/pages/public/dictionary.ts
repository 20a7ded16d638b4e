import type { RegistrySchemas } from '../../api/client';
import { plural } from '../../format/date';

/** The region the navigator serves; its costs, texts and map are asked for by this code. */
export const REGION = '73';

export type ServiceForm = RegistrySchemas['ServiceForm'];
export type ServiceKind = RegistrySchemas['ServiceKind'];
export type ServiceUnit = RegistrySchemas['ServiceInput']['unit'];
export type ProviderType = RegistrySchemas['PublicProvider']['type'];
export type AccessibilityFeature = NonNullable<RegistrySchemas['ProviderProfile']['accessibility']>[number];
export type RoundStatus = RegistrySchemas['PublicRound']['status'];
export type CoefficientKind = RegistrySchemas['Coefficient']['kind'];

export const FORM_LABELS: Record<ServiceForm, string> = {
  home: 'На дому',
  day_care: 'Полустационарная (днём в центре)',
  residential: 'Стационарная (с проживанием)',
};

export const KIND_LABELS: Record<ServiceKind, string> = {
  household: 'Социально-бытовые услуги',
  medical: 'Социально-медицинские услуги',
  psychological: 'Социально-психологические услуги',
  pedagogical: 'Социально-педагогические услуги',
  labour: 'Социально-трудовые услуги',
  legal: 'Социально-правовые услуги',
  communication: 'Повышение коммуникативного потенциала',
  urgent: 'Срочные социальные услуги',
};

/** «за час» — how the normative cost is counted. */
export const UNIT_LABELS: Record<ServiceUnit, string> = { hour: 'час', visit: 'посещение', day: 'день', course: 'курс' };

const UNIT_FORMS: Record<ServiceUnit, [string, string, string]> = {
  hour: ['час', 'часа', 'часов'],
  visit: ['посещение', 'посещения', 'посещений'],
  day: ['день', 'дня', 'дней'],
  course: ['курс', 'курса', 'курсов'],
};

/** «12 часов», «1 посещение»: a count of a service's units; a unit the catalog does not name is shown as given. */
export function unitCount(n: number, unit: string): string {
  return isUnit(unit) ? `${n} ${plural(n, ...UNIT_FORMS[unit])}` : `${n} ${unit}`.trim();
}

function isUnit(unit: string): unit is ServiceUnit {
  return unit in UNIT_LABELS;
}

export function unitLabel(unit: string): string {
  return isUnit(unit) ? UNIT_LABELS[unit] : unit;
}

export const PROVIDER_TYPE_LABELS: Record<ProviderType, string> = {
  state_institution: 'Государственное учреждение',
  nko: 'Некоммерческая организация',
  sonko: 'Социально ориентированная НКО',
  social_enterprise: 'Социальное предприятие',
  entrepreneur: 'Индивидуальный предприниматель',
};

export function providerTypeLabel(type: string): string {
  return type in PROVIDER_TYPE_LABELS ? PROVIDER_TYPE_LABELS[type as ProviderType] : type;
}

export const FUNDING_LABELS: Record<RegistrySchemas['PublicProvider']['funding_mode'], string> = {
  state_assignment: 'Работает по государственному заданию',
  compensation: 'Получает компенсацию за оказанные услуги',
};

export const ACCESSIBILITY_LABELS: Record<AccessibilityFeature, string> = {
  wheelchair_access: 'Доступно на кресле-коляске',
  ramp: 'Пандус',
  elevator: 'Лифт',
  accessible_toilet: 'Доступный туалет',
  sign_language: 'Сурдопереводчик',
  braille: 'Надписи шрифтом Брайля',
  hearing_loop: 'Индукционная петля',
  parking_for_disabled: 'Парковка для людей с инвалидностью',
  home_visits: 'Выезд на дом',
};

export function accessibilityLabel(code: string): string {
  return code in ACCESSIBILITY_LABELS ? ACCESSIBILITY_LABELS[code as AccessibilityFeature] : code;
}

export const ROUND_STATUS_LABELS: Record<RoundStatus, string> = {
  upcoming: 'Скоро начнётся',
  open: 'Идёт приём заявок',
  closed: 'Приём заявок завершён, идёт рассмотрение',
  decided: 'Решения приняты',
};

export const COEFFICIENT_KIND_LABELS: Record<CoefficientKind, string> = {
  territory: 'Территория',
  recipient_category: 'Категория получателя',
  form: 'Форма обслуживания',
};

/** Why a round refused an organisation, as the published results name it. */
export const REFUSAL_LABELS: Record<string, string> = {
  formal_criteria_failed: 'Не выполнены обязательные требования к участникам отбора (например, документы, лицензия, адрес на территории отбора)',
  below_threshold: 'Набрано меньше баллов, чем нужно для допуска',
};

export function refusalLabel(code: string): string {
  return REFUSAL_LABELS[code] ?? `Отказ по другой причине (код ${code})`;
}

const oneDecimal = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** «4,6 из 5 · 12 оценок»; without ratings, says so instead of showing zero. */
export function ratingText(rating: string | null, count: number): string {
  if (rating == null || count === 0) return 'Пока нет оценок';
  return `${oneDecimal.format(Number(rating))} из 5 · ${count} ${plural(count, 'оценка', 'оценки', 'оценок')}`;
}

const km = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

export function distanceText(distanceKm: number): string {
  return `${km.format(distanceKm)} км`;
}

export function providersCount(n: number): string {
  return `${n} ${plural(n, 'поставщик', 'поставщика', 'поставщиков')}`;
}

/** «Барышский район» → «Барышский»: shorter names fit on the map and in lists. */
export function shortDistrictName(name: string): string {
  return name.replace(/\s+(муниципальный\s+)?(район|округ)$/i, '').replace(/^(город|городской округ)\s+/i, '');
}
