import { useId, useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import { $certificates } from '../../api/client';
import { toProblem } from '../../api/problem';
import { NativeSelect } from '../../components/NativeSelect';
import { FormTextField } from '../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { ASSESSMENT_REFUSALS } from './desk';

interface Values {
  decision: 'recognised' | 'refused' | '';
  refusal_code: string;
  comment: string;
}

/** Recognised in need, or refused with a coded reason (442-FZ art. 15). */
export function DecisionForm({ assessmentId, onDone }: { assessmentId: string; onDone(message: string): void }) {
  const queryClient = useQueryClient();
  const decide = $certificates.useMutation('post', '/v1/assessments/{id}/decision');
  const form = useForm<Values>({ defaultValues: { decision: '', refusal_code: '', comment: '' } });
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const base = useId().replace(/:/g, '');
  const ids = { recognised: `${base}-recognised`, refused: `${base}-refused`, refusal: `${base}-refusal`, comment: `${base}-comment` };
  const decision = form.watch('decision');

  const submit = form.handleSubmit(async (values) => {
    const items: SummaryItem[] = [];
    if (!values.decision) items.push({ fieldId: ids.recognised, message: 'Выберите решение: признать нуждающимся или отказать' });
    if (values.decision === 'refused' && !values.refusal_code) items.push({ fieldId: ids.refusal, message: 'Укажите причину отказа' });
    setSummary(items);
    if (items.length) return;
    try {
      await decide.mutateAsync({
        params: { path: { id: assessmentId } },
        body:
          values.decision === 'refused'
            ? { decision: 'refused', refusal_code: values.refusal_code as 'not_in_need', comment: values.comment.trim() || null }
            : { decision: 'recognised' },
      });
      await queryClient.invalidateQueries();
      onDone(values.decision === 'refused' ? 'Отказ записан: получатель увидит причину и порядок обжалования в своём кабинете.' : 'Получатель признан нуждающимся. Теперь составьте индивидуальную программу.');
    } catch (error) {
      setSummary(applyProblem(toProblem(error), form.setError, { refusal_code: { name: 'refusal_code', id: ids.refusal }, comment: { name: 'comment', id: ids.comment } }));
    }
  });

  return (
    <section aria-labelledby={`${base}-title`} className="stack desk-form">
      <Text as="h2" variant="header-1" id={`${base}-title`}>
        Решение о нуждаемости
      </Text>
      <ErrorSummary items={summary} />
      <form onSubmit={(event) => void submit(event)} noValidate className="stack">
        <fieldset className="fieldset">
          <legend>
            <Text variant="subheader-1">Решение</Text>
          </legend>
          <label className="choice" htmlFor={ids.recognised}>
            <input type="radio" id={ids.recognised} value="recognised" {...form.register('decision')} />
            Признать нуждающимся в социальном обслуживании
          </label>
          <label className="choice" htmlFor={ids.refused}>
            <input type="radio" id={ids.refused} value="refused" {...form.register('decision')} />
            Отказать в признании нуждающимся
          </label>
        </fieldset>
        {decision === 'refused' ? (
          <>
            <div className="field">
              <label htmlFor={ids.refusal}>
                <Text variant="subheader-1">Причина отказа</Text>
              </label>
              <Controller
                control={form.control}
                name="refusal_code"
                render={({ field }) => (
                  <NativeSelect
                    id={ids.refusal}
                    value={field.value}
                    onChange={field.onChange}
                    options={[{ value: '', label: 'Выберите причину' }, ...ASSESSMENT_REFUSALS.map((r) => ({ value: r.code, label: r.label }))]}
                  />
                )}
              />
            </div>
            <FormTextField control={form.control} name="comment" id={ids.comment} label="Пояснение для получателя (необязательно)" multiline />
          </>
        ) : null}
        <div>
          <Button type="submit" view="action" size="l" loading={decide.isPending}>
            Записать решение
          </Button>
        </div>
      </form>
    </section>
  );
}
