import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Text } from '@gravity-ui/uikit';
import { useLowVision } from '../../a11y/LowVision';
import type { RegistrySchemas } from '../../api/client';
import { fittingLabel, layoutDistricts } from '../../map/layout';
import { count } from './labels';

type DistrictCollection = RegistrySchemas['DistrictCollection'];

interface Props {
  districts: DistrictCollection;
  /** Deficit (units a month) per district OKTMO; absent or 0 is no deficit. */
  values: ReadonlyMap<string, number>;
  unit: string;
  selected: string | null;
  onSelect(oktmo: string): void;
}

const WIDTH = 800;
const LABEL_SIZE = { normal: 13, lowVision: 18 };

/** The level of a value against the largest: 0 none, then three steps; each step also has its own hatching, so colour is not the only mark. */
export function levelOf(value: number, max: number): 0 | 1 | 2 | 3 {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(3, Math.ceil((value / max) * 3)) as 1 | 2 | 3;
}

export function levelRanges(max: number): Array<{ level: 1 | 2 | 3; from: number; to: number }> {
  const step = max / 3;
  return ([1, 2, 3] as const)
    .map((level) => ({ level, from: level === 1 ? 1 : Math.floor(step * (level - 1)) + 1, to: level === 3 ? max : Math.floor(step * level) }))
    .filter((r) => r.from <= r.to);
}

/**
 * A choropleth of the region's districts by deficit, drawn from the registry's GeoJSON with the
 * navigator's layout. Every district is a button reachable by Tab and named with its figure; the
 * table beside the map is its text alternative.
 */
export function DeficitMap({ districts, values, unit, selected, onSelect }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [renderedWidth, setRenderedWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setRenderedWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const layout = useMemo(() => layoutDistricts(districts, WIDTH), [districts]);
  const fontUnits = (useLowVision().enabled ? LABEL_SIZE.lowVision : LABEL_SIZE.normal) * (renderedWidth ? WIDTH / renderedWidth : 1);
  const max = Math.max(0, ...values.values());
  const onKey = (event: KeyboardEvent<SVGElement>, oktmo: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(oktmo);
    }
  };

  return (
    <figure className="district-map" aria-labelledby="deficit-map-caption">
      <div ref={ref} className="district-map__canvas">
        <svg viewBox={`0 0 ${layout.width} ${layout.height}`} width="100%" role="group" aria-label="Карта дефицитов по районам. Районы доступны клавишей Tab" className="district-map__svg">
          <defs>
            {[1, 2, 3].map((level) => (
              <pattern key={level} id={`deficit-hatch-${level}`} patternUnits="userSpaceOnUse" width={12 - level * 3} height={12 - level * 3} patternTransform="rotate(45)">
                <line x1="0" y1="0" x2="0" y2={12 - level * 3} className="deficit-map__hatch" strokeWidth={1.5} />
              </pattern>
            ))}
          </defs>
          <g>
            {layout.districts.map((district) => {
              const value = values.get(district.oktmo) ?? 0;
              const level = levelOf(value, max);
              const isSelected = district.oktmo === selected;
              const label = `${district.name}: ${value > 0 ? `дефицит ${count(value)} ${unit}` : 'дефицита нет'}${isSelected ? ', выбран' : ''}`;
              return (
                <g key={district.oktmo}>
                  <path
                    d={district.d}
                    className={`district-map__district deficit-map__district--level-${level}${isSelected ? ' deficit-map__district--selected' : ''}`}
                    tabIndex={0}
                    role="button"
                    aria-pressed={isSelected}
                    aria-label={`${label}. Нажмите, чтобы увидеть поставщиков и очередь района`}
                    onClick={() => onSelect(district.oktmo)}
                    onKeyDown={(event) => onKey(event, district.oktmo)}
                  >
                    <title>{label}</title>
                  </path>
                  {level > 0 ? <path d={district.d} fill={`url(#deficit-hatch-${level})`} aria-hidden="true" className="deficit-map__pattern" /> : null}
                </g>
              );
            })}
          </g>
          <g aria-hidden="true" className="district-map__labels">
            {layout.districts.map((district) => {
              const value = values.get(district.oktmo) ?? 0;
              const name = district.name.replace(/\s+(муниципальный\s+)?(район|округ)$/i, '').replace(/^(город|городской округ)\s+/i, '');
              const text = (value > 0 ? fittingLabel(`${name} (${count(value)})`, district, fontUnits) ?? fittingLabel(count(value), district, fontUnits) : null) ?? fittingLabel(name, district, fontUnits);
              if (!text) return null;
              return (
                <text key={district.oktmo} x={district.labelAt[0]} y={district.labelAt[1]} fontSize={fontUnits} textAnchor="middle" dominantBaseline="middle" className="district-map__label">
                  {text}
                </text>
              );
            })}
          </g>
        </svg>
      </div>
      <figcaption id="deficit-map-caption" className="stack" style={{ gap: 4 }}>
        <ul className="deficit-legend" aria-label="Легенда карты">
          <li>
            <span className="deficit-legend__swatch deficit-map__district--level-0" aria-hidden="true" /> дефицита нет
          </li>
          {levelRanges(max).map((range) => (
            <li key={range.level}>
              <svg className="deficit-legend__swatch" viewBox="0 0 16 16" aria-hidden="true">
                <rect width="16" height="16" className={`deficit-map__district--level-${range.level}`} />
                <rect width="16" height="16" fill={`url(#deficit-hatch-${range.level})`} />
              </svg>{' '}
              {range.from === range.to ? count(range.from) : `${count(range.from)}–${count(range.to)}`} {unit}
            </li>
          ))}
        </ul>
        <Text color="secondary">
          Схема районов условная. Чем плотнее штриховка и темнее цвет, тем больше дефицит; число в скобках — дефицит района. Нажмите на район (или выберите его
          клавишей Tab и нажмите Enter), чтобы увидеть его поставщиков и очередь. Те же данные — в таблице ниже.
        </Text>
      </figcaption>
    </figure>
  );
}
