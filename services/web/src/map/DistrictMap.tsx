import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Text } from '@gravity-ui/uikit';
import { useLowVision } from '../a11y/LowVision';
import type { RegistrySchemas } from '../api/client';
import { plural } from '../format/date';
import { countByDistrict, fittingLabel, layoutDistricts, layoutPoints } from './layout';

type DistrictCollection = RegistrySchemas['DistrictCollection'];
type Location = RegistrySchemas['Location'];

export interface MapProvider {
  id: string;
  name: string;
  locations: Location[];
}

interface Props {
  districts: DistrictCollection;
  providers: MapProvider[];
  selectedDistrict: string | null;
  /** A district activated by click, Enter or Space; the page filters by it (again: clears). */
  onSelectDistrict(oktmo: string): void;
  providerHref(id: string): string;
  onOpenProvider(id: string): void;
}

const WIDTH = 800;
/** Labels and points keep their size on screen whatever the map's width; larger in the low-vision version. */
const SIZES = { normal: { label: 13, point: 7 }, lowVision: { label: 18, point: 10 } };

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

const shortName = (name: string) => name.replace(/\s+(муниципальный\s+)?(район|округ)$/i, '').replace(/^(город|городской округ)\s+/i, '');
const providersText = (n: number) => (n === 0 ? 'поставщиков не найдено' : `${plural(n, 'найден', 'найдено', 'найдено')} ${n} ${plural(n, 'поставщик', 'поставщика', 'поставщиков')}`);

/**
 * The region's districts as an SVG drawn from GeoJSON (no tiles, nothing from the internet), with the
 * providers found as points. Every district and point is reachable by keyboard and named for screen
 * readers; the list of the same providers next to the map is its text alternative.
 */
export function DistrictMap({ districts, providers, selectedDistrict, onSelectDistrict, providerHref, onOpenProvider }: Props) {
  const [containerRef, renderedWidth] = useWidth<HTMLDivElement>();
  const layout = useMemo(() => layoutDistricts(districts, WIDTH), [districts]);
  const points = useMemo(() => layoutPoints(layout, providers, selectedDistrict), [layout, providers, selectedDistrict]);
  const counts = useMemo(() => countByDistrict(layout.districts, providers), [layout, providers]);
  const [focused, setFocused] = useState<string | null>(null);

  const sizes = useLowVision().enabled ? SIZES.lowVision : SIZES.normal;
  const unitsPerPixel = renderedWidth ? WIDTH / renderedWidth : 1;
  const fontUnits = sizes.label * unitsPerPixel;
  const pointUnits = sizes.point * unitsPerPixel;
  const maxCount = Math.max(1, ...counts.values());

  const activate = (oktmo: string) => onSelectDistrict(oktmo);
  const onKey = (event: KeyboardEvent<SVGElement>, run: () => void) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      run();
    }
  };

  const outlined = [selectedDistrict, focused].filter((v, i, all): v is string => !!v && all.indexOf(v) === i);

  return (
    <figure className="district-map" aria-labelledby="district-map-caption">
      <div ref={containerRef} className="district-map__canvas">
        <svg
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width="100%"
          role="group"
          aria-label={`Карта районов: ${districts.region_name}. Районы и точки поставщиков доступны клавишей Tab`}
          className="district-map__svg"
        >
          <defs>
            <pattern id="district-map-hatch" patternUnits="userSpaceOnUse" width={8 * unitsPerPixel} height={8 * unitsPerPixel} patternTransform="rotate(45)">
              <line x1="0" y1="0" x2="0" y2={8 * unitsPerPixel} className="district-map__hatch" strokeWidth={3 * unitsPerPixel} />
            </pattern>
          </defs>
          <g>
            {layout.districts.map((district) => {
              const count = counts.get(district.oktmo) ?? 0;
              const selected = district.oktmo === selectedDistrict;
              const level = count === 0 ? 0 : Math.min(3, Math.ceil((count / maxCount) * 3));
              const label = `${district.name}: ${providersText(count)}${selected ? ', выбран' : ''}`;
              return (
                <path
                  key={district.oktmo}
                  d={district.d}
                  className={`district-map__district district-map__district--level-${level}`}
                  tabIndex={0}
                  role="button"
                  aria-pressed={selected}
                  aria-label={`${label}. ${selected ? 'Нажмите, чтобы показать все районы' : 'Нажмите, чтобы показать поставщиков этого района'}`}
                  onClick={() => activate(district.oktmo)}
                  onKeyDown={(event) => onKey(event, () => activate(district.oktmo))}
                  onFocus={() => setFocused(district.oktmo)}
                  onBlur={() => setFocused((current) => (current === district.oktmo ? null : current))}
                >
                  <title>{label}</title>
                </path>
              );
            })}
          </g>
          <g aria-hidden="true" className="district-map__overlay">
            {outlined.map((oktmo) => {
              const district = layout.districts.find((d) => d.oktmo === oktmo);
              if (!district) return null;
              return (
                <path
                  key={oktmo}
                  d={district.d}
                  fill={oktmo === selectedDistrict ? 'url(#district-map-hatch)' : 'none'}
                  className={oktmo === focused ? 'district-map__focus' : 'district-map__selected'}
                />
              );
            })}
          </g>
          <g aria-hidden="true" className="district-map__labels">
            {layout.districts.map((district) => {
              const count = counts.get(district.oktmo) ?? 0;
              const name = shortName(district.name);
              const text = fittingLabel(count > 0 ? `${name} (${count})` : name, district, fontUnits) ?? fittingLabel(name, district, fontUnits);
              if (!text) return null;
              return (
                <text key={district.oktmo} x={district.labelAt[0]} y={district.labelAt[1]} fontSize={fontUnits} textAnchor="middle" dominantBaseline="middle" className="district-map__label">
                  {text}
                </text>
              );
            })}
          </g>
          <g>
            {points.map((point) => {
              const label = `${point.providerName}, ${point.address}`;
              return (
                <a
                  key={point.key}
                  href={providerHref(point.providerId)}
                  aria-label={`${label}. Открыть страницу поставщика`}
                  className="district-map__point"
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    onOpenProvider(point.providerId);
                  }}
                  // Enter follows the link natively; Space opens it too, as on the districts.
                  onKeyDown={(event) => {
                    if (event.key === ' ') {
                      event.preventDefault();
                      onOpenProvider(point.providerId);
                    }
                  }}
                >
                  <title>{label}</title>
                  <circle cx={point.x} cy={point.y} r={pointUnits * 2} className="district-map__point-hit" />
                  <circle cx={point.x} cy={point.y} r={pointUnits} className="district-map__point-dot" />
                </a>
              );
            })}
          </g>
        </svg>
      </div>
      <figcaption id="district-map-caption" className="stack" style={{ gap: 4 }}>
        <Text variant="subheader-1">Схема районов условная, не для измерения расстояний.</Text>
        <Text color="secondary">
          Нажмите на район (или выберите его клавишей Tab и нажмите Enter), чтобы показать поставщиков только этого района; нажмите на точку, чтобы открыть
          страницу поставщика. {districts.note}
          {districts.attribution ? ` ${districts.attribution}` : ''}
        </Text>
      </figcaption>
    </figure>
  );
}
