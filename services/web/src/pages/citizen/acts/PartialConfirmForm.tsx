import { useId, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { useForm, type FieldErrors } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates, type CertificatesSchemas } from '../../../api/client';
import { toProblem } from '../../../api/problem';
import { FormTextField } from '../../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../../forms/ErrorSummary';
import { applyProblem } from '../../../forms/server-errors';
import { formatDate } from '../../../format/date';
import { unitsText } from '../labels';

export type ActSummary = Pick<CertificatesSchemas['CabinetDelivery'], 'id' | 'units' | 'unit' | 'delivered_on'>;
type Delivery = CertificatesSchemas['Delivery'];

/** What is wrong with the units typed, in the order a person would fix it; undefined when they are fine. */
function unitsProblem(value: string, total: number): string | undefined {
  if (value === '') return 'Укажите, сколько единиц услуги оказано на самом деле';
  if (!/^\d+$/.test(value)) return 'Введите целое число цифрами, без пробелов и запятых';
  const n = Number(value);
  if (n <= 0) return 'Число должно быть больше нуля. Если услуга не оказана совсем, оспорьте акт целиком';
  if (n >= total) return `Число должно быть меньше ${total}. Если оказано всё, подтвердите акт полностью`;
  return undefined;
}

function partialSchema(total: number) {
  return z.object({
    units: z.string().check(
      z.trim(),
      z.refine((value) => unitsProblem(value, total) === undefined, { error: (issue) => unitsProblem(String(issue.input), total) }),
    ),
    reason: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'Опишите, что было не так: например, какие посещения не состоялись'),
        z.maxLength(1000, 'Причина должна быть не длиннее 1000 знаков'),
      ),
  });
}
type Values = z.infer<ReturnType<typeof partialSchema>>;

/** Ids of the form's controls, for labels, the summary's links and the server's field errors. */
function fieldIds(actId: string) {
  return { units: `partial-units-${actId}`, reason: `partial-reason-${actId}` };
}

export function summaryOf<T extends Record<string, unknown>>(errors: FieldErrors<T>, ids: Record<string, string>): SummaryItem[] {
  return Object.entries(errors).flatMap(([key, error]) => {
    const message = error && typeof error === 'object' && 'message' in error ? error.message : undefined;
    return typeof message === 'string' && message ? [{ fieldId: ids[key], message }] : [];
  });
}

/**
 * «Подтвердить частично»: how many units were really delivered (fewer than the act has, more than
 * none) and why the rest is disputed. The confirmed share is paid to the provider, the rest goes back
 * to the certificate.
 */
export function PartialConfirmForm({ act, onDone, onCancel }: { act: ActSummary; onDone: (delivery: Delivery) => void; onCancel: () => void }) {
  const headingId = useId();
  const ids = fieldIds(act.id);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const confirm = $certificates.useMutation('post', '/v1/deliveries/{id}/confirm');
  const form = useForm<Values>({ resolver: standardSchemaResolver(partialSchema(act.units)), defaultValues: { units: '', reason: '' }, shouldFocusError: false });
  const date = formatDate(act.delivered_on);

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        const delivery = await confirm.mutateAsync({
          params: { path: { id: act.id } },
          body: { units: Number.parseInt(values.units, 10), dispute_reason: values.reason },
        });
        onDone(delivery);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            units: { name: 'units', id: ids.units },
            dispute_reason: { name: 'reason', id: ids.reason },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );

  return (
    <form onSubmit={submit} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h4" variant="subheader-2" id={headingId}>
        Частичное подтверждение акта от {date}
      </Text>
      <ErrorSummary items={summary} />
      <FormTextField
        control={form.control}
        name="units"
        id={ids.units}
        label="Сколько единиц услуги оказано на самом деле"
        hint={`В акте ${unitsText(act.units, act.unit)}. Введите целое число от 1 до ${act.units - 1}: столько будет оплачено поставщику, остальное вернётся на сертификат.`}
        autoComplete="off"
      />
      <FormTextField
        control={form.control}
        name="reason"
        id={ids.reason}
        label="Почему вы не согласны с остальным"
        hint="Например: специалист не пришёл 3 и 5 декабря. Это увидят поставщик и орган соцзащиты."
        multiline
      />
      <div className="row">
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Отправить частичное подтверждение
        </Button>
        <Button view="outlined" size="l" onClick={onCancel}>
          Отмена
        </Button>
      </div>
    </form>
  );
}
