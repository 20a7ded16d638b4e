import { useId, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { z } from 'zod/mini';
import { $certificates, $settlement } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDateTime } from '../../format/date';
import { formatMoney } from '../../format/money';
import { FinancePage, periodName, previousPeriod, refreshSettlement, RUN_STATUS, Status, summaryOf, useFinanceRegion } from './finance';

const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const periodField = z.string().check(z.trim(), z.regex(PERIOD, 'Укажите месяц в виде ГГГГ-ММ, например 2026-11'));

/** The settlement runs of the region: start one for a period, set the programmes' payout limits first. */
export function RunsPage() {
  const { regionCode, canAct } = useFinanceRegion();
  const runs = $settlement.useQuery(
    'get',
    '/v1/runs',
    { params: { query: { region_code: regionCode } } },
    // A run in progress is watched until it completes.
    { staleTime: 0, refetchInterval: (q) => (q.state.data?.items.some((r) => r.status !== 'completed') ? 2000 : false) },
  );
  return (
    <FinancePage
      title="Расчёты с поставщиками"
      lead="Расчёт за период начисляет компенсацию поставщикам за подтверждённые услуги. Сначала задайте лимит выплат по программе на период: что в лимит не поместится, перейдёт на следующий период с указанием причины."
    >
      {canAct ? (
        <div className="finance-forms">
          <StartRunForm />
          <PayoutLimitForm regionCode={regionCode} />
          <StandingRuleForm regionCode={regionCode} />
        </div>
      ) : null}
      <PayoutLimits regionCode={regionCode} />
      <section aria-labelledby="runs-title" className="stack">
        <Text as="h2" variant="header-1" id="runs-title">
          Расчёты по периодам
        </Text>
        <PageState loading={runs.isPending} error={runs.error} retry={() => void runs.refetch()}>
          {runs.data && runs.data.items.length > 0 ? (
            <ScrollTable caption="Расчёты по периодам, последние сверху" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Период</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Начат</th>
                  <th scope="col">Завершён</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((run) => (
                  <tr key={run.id}>
                    <th scope="row">
                      <RouterLink to={`/finance/runs/${run.id}`}>Расчёт за {periodName(run.period)}</RouterLink>
                    </th>
                    <td>
                      <Status tone={RUN_STATUS[run.status]?.tone}>{RUN_STATUS[run.status]?.text ?? run.status}</Status>
                    </td>
                    <td>{formatDateTime(run.created_at)}</td>
                    <td>{run.completed_at ? formatDateTime(run.completed_at) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          ) : (
            <EmptyState title="Расчётов ещё не было">Начните расчёт за период формой выше; по расписанию расчёт за прошедший месяц начинается 1-го числа.</EmptyState>
          )}
        </PageState>
      </section>
    </FinancePage>
  );
}

const runSchema = z.object({ period: periodField });

function StartRunForm() {
  const { regionCode } = useFinanceRegion();
  const headingId = useId();
  const ids = { period: 'run-period' };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const start = $settlement.useMutation('post', '/v1/runs');
  const form = useForm<z.infer<typeof runSchema>>({ resolver: standardSchemaResolver(runSchema), defaultValues: { period: previousPeriod() }, shouldFocusError: false });
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        const run = await start.mutateAsync({ body: { region_code: regionCode, period: values.period } });
        await refreshSettlement(queryClient);
        void navigate(`/finance/runs/${run.id}`);
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, { period: { name: 'period', id: ids.period } }));
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  return (
    <form onSubmit={submit} noValidate className="stack finance-form" aria-labelledby={headingId}>
      <Text as="h2" variant="header-1" id={headingId}>
        Начать расчёт
      </Text>
      <ErrorSummary items={summary} />
      <FormTextField control={form.control} name="period" id={ids.period} label="Период (месяц)" hint="ГГГГ-ММ, например 2026-11. Расчёт за период делается один раз." />
      <div className="row">
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Начать расчёт
        </Button>
      </div>
    </form>
  );
}

const limitSchema = z.object({
  programme: z.string().check(z.minLength(1, 'Выберите программу')),
  period: periodField,
  amount: z.string().check(z.trim(), z.regex(/^(0|[1-9][0-9]{0,17})([.,][0-9]{1,2})?$/, 'Укажите сумму в рублях, например 150000,00')),
});

function PayoutLimitForm({ regionCode }: { regionCode: string }) {
  const headingId = useId();
  const ids = { programme: 'limit-programme', period: 'limit-period', amount: 'limit-amount' };
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const programmes = $certificates.useQuery('get', '/v1/budget-programmes', { params: { query: { region_code: regionCode } } });
  const put = $settlement.useMutation('put', '/v1/payout-limits/{budget_programme_id}/{period}');
  const form = useForm<z.infer<typeof limitSchema>>({
    resolver: standardSchemaResolver(limitSchema),
    defaultValues: { programme: '', period: previousPeriod(), amount: '' },
    shouldFocusError: false,
  });
  const options = [{ value: '', label: 'Выберите программу' }, ...(programmes.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))];
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setSaved(null);
      try {
        const limit = await put.mutateAsync({
          params: { path: { budget_programme_id: values.programme, period: values.period } },
          body: { region_code: regionCode, amount: values.amount.replace(',', '.') },
        });
        setSaved(`Лимит на ${periodName(limit.period)}: ${formatMoney(limit.amount)}.`);
        await refreshSettlement(queryClient);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            amount: { name: 'amount', id: ids.amount },
            period: { name: 'period', id: ids.period },
            budget_programme_id: { name: 'programme', id: ids.programme },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  const programmeError = form.formState.errors.programme?.message;
  return (
    <form onSubmit={submit} noValidate className="stack finance-form" aria-labelledby={headingId}>
      <Text as="h2" variant="header-1" id={headingId}>
        Лимит выплат по программе
      </Text>
      <ErrorSummary items={summary} />
      {saved ? <Alert theme="success" title="Лимит сохранён" message={saved} /> : null}
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor={ids.programme}>
          <Text variant="subheader-1">Бюджетная программа</Text>
        </label>
        <NativeSelect
          id={ids.programme}
          value={form.watch('programme')}
          options={options}
          onChange={(value) => form.setValue('programme', value, { shouldValidate: form.formState.isSubmitted })}
          aria-describedby={programmeError ? `${ids.programme}-error` : undefined}
        />
        {programmeError ? (
          <Text id={`${ids.programme}-error`} color="danger">
            {programmeError}
          </Text>
        ) : null}
      </div>
      <FormTextField control={form.control} name="period" id={ids.period} label="Период (месяц)" hint="ГГГГ-ММ. Лимит меняется, пока расчёт за период не начат." />
      <FormTextField control={form.control} name="amount" id={ids.amount} label="Лимит, ₽" hint="Например 150000,00" />
      <div className="row">
        <Button type="submit" view="outlined" size="l" loading={form.formState.isSubmitting}>
          Сохранить лимит
        </Button>
      </div>
    </form>
  );
}

const WHILE_SUSPENDED = [
  { value: 'hold', label: 'Задерживать до восстановления допуска' },
  { value: 'pay', label: 'Оплачивать как обычно' },
] as const;
const WHEN_EXCLUDED = [
  { value: 'pay_delivered_before', label: 'Оплатить оказанное до исключения' },
  { value: 'hold', label: 'Задерживать всё до проверки' },
] as const;

/** What the region's runs pay of a suspended or excluded provider's acts. */
function StandingRuleForm({ regionCode }: { regionCode: string }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const rule = $settlement.useQuery('get', '/v1/standing-rules/{region_code}', { params: { path: { region_code: regionCode } } });
  const put = $settlement.useMutation('put', '/v1/standing-rules/{region_code}');
  const [choice, setChoice] = useState<{ while_suspended?: string; when_excluded?: string }>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [saved, setSaved] = useState(false);
  const whileSuspended = choice.while_suspended ?? rule.data?.while_suspended ?? 'hold';
  const whenExcluded = choice.when_excluded ?? rule.data?.when_excluded ?? 'pay_delivered_before';
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSummary([]);
    setSaved(false);
    try {
      await put.mutateAsync({
        params: { path: { region_code: regionCode } },
        body: { while_suspended: whileSuspended as 'hold' | 'pay', when_excluded: whenExcluded as 'pay_delivered_before' | 'hold' },
      });
      setSaved(true);
      await refreshSettlement(queryClient);
    } catch (error) {
      setSummary(applyProblem(toProblem(error), () => undefined, {}));
    }
  };
  return (
    <form onSubmit={submit} noValidate className="stack finance-form" aria-labelledby={headingId}>
      <Text as="h2" variant="header-1" id={headingId}>
        Акты приостановленных и исключённых поставщиков
      </Text>
      <Text color="secondary">Что расчёт делает с подтверждёнными актами поставщика, чьё участие приостановлено или который исключён из реестра. Задержанные акты не теряются: они переносятся и оплачиваются в следующем расчёте, когда правило это позволит.</Text>
      <ErrorSummary items={summary} />
      {saved ? <Alert theme="success" title="Правило сохранено" message="Следующий расчёт применит его; выполненные расчёты не меняются." /> : null}
      <label htmlFor="rule-suspended">
        <Text variant="subheader-1">Пока участие поставщика приостановлено</Text>
      </label>
      <NativeSelect id="rule-suspended" value={whileSuspended} options={[...WHILE_SUSPENDED]} onChange={(value) => setChoice((c) => ({ ...c, while_suspended: value }))} />
      <label htmlFor="rule-excluded">
        <Text variant="subheader-1">Когда поставщик исключён из реестра</Text>
      </label>
      <NativeSelect id="rule-excluded" value={whenExcluded} options={[...WHEN_EXCLUDED]} onChange={(value) => setChoice((c) => ({ ...c, when_excluded: value }))} />
      <div className="row">
        <Button type="submit" view="outlined" size="l" loading={put.isPending}>
          Сохранить правило
        </Button>
      </div>
    </form>
  );
}

function PayoutLimits({ regionCode }: { regionCode: string }) {
  const limits = $settlement.useQuery('get', '/v1/payout-limits', { params: { query: { region_code: regionCode } } });
  const programmes = $certificates.useQuery('get', '/v1/budget-programmes', { params: { query: { region_code: regionCode } } });
  const nameOf = (id: string) => programmes.data?.items.find((p) => p.id === id)?.code ?? id;
  return (
    <section aria-labelledby="limits-title" className="stack">
      <Text as="h2" variant="header-1" id="limits-title">
        Лимиты выплат
      </Text>
      <PageState loading={limits.isPending} error={limits.error} retry={() => void limits.refetch()}>
        {limits.data && limits.data.items.length > 0 ? (
          <ScrollTable caption="Лимиты выплат по программам и периодам" captionHidden>
            <thead>
              <tr>
                <th scope="col">Период</th>
                <th scope="col">Программа</th>
                <th scope="col" className="num">
                  Лимит
                </th>
                <th scope="col">Задан</th>
              </tr>
            </thead>
            <tbody>
              {limits.data.items.map((limit) => (
                <tr key={`${limit.budget_programme_id}-${limit.period}`}>
                  <td>{periodName(limit.period)}</td>
                  <td>{nameOf(limit.budget_programme_id)}</td>
                  <td className="num">
                    <Money amount={limit.amount} />
                  </td>
                  <td>{formatDateTime(limit.set_at)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : (
          <EmptyState title="Лимиты не заданы">Без лимита компенсация за период не выплачивается и переносится на следующий период.</EmptyState>
        )}
      </PageState>
    </section>
  );
}
