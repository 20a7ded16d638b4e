import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { useFieldArray, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { z } from 'zod/mini';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { NativeSelect } from '../../components/NativeSelect';
import { PageState } from '../../components/PageState';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { useCatalog, useDistricts } from '../public/lookups';
import { parseRuDate } from '../../format/date';
import { CheckboxGroup, DECIMAL, decimalText, summaryOfErrors } from './forms';
import { FORMAL_CRITERIA } from './labels';
import { CommitteePage, Section, useCommitteeRegion } from './ui';

const AUTO_KINDS: Record<string, string> = {
  experience_years: 'Опыт работы (считает реестр)',
  rating: 'Рейтинг у получателей (считает реестр)',
  accessibility: 'Условия доступности (считает реестр)',
  committee: 'Оценка комиссии',
};

const ruDate = (message: string) => z.string().check(z.trim(), z.refine((v) => parseRuDate(v) !== null, message));
const wholeNumber = (message: string, min: number, max: number) => z.string().check(z.trim(), z.refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, message));

const schema = z
  .object({
    title: z.string().check(z.trim(), z.minLength(5, 'Назовите отбор (не короче 5 знаков)'), z.maxLength(300, 'Название — не длиннее 300 знаков')),
    service_codes: z.array(z.string()).check(z.minLength(1, 'Отметьте хотя бы одну услугу')),
    territory: z.array(z.string()).check(z.minLength(1, 'Отметьте хотя бы один район или городской округ')),
    opens_on: ruDate('Введите дату начала приёма заявок в виде дд.мм.гггг'),
    closes_on: ruDate('Введите дату окончания приёма заявок в виде дд.мм.гггг'),
    appeal_window_days: wholeNumber('Срок апелляции — целое число дней от 1 до 60', 1, 60),
    formal_criteria: z.array(z.string()).check(z.minLength(1, 'Отметьте хотя бы одно обязательное требование')),
    scored_criteria: z
      .array(
        z.object({
          kind: z.string(),
          name: z.string().check(z.trim(), z.minLength(3, 'Назовите критерий')),
          weight: z.string().check(z.trim(), z.regex(DECIMAL, 'Вес — число, например 2 или 1,5')),
          max_points: wholeNumber('Максимальный балл — целое число от 1 до 100', 1, 100),
        }),
      )
      .check(z.minLength(1, 'Добавьте хотя бы один оцениваемый критерий')),
    threshold: z.string().check(z.trim(), z.regex(DECIMAL, 'Проходной балл — число, например 40')),
    sonko_preference_points: z.string().check(z.trim(), z.regex(DECIMAL, 'Баллы преимущества СОНКО — число, 0 если преимущества нет')),
  })
  .check(
    z.refine((v) => !parseRuDate(v.opens_on) || !parseRuDate(v.closes_on) || parseRuDate(v.opens_on)! <= parseRuDate(v.closes_on)!, {
      message: 'Приём заявок не может закончиться раньше, чем начнётся',
      path: ['closes_on'],
    }),
  );
type Values = z.infer<typeof schema>;

const today = () => new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Ulyanovsk', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());

const DEFAULTS: Values = {
  title: '',
  service_codes: [],
  territory: [],
  opens_on: today(),
  closes_on: '',
  appeal_window_days: '10',
  formal_criteria: FORMAL_CRITERIA.map((c) => c.code),
  scored_criteria: [
    { kind: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: '10' },
    { kind: 'accessibility', name: 'Условия доступности для инвалидов', weight: '1', max_points: '5' },
    { kind: 'committee', name: 'Доля квалифицированного персонала', weight: '3', max_points: '10' },
  ],
  threshold: '40',
  sonko_preference_points: '5',
};

// The region keeps one clock all year (UTC+4): a window opens at its first minute and closes at its last.
const startOf = (date: string) => `${date}T00:00:00+04:00`;
const endOf = (date: string) => `${date}T23:59:59+04:00`;

function toInput(values: Values, region: string): RegistrySchemas['RoundInput'] {
  let committee = 0;
  return {
    title: values.title.trim(),
    region_code: region,
    territory: values.territory,
    service_codes: values.service_codes,
    applications_open_at: new Date(startOf(parseRuDate(values.opens_on)!)).toISOString(),
    applications_close_at: new Date(endOf(parseRuDate(values.closes_on)!)).toISOString(),
    appeal_window_days: Number(values.appeal_window_days),
    formal_criteria: values.formal_criteria as RegistrySchemas['RoundInput']['formal_criteria'],
    scored_criteria: values.scored_criteria.map((c) => ({
      code: c.kind === 'committee' ? `committee_${++committee}` : c.kind,
      name: c.name.trim(),
      weight: decimalText(c.weight),
      max_points: Number(c.max_points),
      source: c.kind === 'committee' ? ('committee' as const) : ('auto' as const),
    })),
    threshold: decimalText(values.threshold),
    sonko_preference_points: decimalText(values.sonko_preference_points),
  };
}

const fieldId = (path: string) => `round-${path.replace(/\./g, '-')}`;

/** «Объявить отбор»: services, territory, the application window, formal and scored criteria, the threshold and the appeal window. */
export function NewRoundPage() {
  const region = useCommitteeRegion();
  const catalog = useCatalog();
  const districts = useDistricts();
  const navigate = useNavigate();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const open = $registry.useMutation('post', '/v1/rounds');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: DEFAULTS, shouldFocusError: false });
  const criteria = useFieldArray({ control: form.control, name: 'scored_criteria' });

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        const round = await open.mutateAsync({ body: toInput(values, region) });
        await navigate(`/committee/rounds/${round.id}`);
      } catch (error) {
        setSummary(
          applyProblem(toProblem(error), form.setError, {
            title: { name: 'title', id: fieldId('title') },
            threshold: { name: 'threshold', id: fieldId('threshold') },
            appeal_window_days: { name: 'appeal_window_days', id: fieldId('appeal_window_days') },
          }),
        );
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, fieldId)),
  );

  return (
    <CommitteePage title="Объявить отбор" back={{ to: '/committee', label: 'Все отборы' }} lead="Отбор открывается для заявок в первый день приёма и закрывается в конце последнего (время Ульяновска, МСК+1).">
      <PageState loading={catalog.isPending || districts.isPending} error={catalog.error ?? districts.error}>
        <form onSubmit={submit} noValidate className="stack committee-form">
          <ErrorSummary items={summary} />
          <FormTextField control={form.control} name="title" id={fieldId('title')} label="Название отбора" hint="Например: Отбор исполнителей услуг по уходу на дому, Ульяновск, 2027" />
          <CheckboxGroup control={form.control} name="service_codes" id={fieldId('service_codes')} legend="Услуги" options={catalog.services.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))} />
          <CheckboxGroup control={form.control} name="territory" id={fieldId('territory')} legend="Территория" options={districts.options.map((d) => ({ value: d.oktmo, label: d.name }))} />
          <div className="committee-form__pair">
            <FormTextField control={form.control} name="opens_on" id={fieldId('opens_on')} label="Приём заявок с" hint="дд.мм.гггг" />
            <FormTextField control={form.control} name="closes_on" id={fieldId('closes_on')} label="Приём заявок по" hint="дд.мм.гггг, включительно" />
          </div>
          <FormTextField control={form.control} name="appeal_window_days" id={fieldId('appeal_window_days')} label="Срок подачи апелляции, дней" hint="Календарные дни после отказа" />
          <CheckboxGroup
            control={form.control}
            name="formal_criteria"
            id={fieldId('formal_criteria')}
            legend="Обязательные требования"
            hint="Проверяются автоматически при подаче заявки; невыполненное требование — отказ с причиной."
            options={FORMAL_CRITERIA.map((c) => ({ value: c.code, label: c.name }))}
          />
          <Section id="scored-title" title="Оцениваемые критерии">
            <Text as="p" color="secondary">
              Итог заявки — сумма баллов, умноженных на вес. Опыт, рейтинг и доступность реестр считает сам, остальное оценивает комиссия.
            </Text>
            <ErrorText message={form.formState.errors.scored_criteria?.root?.message ?? form.formState.errors.scored_criteria?.message} id={fieldId('scored_criteria')} />
            <ol className="card-list">
              {criteria.fields.map((field, index) => (
                <li key={field.id} className="fieldset committee-criterion">
                  <Text as="h3" variant="subheader-2">
                    Критерий {index + 1}
                  </Text>
                  <div className="field">
                    <label htmlFor={fieldId(`scored_criteria.${index}.kind`)} className="field__label">
                      Кто оценивает
                    </label>
                    <NativeSelect
                      id={fieldId(`scored_criteria.${index}.kind`)}
                      value={form.watch(`scored_criteria.${index}.kind`)}
                      options={Object.entries(AUTO_KINDS).map(([value, label]) => ({ value, label }))}
                      onChange={(value) => form.setValue(`scored_criteria.${index}.kind`, value)}
                    />
                  </div>
                  <FormTextField control={form.control} name={`scored_criteria.${index}.name`} id={fieldId(`scored_criteria.${index}.name`)} label="Название критерия" />
                  <div className="committee-form__pair">
                    <FormTextField control={form.control} name={`scored_criteria.${index}.weight`} id={fieldId(`scored_criteria.${index}.weight`)} label="Вес" />
                    <FormTextField control={form.control} name={`scored_criteria.${index}.max_points`} id={fieldId(`scored_criteria.${index}.max_points`)} label="Максимальный балл" />
                  </div>
                  <div>
                    <Button view="outlined-danger" size="l" onClick={() => criteria.remove(index)}>
                      Удалить критерий {index + 1}
                    </Button>
                  </div>
                </li>
              ))}
            </ol>
            <div>
              <Button view="outlined" size="l" onClick={() => criteria.append({ kind: 'committee', name: '', weight: '1', max_points: '10' })}>
                Добавить критерий
              </Button>
            </div>
          </Section>
          <div className="committee-form__pair">
            <FormTextField control={form.control} name="threshold" id={fieldId('threshold')} label="Проходной балл" hint="Баллов с учётом весов для допуска" />
            <FormTextField control={form.control} name="sonko_preference_points" id={fieldId('sonko_preference_points')} label="Преимущество СОНКО, баллов" hint="0 — без преимущества" />
          </div>
          <div className="row">
            <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
              Объявить отбор
            </Button>
          </div>
        </form>
      </PageState>
    </CommitteePage>
  );
}

function ErrorText({ message, id }: { message?: string; id: string }) {
  if (!message) return null;
  return (
    <Text id={id} color="danger" tabIndex={-1}>
      {message}
    </Text>
  );
}
