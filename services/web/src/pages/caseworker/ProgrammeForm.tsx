import { useId, useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { Controller, useFieldArray, useForm, type Path } from 'react-hook-form';
import { $certificates, $registry, type CertificatesSchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { NativeSelect } from '../../components/NativeSelect';
import { PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate } from '../../format/date';
import { unitsText } from '../citizen/labels';
import { SERVICE_FORM, useWorkerRegion } from './desk';

interface Line {
  service_code: string;
  volume_per_month: string;
  months: string;
}
interface Values {
  lines: Line[];
}

const MAX_LINES = 20;
const EMPTY: Line = { service_code: '', volume_per_month: '', months: '6' };

/** The individual programme: services of the catalog, each within its standard's volume a month, for up to 12 months. */
export function ProgrammeForm({ assessmentId, onDone }: { assessmentId: string; onDone(message: string): void }) {
  const region = useWorkerRegion();
  const queryClient = useQueryClient();
  const catalog = $registry.useQuery('get', '/v1/catalog/services', { params: { query: { region } } }, { staleTime: 5 * 60_000 });
  const draw = $certificates.useMutation('post', '/v1/assessments/{id}/programme');
  const form = useForm<Values>({ defaultValues: { lines: [EMPTY] } });
  const lines = useFieldArray({ control: form.control, name: 'lines' });
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const base = useId().replace(/:/g, '');
  const fieldId = (index: number, key: keyof Line) => `${base}-${index}-${key}`;
  const services = catalog.data?.items ?? [];
  const serviceOf = (code: string) => services.find((s) => s.code === code);

  const submit = form.handleSubmit(async (values) => {
    const items: SummaryItem[] = [];
    const seen = new Set<string>();
    values.lines.forEach((line, index) => {
      const n = index + 1;
      const service = serviceOf(line.service_code);
      if (!service) items.push({ fieldId: fieldId(index, 'service_code'), message: `Строка ${n}: выберите услугу` });
      else if (seen.has(service.code)) items.push({ fieldId: fieldId(index, 'service_code'), message: `Строка ${n}: услуга уже есть в программе — объедините строки` });
      else seen.add(service.code);
      const volume = Number(line.volume_per_month);
      const max = service?.standard.max_volume_per_month;
      if (!/^\d+$/.test(line.volume_per_month.trim()) || volume < 1) items.push({ fieldId: fieldId(index, 'volume_per_month'), message: `Строка ${n}: объём в месяц — целое число от 1` });
      else if (max && volume > max) items.push({ fieldId: fieldId(index, 'volume_per_month'), message: `Строка ${n}: по стандарту услуги не больше ${max} в месяц` });
      const months = Number(line.months);
      if (!/^\d+$/.test(line.months.trim()) || months < 1 || months > 12) items.push({ fieldId: fieldId(index, 'months'), message: `Строка ${n}: срок — от 1 до 12 месяцев` });
    });
    setSummary(items);
    if (items.length) return;
    try {
      await draw.mutateAsync({
        params: { path: { id: assessmentId } },
        body: { lines: values.lines.map((l) => ({ service_code: l.service_code, volume_per_month: Number(l.volume_per_month), months: Number(l.months) })) },
      });
      await queryClient.invalidateQueries();
      onDone('Индивидуальная программа составлена. Проверьте расчёт платы и выдайте сертификат.');
    } catch (error) {
      const fields: Record<string, { name: Path<Values>; id: string }> = {};
      values.lines.forEach((_, index) => {
        for (const key of ['service_code', 'volume_per_month', 'months'] as const) fields[`lines[${index}].${key}`] = { name: `lines.${index}.${key}`, id: fieldId(index, key) };
      });
      setSummary(applyProblem(toProblem(error), form.setError, fields));
    }
  });

  return (
    <section aria-labelledby={`${base}-title`} className="stack desk-form">
      <Text as="h2" variant="header-1" id={`${base}-title`}>
        Индивидуальная программа
      </Text>
      <Text as="p">Выберите услуги из перечня, объём в месяц (не больше, чем допускает стандарт услуги) и срок в месяцах.</Text>
      <PageState loading={catalog.isPending} error={catalog.error} retry={() => void catalog.refetch()}>
        <ErrorSummary items={summary} />
        <form onSubmit={(event) => void submit(event)} noValidate className="stack">
          {lines.fields.map((item, index) => {
            const service = serviceOf(form.watch(`lines.${index}.service_code`));
            return (
              <fieldset key={item.id} className="fieldset programme-line">
                <legend>
                  <Text variant="subheader-1">Услуга {index + 1}</Text>
                </legend>
                <div className="field">
                  <label htmlFor={fieldId(index, 'service_code')}>
                    <Text variant="subheader-1">Услуга</Text>
                  </label>
                  <Controller
                    control={form.control}
                    name={`lines.${index}.service_code`}
                    render={({ field }) => (
                      <NativeSelect
                        id={fieldId(index, 'service_code')}
                        value={field.value}
                        onChange={field.onChange}
                        options={[{ value: '', label: 'Выберите услугу' }, ...services.map((s) => ({ value: s.code, label: `${s.name} (${SERVICE_FORM[s.form]})` }))]}
                      />
                    )}
                  />
                </div>
                <div className="programme-line__numbers">
                  <FormTextField
                    control={form.control}
                    name={`lines.${index}.volume_per_month`}
                    id={fieldId(index, 'volume_per_month')}
                    label="Объём в месяц"
                    hint={service ? `Не больше ${unitsText(service.standard.max_volume_per_month, service.unit)} в месяц по стандарту` : undefined}
                    autoComplete="off"
                  />
                  <FormTextField control={form.control} name={`lines.${index}.months`} id={fieldId(index, 'months')} label="Срок, месяцев" hint="От 1 до 12" autoComplete="off" />
                </div>
                {lines.fields.length > 1 ? (
                  <div>
                    <Button view="outlined" onClick={() => lines.remove(index)}>
                      Убрать услугу {index + 1}
                    </Button>
                  </div>
                ) : null}
              </fieldset>
            );
          })}
          <div className="row">
            {lines.fields.length < MAX_LINES ? (
              <Button view="outlined" size="l" onClick={() => lines.append(EMPTY)}>
                Добавить услугу
              </Button>
            ) : null}
            <Button type="submit" view="action" size="l" loading={draw.isPending}>
              Составить программу
            </Button>
          </div>
        </form>
      </PageState>
    </section>
  );
}

export function ProgrammeTable({ programme }: { programme: CertificatesSchemas['Programme'] }) {
  return (
    <section aria-labelledby="programme-title" className="stack">
      <Text as="h2" variant="header-1" id="programme-title">
        Индивидуальная программа
      </Text>
      <Text as="p">Действует с {formatDate(programme.valid_from)}.</Text>
      <ScrollTable caption="Услуги программы" captionHidden>
        <thead>
          <tr>
            <th scope="col">Услуга</th>
            <th scope="col">Форма</th>
            <th scope="col">В месяц</th>
            <th scope="col">Месяцев</th>
          </tr>
        </thead>
        <tbody>
          {programme.lines.map((line) => (
            <tr key={line.service_code}>
              <td>{line.service_name}</td>
              <td>{SERVICE_FORM[line.form]}</td>
              <td>{unitsText(line.volume_per_month, line.unit)}</td>
              <td>{line.months}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
