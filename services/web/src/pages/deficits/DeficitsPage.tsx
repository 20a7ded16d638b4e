import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Slider, Text } from '@gravity-ui/uikit';
import { $certificates, $registry, type CertificatesSchemas, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { formatDateTime } from '../../format/date';
import { ClustersSection } from './ClustersSection';
import { deficitsCsv, download } from './csv';
import { DeficitMap } from './DeficitMap';
import { DeficitTable } from './DeficitTable';
import { DistrictDrillDown } from './DistrictDrillDown';
import { districtNamer, monthName, type DeficitEntry } from './labels';
import { useDeficitAccess } from './useDeficitAccess';

/**
 * The register and map of social deficits for the committee, finance, the ministry and control: a
 * month (slider over the computed months), a service, the districts' deficits on a map and in a table
 * (the map's text alternative), a district's providers and waiting list, and the clusters ranked by
 * the region's weights.
 */
export function DeficitsPage() {
  usePageTitle('Социальные дефициты');
  const { region, manages } = useDeficitAccess();
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? undefined;
  const register = $certificates.useQuery('get', '/v1/regions/{region}/deficits', { params: { path: { region }, query: month ? { month } : {} } });
  const districts = $registry.useQuery('get', '/v1/regions/{region}/districts', { params: { path: { region }, query: { winding: 'd3' } } });
  const notComputed = register.error && toProblem(register.error).code === 'deficits_not_computed' && !month;

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );

  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Социальные дефициты
      </Text>
      <Text className="page-lead">
        Реестр и карта социальных дефицитов: сколько людей, признанных нуждающимися, ждут услугу в каждом районе и хватает ли мощности допущенных поставщиков.
        Дефицит — ожидающий объём услуг в месяц, который свободные места поставщиков района не покрывают.
      </Text>
      {manages ? <ComputeButton region={region} onComputed={(computed) => set({ month: computed, district: null })} /> : null}
      {notComputed ? (
        <EmptyState title="Реестр ещё не рассчитан">
          {manages ? 'Нажмите «Рассчитать за текущий месяц», чтобы составить реестр по сертификатам и реестру поставщиков.' : 'Реестр составят комиссия по отбору или финансовый орган региона.'}
        </EmptyState>
      ) : (
        <PageState loading={register.isPending} error={register.error} retry={() => void register.refetch()}>
          {register.data ? (
            <RegisterView
              data={register.data}
              districtMap={districts.data}
              districtMapError={districts.error}
              service={params.get('service')}
              district={params.get('district')}
              region={region}
              onMonth={(value) => set({ month: value, district: null })}
              onService={(value) => set({ service: value, district: null })}
              onDistrict={(value) => set({ district: value })}
            />
          ) : null}
        </PageState>
      )}
      {register.data ? <ClustersSection region={region} month={register.data.month} manages={manages} districtName={districtNamer(districts.data)} /> : null}
    </div>
  );
}

type Register = CertificatesSchemas['DeficitRegister'];
type DistrictCollection = RegistrySchemas['DistrictCollection'];


function ComputeButton({ region, onComputed }: { region: string; onComputed(month: string): void }) {
  const queryClient = useQueryClient();
  const compute = $certificates.useMutation('post', '/v1/regions/{region}/deficits/computations');
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className="row">
        <Button
          view="action"
          loading={compute.isPending}
          onClick={() =>
            compute.mutate(
              { params: { path: { region } }, body: {} },
              {
                onSuccess: async (result) => {
                  await queryClient.invalidateQueries();
                  setDone(`Реестр за ${monthName(result.month)} рассчитан ${formatDateTime(result.computed_at)}: районов и услуг с дефицитом — ${result.deficits}.`);
                  onComputed(result.month);
                },
              },
            )
          }
        >
          Рассчитать за текущий месяц
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {done ? <Text>{done}</Text> : null}
      </div>
      {compute.error ? <ProblemAlert error={compute.error} /> : null}
    </div>
  );
}

interface ViewProps {
  data: Register;
  districtMap: DistrictCollection | undefined;
  districtMapError: unknown;
  service: string | null;
  district: string | null;
  region: string;
  onMonth(month: string): void;
  onService(service: string): void;
  onDistrict(district: string | null): void;
}

function RegisterView({ data, districtMap, districtMapError, service, district, region, onMonth, onService, onDistrict }: ViewProps) {
  const services = useMemo(() => {
    const totals = new Map<string, { name: string; deficit: number }>();
    for (const row of data.items) {
      const entry = totals.get(row.service_code) ?? { name: row.service_name, deficit: 0 };
      entry.deficit += row.deficit;
      totals.set(row.service_code, entry);
    }
    return [...totals.entries()].sort((a, b) => b[1].deficit - a[1].deficit || a[1].name.localeCompare(b[1].name, 'ru'));
  }, [data.items]);
  const chosen = service && services.some(([code]) => code === service) ? service : (services[0]?.[0] ?? null);
  const rows: DeficitEntry[] = data.items.filter((r) => r.service_code === chosen);
  const values = new Map(rows.map((r) => [r.district_code, r.deficit]));
  const name = districtNamer(districtMap);
  const monthIndex = Math.max(0, data.months.indexOf(data.month));
  const serviceName = services.find(([code]) => code === chosen)?.[1].name ?? '';

  return (
    <div className="stack">
      <section aria-labelledby="deficits-filters" className="stack card-pad deficits-filters">
        <Text as="h2" variant="subheader-3" id="deficits-filters">
          Месяц и услуга
        </Text>
        <div className="stack" style={{ gap: 8 }}>
          <Text as="p" variant="subheader-1" id="deficits-month-label">
            Месяц расчёта: <span aria-live="polite">{monthName(data.month)}</span>
          </Text>
          {data.months.length > 1 ? (
            <div className="deficits-slider">
              <Slider
                min={0}
                max={data.months.length - 1}
                step={1}
                value={monthIndex}
                marks={data.months.length}
                markFormat={(i) => monthName(data.months[i] ?? '')}
                tooltipDisplay="off"
                aria-label={`Месяц расчёта, сейчас ${monthName(data.month)}`}
                onUpdate={(i) => {
                  const next = data.months[i as number];
                  if (next && next !== data.month) onMonth(next);
                }}
              />
            </div>
          ) : (
            <Text color="secondary">Рассчитан только этот месяц; история появится со следующим расчётом.</Text>
          )}
          <Text color="secondary">
            Рассчитано {formatDateTime(data.computed_at)}
            {data.previous_month ? `; изменения — по сравнению с расчётом за ${monthName(data.previous_month)}` : ''}.
          </Text>
        </div>
        {services.length > 0 ? (
          <div className="stack" style={{ gap: 4 }}>
            <label htmlFor="deficits-service">
              <Text variant="subheader-1">Услуга</Text>
            </label>
            <NativeSelect
              id="deficits-service"
              value={chosen ?? ''}
              options={services.map(([code, s]) => ({ value: code, label: s.deficit > 0 ? `${s.name} — дефицит ${s.deficit}` : s.name }))}
              onChange={onService}
            />
          </div>
        ) : null}
        <div className="row">
          <Button view="outlined" onClick={() => download(`deficits-${region}-${data.month}.csv`, deficitsCsv(data.month, data.items, name))}>
            Скачать реестр за месяц (CSV)
          </Button>
        </div>
      </section>

      {services.length === 0 ? (
        <EmptyState title="Дефицитов нет">В этом месяце нет ни спроса, ни допущенных поставщиков ни в одном районе.</EmptyState>
      ) : (
        <>
          <section aria-labelledby="deficits-map-title" className="stack">
            <Text as="h2" variant="subheader-3" id="deficits-map-title">
              Карта: {serviceName}, {monthName(data.month)}
            </Text>
            {districtMap ? (
              <DeficitMap districts={districtMap} values={values} unit="ед. в месяц" selected={district} onSelect={(oktmo) => onDistrict(oktmo === district ? null : oktmo)} />
            ) : districtMapError ? (
              <Text color="secondary">Карта районов сейчас недоступна; данные — в таблице ниже.</Text>
            ) : null}
          </section>
          <DeficitTable caption={`Дефициты по районам: ${serviceName}, ${monthName(data.month)}`} rows={rows} districtName={name} selected={district} onSelect={onDistrict} />
          {district ? <DistrictDrillDown region={region} district={district} districtName={name(district)} service={chosen} serviceName={serviceName} onClose={() => onDistrict(null)} /> : null}
        </>
      )}
    </div>
  );
}
