import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { parseRuDate } from '../../format/date';
import { summaryOfErrors } from './forms';
import { Status } from './ui';

/** What a version form holds; `valid_from` and `reason` already parsed and trimmed when published. */
export interface VersionInput {
  value: string;
  validFrom: string;
  reason: string;
}

export interface VersionFormProps {
  /** Prefix of the controls' ids, and the API's name of the value (`amount`, `factor`) its problems point at. */
  idPrefix: string;
  valueField: string;
  valueLabel: string;
  valueHint: string;
  /** Whether the typed value is acceptable, and what to say when it is not. */
  valueRule: { test(value: string): boolean; message: string };
  reasonHint: string;
  submitLabel: string;
  /** Publishes the version and says what was published. */
  publish(input: VersionInput): Promise<string>;
}

/**
 * The form for a new version of a regulated figure (a normative cost, a coefficient's factor): value,
 * first day and reason, with the error summary and the server's problems on their fields.
 */
const versionSchema = (valueRule: VersionFormProps['valueRule']) =>
  z.object({
    value: z.string().check(z.trim(), z.refine(valueRule.test, valueRule.message)),
    valid_from: z.string().check(z.trim(), z.refine((v) => parseRuDate(v) !== null, 'Введите дату начала действия в виде дд.мм.гггг')),
    reason: z.string().check(z.trim(), z.minLength(10, 'Укажите основание (не короче 10 знаков): приказ, постановление'), z.maxLength(2000, 'Не длиннее 2000 знаков')),
  });
type Values = z.infer<ReturnType<typeof versionSchema>>;

export function VersionForm(props: VersionFormProps) {
  const [schema] = useState(() => versionSchema(props.valueRule));
  const ids = { value: `${props.idPrefix}-${props.valueField}`, valid_from: `${props.idPrefix}-valid-from`, reason: `${props.idPrefix}-reason` };
  const empty: Values = { value: '', valid_from: '', reason: '' };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState<string>();
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: empty, shouldFocusError: false });

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setDone(undefined);
      try {
        const said = await props.publish({ value: values.value.trim(), validFrom: parseRuDate(values.valid_from)!, reason: values.reason.trim() });
        form.reset(empty);
        setDone(said);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            [props.valueField]: { name: 'value', id: ids.value },
            valid_from: { name: 'valid_from', id: ids.valid_from },
            reason: { name: 'reason', id: ids.reason },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, (path) => ids[path as keyof typeof ids])),
  );

  return (
    <form onSubmit={submit} noValidate className="stack committee-form">
      <ErrorSummary items={summary} />
      <div aria-live="polite">{done ? <Alert theme="success" message={done} /> : null}</div>
      <div className="committee-form__pair">
        <FormTextField control={form.control} name="value" id={ids.value} label={props.valueLabel} hint={props.valueHint} />
        <FormTextField control={form.control} name="valid_from" id={ids.valid_from} label="Действует с" hint="дд.мм.гггг" />
      </div>
      <FormTextField control={form.control} name="reason" id={ids.reason} label="Основание" hint={props.reasonHint} multiline />
      <div className="row">
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          {props.submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** A version's state on the region's today: the one in force, one still to come, or a former one. */
export function VersionStatus({ validFrom, inForce, today }: { validFrom: string; inForce: boolean; today: string }) {
  if (inForce) return <Status tone="success">Действует</Status>;
  return validFrom > today ? <Status tone="info">Вступит в силу</Status> : <Status>Прежняя</Status>;
}
