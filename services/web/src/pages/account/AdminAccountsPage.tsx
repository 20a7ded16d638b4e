import { useState } from 'react';
import { Alert, Button, Card, Text, TextInput } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import type { gateway } from '@esc/api-types';
import { $gateway } from '../../api/client';
import { toProblem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState } from '../../components/PageState';
import { NativeSelect } from '../../components/NativeSelect';
import { usePageTitle } from '../../app/usePageTitle';
import { formatDateTime } from '../../format/date';
import { formatSnils } from '../../format/snils';
import { ROLE_NAMES } from './roles';

type Account = gateway.components['schemas']['Account'];
const STAFF_ROLES = ['caseworker', 'committee', 'finance', 'auditor', 'admin'] as const;
const REGIONAL = new Set<string>(['caseworker', 'committee', 'finance']);

/** The administrator's accounts: find a person, grant a staff role (with its region) or revoke one; each is recorded with who and when. */
export function AdminAccountsPage() {
  usePageTitle('Учётные записи и роли');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState<string | undefined>(undefined);
  const accounts = $gateway.useQuery('get', '/api/admin/accounts', { params: { query: query ? { search: query } : {} } });
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Учётные записи и роли
      </Text>
      <Text color="secondary">
        Люди входят через Госуслуги; роли специалиста, комиссии, финансиста, аудитора и администратора выдаёт администратор. Выдача и отзыв записываются с указанием, кто и когда;
        сеансы человека при этом завершаются.
      </Text>
      <JoinRequests />
      <form
        className="row"
        style={{ display: 'flex', gap: 8, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(search.trim() || undefined);
        }}
      >
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor="account-search">ФИО, СНИЛС или ИНН организации</label>
          <TextInput id="account-search" size="l" value={search} onUpdate={setSearch} />
        </div>
        <Button type="submit" size="l" view="action">
          Найти
        </Button>
      </form>
      <PageState loading={accounts.isPending} error={accounts.error} retry={() => void accounts.refetch()}>
        {accounts.data?.items.length ? (
          <ul className="card-list" aria-label="Учётные записи">
            {accounts.data.items.map((account) => (
              <li key={account.id}>
                <AccountCard account={account} />
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="Никого не нашли">Проверьте написание или найдите по СНИЛС.</EmptyState>
        )}
      </PageState>
    </div>
  );
}

/** Heads of organisations with no provider admin yet (state institutions the committee entered) ask to join; the admin lets them in as the organisation's admin. */
function JoinRequests() {
  const queryClient = useQueryClient();
  const requests = $gateway.useQuery('get', '/api/admin/join-requests');
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('/api/admin/') });
  const approve = $gateway.useMutation('post', '/api/admin/join-requests/{id}/approve', { onSuccess: refresh });
  const decline = $gateway.useMutation('post', '/api/admin/join-requests/{id}/decline', { onSuccess: refresh });
  if (!requests.data?.items.length) return null;
  return (
    <section className="stack" aria-labelledby="join-requests-title">
      <Text as="h2" variant="header-1" id="join-requests-title">
        Представители организаций просят доступ
      </Text>
      <ul className="card-list" aria-label="Запросы представителей">
        {requests.data.items.map((r) => (
          <li key={r.id}>
            <Card className="card-pad stack" view="outlined">
              <Text as="h3" variant="subheader-3">
                {r.name}
              </Text>
              <Definitions items={[r.position ? { term: 'Должность', value: r.position } : null, { term: 'Организация (id)', value: r.provider_id }, { term: 'Запрос от', value: formatDateTime(r.created_at) }]} />
              <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                <Button
                  view="action"
                  aria-label={`Сделать администратором организации: ${r.name}`}
                  loading={approve.isPending}
                  onClick={() => approve.mutate({ params: { path: { id: r.id } }, body: { role: 'provider_admin' } })}
                >
                  Сделать администратором организации
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
    </section>
  );
}

function AccountCard({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<(typeof STAFF_ROLES)[number]>('caseworker');
  const [region, setRegion] = useState('73');
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey[1] === '/api/admin/accounts' });
  const grant = $gateway.useMutation('post', '/api/admin/accounts/{account_id}/grants', { onSuccess: refresh });
  const revoke = $gateway.useMutation('delete', '/api/admin/accounts/{account_id}/grants/{grant_id}', { onSuccess: refresh });
  const error = grant.error ?? revoke.error;
  const roleId = `role-${account.id}`;
  const regionId = `region-${account.id}`;
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        {account.name}
      </Text>
      <Definitions
        items={[
          account.snils ? { term: 'СНИЛС', value: formatSnils(account.snils) } : null,
          account.organisation ? { term: 'Организация', value: [account.organisation.name, account.organisation.position, `ИНН ${account.organisation.inn}`].filter(Boolean).join(', ') } : null,
          { term: 'Последний вход', value: account.last_sign_in_at ? formatDateTime(account.last_sign_in_at) : 'ещё не входил' },
        ]}
      />
      {account.grants.length ? (
        <ul className="stack" style={{ gap: 4, paddingLeft: 20, margin: 0 }} aria-label={`Роли: ${account.name}`}>
          {account.grants.map((g) => (
            <li key={g.id}>
              <Text>
                {ROLE_NAMES[g.role] ?? g.role}
                {g.region_code ? `, регион ${g.region_code}` : ''} — выдана {formatDateTime(g.granted_at)}
              </Text>{' '}
              {(STAFF_ROLES as readonly string[]).includes(g.role) ? (
                <Button view="flat-danger" size="s" loading={revoke.isPending} onClick={() => revoke.mutate({ params: { path: { account_id: account.id, grant_id: g.id } } })}>
                  Отозвать
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <Text color="secondary">Ролей нет</Text>
      )}
      <div style={{ display: 'flex', gap: 8, alignItems: 'end', flexWrap: 'wrap' }}>
        <div className="stack" style={{ gap: 4 }}>
          <label htmlFor={roleId}>Роль</label>
          <NativeSelect id={roleId} value={role} options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] ?? r }))} onChange={(value) => setRole(value as typeof role)} />
        </div>
        {REGIONAL.has(role) ? (
          <div className="stack" style={{ gap: 4 }}>
            <label htmlFor={regionId}>Регион (код)</label>
            <TextInput id={regionId} size="l" value={region} onUpdate={setRegion} style={{ width: 80 }} />
          </div>
        ) : null}
        <Button
          view="action"
          size="l"
          loading={grant.isPending}
          onClick={() => grant.mutate({ params: { path: { account_id: account.id } }, body: { role, ...(REGIONAL.has(role) ? { region_code: region } : {}) } })}
        >
          Выдать роль
        </Button>
      </div>
      {error ? <Alert theme="danger" message={toProblem(error).detail} /> : null}
    </Card>
  );
}
