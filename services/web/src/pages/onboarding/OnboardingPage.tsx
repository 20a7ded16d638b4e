import { useState } from 'react';
import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { $gateway } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { NativeSelect } from '../../components/NativeSelect';
import { PageState } from '../../components/PageState';
import { usePageTitle } from '../../app/usePageTitle';
import { parseRuDate } from '../../format/date';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { TextField } from '../../forms/TextField';
import { useSession } from '../../session/SessionProvider';
import { useCatalog, useDistricts } from '../public/lookups';

/** Format checks as the person types; the check digits and the rest are the registry's (its errors land on the fields). */
const FORMAT: Record<string, [{ test(value: string): boolean }, string]> = {
  ogrn: [/^\d{13}$/, 'ОГРН организации — 13 цифр'],
  kpp: [/^\d{9}$/, 'КПП — 9 цифр'],
  registered_at: [{ test: (value) => parseRuDate(value) !== null }, 'Дата в виде ДД.ММ.ГГГГ'],
  phone: [/^\+7\d{10}$/, 'Телефон в виде +7XXXXXXXXXX'],
  email: [/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'Адрес электронной почты'],
  bic: [/^04\d{7}$/, 'БИК — 9 цифр, начинается с 04'],
  account: [/^\d{20}$/, 'Расчётный счёт — 20 цифр'],
  correspondent_account: [/^301\d{17}$/, 'Корреспондентский счёт — 20 цифр, начинается с 301'],
  capacity: [/^[1-9]\d{0,4}$/, 'Целое число от 1'],
};

const FIELD_OF_ERROR: Record<string, string> = {
  inn: 'inn',
  ogrn: 'ogrn',
  kpp: 'kpp',
  name: 'name',
  legal_form: 'legal_form',
  registered_at: 'registered_at',
  'contacts.phone': 'phone',
  'contacts.email': 'email',
  'bank.bic': 'bic',
  'bank.account': 'account',
  'bank.correspondent_account': 'correspondent_account',
  'bank.bank_name': 'bank_name',
  'locations[0].address': 'address',
};

type Values = Record<string, string>;

/**
 * NGO onboarding: a representative who signed in through Госуслуги for an organisation that is not
 * registered yet fills in the registration; the organisation becomes theirs (provider admin) and the
 * documents are uploaded in the cabinet's profile.
 */
export function OnboardingPage() {
  usePageTitle('Регистрация организации');
  const state = $gateway.useQuery('get', '/api/onboarding');
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <Text as="h1" variant="header-2" className="page-title">
        Регистрация организации
      </Text>
      <PageState loading={state.isPending} error={state.error} retry={() => void state.refetch()}>
        {state.data?.can_register && state.data.organisation ? (
          <RegistrationForm organisation={state.data.organisation} />
        ) : (
          <Card className="card-pad">
            <Text>
              {state.data?.provider_id
                ? 'Ваша учётная запись уже связана с организацией: откройте кабинет поставщика.'
                : 'Зарегистрировать организацию может её представитель: войдите через Госуслуги как сотрудник организации.'}
            </Text>
          </Card>
        )}
      </PageState>
    </div>
  );
}

function RegistrationForm({ organisation }: { organisation: { inn: string; ogrn?: string; name?: string; position?: string } }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const catalog = useCatalog();
  const districts = useDistricts();
  const [values, setValues] = useState<Values>({
    ogrn: organisation.ogrn ?? '',
    name: organisation.name ?? '',
    short_name: organisation.name ?? '',
    legal_form: 'Автономная некоммерческая организация',
    type: 'sonko',
    kpp: '',
    registered_at: '',
    phone: '',
    email: '',
    bic: '',
    bank_name: '',
    correspondent_account: '',
    account: '',
    address: '',
    district: '',
    service: '',
    capacity: '20',
  });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const register = $gateway.useMutation('post', '/api/onboarding/provider');

  const set = (key: string) => (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValues((v) => ({ ...v, [key]: event.target.value }));
  const formatError = (key: string) => {
    const rule = FORMAT[key];
    const value = values[key] ?? '';
    return rule && value && !rule[0].test(value) ? rule[1] : undefined;
  };
  const errorOf = (key: string) => formatError(key) ?? serverErrors[key];
  const field = (key: string, label: string, hint?: string) => <TextField id={`reg-${key}`} label={label} hint={hint} value={values[key]} onChange={set(key)} error={errorOf(key)} />;
  const district = values.district || districts.options[0]?.oktmo || '';
  const service = values.service || catalog.services[0]?.code || '';

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setServerErrors({});
    const own = Object.keys(FORMAT).flatMap((key) => (formatError(key) ? [{ fieldId: `reg-${key}`, message: formatError(key)! }] : []));
    setSummary(own);
    if (own.length) return;
    const center = districts.options.find((d) => d.oktmo === district)?.center ?? [48.4, 54.3];
    register.mutate(
      {
        body: {
          inn: organisation.inn,
          ogrn: values.ogrn,
          kpp: values.kpp,
          name: values.name,
          short_name: values.short_name,
          legal_form: values.legal_form,
          type: values.type,
          funding_mode: 'compensation',
          registered_at: parseRuDate(values.registered_at ?? '')!,
          region_code: '73',
          contacts: { phone: values.phone, email: values.email, ...(session?.user.name ? { contact_person: session.user.name } : {}) },
          bank: { bic: values.bic, bank_name: values.bank_name, correspondent_account: values.correspondent_account, account: values.account },
          locations: [{ address: values.address, district_code: district, lat: center[1], lon: center[0] }],
          services: [{ service_code: service, capacity_per_month: Number(values.capacity) }],
        },
      },
      {
        onSuccess: (data) => {
          queryClient.setQueryData($gateway.queryOptions('get', '/api/session', {}).queryKey, data.session);
          navigate('/provider/profile');
        },
        onError: (error) => {
          const p = toProblem(error);
          const byField: Record<string, string> = {};
          for (const e of p.errors) {
            const key = FIELD_OF_ERROR[e.field.replace(/^body\./, '')];
            if (key) byField[key] = e.message;
          }
          setServerErrors(byField);
          setSummary(Object.entries(byField).map(([key, message]) => ({ fieldId: `reg-${key}`, message })));
          setProblem(p);
        },
      },
    );
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Text>
        Вы вошли как представитель организации (ИНН {organisation.inn}
        {organisation.position ? `, ${organisation.position}` : ''}). Организация ещё не зарегистрирована в маркетплейсе: заполните заявку, и вы станете её администратором. Документы
        загрузите после регистрации в профиле организации.
      </Text>
      <ErrorSummary items={summary} />
      {problem && !Object.keys(serverErrors).length ? <Alert theme="danger" message={problem.detail} /> : null}
      <TextField id="reg-inn" label="ИНН" value={organisation.inn} onChange={() => undefined} hint="Из Госуслуг: организация, от имени которой вы вошли" />
      {field('ogrn', 'ОГРН')}
      {field('kpp', 'КПП')}
      {field('name', 'Полное наименование')}
      {field('short_name', 'Краткое наименование')}
      {field('legal_form', 'Организационно-правовая форма')}
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="reg-type">
          <Text variant="subheader-1">Тип поставщика</Text>
        </label>
        <NativeSelect
          id="reg-type"
          value={values.type ?? 'sonko'}
          options={[
            { value: 'sonko', label: 'Социально ориентированная НКО' },
            { value: 'nko', label: 'Некоммерческая организация' },
            { value: 'social_enterprise', label: 'Социальное предприятие' },
          ]}
          onChange={(value) => setValues((v) => ({ ...v, type: value }))}
        />
      </div>
      {field('registered_at', 'Дата регистрации', 'ДД.ММ.ГГГГ, как в выписке из ЕГРЮЛ')}
      {field('phone', 'Телефон')}
      {field('email', 'Электронная почта')}
      {field('bic', 'БИК банка')}
      {field('bank_name', 'Банк')}
      {field('correspondent_account', 'Корреспондентский счёт')}
      {field('account', 'Расчётный счёт')}
      {field('address', 'Адрес, где оказываются услуги')}
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="reg-district">
          <Text variant="subheader-1">Район</Text>
        </label>
        <NativeSelect id="reg-district" value={district} options={districts.options.map((d) => ({ value: d.oktmo, label: d.name }))} onChange={(value) => setValues((v) => ({ ...v, district: value }))} />
      </div>
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="reg-service">
          <Text variant="subheader-1">Услуга</Text>
        </label>
        <NativeSelect id="reg-service" value={service} options={catalog.services.map((s) => ({ value: s.code, label: s.name }))} onChange={(value) => setValues((v) => ({ ...v, service: value }))} />
      </div>
      {field('capacity', 'Сколько услуг в месяц можете оказать')}
      <div>
        <Button type="submit" view="action" size="l" loading={register.isPending}>
          Зарегистрировать организацию
        </Button>
      </div>
    </form>
  );
}
