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
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate, regionDate } from '../../format/date';
import { formatMoney } from '../../format/money';
import { unitLabel } from '../public/dictionary';
import { DECIMAL, decimalText, parseRuDate, summaryOfErrors } from './forms';
import { CommitteePage, Section, Status, useCommitteeRegion } from './ui';

const schema = z.object({
  amount: z.string().check(z.trim(), z.refine((v) => DECIMAL.test(v) && Number(decimalText(v)) > 0, 'Введите норматив в рублях, например 450 или 450,50')),
  valid_from: z.string().check(z.trim(), z.refine((v) => parseRuDate(v) !== undefined, 'Введите дату начала действия в виде дд.мм.гггг')),
  reason: z.string().check(z.trim(), z.minLength(10, 'Укажите основание (не короче 10 знаков): приказ, постановление'), z.maxLength(2000, 'Не длиннее 2000 знаков')),
});
type Values = z.infer<typeof schema>;
const ids = { amount: 'cost-amount', valid_from: 'cost-valid-from', reason: 'cost-reason' };

/** A service's normative cost versions in the region, newest first, and the form for a new version. */
export function CostPage() {
  const { code = '' } = useParams();
  const region = useCommitteeRegion();
  const queryClient = useQueryClient();
  const service = $registry.useQuery('get', '/v1/catalog/services/{code}', { params: { path: { code }, query: { region } } });
  const publish = $registry.useMutation('post', '/v1/catalog/services/{code}/costs');
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState<string>();
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { amount: '', valid_from: '', reason: '' }, shouldFocusError: false });
  const s = service.data;
  const versions = [...(s?.costs ?? [])].filter((c) => c.region_code === region).sort((a, b) => b.valid_from.localeCompare(a.valid_from));
  const today = regionDate(new Date());
  const inForce = versions.find((v) => v.valid_from <= today);

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setDone(undefined);
      try {
        const published = await publish.mutateAsync({
          params: { path: { code } },
          body: { region_code: region, valid_from: parseRuDate(values.valid_from)!, amount: decimalText(values.amount), reason: values.reason.trim() },
        });
        await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/catalog/') });
        form.reset({ amount: '', valid_from: '', reason: '' });
        setDone(`Опубликована версия ${formatMoney(published.amount)} с ${formatDate(published.valid_from)}.`);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            amount: { name: 'amount', id: ids.amount },
            valid_from: { name: 'valid_from', id: ids.valid_from },
            reason: { name: 'reason', id: ids.reason },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, (path) => ids[path as keyof typeof ids])),
  );

  return (
    <CommitteePage title={s ? `Норматив: ${s.name}` : 'Норматив'} back={{ to: '/committee/catalog', label: 'Нормативные затраты' }}>
      <PageState loading={service.isPending} error={service.error} retry={() => void service.refetch()}>
        {s ? (
          <>
            <Section id="versions-title" title="Версии норматива">
              {versions.length === 0 ? (
                <EmptyState title="Норматив в регионе ещё не утверждён" />
              ) : (
                <ScrollTable caption={`Версии норматива за ${unitLabel(s.unit)}, от новых к старым`}>
                  <thead>
                    <tr>
                      <th scope="col">Действует с</th>
                      <th scope="col" className="num">
                        Норматив
                      </th>
                      <th scope="col">Основание</th>
                      <th scope="col">Состояние</th>
                    </tr>
                  </thead>
                  <tbody>
                    {versions.map((v) => (
                      <tr key={v.valid_from}>
                        <td>{formatDate(v.valid_from)}</td>
                        <td className="num">
                          <Money amount={v.amount} />
                        </td>
                        <td className="overflow-safe">{v.reason ?? '—'}</td>
                        <td>
                          {v === inForce ? <Status tone="success">Действует</Status> : v.valid_from > today ? <Status tone="info">Вступит в силу</Status> : <Status>Прежняя</Status>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              )}
            </Section>
            <Section id="publish-title" title="Новая версия">
              <form onSubmit={submit} noValidate className="stack committee-form">
                <ErrorSummary items={summary} />
                <div aria-live="polite">{done ? <Alert theme="success" message={done} /> : null}</div>
                <div className="committee-form__pair">
                  <FormTextField control={form.control} name="amount" id={ids.amount} label={`Норматив за ${unitLabel(s.unit)}, ₽`} hint="Например: 450,50" />
                  <FormTextField control={form.control} name="valid_from" id={ids.valid_from} label="Действует с" hint="дд.мм.гггг" />
                </div>
                <FormTextField control={form.control} name="reason" id={ids.reason} label="Основание" hint="Например: приказ Минсоцразвития области от 01.12.2026 № 120-П" multiline />
                <div className="row">
                  <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
                    Опубликовать версию
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
