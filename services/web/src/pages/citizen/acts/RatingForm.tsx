import { useEffect, useId, useRef, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Radio, Text } from '@gravity-ui/uikit';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates, type CertificatesSchemas } from '../../../api/client';
import { toProblem } from '../../../api/problem';
import { FormTextField } from '../../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../../forms/ErrorSummary';
import { applyProblem } from '../../../forms/server-errors';
import { formatDate } from '../../../format/date';
import { summaryOf } from './PartialConfirmForm';

const SCORES = [
  { value: '5', label: '5 — отлично' },
  { value: '4', label: '4 — хорошо' },
  { value: '3', label: '3 — удовлетворительно' },
  { value: '2', label: '2 — плохо' },
  { value: '1', label: '1 — очень плохо' },
] as const;

const schema = z.object({
  score: z.string().check(z.refine((v) => /^[1-5]$/.test(v), 'Выберите оценку от 1 до 5')),
  comment: z.string().check(z.trim(), z.maxLength(2000, 'Комментарий должен быть не длиннее 2000 знаков')),
});
type Values = z.infer<typeof schema>;

type Act = Pick<CertificatesSchemas['CabinetDelivery'], 'id' | 'delivered_on' | 'provider_name' | 'feedback'>;

/**
 * Rating a confirmed act, once: 1–5 as a real radio group (arrow keys move between the marks) and
 * an optional comment. After it is sent the form is gone for good and the thanks stay.
 */
export function RatingForm({ act, onRated }: { act: Act; onRated: () => void }) {
  const headingId = useId();
  const ids = { score: `rating-score-${act.id}`, comment: `rating-comment-${act.id}` };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [rated, setRated] = useState<number | null>(null);
  const thanksRef = useRef<HTMLDivElement>(null);
  const feedback = $certificates.useMutation('post', '/v1/deliveries/{id}/feedback');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { score: '', comment: '' }, shouldFocusError: false });
  const date = formatDate(act.delivered_on);

  useEffect(() => {
    if (rated != null) thanksRef.current?.focus();
  }, [rated]);

  const given = rated ?? act.feedback?.score ?? null;
  if (given != null) {
    return (
      <div ref={thanksRef} tabIndex={-1} className="stack focus-target" role="status">
        <Text as="p" variant="subheader-2">
          Спасибо, оценка учтена
        </Text>
        <Text as="p">
          Ваша оценка услуги от {date}: {given} из 5.{act.feedback?.comment ? ` Комментарий: «${act.feedback.comment}».` : ''}
        </Text>
      </div>
    );
  }

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        const score = Number.parseInt(values.score, 10);
        await feedback.mutateAsync({ params: { path: { id: act.id } }, body: { score, comment: values.comment === '' ? null : values.comment } });
        setRated(score);
        onRated();
      } catch (error) {
        const problem = toProblem(error);
        if (problem.code === 'feedback_already_given') {
          onRated();
          return;
        }
        setSummary(applyProblem(problem, form.setError, { score: { name: 'score', id: ids.score }, comment: { name: 'comment', id: ids.comment } }));
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );

  return (
    <form onSubmit={submit} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h4" variant="subheader-2" id={headingId}>
        Оцените услугу от {date}
      </Text>
      <ErrorSummary items={summary} />
      <Controller
        control={form.control}
        name="score"
        render={({ field, fieldState }) => (
          <fieldset className="rating" aria-describedby={fieldState.error ? `${ids.score}-error` : undefined}>
            <legend>
              <Text variant="subheader-1">Ваша оценка работы «{act.provider_name}»</Text>
            </legend>
            <div className="rating__options">
              {SCORES.map((score, index) => (
                <Radio
                  key={score.value}
                  id={index === 0 ? ids.score : undefined}
                  name={`${field.name}-${act.id}`}
                  value={score.value}
                  checked={field.value === score.value}
                  onChange={() => field.onChange(score.value)}
                  onBlur={field.onBlur}
                  controlRef={index === 0 ? field.ref : undefined}
                  size="l"
                >
                  {score.label}
                </Radio>
              ))}
            </div>
            {fieldState.error ? (
              <Text id={`${ids.score}-error`} color="danger">
                {fieldState.error.message}
              </Text>
            ) : null}
          </fieldset>
        )}
      />
      <FormTextField control={form.control} name="comment" id={ids.comment} label="Комментарий (необязательно)" hint="Что понравилось или что стоит улучшить." multiline />
      <div>
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Отправить оценку<span className="visually-hidden"> услуги от {date}</span>
        </Button>
      </div>
    </form>
  );
}
