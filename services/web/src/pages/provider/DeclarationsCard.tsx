import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Card, Checkbox, Text } from '@gravity-ui/uikit';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { formatDate, formatDateTime, regionDate } from '../../format/date';
import { Status } from '../citizen/cabinet';
import { parseRuDate } from '../../format/date';
import { summaryOf } from './frame';

type Provider = RegistrySchemas['Provider'];
type Code = 'no_tax_arrears' | 'not_bankrupt' | 'not_liquidating' | 'not_unscrupulous_supplier';
type Declaration = RegistrySchemas['Declaration'];

/** The four statements the formal check of a selection round reads, in plain words, with the document that backs each. */
const STATEMENTS: { code: Code; title: string; meaning: string; document: string }[] = [
  {
    code: 'no_tax_arrears',
    title: 'Нет долгов по налогам и сборам',
    meaning: 'У организации нет неуплаченных налогов, сборов, пеней и штрафов. Подтверждается справкой налоговой службы об исполнении обязанности по уплате налогов.',
    document: 'Справка ФНС об исполнении обязанности по уплате налогов',
  },
  {
    code: 'not_bankrupt',
    title: 'Организация не банкротится',
    meaning: 'Суд не вводил в отношении организации процедуру банкротства. Подтверждается выпиской из Единого федерального реестра сведений о банкротстве (ЕФРСБ).',
    document: 'Выписка из ЕФРСБ',
  },
  {
    code: 'not_liquidating',
    title: 'Организация не ликвидируется',
    meaning: 'Решение о ликвидации организации не принималось. Подтверждается выпиской из Единого государственного реестра юридических лиц (ЕГРЮЛ).',
    document: 'Выписка из ЕГРЮЛ',
  },
  {
    code: 'not_unscrupulous_supplier',
    title: 'Организации нет в реестре недобросовестных поставщиков',
    meaning: 'Организация не включена в реестр недобросовестных поставщиков (РНП) за уклонение от исполнения контрактов. Подтверждается выпиской из РНП.',
    document: 'Выписка из РНП',
  },
];

const fieldNames = (code: Code) => ({ declared: `${code}__declared`, kind: `${code}__kind`, number: `${code}__number`, issued: `${code}__issued`, until: `${code}__until` }) as const;

const today = () => regionDate(new Date());

/** Each statement: a tick, and when ticked the document's kind, number and dates, checked as the round's formal check will. */
const schema = z.object(Object.fromEntries(STATEMENTS.flatMap(({ code }) => {
  const f = fieldNames(code);
  return [[f.declared, z.boolean()], [f.kind, z.string()], [f.number, z.string()], [f.issued, z.string()], [f.until, z.string()]];
}))).check(
  ...STATEMENTS.flatMap(({ code }) => {
    const f = fieldNames(code);
    const on = (v: unknown) => (v as Values)[f.declared] === true;
    const str = (v: unknown, k: string) => String((v as Values)[k] ?? '').trim();
    return [
      z.refine((v: unknown) => !on(v) || str(v, f.kind).length > 0, { message: 'Укажите вид документа', path: [f.kind] }),
      z.refine((v: unknown) => !on(v) || (str(v, f.number).length > 0 && str(v, f.number).length <= 100), { message: 'Укажите номер документа (до 100 знаков)', path: [f.number] }),
      z.refine((v: unknown) => !on(v) || parseRuDate(str(v, f.issued)) != null, { message: 'Введите дату выдачи в виде ДД.ММ.ГГГГ', path: [f.issued] }),
      z.refine((v: unknown) => !on(v) || (parseRuDate(str(v, f.issued)) ?? '') <= today(), { message: 'Дата выдачи не может быть позже сегодняшнего дня', path: [f.issued] }),
      z.refine((v: unknown) => !on(v) || str(v, f.until) === '' || parseRuDate(str(v, f.until)) != null, { message: 'Введите дату в виде ДД.ММ.ГГГГ или оставьте поле пустым', path: [f.until] }),
      z.refine((v: unknown) => !on(v) || str(v, f.until) === '' || (parseRuDate(str(v, f.until)) ?? '9999') >= today(), {
        message: 'Срок действия документа уже истёк: приложите действующий документ',
        path: [f.until],
      }),
    ];
  }),
);
type Values = Record<string, string | boolean>;

function defaultsOf(declarations: Provider['declarations']): Values {
  return Object.fromEntries(STATEMENTS.flatMap(({ code, document }) => {
    const f = fieldNames(code);
    const d = declarations?.[code];
    return [
      [f.declared, !!d?.declared],
      [f.kind, d?.document?.kind ?? document],
      [f.number, d?.document?.number ?? ''],
      [f.issued, d?.document?.issued_at ? formatDate(d.document.issued_at) : ''],
      [f.until, d?.document?.valid_until ? formatDate(d.document.valid_until) : ''],
    ];
  }));
}

function stateOf(d: Declaration | undefined): string {
  if (!d?.declared) return 'Заявление не сделано';
  const made = d.declared_at ? `Заявлено ${formatDateTime(d.declared_at)}` : 'Заявлено (дата не записана)';
  const doc = d.document ? `: ${d.document.kind} № ${d.document.number} от ${formatDate(d.document.issued_at)}${d.document.valid_until ? `, действует до ${formatDate(d.document.valid_until)}` : ''}` : ', без подтверждающего документа';
  return made + doc;
}

/** The organisation's statements for the formal check of selection rounds: the admin makes or withdraws them, staff read them. */
export function DeclarationsCard({ provider, isAdmin, onSaved, onFailed }: { provider: Provider; isAdmin: boolean; onSaved: (t: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const declarations = provider.declarations ?? {};
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3" id="declarations-title">
        Заявления организации
      </Text>
      <Text as="p">
        Эти заявления комиссия проверяет при формальной проверке каждой заявки на отбор. Без заявления, подтверждённого действующим документом, заявка не пройдёт проверку по этому условию.
      </Text>
      {isAdmin ? (
        <DeclarationsForm provider={provider} onSaved={onSaved} onFailed={onFailed} />
      ) : (
        <ul className="stack" style={{ margin: 0, paddingLeft: 20 }} aria-labelledby="declarations-title">
          {STATEMENTS.map((s) => (
            <li key={s.code} className="stack" style={{ gap: 4 }}>
              <Text variant="subheader-2">{s.title}</Text>
              <Text as="p">{s.meaning}</Text>
              <div className="row">
                <Status tone={declarations[s.code]?.declared ? 'success' : 'warning'}>{stateOf(declarations[s.code])}</Status>
              </div>
            </li>
          ))}
          <li style={{ listStyle: 'none' }}>
            <Text color="secondary">Заявления делает администратор организации.</Text>
          </li>
        </ul>
      )}
    </Card>
  );
}

function DeclarationsForm({ provider, onSaved, onFailed }: { provider: Provider; onSaved: (t: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const declarations = provider.declarations ?? {};
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const update = $registry.useMutation('patch', '/v1/providers/{id}');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema) as never, defaultValues: defaultsOf(declarations), shouldFocusError: false });
  const ids = Object.fromEntries(STATEMENTS.flatMap(({ code }) => Object.values(fieldNames(code)).map((name) => [name, `declaration-${name}`])));
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      const body = Object.fromEntries(STATEMENTS.map(({ code }): [Code, Declaration] => {
        const f = fieldNames(code);
        if (values[f.declared] !== true) return [code, { declared: false, document: null }];
        const until = String(values[f.until]).trim();
        const kept = declarations[code]?.document?.document_id;
        return [code, {
          declared: true,
          document: { kind: String(values[f.kind]).trim(), number: String(values[f.number]).trim(), issued_at: parseRuDate(String(values[f.issued]))!, valid_until: until ? parseRuDate(until) : null, ...(kept ? { document_id: kept } : {}) },
        }];
      }));
      try {
        await update.mutateAsync({ params: { path: { id: provider.id } }, body: { declarations: body } });
        await onSaved('Заявления организации сохранены; комиссия учтёт их при формальной проверке заявок на отбор.');
      } catch (error) {
        const problem = toProblem(error);
        const fields = Object.fromEntries(STATEMENTS.flatMap(({ code }) => {
          const f = fieldNames(code);
          return [
            [`declarations.${code}.document.kind`, { name: f.kind, id: ids[f.kind]! }],
            [`declarations.${code}.document.number`, { name: f.number, id: ids[f.number]! }],
            [`declarations.${code}.document.issued_at`, { name: f.issued, id: ids[f.issued]! }],
            [`declarations.${code}.document.valid_until`, { name: f.until, id: ids[f.until]! }],
          ];
        }));
        if (problem.errors.length) setSummary(applyProblem(problem, form.setError, fields));
        else onFailed(error);
      }
    },
    (errors) => setSummary(summaryOf(errors, ids)),
  );
  return (
    <form onSubmit={submit} noValidate className="stack" aria-labelledby="declarations-title">
      <ErrorSummary items={summary} />
      {STATEMENTS.map((s) => {
        const f = fieldNames(s.code);
        const on = form.watch(f.declared) === true;
        return (
          <fieldset key={s.code} className="stack declaration" style={{ border: 0, padding: 0, margin: 0, gap: 8 }}>
            <legend>
              <Text as="span" variant="subheader-2">
                {s.title}
              </Text>
            </legend>
            <Text as="p">{s.meaning}</Text>
            <div className="row">
              <Status tone={declarations[s.code]?.declared ? 'success' : 'warning'}>{stateOf(declarations[s.code])}</Status>
            </div>
            <Controller
              control={form.control}
              name={f.declared}
              render={({ field }) => (
                <Checkbox id={ids[f.declared]} size="l" checked={field.value === true} onUpdate={field.onChange} content={`Заявляю: ${s.title.toLowerCase()}`} />
              )}
            />
            {on ? (
              <div className="stack act-form">
                <FormTextField control={form.control} name={f.kind} id={ids[f.kind]!} label={`Вид документа — ${s.title.toLowerCase()}`} />
                <FormTextField control={form.control} name={f.number} id={ids[f.number]!} label={`Номер документа — ${s.title.toLowerCase()}`} autoComplete="off" />
                <FormTextField control={form.control} name={f.issued} id={ids[f.issued]!} label={`Дата выдачи — ${s.title.toLowerCase()}`} hint="ДД.ММ.ГГГГ, не позже сегодняшнего дня." />
                <FormTextField control={form.control} name={f.until} id={ids[f.until]!} label={`Действует до — ${s.title.toLowerCase()}`} hint="ДД.ММ.ГГГГ; оставьте пустым, если срок не указан." />
              </div>
            ) : null}
          </fieldset>
        );
      })}
      <div>
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          Сохранить заявления
        </Button>
      </div>
    </form>
  );
}
