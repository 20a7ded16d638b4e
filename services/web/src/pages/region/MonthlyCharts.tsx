import { Chart, type ChartData } from '@gravity-ui/charts';
import { Text } from '@gravity-ui/uikit';
import type { CertificatesSchemas } from '../../api/client';
import { monthName } from '../deficits/labels';

type Figures = CertificatesSchemas['RegionDashboard']['months'][number];

const short = (month: string) => {
  const [name, year] = monthName(month).split(' ');
  return `${name!.slice(0, 3)} ${year!.slice(2)}`;
};

// The title is drawn above the chart in HTML, not in the SVG, so that it wraps on a narrow screen.
function chart(months: Figures[], title: string, series: Array<{ name: string; type: 'bar-x' | 'line'; pick(f: Figures): number | null }>, yTitle: string, max?: number): { title: string; data: ChartData } {
  const categories = months.map((m) => short(m.month));
  const data: ChartData = {
    xAxis: { type: 'category', categories },
    yAxis: [{ title: { text: yTitle }, min: 0, ...(max !== undefined ? { max } : {}) }],
    legend: { enabled: series.length > 1 },
    series: {
      data: series.map((s) =>
        s.type === 'bar-x'
          ? { type: 'bar-x' as const, name: s.name, data: months.map((m, i) => ({ x: categories[i], y: s.pick(m) })) }
          : { type: 'line' as const, name: s.name, data: months.map((m, i) => ({ x: categories[i], y: s.pick(m) })) },
      ),
    },
  };
  return { title, data };
}

const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/**
 * The month by month trends as Gravity UI charts. They show what the table «По месяцам» lists, so
 * they are hidden from screen readers, which read the table instead.
 */
export function MonthlyCharts({ months }: { months: Figures[] }) {
  const charts = [
    chart(months, 'Выдано сертификатов', [{ name: 'Сертификатов', type: 'bar-x', pick: (m) => m.certificates_issued }], 'сертификатов'),
    chart(
      months,
      'Доля негосударственных, %',
      [
        { name: 'В объёме услуг', type: 'line', pick: (m) => percent(m.non_state_share_units) },
        { name: 'В оплате', type: 'line', pick: (m) => percent(m.non_state_share_amount) },
      ],
      '%',
      100,
    ),
    chart(months, 'Ожидание первой услуги, дней', [{ name: 'Дней', type: 'line', pick: (m) => m.waiting_days_avg }], 'дней'),
  ];
  return (
    <section aria-labelledby="dashboard-charts" className="stack">
      <Text as="h2" variant="subheader-3" id="dashboard-charts">
        Графики
      </Text>
      <Text color="secondary">Те же данные — в таблице «По месяцам» ниже.</Text>
      <div className="dashboard-charts" aria-hidden="true">
        {charts.map(({ title, data }) => (
          <div key={title} className="dashboard-chart">
            <Text as="div" variant="subheader-1">
              {title}
            </Text>
            <div className="dashboard-chart__canvas">
              <Chart data={data} lang="ru" />
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
