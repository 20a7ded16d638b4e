import { Alert, Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $certificates } from '../../api/client';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime, plural } from '../../format/date';
import { BULK_STATE, DeskPage, formatSnils } from './desk';

const SHOWN_ERRORS = 200;

/** A bulk issue's progress, its totals and the rows that were not issued. */
export function BulkIssueProgressPage() {
  const { id = '' } = useParams();
  const bulk = $certificates.useQuery(
    'get',
    '/v1/bulk-issues/{id}',
    { params: { path: { id } } },
    { refetchInterval: (query) => (query.state.data && (query.state.data.status === 'queued' || query.state.data.status === 'running') ? 1000 : false) },
  );
  const b = bulk.data;
  const finished = b?.status === 'completed' || b?.status === 'failed';
  const errors = $certificates.useQuery('get', '/v1/bulk-issues/{id}/errors', { params: { path: { id }, query: { format: 'json', limit: SHOWN_ERRORS } } }, { enabled: finished && (b?.failed ?? 0) > 0 });
  const percent = b && b.total_rows > 0 ? Math.floor((b.processed_rows * 100) / b.total_rows) : 0;

  return (
    <DeskPage title={b?.file_name ? `Массовая выдача: ${b.file_name}` : 'Массовая выдача'}>
      <Text as="p">
        <RouterLink to="/caseworker/bulk">Загрузить другой файл</RouterLink>
      </Text>
      <PageState loading={bulk.isPending} error={bulk.error} retry={() => void bulk.refetch()}>
        {b ? (
          <>
            <div className="stack" role="status" aria-live="polite">
              <Text as="p" variant="subheader-2">
                {BULK_STATE[b.status]}: обработано {b.processed_rows} из {b.total_rows} строк ({percent} %).
              </Text>
              <progress className="bulk-progress" max={Math.max(b.total_rows, 1)} value={b.processed_rows} aria-label="Обработано строк" />
              <Text as="p">
                Выдано по строкам: {b.issued}. Не выдано: {b.failed}.
              </Text>
            </div>
            <Text as="p" color="secondary">
              Загружен {formatDateTime(b.created_at)}
              {b.issued_on ? `; сертификаты выдаются датой ${formatDate(b.issued_on)}` : ''}.
            </Text>
            {b.failure ? <Alert theme="danger" title="Обработка остановлена" message={`${b.failure.detail} Загрузите тот же файл ещё раз — выдача продолжится с места остановки.`} /> : null}
            {finished ? (
              <section aria-labelledby="bulk-errors-title" className="stack">
                <Text as="h2" variant="header-1" id="bulk-errors-title">
                  Строки, которые не выданы
                </Text>
                {b.failed === 0 ? (
                  <EmptyState title="Ошибок нет">Сертификаты выданы по всем строкам файла.</EmptyState>
                ) : (
                  <>
                    <Text as="p">
                      <a className="download-link" href={`/api/certificates/v1/bulk-issues/${id}/errors?format=csv`} download>
                        Скачать отчёт об ошибках (CSV, {b.failed} {plural(b.failed, 'строка', 'строки', 'строк')})
                      </a>
                    </Text>
                    <PageState loading={errors.isPending} error={errors.error} retry={() => void errors.refetch()}>
                      {errors.data && typeof errors.data !== 'string' ? (
                        <ScrollTable caption={b.failed > SHOWN_ERRORS ? `Первые ${SHOWN_ERRORS} строк с ошибками; все — в отчёте` : 'Строки с ошибками'}>
                          <thead>
                            <tr>
                              <th scope="col">Строка файла</th>
                              <th scope="col">СНИЛС</th>
                              <th scope="col">Что исправить</th>
                            </tr>
                          </thead>
                          <tbody>
                            {errors.data.items.map((e) => (
                              <tr key={e.row_no}>
                                <td>{e.row_no}</td>
                                <td className="nowrap">{e.snils ? formatSnils(e.snils) : '—'}</td>
                                <td>{e.detail}</td>
                              </tr>
                            ))}
                          </tbody>
                        </ScrollTable>
                      ) : null}
                    </PageState>
                  </>
                )}
              </section>
            ) : null}
          </>
        ) : null}
      </PageState>
    </DeskPage>
  );
}
