import { useId, useRef, useState } from 'react';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { $certificates, type CertificatesSchemas } from '../../../api/client';
import { toProblem, type Problem } from '../../../api/problem';
import { ProblemAlert } from '../../../components/PageState';
import { ScrollTable } from '../../../components/ScrollTable';
import { plural } from '../../../format/date';
import { bookingLabel } from './RecordActForm';

type InboxBooking = CertificatesSchemas['InboxBooking'];
type ActImport = CertificatesSchemas['ActImport'];

const COLUMNS = ['booking_id', 'получатель', 'delivered_on', 'units', 'staff_name', 'staff_position'];

/** A template to fill in Excel: one line per contract, the columns the upload reads (others are ignored). */
function templateHref(bookings: InboxBooking[]): string {
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [COLUMNS.join(';'), ...bookings.map((b) => [b.id, cell(bookingLabel(b)), '', '', '', ''].join(';'))];
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\ufeff${lines.join('\r\n')}\r\n`)}`;
}

/** Several acts from a CSV file: each row is recorded on its own, and the rows that were not are listed with why. */
export function ActImportForm({ providerId, bookings, onImported }: { providerId: string; bookings: InboxBooking[]; onImported: () => void }) {
  const headingId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; text: string; id: string } | null>(null);
  const [report, setReport] = useState<ActImport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  const upload = $certificates.useMutation('post', '/v1/providers/{id}/act-imports');
  const reportRef = useRef<HTMLDivElement>(null);

  const choose = async (chosen: File | undefined) => {
    setReport(null);
    setProblem(null);
    setMissingFile(false);
    // A new id per file chosen: sending the same file again (a lost answer) records its rows once.
    setFile(chosen ? { name: chosen.name, text: await chosen.text(), id: crypto.randomUUID() } : null);
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissingFile(true);
      fileRef.current?.focus();
      return;
    }
    setProblem(null);
    try {
      setReport(await upload.mutateAsync({ params: { path: { id: providerId } }, body: { id: file.id, csv: file.text } }));
      onImported();
    } catch (error) {
      setProblem(toProblem(error));
    }
    requestAnimationFrame(() => reportRef.current?.focus());
  };

  const failed = report?.rows.filter((r) => r.outcome === 'failed') ?? [];
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h2" variant="subheader-3" id={headingId}>
        Загрузить акты из файла
      </Text>
      <Text as="p">
        Файл CSV (разделитель «;» или «,», UTF-8) со столбцами booking_id, delivered_on (ДД.ММ.ГГГГ), units, staff_name, staff_position — не больше 1000 строк. Каждая строка
        записывается отдельно: ошибка в одной строке не мешает остальным.{' '}
        <a className="download-link" href={templateHref(bookings)} download="akty-shablon.csv">
          Скачать шаблон с вашими договорами
        </a>
      </Text>
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="act-file">
          <Text variant="subheader-1">Файл актов</Text>
        </label>
        {/* The browser's own button speaks the browser's language; this one is always Russian. */}
        <input
          ref={fileRef}
          id="act-file"
          className="file-input visually-hidden"
          type="file"
          accept=".csv,text/csv"
          aria-invalid={missingFile}
          aria-describedby={missingFile ? 'act-file-name act-file-error' : 'act-file-name'}
          onChange={(e) => void choose(e.target.files?.[0])}
        />
        <div className="row">
          <label htmlFor="act-file" className="file-input__button">
            Выбрать файл
          </label>
          <Text id="act-file-name">{file ? file.name : 'Файл не выбран'}</Text>
        </div>
        {missingFile ? (
          <Text id="act-file-error" color="danger">
            Выберите файл
          </Text>
        ) : null}
      </div>
      <div>
        <Button type="submit" view="action" size="l" loading={upload.isPending}>
          Загрузить акты
        </Button>
      </div>
      <div ref={reportRef} tabIndex={-1} className="focus-target stack">
        {problem ? <ProblemAlert error={problem} /> : null}
        {report ? (
          <>
            <Alert
              theme={report.failed === 0 ? 'success' : 'warning'}
              title={`Записано ${report.recorded} ${plural(report.recorded, 'акт', 'акта', 'актов')} из ${report.rows_total}`}
              message={report.failed === 0 ? 'Все строки файла записаны.' : `Не записано строк: ${report.failed}. Исправьте их и загрузите файл только с ними.`}
            />
            {failed.length ? (
              <ScrollTable caption="Строки, которые не записаны">
                <thead>
                  <tr>
                    <th scope="col">Строка</th>
                    <th scope="col">Что не так</th>
                  </tr>
                </thead>
                <tbody>
                  {failed.map((r) => (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td>{(r.message ?? '').replace(/^Строка \d+: /, '')}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            ) : null}
          </>
        ) : null}
      </div>
    </form>
  );
}
