import { lazy, Suspense, useId } from 'react';
import { Link, Text } from '@gravity-ui/uikit';
import { useSearchParams } from 'react-router';
import { $settlement, type SettlementSchemas } from '../../api/client';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatMoney } from '../../format/money';
import { FinancePage, periodName, Status, useFinanceRegion } from './finance';

// The chart library is large: it loads only with this page's chart, after the table.
const ProviderChart = lazy(() => import('./ProviderChart').then((m) => ({ default: m.ProviderChart })));

type Report = SettlementSchemas['Report'];
type Row = Record<string, unknown>;

const cell = (column: Report['columns'][number], value: unknown) => {
  if (column.money) return <Money amount={typeof value === 'string' ? value : null} />;
  return value === null || value === undefined || value === '' ? '—' : String(value);
};

/** Reports per period and provider: the table with totals, a chart, the ledger tie-out, and CSV / XLSX of exactly the rows shown. */
export function ReportsPage() {
  const { regionCode } = useFinanceRegion();
  const [params, setParams] = useSearchParams();
  const runs = $settlement.useQuery('get', '/v1/runs', { params: { query: { region_code: regionCode } } });
  const completed = (runs.data?.items ?? []).filter((r) => r.status === 'completed');
  const runId = params.get('run') ?? completed[0]?.id ?? '';
  const provider = params.get('provider') ?? '';
  const service = params.get('service') ?? '';
  const filters = { ...(provider ? { provider_id: provider } : {}), ...(service ? { service_code: service } : {}) };
  // The whole run gives the filters' choices; the filtered one gives the rows shown.
  const whole = $settlement.useQuery('get', '/v1/runs/{id}/report', { params: { path: { id: runId }, query: { format: 'json' } } }, { enabled: !!runId });
  const shown = $settlement.useQuery('get', '/v1/runs/{id}/report', { params: { path: { id: runId }, query: { format: 'json', ...filters } } }, { enabled: !!runId });
  const wholeRows = ((whole.data as Report | undefined)?.rows ?? []) as Row[];
  const report = shown.data as Report | undefined;
  const rows = (report?.rows ?? []) as Row[];

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'run') {
      next.delete('provider');
      next.delete('service');
    }
    setParams(next, { replace: true });
  };
  const providers = unique(wholeRows.map((r) => [String(r.provider_id), String(r.provider_name ?? r.provider_id)]));
  const services = unique(wholeRows.map((r) => [String(r.service).split(' ')[0]!, String(r.service)]));
  const exportHref = (format: 'csv' | 'xlsx') => `/api/settlement/v1/runs/${runId}/report?${new URLSearchParams({ format, ...filters }).toString()}`;

  return (
    <FinancePage title="Отчёты по периодам и поставщикам" lead="Начисления за период по поставщикам и услугам с итогами и сверкой с учётом (ledger). Выгрузки CSV и XLSX содержат ровно те строки, что показаны.">
      <PageState loading={runs.isPending} error={runs.error} retry={() => void runs.refetch()}>
        {completed.length === 0 ? (
          <EmptyState title="Завершённых расчётов нет">Отчёт появится после первого расчёта за период.</EmptyState>
        ) : (
          <>
            <div className="finance-filters" role="search" aria-label="Отбор строк отчёта">
              <Filter id="report-run" label="Период" value={runId} onChange={(v) => set('run', v)} options={completed.map((r) => ({ value: r.id, label: periodName(r.period) }))} />
              <Filter id="report-provider" label="Поставщик" value={provider} onChange={(v) => set('provider', v)} options={[{ value: '', label: 'Все поставщики' }, ...providers.map(([value, label]) => ({ value, label }))]} />
              <Filter id="report-service" label="Услуга" value={service} onChange={(v) => set('service', v)} options={[{ value: '', label: 'Все услуги' }, ...services.map(([value, label]) => ({ value, label }))]} />
            </div>
            <PageState loading={shown.isPending} error={shown.error} retry={() => void shown.refetch()}>
              {report ? <ReportBody report={report} rows={rows} exportHref={exportHref} /> : null}
            </PageState>
          </>
        )}
      </PageState>
    </FinancePage>
  );
}

function unique(pairs: string[][]): Array<[string, string]> {
  return [...new Map(pairs.map(([k, v]) => [k!, v!])).entries()];
}

function Filter({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: Array<{ value: string; label: string }>; onChange: (v: string) => void }) {
  return (
    <div className="stack" style={{ gap: 4 }}>
      <label htmlFor={id}>
        <Text variant="subheader-1">{label}</Text>
      </label>
      <NativeSelect id={id} value={value} options={options} onChange={onChange} />
    </div>
  );
}

function ReportBody({ report, rows, exportHref }: { report: Report; rows: Row[]; exportHref: (format: 'csv' | 'xlsx') => string }) {
  const chartId = useId();
  const byProvider = new Map<string, { name: string; amount: string[] }>();
  for (const r of rows) {
    const entry = byProvider.get(String(r.provider_id)) ?? { name: String(r.provider_name ?? r.provider_id), amount: [] };
    entry.amount.push(String(r.amount));
    byProvider.set(String(r.provider_id), entry);
  }
  return (
    <div className="stack">
      <Text as="p" role="status">
        {report.title}. Строк: {rows.length}
        {report.filtered ? ' (отобраны по фильтру, итоги — по отобранным строкам)' : ''}.
      </Text>
      <ul className="plain-list" aria-label="Выгрузить отчёт">
        <li>
          <Link href={exportHref('csv')} download>
            Выгрузить CSV (показанные строки)
          </Link>
        </li>
        <li>
          <Link href={exportHref('xlsx')} download>
            Выгрузить XLSX (показанные строки)
          </Link>
        </li>
      </ul>
      {rows.length === 0 ? (
        <EmptyState title="Под фильтр не попало ни одной строки">Измените отбор.</EmptyState>
      ) : (
        <>
          <ScrollTable caption="Начисления по поставщикам и услугам">
            <thead>
              <tr>
                {report.columns.map((c) => (
                  <th key={c.key} scope="col" className={c.money || c.key === 'units' || c.key === 'assigned_units' ? 'num' : undefined}>
                    {c.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {report.columns.map((c) => (
                    <td key={c.key} className={c.money || c.key === 'units' || c.key === 'assigned_units' ? 'num' : undefined}>
                      {cell(c, r[c.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                {report.columns.map((c, i) => (
                  <td key={c.key} className={c.money || c.key === 'units' ? 'num' : undefined}>
                    {i === 0 ? <strong>Итого</strong> : c.key in report.totals ? cell(c, report.totals[c.key]) : ''}
                  </td>
                ))}
              </tr>
            </tfoot>
          </ScrollTable>
          <figure className="finance-chart" aria-labelledby={chartId}>
            <figcaption id={chartId}>
              <Text variant="subheader-2">К компенсации по поставщикам</Text>
              <Text as="p" color="secondary">
                Диаграмма повторяет столбец «К компенсации» таблицы выше.
              </Text>
            </figcaption>
            <Suspense fallback={<Text>Загрузка диаграммы…</Text>}>
              <ProviderChart providers={[...byProvider.values()]} />
            </Suspense>
          </figure>
        </>
      )}
      <section aria-labelledby="tieout-title" className="stack">
        <Text as="h2" variant="header-1" id="tieout-title">
          Сверка с учётом (ledger)
        </Text>
        <Text as="p">
          <Status tone={report.tie_out_ok ? 'success' : 'danger'}>{report.tie_out_ok ? 'Всё совпадает' : 'Есть расхождения с учётом'}</Status>
          {report.filtered ? ' Сверка всегда по всему расчёту, не по отбору.' : ''}
        </Text>
        <ScrollTable caption="Сверка расчёта с учётом" captionHidden>
          <thead>
            <tr>
              <th scope="col">Проверка</th>
              <th scope="col" className="num">
                В расчётах
              </th>
              <th scope="col" className="num">
                В учёте
              </th>
              <th scope="col">Итог</th>
            </tr>
          </thead>
          <tbody>
            {report.tie_out.map((t) => (
              <tr key={t.check}>
                <th scope="row">{t.check}</th>
                <td className="num">{formatMoney(t.settlement)}</td>
                <td className="num">{formatMoney(t.ledger)}</td>
                <td>{t.ok ? 'совпадает' : 'НЕ совпадает'}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </section>
    </div>
  );
}
