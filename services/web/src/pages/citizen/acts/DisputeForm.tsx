import { useId, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates, type CertificatesSchemas } from '../../../api/client';
import { toProblem } from '../../../api/problem';
import { FormTextField } from '../../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../../forms/ErrorSummary';
import { applyProblem } from '../../../forms/server-errors';
import { formatDate } from '../../../format/date';
import { summaryOf, type ActSummary } from './PartialConfirmForm';

const schema = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, 'Опишите, почему вы не согласны с актом'), z.maxLength(1000, 'Причина должна быть не длиннее 1000 знаков')),
});
type Values = z.infer<typeof schema>;

/** «Оспорить»: the whole act is refused with a reason; nothing is paid and the volume returns to the certificate. */
export function DisputeForm({ act, onDone, onCancel }: { act: ActSummary; onDone: (delivery: CertificatesSchemas['Delivery']) => void; onCancel: () => void }) {
  const headingId = useId();
  const ids = { reason: `dispute-reason-${act.id}` };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const dispute = $certificates.useMutation('post', '/v1/deliveries/{id}/dispute');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { reason: '' }, shouldFocusError: false });

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        onDone(await dispute.mutateAsync({ params: { path: { id: act.id } }, body: { reason: values.reason } }));
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, { reason: { name: 'reason', id: ids.reason } }));
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );

  return (
    <form onSubmit={submit} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h4" variant="subheader-2" id={headingId}>
        Оспорить акт от {formatDate(act.delivered_on)}
      </Text>
      <Text as="p">Поставщику ничего не будет оплачено, а объём услуги вернётся на сертификат. Поставщик и орган соцзащиты увидят вашу причину.</Text>
      <ErrorSummary items={summary} />
      <FormTextField
        control={form.control}
        name="reason"
        id={ids.reason}
        label="Почему вы не согласны с актом"
        hint="Например: в этот день услугу не оказывали."
        multiline
      />
      <div className="row">
        <Button type="submit" view="outlined-danger" size="l" loading={form.formState.isSubmitting}>
          Отправить возражение
        </Button>
        <Button view="outlined" size="l" onClick={onCancel}>
          Отмена
        </Button>
      </div>
    </form>
  );
}
