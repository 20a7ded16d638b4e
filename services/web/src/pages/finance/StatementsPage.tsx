import { useId, useRef, useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { $settlement, settlementApi } from '../../api/client';
import { toProblem } from '../../api/problem';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { formatDate, formatDateTime } from '../../format/date';
import { FinancePage, refreshSettlement, useFinanceRegion } from './finance';
import { fileToBase64, FORMAT } from './statements';

/** Bank statements: upload one (1C or camt.053) and see how each imported statement matched. */
export function StatementsPage() {
  const { regionCode, canAct } = useFinanceRegion();
  const statements = $settlement.useQuery('get', '/v1/statements', { params: { query: { region_code: regionCode } } }, { staleTime: 0 });
  return (
    <FinancePage
      title="Банковские выписки"
      lead="Загрузите выписку по счёту выплат: каждая её строка будет сопоставлена с выплатами реестров. Исполненные и возвращённые банком платежи отмечаются сразу, всё остальное попадает в очередь расхождений — молча ничего не сопоставляется."
    >
      {canAct ? <UploadForm /> : null}
      <section aria-labelledby="statements-title" className="stack">
        <Text as="h2" variant="header-1" id="statements-title">
          Загруженные выписки
        </Text>
        <PageState loading={statements.isPending} error={statements.error} retry={() => void statements.refetch()}>
          {statements.data && statements.data.items.length > 0 ? (
            <ScrollTable caption="Загруженные выписки, последние сверху" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Выписка</th>
                  <th scope="col">Период</th>
                  <th scope="col">Загружена</th>
                  <th scope="col" className="num">
                    Исполнено
                  </th>
                  <th scope="col" className="num">
                    Возвращено
                  </th>
                  <th scope="col" className="num">
                    Расхождений (не разобрано)
                  </th>
                </tr>
              </thead>
              <tbody>
                {statements.data.items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <RouterLink to={`/finance/statements/${s.id}`}>{s.file_name ?? `Выписка ${s.statement_ref ?? s.id.slice(0, 8)}`}</RouterLink>
                      <br />
                      <span className="muted">{FORMAT[s.format]}</span>
                    </th>
                    <td>{s.date_from ? `${formatDate(s.date_from)} — ${s.date_to ? formatDate(s.date_to) : '…'}` : '—'}</td>
                    <td>{formatDateTime(s.imported_at)}</td>
                    <td className="num">{s.paid}</td>
                    <td className="num">{s.returned}</td>
                    <td className="num">
                      {s.discrepancies} ({s.open_discrepancies})
                    </td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          ) : (
            <EmptyState title="Выписок ещё не загружали">Загрузите выписку банка формой выше.</EmptyState>
          )}
        </PageState>
      </section>
    </FinancePage>
  );
}

function UploadForm() {
  const headingId = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<'1c' | 'camt053'>('1c');
  const [fileError, setFileError] = useState<string | null>(null);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [uploading, setUploading] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSummary([]);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError('Выберите файл выписки');
      setSummary([{ fieldId: 'statement-file', message: 'Выберите файл выписки' }]);
      return;
    }
    setFileError(null);
    setUploading(true);
    try {
      const { data, error, response } = await settlementApi.POST('/v1/statements', { body: { format, file_name: file.name, content_base64: await fileToBase64(file) } });
      if (error || !data) throw toProblem(error, response.status);
      await refreshSettlement(queryClient);
      // 200: the same statement was imported before; its first import is shown, nothing changed.
      void navigate(`/finance/statements/${data.id}`, { state: { again: response.status === 200 } });
    } catch (error) {
      const problem = toProblem(error);
      setFileError(problem.message);
      setSummary([{ fieldId: 'statement-file', message: problem.message }]);
    } finally {
      setUploading(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack finance-form" aria-labelledby={headingId}>
      <Text as="h2" variant="header-1" id={headingId}>
        Загрузить выписку
      </Text>
      <ErrorSummary title="Выписка не загружена" items={summary} />
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="statement-format">
          <Text variant="subheader-1">Формат</Text>
        </label>
        <NativeSelect
          id="statement-format"
          value={format}
          options={[
            { value: '1c', label: FORMAT['1c'] },
            { value: 'camt053', label: FORMAT.camt053 },
          ]}
          onChange={(value) => setFormat(value as '1c' | 'camt053')}
        />
      </div>
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="statement-file">
          <Text variant="subheader-1">Файл выписки</Text>
        </label>
        <Text id="statement-file-hint" color="secondary">
          Выгрузка из банк-клиента: kl_to_1c.txt (Windows или DOS) или XML camt.053. Файл проверяется целиком: если он повреждён или не для нашего счёта, ничего не изменится.
        </Text>
        <input
          ref={fileRef}
          id="statement-file"
          type="file"
          className="file-input"
          accept=".txt,.xml,text/plain,application/xml"
          aria-describedby={['statement-file-hint', fileError ? 'statement-file-error' : ''].filter(Boolean).join(' ')}
          aria-invalid={fileError ? true : undefined}
        />
        {fileError ? (
          <Text id="statement-file-error" color="danger">
            {fileError}
          </Text>
        ) : null}
      </div>
      <div className="row">
        <Button type="submit" view="action" size="l" loading={uploading}>
          Загрузить и сопоставить
        </Button>
      </div>
    </form>
  );
}
