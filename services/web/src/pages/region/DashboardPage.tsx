import { lazy, Suspense, useState } from 'react';
import { Link, Text } from '@gravity-ui/uikit';
import { $certificates, $registry, type CertificatesSchemas } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { providerTypeLabel } from '../public/dictionary';
import { count, districtNamer, monthName, share } from '../deficits/labels';

const MonthlyCharts = lazy(() => import('./MonthlyCharts').then((m) => ({ default: m.MonthlyCharts })));

type Dashboard = CertificatesSchemas['RegionDashboard'];
type Figures = Dashboard['months'][number];

const REGION = '73';
const PERIODS = [
  { value: '12', label: 'последние 12 месяцев' },
  { value: '24', label: 'последние 24 месяца' },
  { value: '36', label: 'последние 36 месяцев' },
];

function monthsBack(n: number): { from: string; to: string } {
  const now = new Date();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (n - 1), 1));
  return { from: from.toISOString().slice(0, 7), to: to.toISOString().slice(0, 7) };
}

const hidden = <span className="muted">скрыто</span>;
const num = (value: number | null, f: (v: number) => string = count) => (value === null ? hidden : f(value));
const money = (value: string | null) => (value === null ? hidden : <Money amount={value} />);
const days = (value: number | null) => (value === null ? '—' : new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }).format(value));
const rating = (value: number | null) => (value === null ? '—' : new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }).format(value));

/**
 * The region's figures by month and district: the ministry (and control, and the region's finance)
 * signed in sees every figure; everyone else sees the open data, with small cells left out, and may
 * download it as CSV or JSON.
 */
export function DashboardPage() {
  usePageTitle('Показатели области');
  const { hasRole, session } = useSession();
  const full = hasRole('admin', 'auditor') || (hasRole('finance') && session?.user.region_code === REGION);
  const [period, setPeriod] = useState('12');
  const range = monthsBack(Number(period));
  const ministry = $certificates.useQuery('get', '/v1/regions/{region}/dashboard', { params: { path: { region: REGION }, query: range } }, { enabled: full });
  const open = $certificates.useQuery('get', '/v1/public/regions/{region}/dashboard', { params: { path: { region: REGION }, query: range } }, { enabled: !full });
  const query = full ? ministry : open;
  // The open data endpoint also answers CSV; this page always asks for JSON.
  const data = query.data && typeof query.data === 'object' ? (query.data as Dashboard) : undefined;
  const districts = $registry.useQuery('get', '/v1/regions/{region}/districts', { params: { path: { region: REGION } } });
  const openDataUrl = (format: 'csv' | 'json') => `/api/certificates/v1/public/regions/${REGION}/dashboard?from=${range.from}&to=${range.to}&format=${format}`;

  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Показатели области
      </Text>
      <Text className="page-lead">
        Социальные сертификаты Ульяновской области по месяцам и районам: выдано сертификатов и на какую сумму, сколько оплачено поставщикам, заблокировано до
        подтверждения и возвращено в бюджет; доля негосударственных поставщиков; сколько ждут от программы до первой услуги; споры и оценки получателей.
      </Text>
      <Text>
        {full
          ? 'Вы видите полные данные для министерства.'
          : `Открытые данные: показатели, за которыми стоят меньше 5 человек или актов, скрыты, чтобы по ним нельзя было узнать конкретного человека.`}
      </Text>
      <div className="row dashboard-controls">
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor="dashboard-period">
            <Text variant="subheader-1">Период</Text>
          </label>
          <NativeSelect id="dashboard-period" value={period} options={PERIODS} onChange={setPeriod} />
        </div>
        <div className="stack" style={{ gap: 4 }}>
          <Text variant="subheader-1" as="p">
            Открытые данные за период
          </Text>
          <div className="row">
            <Link href={openDataUrl('csv')} download>
              Скачать CSV
            </Link>
            <Link href={openDataUrl('json')} target="_blank" rel="noopener">
              Открыть JSON
            </Link>
          </div>
        </div>
      </div>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {data ? <DashboardView data={data} districtName={districtNamer(districts.data)} /> : null}
      </PageState>
    </div>
  );
}

function DashboardView({ data, districtName }: { data: Dashboard; districtName(oktmo: string): string }) {
  const latest = data.months.at(-1);
  const [month, setMonth] = useState<string | null>(null);
  const chosen = month && data.months.some((m) => m.month === month) ? month : (latest?.month ?? null);
  if (!latest) {
    return <EmptyState title="За период данных нет">Сертификаты в эти месяцы не выдавались и услуги не оказывались. Выберите более длинный период.</EmptyState>;
  }
  return (
    <div className="stack">
      <Text color="secondary">Данные на {formatDateTime(data.generated_at)}.</Text>
      <section aria-labelledby="dashboard-latest" className="stack">
        <Text as="h2" variant="subheader-3" id="dashboard-latest">
          {monthName(latest.month)}
        </Text>
        <Definitions items={figureItems(latest)} />
      </section>
      <Suspense fallback={<Text color="secondary">Загрузка графиков…</Text>}>
        <MonthlyCharts months={data.months} />
      </Suspense>
      <MonthTable months={data.months} />
      <section aria-labelledby="dashboard-districts" className="stack">
        <Text as="h2" variant="subheader-3" id="dashboard-districts">
          По районам
        </Text>
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor="dashboard-month">
            <Text variant="subheader-1">Месяц</Text>
          </label>
          <NativeSelect id="dashboard-month" value={chosen ?? ''} options={data.months.map((m) => ({ value: m.month, label: monthName(m.month) }))} onChange={setMonth} />
        </div>
        <DistrictTable rows={data.districts.filter((d) => d.month === chosen)} districtName={districtName} caption={`Показатели по районам, ${monthName(chosen ?? latest.month)}`} />
      </section>
      <section aria-labelledby="dashboard-providers" className="stack">
        <Text as="h2" variant="subheader-3" id="dashboard-providers">
          Допущенные поставщики по типам
        </Text>
        {data.providers_by_type ? (
          <Definitions items={data.providers_by_type.map((p) => ({ term: providerTypeLabel(p.type), value: count(p.providers) }))} />
        ) : (
          <Text color="secondary">Реестр поставщиков сейчас не ответил; число поставщиков по типам появится позже.</Text>
        )}
      </section>
    </div>
  );
}

function figureItems(f: Figures) {
  return [
    { term: 'Выдано сертификатов', value: num(f.certificates_issued) },
    { term: 'На сумму', value: money(f.certificates_value) },
    { term: 'Оплачено поставщикам', value: money(f.spent) },
    { term: 'Заблокировано до подтверждения', value: money(f.held) },
    { term: 'Возвращено в бюджет', value: money(f.returned) },
    { term: 'Доля негосударственных поставщиков в объёме услуг', value: f.non_state_share_units === null ? '—' : share(f.non_state_share_units) },
    { term: 'Доля негосударственных поставщиков в оплате', value: f.non_state_share_amount === null ? '—' : share(f.non_state_share_amount) },
    { term: 'Дней от программы до первой услуги, в среднем', value: days(f.waiting_days_avg) },
    { term: 'Оспорено актов', value: f.disputes === null ? hidden : `${count(f.disputes)} из ${count(f.acts_resolved ?? 0)}` },
    { term: 'Средняя оценка (1–5)', value: f.ratings === null ? hidden : f.ratings === 0 ? 'оценок нет' : `${rating(f.satisfaction_avg)} (оценок: ${count(f.ratings)})` },
  ];
}

function MonthTable({ months }: { months: Figures[] }) {
  return (
    <section aria-labelledby="dashboard-months" className="stack">
      <Text as="h2" variant="subheader-3" id="dashboard-months">
        По месяцам
      </Text>
      <ScrollTable caption="Показатели области по месяцам">
        <thead>
          <tr>
            <th scope="col">Месяц</th>
            <th scope="col">Выдано сертификатов</th>
            <th scope="col">На сумму</th>
            <th scope="col">Оплачено</th>
            <th scope="col">Заблокировано</th>
            <th scope="col">Возвращено</th>
            <th scope="col">Доля негосударственных: объём / оплата</th>
            <th scope="col">Дней до первой услуги</th>
            <th scope="col">Оспорено актов</th>
            <th scope="col">Средняя оценка</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthName(m.month)}</th>
              <td>{num(m.certificates_issued)}</td>
              <td>{money(m.certificates_value)}</td>
              <td>{money(m.spent)}</td>
              <td>{money(m.held)}</td>
              <td>{money(m.returned)}</td>
              <td>
                {m.non_state_share_units === null ? '—' : share(m.non_state_share_units)} / {m.non_state_share_amount === null ? '—' : share(m.non_state_share_amount)}
              </td>
              <td>{days(m.waiting_days_avg)}</td>
              <td>{num(m.disputes)}</td>
              <td>{m.ratings === null ? hidden : rating(m.satisfaction_avg)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}

function DistrictTable({ rows, districtName, caption }: { rows: Dashboard['districts']; districtName(oktmo: string): string; caption: string }) {
  if (rows.length === 0) return <EmptyState title="В этом месяце данных по районам нет" />;
  return (
    <ScrollTable caption={caption}>
      <thead>
        <tr>
          <th scope="col">Район</th>
          <th scope="col">Выдано сертификатов</th>
          <th scope="col">На сумму</th>
          <th scope="col">Оплачено</th>
          <th scope="col">Доля негосударственных в объёме</th>
          <th scope="col">Дней до первой услуги</th>
          <th scope="col">Оспорено актов</th>
          <th scope="col">Средняя оценка</th>
        </tr>
      </thead>
      <tbody>
        {[...rows]
          .sort((a, b) => districtName(a.district_code).localeCompare(districtName(b.district_code), 'ru'))
          .map((d) => (
            <tr key={d.district_code}>
              <th scope="row">{districtName(d.district_code)}</th>
              <td>{num(d.certificates_issued)}</td>
              <td>{money(d.certificates_value)}</td>
              <td>{money(d.spent)}</td>
              <td>{d.suppressed.includes('acts') ? hidden : d.non_state_share_units === null ? '—' : share(d.non_state_share_units)}</td>
              <td>{d.suppressed.includes('waiting') ? hidden : days(d.waiting_days_avg)}</td>
              <td>{num(d.disputes)}</td>
              <td>{d.ratings === null ? hidden : rating(d.satisfaction_avg)}</td>
            </tr>
          ))}
      </tbody>
    </ScrollTable>
  );
}
