import { useId, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates, type CertificatesSchemas } from '../../../api/client';
import { toProblem } from '../../../api/problem';
import { FormTextField } from '../../../components/FormTextField';
import { NativeSelect } from '../../../components/NativeSelect';
import { ErrorSummary, type SummaryItem } from '../../../forms/ErrorSummary';
import { applyProblem } from '../../../forms/server-errors';
import { formatDate, parseRuDate, regionDate } from '../../../format/date';
import { summaryOf } from '../frame';

type InboxBooking = CertificatesSchemas['InboxBooking'];

const schema = z.object({
  booking_id: z.string().check(z.minLength(1, 'Выберите договор')),
  delivered_on: z.string().check(z.refine((v) => parseRuDate(v) != null, 'Введите дату в виде ДД.ММ.ГГГГ')),
  units: z.string().check(z.regex(/^\d{1,5}$/, 'Введите целое число'), z.refine((v) => Number(v) >= 1 && Number(v) <= 10_000, 'Объём — от 1 до 10000')),
  name: z.string().check(z.trim(), z.minLength(1, 'Укажите ФИО работника'), z.maxLength(200, 'Не длиннее 200 знаков')),
  position: z.string().check(z.trim(), z.minLength(1, 'Укажите должность работника'), z.maxLength(200, 'Не длиннее 200 знаков')),
});
type Values = z.infer<typeof schema>;

export const bookingLabel = (b: InboxBooking) => `${b.recipient_name} — ${b.service_name ?? b.service_code}, сертификат № ${b.certificate_number}`;

/** One act by hand: the contract, the day, the units and who delivered them. */
export function RecordActForm({ bookings, initialBooking, onRecorded }: { bookings: InboxBooking[]; initialBooking?: string; onRecorded: (act: CertificatesSchemas['Delivery'], booking: InboxBooking) => void }) {
  const headingId = useId();
  const ids = { booking_id: 'act-booking', delivered_on: 'act-date', units: 'act-units', name: 'act-staff-name', position: 'act-staff-position' };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  // One id per act being entered: sending it twice (a lost answer, a double click) records it once.
  const [actId, setActId] = useState(() => crypto.randomUUID());
  const record = $certificates.useMutation('post', '/v1/bookings/{id}/deliveries');
  const form = useForm<Values>({
    resolver: standardSchemaResolver(schema),
    defaultValues: {
      booking_id: bookings.some((b) => b.id === initialBooking) ? initialBooking : (bookings[0]?.id ?? ''),
      delivered_on: formatDate(regionDate(new Date())),
      units: '1',
      name: '',
      position: '',
    },
    shouldFocusError: false,
  });
  const selected = bookings.find((b) => b.id === form.watch('booking_id'));
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      const booking = bookings.find((b) => b.id === values.booking_id)!;
      try {
        const act = await record.mutateAsync({
          params: { path: { id: values.booking_id } },
          body: { id: actId, delivered_on: parseRuDate(values.delivered_on)!, units: Number(values.units), staff: { name: values.name, position: values.position } },
        });
        setActId(crypto.randomUUID());
        form.reset({ ...values, units: '1' });
        onRecorded(act, booking);
      } catch (error) {
        const problem = toProblem(error);
        // A definite answer spends the id: the act sent again, corrected or not, is a new act. Only a lost
        // answer (no status, or a 5xx) keeps it, so that sending again records the act once.
        if (problem.status >= 400 && problem.status < 500) setActId(crypto.randomUUID());
        setSummary(
          applyProblem(problem, form.setError, {
            delivered_on: { name: 'delivered_on', id: ids.delivered_on },
            units: { name: 'units', id: ids.units },
            'staff.name': { name: 'name', id: ids.name },
            'staff.position': { name: 'position', id: ids.position },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  return (
    <form onSubmit={submit} noValidate className="stack act-form" aria-labelledby={headingId}>
      <Text as="h2" variant="subheader-3" id={headingId}>
        Записать акт
      </Text>
      <ErrorSummary items={summary} />
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor={ids.booking_id}>
          <Text variant="subheader-1">Договор</Text>
        </label>
        <Controller
          control={form.control}
          name="booking_id"
          render={({ field }) => (
            <NativeSelect id={ids.booking_id} value={field.value} options={bookings.map((b) => ({ value: b.id, label: bookingLabel(b) }))} onChange={field.onChange} />
          )}
        />
        {selected ? (
          <Text color="secondary">
            Получателю осталось {selected.line.units_left} из {selected.line.volume}; в актах по договору — {selected.units_in_use} из {selected.units}.
          </Text>
        ) : null}
      </div>
      <FormTextField control={form.control} name="delivered_on" id={ids.delivered_on} label="Дата оказания" hint="ДД.ММ.ГГГГ, не позже сегодняшнего дня." />
      <FormTextField control={form.control} name="units" id={ids.units} label="Объём (единиц услуги)" />
      <FormTextField control={form.control} name="name" id={ids.name} label="ФИО работника" autoComplete="off" />
      <FormTextField control={form.control} name="position" id={ids.position} label="Должность работника" autoComplete="off" />
      <div>
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Записать акт
        </Button>
      </div>
    </form>
  );
}
