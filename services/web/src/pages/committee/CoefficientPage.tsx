import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useParams } from 'react-router';
import { z } from 'zod/mini';
import { $registry } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate, regionDate } from '../../format/date';
import { decimalText, parseRuDate, summaryOfErrors } from './forms';
import { CommitteePage, Section, Status } from './ui';

const FACTOR = /^(0|[1-9][0-9]{0,3})([.,][0-9]{1,6})?$/;

const schema = z.object({
  factor: z.string().check(z.trim(), z.refine((v) => FACTOR.test(v) && Number(decimalText(v)) > 0, 'Введите множитель больше нуля, например 1,2')),
  valid_from: z.string().check(z.trim(), z.refine((v) => parseRuDate(v) !== undefined, 'Введите дату начала действия в виде дд.мм.гггг')),
  reason: z.string().check(z.trim(), z.minLength(10, 'Укажите основание (не короче 10 знаков): приказ, постановление'), z.maxLength(2000, 'Не длиннее 2000 знаков')),
});
type Values = z.infer<typeof schema>;
const ids = { factor: 'coefficient-factor', valid_from: 'coefficient-valid-from', reason: 'coefficient-reason' };

/** A correcting coefficient's factor versions with their reasons, and the form for a new one. */
export function CoefficientPage() {
  const { code = '' } = useParams();
  const queryClient = useQueryClient();
  const history = $registry.useQuery('get', '/v1/catalog/coefficients/{code}/versions', { params: { path: { code } } });
  const publish = $registry.useMutation('post', '/v1/catalog/coefficients/{code}/versions');
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState<string>();
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { factor: '', valid_from: '', reason: '' }, shouldFocusError: false });
  const h = history.data;
  const today = regionDate(new Date());
  const inForce = h?.items.find((v) => v.valid_from <= today);

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setDone(undefined);
      try {
        const published = await publish.mutateAsync({
          params: { path: { code } },
          body: { factor: decimalText(values.factor), valid_from: parseRuDate(values.valid_from)!, reason: values.reason.trim() },
        });
        await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/catalog/') });
        form.reset({ factor: '', valid_from: '', reason: '' });
        setDone(`Опубликован множитель ${published.factor.replace('.', ',')} с ${formatDate(published.valid_from)}.`);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            factor: { name: 'factor', id: ids.factor },
            valid_from: { name: 'valid_from', id: ids.valid_from },
            reason: { name: 'reason', id: ids.reason },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, (path) => ids[path as keyof typeof ids])),
  );

  return (
    <CommitteePage title={h ? `Коэффициент: ${h.name}` : 'Коэффициент'} back={{ to: '/committee/catalog', label: 'Нормативные затраты' }}>
      <PageState loading={history.isPending} error={history.error} retry={() => void history.refetch()}>
        {h ? (
          <>
            <Section id="coefficient-versions-title" title="Версии множителя">
              <ScrollTable caption="Версии множителя, от новых к старым" captionHidden>
                <thead>
                  <tr>
                    <th scope="col">Действует с</th>
                    <th scope="col" className="num">
                      Множитель
                    </th>
                    <th scope="col">Основание</th>
                    <th scope="col">Состояние</th>
                  </tr>
                </thead>
                <tbody>
                  {h.items.map((v) => (
                    <tr key={v.valid_from}>
                      <td>{formatDate(v.valid_from)}</td>
                      <td className="num">{v.factor.replace('.', ',')}</td>
                      <td className="overflow-safe">{v.reason}</td>
                      <td>{v === inForce ? <Status tone="success">Действует</Status> : v.valid_from > today ? <Status tone="info">Вступит в силу</Status> : <Status>Прежняя</Status>}</td>
                    </tr>
                  ))}
                  <tr>
                    <td>{formatDate(h.created_at)}</td>
                    <td className="num">{h.base_factor.replace('.', ',')}</td>
                    <td>Значение при введении коэффициента</td>
                    <td>{inForce ? <Status>Прежняя</Status> : <Status tone="success">Действует</Status>}</td>
                  </tr>
                </tbody>
              </ScrollTable>
            </Section>
            <Section id="coefficient-publish-title" title="Новая версия">
              <form onSubmit={submit} noValidate className="stack committee-form">
                <ErrorSummary items={summary} />
                <div aria-live="polite">{done ? <Alert theme="success" message={done} /> : null}</div>
                <div className="committee-form__pair">
                  <FormTextField control={form.control} name="factor" id={ids.factor} label="Множитель" hint="Например: 1,2" />
                  <FormTextField control={form.control} name="valid_from" id={ids.valid_from} label="Действует с" hint="дд.мм.гггг" />
                </div>
                <FormTextField control={form.control} name="reason" id={ids.reason} label="Основание" hint="Например: постановление правительства области от 01.12.2026 № 45-П" multiline />
                <div className="row">
                  <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
                    Опубликовать множитель
                  </Button>
                </div>
              </form>
            </Section>
          </>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}
