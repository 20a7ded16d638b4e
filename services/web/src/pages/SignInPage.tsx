import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Alert, Button, Card, Text } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod/mini';
import { $gateway } from '../api/client';
import { toProblem } from '../api/problem';
import { homeFor } from '../app/cabinets';
import { usePageTitle } from '../app/usePageTitle';
import { ErrorSummary, type SummaryItem } from '../forms/ErrorSummary';
import { applyProblem } from '../forms/server-errors';
import { TextField } from '../forms/TextField';
import { useSession } from '../session/SessionProvider';

const schema = z.object({
  username: z.string().check(z.trim(), z.minLength(1, 'Введите имя пользователя')),
  password: z.string().check(z.minLength(1, 'Введите пароль')),
});
type SignInForm = z.infer<typeof schema>;

const FIELDS = { username: { name: 'username' as const, id: 'username' }, password: { name: 'password' as const, id: 'password' } };

const ROLE_NAMES: Record<string, string> = {
  citizen: 'получатель',
  caseworker: 'специалист соцзащиты',
  provider_admin: 'администратор поставщика',
  provider_staff: 'сотрудник поставщика',
  committee: 'комиссия по отбору',
  finance: 'финансовый отдел',
  auditor: 'аудитор',
  admin: 'администратор',
};


export function SignInPage() {
  usePageTitle('Вход');
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const demoUsers = $gateway.useQuery('get', '/api/session/demo-users');
  // The error summary takes focus, not the first invalid field.
  const form = useForm<SignInForm>({ resolver: standardSchemaResolver(schema), defaultValues: { username: '', password: '' }, shouldFocusError: false });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      try {
        const session = await signIn(values.username, values.password);
        const next = params.get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(session.user.roles), { replace: true });
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, FIELDS));
      }
    },
    (invalid) => setSummary(Object.entries(invalid).map(([key, e]) => ({ fieldId: key, message: e?.message ?? '' }))),
  );

  return (
    <div className="stack" style={{ maxWidth: 560 }}>
      <Text as="h1" variant="header-2" className="page-title">
        Вход в личный кабинет
      </Text>
      {params.get('expired') ? <Alert theme="warning" message="Сеанс завершён по истечении времени. Войдите снова." /> : null}
      <ErrorSummary items={summary} />
      <form onSubmit={submit} noValidate className="stack">
        <TextField id="username" label="Имя пользователя" autoComplete="username" error={errors.username?.message} {...form.register('username')} />
        <TextField id="password" label="Пароль" type="password" autoComplete="current-password" error={errors.password?.message} {...form.register('password')} />
        <div>
          <Button type="submit" view="action" size="l" loading={isSubmitting}>
            Войти
          </Button>
        </div>
      </form>
      {demoUsers.data?.enabled ? (
        <Card className="card-pad stack">
          <Text as="h2" variant="subheader-2">
            Демонстрационные пользователи
          </Text>
          <Text color="secondary">Стенд работает в демонстрационном режиме. Пароль у всех: demo. Нажмите на имя, чтобы подставить его в форму.</Text>
          <ul className="stack" style={{ gap: 4, paddingLeft: 20, margin: 0 }}>
            {demoUsers.data.items.map((user) => (
              <li key={user.username}>
                <Button view="flat-info" onClick={() => form.setValue('username', user.username)}>
                  {user.username}
                </Button>{' '}
                <Text>
                  {user.name} — {user.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}
                </Text>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
