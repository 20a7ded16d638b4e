import { useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { registryApi } from '../../../api/client';
import { toProblem, type Problem } from '../../../api/problem';
import { NativeSelect } from '../../../components/NativeSelect';
import { ProblemAlert } from '../../../components/PageState';
import { TextField } from '../../../forms/TextField';

export const DOCUMENT_KINDS = [
  { value: 'tax_certificate', label: 'Справка об отсутствии задолженности по налогам' },
  { value: 'licence', label: 'Лицензия' },
  { value: 'charter', label: 'Устав' },
  { value: 'staff_qualification', label: 'Сведения о квалификации персонала' },
  { value: 'other', label: 'Другой документ' },
];

/** A document of the organisation (PDF, JPEG or PNG up to 10 MB), stored in the registry; the round's formal check reads them. */
export function DocumentUpload({ providerId, onUploaded }: { providerId: string; onUploaded: (title: string) => void }) {
  const [kind, setKind] = useState('tax_certificate');
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ title?: string; file?: string }>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const next = { title: title.trim() ? undefined : 'Введите название документа', file: file ? undefined : 'Выберите файл' };
    setErrors(next);
    if (next.title || next.file) return;
    const form = new FormData();
    form.set('kind', kind);
    form.set('title', title.trim());
    form.set('file', file!, file!.name);
    setBusy(true);
    setProblem(null);
    const { error, response } = await registryApi.POST('/v1/providers/{id}/documents', {
      params: { path: { id: providerId } },
      body: {} as never,
      bodySerializer: () => form,
    });
    setBusy(false);
    if (error) return setProblem(toProblem(error, response.status));
    onUploaded(title.trim());
    setTitle('');
    setFile(null);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack act-form" aria-labelledby="document-upload-title">
      <Text as="h3" variant="subheader-2" id="document-upload-title">
        Загрузить документ организации
      </Text>
      {problem ? <ProblemAlert error={problem} /> : null}
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="document-kind">
          <Text variant="subheader-1">Вид документа</Text>
        </label>
        <NativeSelect id="document-kind" value={kind} options={DOCUMENT_KINDS} onChange={setKind} />
      </div>
      <TextField id="document-title" label="Название документа" value={title} error={errors.title} onChange={(e) => setTitle(e.target.value)} />
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="document-file">
          <Text variant="subheader-1">Файл (PDF, JPEG или PNG, до 10 МБ)</Text>
        </label>
        <input
          id="document-file"
          className="file-input visually-hidden"
          type="file"
          accept="application/pdf,image/jpeg,image/png"
          aria-invalid={!!errors.file}
          aria-describedby={errors.file ? 'document-file-name document-file-error' : 'document-file-name'}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <div className="row">
          <label htmlFor="document-file" className="file-input__button">
            Выбрать файл
          </label>
          <Text id="document-file-name">{file ? file.name : 'Файл не выбран'}</Text>
        </div>
        {errors.file ? (
          <Text id="document-file-error" color="danger">
            {errors.file}
          </Text>
        ) : null}
      </div>
      <div>
        <Button type="submit" view="outlined" size="l" loading={busy}>
          Загрузить документ
        </Button>
      </div>
    </form>
  );
}
