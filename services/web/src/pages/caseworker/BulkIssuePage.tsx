import { useId, useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { useNavigate } from 'react-router';
import { $certificates } from '../../api/client';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDateTime } from '../../format/date';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { formatMoney } from '../../format/money';
import { BULK_STATE, DeskPage, useWorkerRegion } from './desk';

const HEADER = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';
const MAX_BYTES = 50 * 1024 * 1024;

/** Bulk issue: a CSV of recipients and their programmes, checked by the service and processed in the background. */
export function BulkIssuePage() {
  const region = useWorkerRegion();
  const navigate = useNavigate();
  const base = useId().replace(/:/g, '');
  const ids = { budget: `${base}-budget`, file: `${base}-file` };
  const programmes = $certificates.useQuery('get', '/v1/budget-programmes', { params: { query: { region_code: region } } });
  const start = $certificates.useMutation('post', '/v1/bulk-issues');
  const [budgetId, setBudgetId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  // The upload's id: sending the same file again after a lost answer finds the same bulk issue.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const chosen = budgetId || programmes.data?.items[0]?.id || '';

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const items: SummaryItem[] = [];
    if (!chosen) items.push({ fieldId: ids.budget, message: 'Выберите бюджетную программу' });
    if (!file) items.push({ fieldId: ids.file, message: 'Выберите CSV-файл' });
    else if (file.size > MAX_BYTES) items.push({ fieldId: ids.file, message: 'Файл больше 50 МБ: разделите его на части' });
    setSummary(items);
    if (items.length || !file) return;
    try {
      const started = await start.mutateAsync({ body: { id: requestId, budget_programme_id: chosen, region_code: region, file_name: file.name.slice(0, 255), csv: await file.text() } });
      void navigate(`/caseworker/bulk/${started.id}`);
    } catch (error) {
      setFailure(error);
      setRequestId(crypto.randomUUID());
    }
  };

  return (
    <DeskPage title="Массовая выдача сертификатов" lead="Загрузите CSV-файл с получателями и их программами: сервис проверит его, выдаст сертификаты в фоне и перечислит строки, которые выдать не удалось.">
      <section aria-labelledby={`${base}-format`} className="stack">
        <Text as="h2" variant="header-1" id={`${base}-format`}>
          Формат файла
        </Text>
        <Text as="p">
          Кодировка UTF-8, разделитель «;» или «,». Первая строка — заголовок со столбцами (в любом порядке). Каждая строка — одна услуга; строки с одним СНИЛС — программа одного
          получателя (до 20 услуг). Дата рождения — ДД.ММ.ГГГГ, доход — в рублях, категории — коды через «|».
        </Text>
        <pre className="csv-header" tabIndex={0} aria-label="Заголовок файла">
          {HEADER}
        </pre>
      </section>
      <PageState loading={programmes.isPending} error={programmes.error} retry={() => void programmes.refetch()}>
        <ErrorSummary items={summary} />
        <form onSubmit={(event) => void submit(event)} noValidate className="stack desk-form">
          <div className="field">
            <label htmlFor={ids.budget}>
              <Text variant="subheader-1">Бюджетная программа</Text>
            </label>
            <NativeSelect
              id={ids.budget}
              value={chosen}
              onChange={setBudgetId}
              options={(programmes.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} — ${p.name}${p.available ? `, остаток ${formatMoney(p.available)}` : ''}` }))}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.file}>
              <Text variant="subheader-1">CSV-файл</Text>
            </label>
            <input
              id={ids.file}
              type="file"
              accept=".csv,text/csv"
              className="file-input"
              aria-invalid={summary.some((s) => s.fieldId === ids.file) || undefined}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <div>
            <Button type="submit" view="action" size="l" loading={start.isPending}>
              Загрузить и выдать
            </Button>
          </div>
        </form>
        {failure ? <ProblemAlert error={failure} /> : null}
      </PageState>
      <RecentUploads />
    </DeskPage>
  );
}

/** The region's latest uploads, so a file left running is found again. */
function RecentUploads() {
  const region = useWorkerRegion();
  const list = $certificates.useQuery(
    'get',
    '/v1/bulk-issues',
    { params: { query: { region_code: region, limit: 20 } } },
    {
      refetchOnMount: 'always',
      refetchInterval: (query) => (query.state.data?.items.some((b) => b.status === 'queued' || b.status === 'running') ? 2000 : false),
    },
  );
  return (
    <section aria-labelledby="recent-uploads-title" className="stack">
      <Text as="h2" variant="header-1" id="recent-uploads-title">
        Последние загрузки
      </Text>
      <PageState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        {list.data?.items.length === 0 ? <EmptyState title="Файлов ещё не загружали" /> : null}
        {list.data && list.data.items.length > 0 ? (
          <ScrollTable caption="Последние загрузки" captionHidden>
            <thead>
              <tr>
                <th scope="col">Файл</th>
                <th scope="col">Загружен</th>
                <th scope="col">Состояние</th>
                <th scope="col">Строк</th>
                <th scope="col">Выдано / не выдано</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((b) => (
                <tr key={b.id}>
                  <td>
                    <RouterLink to={`/caseworker/bulk/${b.id}`}>{b.file_name ?? 'Файл без имени'}</RouterLink>
                  </td>
                  <td>{formatDateTime(b.created_at)}</td>
                  <td>{BULK_STATE[b.status]}</td>
                  <td>
                    {b.processed_rows} из {b.total_rows}
                  </td>
                  <td>
                    {b.issued} / {b.failed}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : null}
      </PageState>
    </section>
  );
}
