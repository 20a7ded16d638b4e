import { useId, useState } from 'react';
import { Button, Text } from '@gravity-ui/uikit';
import { Controller, useFieldArray, useForm, type Path } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { $certificates, $registry, type CertificatesSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { NativeSelect } from '../../components/NativeSelect';
import { PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { useDistricts } from '../public/lookups';
import { DeskPage, formatSnils, fullName, useWorkerRegion } from './desk';
import { parseBirthDate, parseRoubles } from './parse';

interface Member {
  relation: string;
  full_name: string;
  monthly_income: string;
}
interface Values {
  snils: string;
  last_name: string;
  first_name: string;
  middle_name: string;
  birth_date: string;
  district_code: string;
  address: string;
  phone: string;
  own_income: string;
  categories: string[];
  household: Member[];
}

const EMPTY_MEMBER: Member = { relation: '', full_name: '', monthly_income: '' };

type Recipient = CertificatesSchemas['Recipient'];

/** A person's first application: registered in the region's register, then an assessment is opened from their card. */
export function RegisterRecipientPage() {
  return (
    <DeskPage title="Регистрация получателя" lead="Внесите получателя в регистр по его заявлению; затем откройте обследование нуждаемости в его карточке.">
      <RecipientForm />
    </DeskPage>
  );
}

/** A change of circumstances: address, phone, income, categories and household (identity stays as registered). */
export function EditRecipientPage() {
  const { id = '' } = useParams();
  const recipient = $certificates.useQuery('get', '/v1/recipients/{id}', { params: { path: { id } } });
  return (
    <DeskPage title={recipient.data ? `Изменение сведений: ${fullName(recipient.data)}` : 'Изменение сведений о получателе'}>
      <Text as="p">
        <RouterLink to={`/caseworker/recipients/${id}`}>Вернуться к карточке получателя</RouterLink>
      </Text>
      <PageState loading={recipient.isPending} error={recipient.error} retry={() => void recipient.refetch()}>
        {recipient.data ? (
          <>
            <Text as="p">
              СНИЛС {formatSnils(recipient.data.snils)}. СНИЛС, ФИО и дата рождения не меняются; новые доходы и состав семьи войдут в расчёт платы следующих сертификатов.
            </Text>
            <RecipientForm recipient={recipient.data} />
          </>
        ) : null}
      </PageState>
    </DeskPage>
  );
}

const asTyped = (amount: string) => amount.replace('.', ',');

function RecipientForm({ recipient }: { recipient?: Recipient }) {
  const region = useWorkerRegion();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const update = $certificates.useMutation('patch', '/v1/recipients/{id}');
  const districts = useDistricts();
  const coefficients = $registry.useQuery('get', '/v1/catalog/coefficients', {}, { staleTime: Infinity });
  const categories = (coefficients.data?.items ?? []).filter((c) => c.kind === 'recipient_category');
  const register = $certificates.useMutation('post', '/v1/recipients');
  const form = useForm<Values>({
    defaultValues: recipient
      ? {
          snils: recipient.snils,
          last_name: recipient.last_name,
          first_name: recipient.first_name,
          middle_name: recipient.middle_name ?? '',
          birth_date: '',
          district_code: recipient.district_code,
          address: recipient.address,
          phone: recipient.phone ?? '',
          own_income: asTyped(recipient.own_income),
          categories: recipient.categories,
          household: recipient.household.map((m) => ({ ...m, monthly_income: asTyped(m.monthly_income) })),
        }
      : { snils: '', last_name: '', first_name: '', middle_name: '', birth_date: '', district_code: '', address: '', phone: '', own_income: '', categories: [], household: [] },
  });
  const household = useFieldArray({ control: form.control, name: 'household' });
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [existing, setExisting] = useState<Problem | null>(null);
  const base = useId().replace(/:/g, '');
  const id = (name: string) => `${base}-${name.replace(/\./g, '-')}`;

  const submit = form.handleSubmit(async (values) => {
    setExisting(null);
    const items: SummaryItem[] = [];
    const fail = (name: Path<Values>, message: string) => {
      form.setError(name, { type: 'client', message });
      items.push({ fieldId: id(name), message });
    };
    form.clearErrors();
    const birth = recipient ? recipient.birth_date : parseBirthDate(values.birth_date);
    if (!recipient) {
      if (!/^\d{3}-?\d{3}-?\d{3}[ -]?\d{2}$/.test(values.snils.trim())) fail('snils', 'СНИЛС — 11 цифр, например 112-233-445 95');
      if (!values.last_name.trim()) fail('last_name', 'Введите фамилию');
      if (!values.first_name.trim()) fail('first_name', 'Введите имя');
      if (!birth) fail('birth_date', 'Дата рождения — в виде ДД.ММ.ГГГГ, например 12.03.1948');
    }
    if (!values.district_code) fail('district_code', 'Выберите район');
    if (!values.address.trim()) fail('address', 'Введите адрес');
    const phone = values.phone.replace(/[\s()-]/g, '');
    if (phone && !/^\+7\d{10}$/.test(phone)) fail('phone', 'Телефон — в виде +7 и 10 цифр');
    const ownIncome = parseRoubles(values.own_income);
    if (ownIncome === null) fail('own_income', 'Доход — сумма в рублях, например 14 000,50 (0, если дохода нет)');
    const members = values.household.map((m, index) => {
      const income = parseRoubles(m.monthly_income);
      if (!m.relation.trim()) fail(`household.${index}.relation`, `Член семьи ${index + 1}: укажите, кем приходится`);
      if (!m.full_name.trim()) fail(`household.${index}.full_name`, `Член семьи ${index + 1}: введите ФИО`);
      if (income === null) fail(`household.${index}.monthly_income`, `Член семьи ${index + 1}: доход — сумма в рублях`);
      return { relation: m.relation.trim(), full_name: m.full_name.trim(), monthly_income: income ?? '0.00' };
    });
    setSummary(items);
    if (items.length) return;
    try {
      if (recipient) {
        await update.mutateAsync({
          params: { path: { id: recipient.id } },
          body: { district_code: values.district_code, address: values.address.trim(), phone: phone || null, own_income: ownIncome!, categories: values.categories, household: members },
        });
        await queryClient.invalidateQueries();
        void navigate(`/caseworker/recipients/${recipient.id}`);
        return;
      }
      const created = await register.mutateAsync({
        body: {
          snils: values.snils.trim(),
          region_code: region,
          last_name: values.last_name.trim(),
          first_name: values.first_name.trim(),
          middle_name: values.middle_name.trim() || null,
          birth_date: birth!,
          district_code: values.district_code,
          address: values.address.trim(),
          phone: phone || null,
          own_income: ownIncome!,
          categories: values.categories,
          household: members,
        },
      });
      void navigate(`/caseworker/recipients/${created.id}`);
    } catch (error) {
      const problem = toProblem(error);
      if (problem.code === 'recipient_exists') {
        setExisting(problem);
        setSummary([]);
        return;
      }
      const fields: Record<string, { name: Path<Values>; id: string }> = {};
      for (const name of ['snils', 'last_name', 'first_name', 'middle_name', 'birth_date', 'district_code', 'address', 'phone', 'own_income'] as const) fields[name] = { name, id: id(name) };
      setSummary(applyProblem(problem, form.setError, fields));
    }
  });

  const existingId = typeof existing?.body.recipient_id === 'string' ? existing.body.recipient_id : null;

  return (
    <>
      <ErrorSummary items={summary} />
      {existing ? (
        <div className="stack">
          <ProblemAlert error={existing} />
          {existingId ? <RouterLink to={`/caseworker/recipients/${existingId}`}>Открыть карточку зарегистрированного получателя</RouterLink> : null}
        </div>
      ) : null}
      <form onSubmit={(event) => void submit(event)} noValidate className="stack desk-form">
        <fieldset className="fieldset">
          <legend>
            <Text variant="subheader-2">Получатель</Text>
          </legend>
          {recipient ? null : (
            <>
              <FormTextField control={form.control} name="snils" id={id('snils')} label="СНИЛС" hint="11 цифр, например 112-233-445 95" autoComplete="off" />
              <FormTextField control={form.control} name="last_name" id={id('last_name')} label="Фамилия" autoComplete="off" />
              <FormTextField control={form.control} name="first_name" id={id('first_name')} label="Имя" autoComplete="off" />
              <FormTextField control={form.control} name="middle_name" id={id('middle_name')} label="Отчество (если есть)" autoComplete="off" />
              <FormTextField control={form.control} name="birth_date" id={id('birth_date')} label="Дата рождения" hint="ДД.ММ.ГГГГ" autoComplete="off" />
            </>
          )}
          <div className="field">
            <label htmlFor={id('district_code')}>
              <Text variant="subheader-1">Район</Text>
            </label>
            <Controller
              control={form.control}
              name="district_code"
              render={({ field, fieldState }) => (
                <>
                  <NativeSelect
                    id={id('district_code')}
                    value={field.value}
                    onChange={field.onChange}
                    aria-describedby={fieldState.error ? `${id('district_code')}-error` : undefined}
                    options={[{ value: '', label: 'Выберите район' }, ...districts.options.map((d) => ({ value: d.oktmo, label: d.name }))]}
                  />
                  {fieldState.error ? (
                    <Text id={`${id('district_code')}-error`} color="danger">
                      {fieldState.error.message}
                    </Text>
                  ) : null}
                </>
              )}
            />
          </div>
          <FormTextField control={form.control} name="address" id={id('address')} label="Адрес проживания" autoComplete="off" />
          <FormTextField control={form.control} name="phone" id={id('phone')} label="Телефон (если есть)" hint="+7 и 10 цифр" autoComplete="off" />
          <FormTextField control={form.control} name="own_income" id={id('own_income')} label="Собственный доход в месяц, ₽" hint="Например, 14 000,50; 0, если дохода нет" autoComplete="off" />
        </fieldset>

        {categories.length > 0 ? (
          <fieldset className="fieldset">
            <legend>
              <Text variant="subheader-2">Категории получателя</Text>
            </legend>
            {categories.map((c) => (
              <label key={c.code} className="choice" htmlFor={id(`category-${c.code}`)}>
                <input type="checkbox" id={id(`category-${c.code}`)} value={c.code} {...form.register('categories')} />
                {c.name}
              </label>
            ))}
          </fieldset>
        ) : null}

        <fieldset className="fieldset">
          <legend>
            <Text variant="subheader-2">Члены семьи, проживающие вместе</Text>
          </legend>
          {household.fields.length === 0 ? <Text color="secondary">Получатель проживает один — среднедушевой доход равен его собственному.</Text> : null}
          {household.fields.map((item, index) => (
            <div key={item.id} className="stack household-member">
              <Text variant="subheader-1" as="p">
                Член семьи {index + 1}
              </Text>
              <FormTextField control={form.control} name={`household.${index}.relation`} id={id(`household.${index}.relation`)} label="Кем приходится" hint="Например, супруга" autoComplete="off" />
              <FormTextField control={form.control} name={`household.${index}.full_name`} id={id(`household.${index}.full_name`)} label="ФИО" autoComplete="off" />
              <FormTextField control={form.control} name={`household.${index}.monthly_income`} id={id(`household.${index}.monthly_income`)} label="Доход в месяц, ₽" autoComplete="off" />
              <div>
                <Button view="outlined" onClick={() => household.remove(index)}>
                  Убрать члена семьи {index + 1}
                </Button>
              </div>
            </div>
          ))}
          {household.fields.length < 20 ? (
            <div>
              <Button view="outlined" onClick={() => household.append(EMPTY_MEMBER)}>
                Добавить члена семьи
              </Button>
            </div>
          ) : null}
        </fieldset>
        <div>
          <Button type="submit" view="action" size="l" loading={register.isPending || update.isPending}>
            {recipient ? 'Сохранить изменения' : 'Зарегистрировать'}
          </Button>
        </div>
      </form>
    </>
  );
}
