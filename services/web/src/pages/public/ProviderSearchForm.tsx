import { Button, Checkbox, RadioGroup, Text } from '@gravity-ui/uikit';
import { NativeSelect } from '../../components/NativeSelect';
import { ACCESSIBILITY_LABELS, FORM_LABELS, type AccessibilityFeature, type ServiceForm } from './dictionary';
import type { CatalogService, DistrictOption } from './lookups';
import { activeFilterCount, PROVIDER_TYPE_GROUPS, type ProviderFilters, type ProviderTypeGroup, type SortKey } from './provider-filters';

const ANY = 'any';
const FORMS = Object.keys(FORM_LABELS) as ServiceForm[];

export const FREE_OPTIONS: { value: number; label: string }[] = [
  { value: 1, label: 'Есть свободные места' },
  { value: 5, label: 'Не меньше 5 мест в месяц' },
  { value: 10, label: 'Не меньше 10 мест в месяц' },
  { value: 0, label: 'Все, в том числе без свободных мест' },
];

export type GeoState = { status: 'idle' | 'asking' | 'denied' | 'unavailable' } | { status: 'ready'; lat: number; lon: number };

interface Props {
  filters: ProviderFilters;
  services: CatalogService[];
  districts: DistrictOption[];
  /** The sort actually applied: distance falls back to rating without a point to measure from. */
  effectiveSort: SortKey;
  distanceFrom: 'location' | 'district' | null;
  geo: GeoState;
  onChange(patch: Partial<ProviderFilters>): void;
  onReset(): void;
  onAskLocation(): void;
}

function toggle<T extends string>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

/** The search's conditions; every change is applied at once and kept in the address. */
export function ProviderSearchForm({ filters, services, districts, effectiveSort, distanceFrom, geo, onChange, onReset, onAskLocation }: Props) {
  const active = activeFilterCount(filters);
  const freeOptions = FREE_OPTIONS.some((o) => o.value === filters.free) ? FREE_OPTIONS : [...FREE_OPTIONS, { value: filters.free, label: `Не меньше ${filters.free} мест в месяц` }];
  return (
    <form className="stack navigator-filters" aria-label="Условия поиска" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-service" className="field__label">
          Услуга
        </label>
        <NativeSelect
          id="filter-service"
          value={filters.service ?? ANY}
          options={[
            { value: ANY, label: 'Любая услуга' },
            ...services.map((s) => ({ value: s.code, label: s.name })),
            ...(filters.service && !services.some((s) => s.code === filters.service) ? [{ value: filters.service, label: `Услуга ${filters.service}` }] : []),
          ]}
          onChange={(value) => onChange({ service: value === ANY ? null : value })}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-district" className="field__label">
          Район или городской округ
        </label>
        <NativeSelect
          id="filter-district"
          value={filters.district ?? ANY}
          options={[
            { value: ANY, label: 'Вся область' },
            ...districts.map((d) => ({ value: d.oktmo, label: d.name })),
            // A district from a link that the map does not list is kept visible rather than silently dropped.
            ...(filters.district && !districts.some((d) => d.oktmo === filters.district) ? [{ value: filters.district, label: `Код ОКТМО ${filters.district}` }] : []),
          ]}
          onChange={(value) => onChange({ district: value === ANY ? null : value })}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-form" className="field__label">
          Форма обслуживания
        </label>
        <NativeSelect
          id="filter-form"
          value={filters.form ?? ANY}
          options={[{ value: ANY, label: 'Любая' }, ...FORMS.map((form) => ({ value: form, label: FORM_LABELS[form] }))]}
          onChange={(value) => onChange({ form: FORMS.find((form) => form === value) ?? null })}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-free" className="field__label">
          Свободные места
        </label>
        <NativeSelect
          id="filter-free"
          value={String(filters.free)}
          options={freeOptions.map((o) => ({ value: String(o.value), label: o.label }))}
          onChange={(value) => onChange({ free: Number(value) })}
        />
      </div>
      <fieldset className="fieldset">
        <legend className="field__label">Тип поставщика</legend>
        <div className="stack" style={{ gap: 8 }}>
          {(Object.keys(PROVIDER_TYPE_GROUPS) as ProviderTypeGroup[]).map((group) => (
            <Checkbox
              key={group}
              id={`filter-type-${group}`}
              size="l"
              checked={filters.types.includes(group)}
              onUpdate={(checked) => onChange({ types: toggle(filters.types, group, checked) })}
              content={PROVIDER_TYPE_GROUPS[group].label}
            />
          ))}
        </div>
        <Text color="secondary" className="field__hint">
          Если ничего не отмечено, показываются поставщики всех типов.
        </Text>
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field__label">Доступность для людей с инвалидностью</legend>
        <div className="stack" style={{ gap: 8 }}>
          {(Object.keys(ACCESSIBILITY_LABELS) as AccessibilityFeature[]).map((feature) => (
            <Checkbox
              key={feature}
              id={`filter-accessibility-${feature}`}
              size="l"
              checked={filters.accessibility.includes(feature)}
              onUpdate={(checked) => onChange({ accessibility: toggle(filters.accessibility, feature, checked) })}
              content={ACCESSIBILITY_LABELS[feature]}
            />
          ))}
        </div>
        <Text color="secondary" className="field__hint">
          Показываются поставщики, у которых есть всё отмеченное.
        </Text>
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field__label" id="filter-sort-legend">
          Порядок
        </legend>
        <RadioGroup
          name="sort"
          size="l"
          direction="vertical"
          aria-labelledby="filter-sort-legend"
          aria-describedby="filter-sort-hint"
          value={effectiveSort}
          onUpdate={(value) => onChange({ sort: value as SortKey })}
          options={[
            { value: 'rating', content: 'Сначала с высоким рейтингом' },
            { value: 'distance', content: 'Сначала ближайшие', disabled: !distanceFrom },
            { value: 'name', content: 'По названию (А–Я)' },
          ]}
        />
        <Text id="filter-sort-hint" color="secondary" className="field__hint">
          {distanceFrom === 'location'
            ? 'Расстояние считается от вашего местоположения. Оно используется только для этой сортировки и не сохраняется.'
            : distanceFrom === 'district'
              ? 'Расстояние считается от центра выбранного района. Чтобы считать от вашего местоположения, нажмите «Определить, где я».'
              : 'Чтобы сначала показать ближайших, выберите район или нажмите «Определить, где я».'}
          {geo.status === 'denied' ? ' Не удалось определить местоположение: доступ не разрешён. Выберите район.' : ''}
          {geo.status === 'unavailable' ? ' Браузер не умеет определять местоположение. Выберите район.' : ''}
        </Text>
        {geo.status !== 'ready' && geo.status !== 'unavailable' ? (
          <Button view="outlined" size="l" loading={geo.status === 'asking'} onClick={onAskLocation}>
            Определить, где я
          </Button>
        ) : null}
      </fieldset>
      {active > 0 ? (
        <Button view="flat-secondary" size="l" onClick={onReset}>
          Сбросить условия поиска ({active})
        </Button>
      ) : null}
    </form>
  );
}
