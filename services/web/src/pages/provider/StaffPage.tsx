import { useState } from 'react';
import { Alert, Button, Card, Text, TextInput } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $gateway } from '../../api/client';
import { toProblem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { ProviderPage } from './frame';

const ROLE: Record<string, string> = {
  provider_admin: 'Администратор: заявки на отбор, профиль, документы, сотрудники, ответы на заявки, акты',
  provider_staff: 'Сотрудник: ответы на заявки граждан и акты',
};
const INVITATION_STATUS: Record<string, string> = { pending: 'ждёт ответа', accepted: 'принято', expired: 'истекло' };

/** The organisation's people: who has access, invitations by a single-use link (7 days), and removal, which ends the person's sessions at once. */
export function StaffPage() {
  const { hasRole } = useSession();
  if (!hasRole('provider_admin')) {
    return (
      <ProviderPage title="Сотрудники">
        <EmptyState title="Раздел только для администратора организации">
          Список сотрудников, приглашения и отключение доступа видит и ведёт администратор организации. Если вам нужен доступ к этому разделу, обратитесь к нему.
        </EmptyState>
      </ProviderPage>
    );
  }
  return <StaffAdmin />;
}

function StaffAdmin() {
  const { session } = useSession();
  const queryClient = useQueryClient();
  const staff = $gateway.useQuery('get', '/api/provider/staff');
  const invitations = $gateway.useQuery('get', '/api/provider/invitations');
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('/api/provider/') });
  const invite = $gateway.useMutation('post', '/api/provider/invitations', { onSuccess: refresh });
  const remove = $gateway.useMutation('delete', '/api/provider/staff/{account_id}', { onSuccess: refresh });
  const requests = $gateway.useQuery('get', '/api/provider/join-requests');
  const approve = $gateway.useMutation('post', '/api/provider/join-requests/{id}/approve', { onSuccess: refresh });
  const decline = $gateway.useMutation('post', '/api/provider/join-requests/{id}/decline', { onSuccess: refresh });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'provider_staff' | 'provider_admin'>('provider_staff');
  return (
    <ProviderPage title="Сотрудники" lead="Кто имеет доступ к кабинету организации. Сотрудник входит через Госуслуги и принимает приглашение по ссылке; отключённый сотрудник сразу теряет доступ.">
      <PageState loading={staff.isPending} error={staff.error} retry={() => void staff.refetch()}>
        <ul className="card-list" aria-label="Сотрудники с доступом">
          {staff.data?.items.map((person) => (
            <li key={person.account_id}>
              <Card className="card-pad stack" view="outlined">
                <Text as="h2" variant="subheader-3">
                  {person.name}
                </Text>
                <Definitions items={[{ term: 'Права', value: person.roles.map((r) => ROLE[r] ?? r).join('; ') }, { term: 'С', value: formatDateTime(person.since) }]} />
                {person.subject !== session?.user.id ? (
                  <div>
                    <Button
                      view="outlined-danger"
                      aria-label={`Отключить: ${person.name}`}
                      loading={remove.isPending}
                      onClick={() => remove.mutate({ params: { path: { account_id: person.account_id } } })}
                    >
                      Отключить
                    </Button>
                  </div>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      </PageState>
      {remove.error ? <Alert theme="danger" message={toProblem(remove.error).detail} /> : null}

      {requests.data?.items.length ? (
        <>
          <Text as="h2" variant="header-1">
            Просят доступ
          </Text>
          <Text color="secondary">Представители вашей организации, вошедшие через Госуслуги, просят доступ к кабинету.</Text>
          <ul className="card-list" aria-label="Запросы на доступ">
            {requests.data.items.map((r) => (
              <li key={r.id}>
                <Card className="card-pad stack" view="outlined">
                  <Text as="h3" variant="subheader-3">
                    {r.name}
                  </Text>
                  <Definitions items={[r.position ? { term: 'Должность', value: r.position } : null, { term: 'Запрос от', value: formatDateTime(r.created_at) }]} />
                  <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                    <Button
                      view="action"
                      aria-label={`Допустить как сотрудника: ${r.name}`}
                      loading={approve.isPending}
                      onClick={() => approve.mutate({ params: { path: { id: r.id } }, body: { role: 'provider_staff' } })}
                    >
                      Допустить как сотрудника
                    </Button>
                    <Button view="outlined" aria-label={`Отклонить: ${r.name}`} loading={decline.isPending} onClick={() => decline.mutate({ params: { path: { id: r.id } } })}>
                      Отклонить
                    </Button>
                  </div>
                </Card>
              </li>
            ))}
          </ul>
          {approve.error || decline.error ? <Alert theme="danger" message={toProblem(approve.error ?? decline.error).detail} /> : null}
        </>
      ) : null}

      <Text as="h2" variant="header-1">
        Пригласить сотрудника
      </Text>
      <form
        style={{ display: 'flex', gap: 8, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate({ body: { email: email.trim(), role } });
        }}
      >
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor="invite-email">Электронная почта</label>
          <TextInput id="invite-email" type="email" size="l" value={email} onUpdate={setEmail} autoComplete="off" />
        </div>
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor="invite-role">Права</label>
          <NativeSelect
            id="invite-role"
            value={role}
            options={[
              { value: 'provider_staff', label: 'Сотрудник' },
              { value: 'provider_admin', label: 'Администратор' },
            ]}
            onChange={(value) => setRole(value as typeof role)}
          />
        </div>
        <Button type="submit" view="action" size="l" loading={invite.isPending}>
          Пригласить
        </Button>
      </form>
      {invite.error ? <Alert theme="danger" message={toProblem(invite.error).detail} /> : null}
      {invite.data?.link ? (
        <Alert
          theme="success"
          title={`Приглашение для ${invite.data.email} создано`}
          message={
            <>
              {invite.data.emailed ? 'Письмо со ссылкой отправлено. ' : 'Письмо не отправлено: передайте ссылку сами. '}
              Ссылка действует 7 дней и один раз: <code data-testid="invitation-link" style={{ wordBreak: 'break-all' }}>{invite.data.link}</code>
            </>
          }
        />
      ) : null}
      {invitations.data?.items.length ? (
        <ul className="stack" aria-label="Приглашения" style={{ paddingLeft: 20, margin: 0 }}>
          {invitations.data.items.map((i) => (
            <li key={i.id}>
              <Text>
                {i.email} — {i.role === 'provider_admin' ? 'администратор' : 'сотрудник'}, {INVITATION_STATUS[i.status]}, до {formatDateTime(i.expires_at)}
              </Text>
            </li>
          ))}
        </ul>
      ) : null}
    </ProviderPage>
  );
}
