import { useEffect, useRef, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $settlement, type SettlementSchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { FormTextField } from '../../components/FormTextField';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate, formatDateTime } from '../../format/date';
import { formatMoney } from '../../format/money';
import { FinancePage, refreshSettlement, summaryOf, useFinanceRegion } from './finance';
import { RESOLUTION, type StatementLine } from './statements';

type Payout = SettlementSchemas['Payout'];

/** The queue of statement lines that matched no payout by themselves: each is resolved by a person, with a note. */
export function DiscrepanciesPage() {
  const { regionCode, canAct } = useFinanceRegion();
  const queryClient = useQueryClient();
  const open = $settlement.useQuery('get', '/v1/discrepancies', { params: { query: { region_code: regionCode, open: 'true' } } }, { staleTime: 0 });
  const all = $settlement.useQuery('get', '/v1/discrepancies', { params: { query: { region_code: regionCode, open: 'false' } } }, { staleTime: 0 });
  const inTransit = $settlement.useQuery('get', '/v1/payouts', { params: { query: { region_code: regionCode, status: 'in_transit' } } }, { enabled: canAct, staleTime: 0 });
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const resolved = (all.data?.items ?? []).filter((l) => l.resolution);

  return (
    <FinancePage
      title="Расхождения по выпискам"
      lead="Строки выписок, которые не сопоставились с выплатами сами. Разберите каждую: сопоставьте с выплатой реестра или закройте как не относящуюся к выплатам — с примечанием, почему."
    >
      {done ? (
        <div ref={doneRef} tabIndex={-1} className="focus-target">
          <Alert theme="success" title="Расхождение разобрано" message={done} />
        </div>
      ) : null}
      <section aria-labelledby="open-title" className="stack">
        <Text as="h2" variant="header-1" id="open-title">
          Ждут разбора
        </Text>
        <PageState loading={open.isPending} error={open.error} retry={() => void open.refetch()}>
          {open.data && open.data.items.length > 0 ? (
            <ul className="card-list" aria-labelledby="open-title">
              {open.data.items.map((line) => (
                <li key={line.id} className="finance-form stack">
                  <LineDetails line={line} />
                  {canAct ? (
                    <ResolveForm
                      line={line}
                      payouts={inTransit.data?.items ?? []}
                      onDone={(text) => {
                        setDone(text);
                        void refreshSettlement(queryClient);
                      }}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="Неразобранных расхождений нет">Все строки загруженных выписок сопоставлены или разобраны.</EmptyState>
          )}
        </PageState>
      </section>
      <section aria-labelledby="resolved-title" className="stack">
        <Text as="h2" variant="header-1" id="resolved-title">
          Разобранные
        </Text>
        {resolved.length > 0 ? (
          <ScrollTable caption="Разобранные расхождения с решением и примечанием" captionHidden>
            <thead>
              <tr>
                <th scope="col">Контрагент</th>
                <th scope="col" className="num">
                  Сумма
                </th>
                <th scope="col">Решение</th>
                <th scope="col">Примечание</th>
                <th scope="col">Когда</th>
              </tr>
            </thead>
            <tbody>
              {resolved.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.counterparty_name ?? '—'}</th>
                  <td className="num">
                    <Money amount={l.amount} />
                  </td>
                  <td>{RESOLUTION[l.resolution!]}</td>
                  <td>{l.resolution_note ?? '—'}</td>
                  <td>{l.resolved_at ? formatDateTime(l.resolved_at) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : (
          <EmptyState title="Разобранных расхождений пока нет" />
        )}
      </section>
    </FinancePage>
  );
}

function LineDetails({ line }: { line: StatementLine }) {
  return (
    <Definitions
      items={[
        { term: 'Строка', value: <RouterLink to={`/finance/statements/${line.statement_id}`}>№ {line.number} выписки</RouterLink> },
        { term: 'Операция', value: line.direction === 'credit' ? 'Поступление на счёт' : 'Списание со счёта' },
        { term: 'Сумма', value: <Money amount={line.amount} /> },
        { term: 'Контрагент', value: [line.counterparty_name, line.counterparty_inn ? `ИНН ${line.counterparty_inn}` : null].filter(Boolean).join(', ') || '—' },
        { term: 'Дата', value: line.booked_on ? formatDate(line.booked_on) : '—' },
        { term: 'Назначение платежа', value: line.purpose ?? '—' },
        { term: 'Почему не сопоставлено', value: line.discrepancy_reason ?? '—' },
      ]}
    />
  );
}

const schema = z
  .object({
    decision: z.enum(['dismiss', 'match']),
    payout: z.string(),
    note: z.string().check(z.trim(), z.minLength(3, 'Напишите примечание: почему принято такое решение (не короче 3 знаков)'), z.maxLength(2000, 'Не длиннее 2000 знаков')),
  })
  .check(
    z.refine((v) => v.decision === 'dismiss' || v.payout !== '', { message: 'Выберите выплату, с которой сопоставить строку', path: ['payout'] }),
  );
type Values = z.infer<typeof schema>;

function ResolveForm({ line, payouts, onDone }: { line: StatementLine; payouts: Payout[]; onDone: (text: string) => void }) {
  const ids = { decision: `decision-${line.id}`, payout: `payout-${line.id}`, note: `note-${line.id}` };
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const resolve = $settlement.useMutation('post', '/v1/statement-lines/{id}/resolve');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { decision: 'dismiss', payout: '', note: '' }, shouldFocusError: false });
  const decision = form.watch('decision');
  const payoutError = form.formState.errors.payout?.message;
  // Payouts of the line's amount first: a manual match must be for the same amount.
  const sorted = [...payouts].sort((a, b) => Number(b.amount === line.amount) - Number(a.amount === line.amount));
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        await resolve.mutateAsync({ params: { path: { id: line.id } }, body: { note: values.note, ...(values.decision === 'match' ? { payout_id: values.payout } : {}) } });
        onDone(
          values.decision === 'match'
            ? `Строка на ${formatMoney(line.amount)} сопоставлена с выплатой; проводка в учёте последует.`
            : `Строка на ${formatMoney(line.amount)} закрыта как не относящаяся к выплатам реестров.`,
        );
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, { note: { name: 'note', id: ids.note }, payout_id: { name: 'payout', id: ids.payout } }));
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  return (
    <form onSubmit={submit} noValidate className="stack" aria-label={`Разбор строки № ${line.number} на ${formatMoney(line.amount)}`}>
      <ErrorSummary items={summary} />
      <fieldset className="fieldset">
        <legend>
          <Text variant="subheader-1">Решение</Text>
        </legend>
        <label className="row" style={{ gap: 8 }}>
          <input type="radio" value="dismiss" {...form.register('decision')} id={ids.decision} />
          Не выплата реестра — закрыть
        </label>
        <label className="row" style={{ gap: 8 }}>
          <input type="radio" value="match" {...form.register('decision')} />
          Это выплата реестра — сопоставить
        </label>
      </fieldset>
      {decision === 'match' ? (
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor={ids.payout}>
            <Text variant="subheader-1">Выплата в пути</Text>
          </label>
          <NativeSelect
            id={ids.payout}
            value={form.watch('payout')}
            options={[
              { value: '', label: payouts.length ? 'Выберите выплату' : 'Нет выплат в пути' },
              ...sorted.map((p) => ({ value: p.id, label: `${p.reference} — ${p.provider_name}, ${formatMoney(p.amount)}` })),
            ]}
            onChange={(value) => form.setValue('payout', value, { shouldValidate: form.formState.isSubmitted })}
            aria-describedby={payoutError ? `${ids.payout}-error` : undefined}
          />
          {payoutError ? (
            <Text id={`${ids.payout}-error`} color="danger">
              {payoutError}
            </Text>
          ) : null}
        </div>
      ) : null}
      <FormTextField control={form.control} name="note" id={ids.note} label="Примечание" hint="Почему принято решение; его увидят контроль и аудит." multiline />
      <div className="row">
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Разобрать
        </Button>
      </div>
    </form>
  );
}
