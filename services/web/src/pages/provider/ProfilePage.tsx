import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { TextField } from '../../forms/TextField';
import { formatDate, formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { ACCESSIBILITY_LABELS, FUNDING_LABELS, providerTypeLabel, type AccessibilityFeature } from '../public/dictionary';
import { Status, type Tone } from '../citizen/cabinet';
import { DeclarationsCard } from './DeclarationsCard';
import { ProviderPage, useProviderId } from './frame';

type Provider = RegistrySchemas['Provider'];
type Offered = NonNullable<Provider['services']>[number];

const PROVIDER_STATUS: Record<RegistrySchemas['ProviderStatus'], { text: string; tone: Tone }> = {
  applicant: { text: 'Заявитель: сведения ещё не проверены комиссией', tone: 'info' },
  under_review: { text: 'На проверке у комиссии по отбору', tone: 'info' },
  admitted: { text: 'Включена в реестр поставщиков', tone: 'success' },
  suspended: { text: 'Работа приостановлена', tone: 'warning' },
  excluded: { text: 'Исключена из реестра', tone: 'danger' },
};

/** Whether the registry lets the provider deliver a service, and what it takes when not yet. */
function admissionOf(s: Offered): { text: string; tone: Tone } {
  if (s.admitted) return { text: `Допущена по итогам отбора${s.admitted_territory?.length ? ` (ОКТМО ${s.admitted_territory.join(', ')})` : ''}`, tone: 'success' };
  return { text: 'Требует проверки: услуга будет доступна гражданам после допуска в отборе', tone: 'warning' };
}

export function ProfilePage() {
  const providerId = useProviderId();
  const isAdmin = useSession().hasRole('provider_admin');
  const queryClient = useQueryClient();
  const provider = $registry.useQuery('get', '/v1/providers/{id}', { params: { path: { id: providerId } } });
  const history = $registry.useQuery('get', '/v1/providers/{id}/status-history', { params: { path: { id: providerId } } });
  const catalog = $registry.useQuery('get', '/v1/catalog/services', {});
  const documents = $registry.useQuery('get', '/v1/providers/{id}/documents', { params: { path: { id: providerId } } });
  const [outcome, setOutcome] = useState<{ ok: true; text: string } | { ok: false; problem: Problem } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const saved = async (text: string) => {
    await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && q.queryKey[1].startsWith('/v1/providers/') });
    setOutcome({ ok: true, text });
  };
  const names = new Map((catalog.data?.items ?? []).map((s) => [s.code, s.name]));
  const last = history.data?.items.at(-1);

  return (
    <ProviderPage title="Профиль организации" lead="Сведения об организации в реестре поставщиков. Объёмы услуг и условия доступности меняются сразу; новые услуги и территории начинают действовать только после допуска в отборе.">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title="Сохранено" message={outcome.text} /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      <PageState loading={provider.isPending} error={provider.error} retry={() => void provider.refetch()}>
        {provider.data ? (
          <>
            <Card className="card-pad stack" view="outlined">
              <Text as="h2" variant="subheader-3">
                {provider.data.name}
              </Text>
              <div className="row">
                <Status tone={PROVIDER_STATUS[provider.data.status].tone}>{PROVIDER_STATUS[provider.data.status].text}</Status>
              </div>
              <Definitions
                items={[
                  { term: 'Вид организации', value: `${providerTypeLabel(provider.data.type)}, ${provider.data.legal_form}` },
                  { term: 'ИНН / КПП', value: `${provider.data.inn}${provider.data.kpp ? ` / ${provider.data.kpp}` : ''}` },
                  { term: 'ОГРН', value: provider.data.ogrn },
                  { term: 'Дата регистрации', value: formatDate(provider.data.registered_at) },
                  { term: 'Финансирование', value: FUNDING_LABELS[provider.data.funding_mode] },
                  provider.data.contacts ? { term: 'Телефон, почта', value: `${provider.data.contacts.phone}, ${provider.data.contacts.email}` } : null,
                  last ? { term: 'Последнее решение о статусе', value: `${last.reason} (${formatDateTime(last.at)})` } : null,
                ]}
              />
              <Text as="p" color="secondary">
                ИНН, ОГРН и вид организации меняются только по заявлению в комиссию по отбору.
              </Text>
            </Card>

            {/* Remounted when the registry's list changes, so each field starts from the saved capacity. */}
            <ServicesCard
              key={(provider.data.services ?? []).map((x) => `${x.service_code}:${x.capacity_per_month}`).join()}
              provider={provider.data} names={names} isAdmin={isAdmin} onSaved={saved} onFailed={(e) => setOutcome({ ok: false, problem: toProblem(e) })} />

            <Card className="card-pad stack" view="outlined">
              <Text as="h2" variant="subheader-3">
                Места оказания услуг
              </Text>
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {(provider.data.locations ?? []).map((l) => (
                  <li key={`${l.address}-${l.district_code}`}>
                    {l.address} (ОКТМО {l.district_code})
                  </li>
                ))}
              </ul>
              <Text as="p" color="secondary">
                Новое место вне территории допуска потребует участия в отборе по этой территории.
              </Text>
            </Card>

            <AccessibilityCard provider={provider.data} isAdmin={isAdmin} onSaved={saved} onFailed={(e) => setOutcome({ ok: false, problem: toProblem(e) })} />

            {/* Remounted when the registry's statements change, so the form starts from what was saved. */}
            <DeclarationsCard key={JSON.stringify(provider.data.declarations ?? {})} provider={provider.data} isAdmin={isAdmin} onSaved={saved} onFailed={(e) => setOutcome({ ok: false, problem: toProblem(e) })} />

            <Card className="card-pad stack" view="outlined">
              <Text as="h2" variant="subheader-3">
                Лицензии и документы
              </Text>
              {provider.data.licences?.length ? (
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {provider.data.licences.map((l) => (
                    <li key={l.number}>
                      Лицензия № {l.number}, выдана {l.issued_by} {formatDate(l.issued_at)}
                      {l.valid_until ? `, действует до ${formatDate(l.valid_until)}` : ', бессрочная'}
                    </li>
                  ))}
                </ul>
              ) : (
                <Text as="p">Лицензий в реестре нет; для услуг, которым лицензия не нужна, она и не требуется.</Text>
              )}
              {documents.data?.items.length ? (
                <ul style={{ margin: 0, paddingLeft: 20 }} aria-label="Документы">
                  {documents.data.items.map((d) => (
                    <li key={d.id}>
                      {d.title} ({d.file_name}), загружен {formatDateTime(d.uploaded_at)}
                    </li>
                  ))}
                </ul>
              ) : (
                <EmptyState title="Документы не загружены" />
              )}
              <Text as="p">
                Документы проверяются при формальной проверке заявки на отбор. Загрузить новый — в разделе <RouterLink to="/provider/rounds">«Отборы»</RouterLink>.
              </Text>
            </Card>
          </>
        ) : null}
      </PageState>
    </ProviderPage>
  );
}

function ServicesCard({ provider: { id, services = [] }, names, isAdmin, onSaved, onFailed }: { provider: Provider; names: Map<string, string>; isAdmin: boolean; onSaved: (t: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const [capacity, setCapacity] = useState<Record<string, string>>(() => Object.fromEntries(services.map((s) => [s.service_code, String(s.capacity_per_month)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = $registry.useMutation('patch', '/v1/providers/{id}');
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    for (const s of services) {
      const v = capacity[s.service_code] ?? '';
      if (!/^\d{1,6}$/.test(v) || Number(v) < 1) next[s.service_code] = 'Введите целое число не меньше 1';
    }
    setErrors(next);
    if (Object.keys(next).length) return document.getElementById(`capacity-${Object.keys(next)[0]}`)?.focus();
    try {
      await update.mutateAsync({
        params: { path: { id } },
        body: { services: services.map((s) => ({ service_code: s.service_code, capacity_per_month: Number(capacity[s.service_code]) })) },
      });
      await onSaved('Объёмы услуг в месяц изменены и уже учитываются при записи граждан.');
    } catch (e) {
      onFailed(e);
    }
  };
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        Услуги и объём в месяц
      </Text>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack" aria-label="Объём услуг в месяц">
        {services.map((s) => {
          const state = admissionOf(s);
          return (
            <div key={s.service_code} className="stack" style={{ gap: 8 }}>
              <Text as="h3" variant="subheader-2">
                {names.get(s.service_code) ?? s.service_code}
              </Text>
              <div className="row">
                <Status tone={state.tone}>{state.text}</Status>
              </div>
              <Text as="p">Записано граждан: {s.booked_per_month ?? 0} в месяц.</Text>
              {isAdmin ? (
                <TextField
                  id={`capacity-${s.service_code}`}
                  label={`Объём в месяц — ${names.get(s.service_code) ?? s.service_code}`}
                  value={capacity[s.service_code] ?? ''}
                  error={errors[s.service_code]}
                  onChange={(e) => setCapacity((prev) => ({ ...prev, [s.service_code]: e.target.value }))}
                />
              ) : (
                <Text as="p">Объём в месяц: {s.capacity_per_month}</Text>
              )}
            </div>
          );
        })}
        {isAdmin ? (
          <div>
            <Button type="submit" view="action" size="l" loading={update.isPending}>
              Сохранить объёмы
            </Button>
          </div>
        ) : null}
      </form>
      {isAdmin ? <AddServiceForm providerId={id} services={services} names={names} onSaved={onSaved} onFailed={onFailed} /> : null}
    </Card>
  );
}

/** A service the organisation starts offering: listed at once, open to citizens only after a round admits it. */
function AddServiceForm({ providerId, services, names, onSaved, onFailed }: { providerId: string; services: Offered[]; names: Map<string, string>; onSaved: (t: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const options = [...names.entries()].filter(([code]) => !services.some((s) => s.service_code === code)).map(([value, label]) => ({ value, label }));
  const [code, setCode] = useState(options[0]?.value ?? '');
  const [capacity, setCapacity] = useState('');
  const [error, setError] = useState<string | undefined>();
  const update = $registry.useMutation('patch', '/v1/providers/{id}');
  if (!options.length) return null;
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!/^\d{1,6}$/.test(capacity) || Number(capacity) < 1) {
      setError('Введите целое число не меньше 1');
      return document.getElementById('new-service-capacity')?.focus();
    }
    setError(undefined);
    try {
      await update.mutateAsync({
        params: { path: { id: providerId } },
        body: { services: [...services.map((s) => ({ service_code: s.service_code, capacity_per_month: s.capacity_per_month })), { service_code: code, capacity_per_month: Number(capacity) }] },
      });
      setCapacity('');
      await onSaved(`Услуга «${names.get(code) ?? code}» добавлена в профиль. Она требует проверки: гражданам она станет доступна после допуска в отборе.`);
    } catch (e) {
      onFailed(e);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack act-form" aria-labelledby="new-service-title">
      <Text as="h3" variant="subheader-2" id="new-service-title">
        Добавить услугу
      </Text>
      <Text as="p" color="secondary">
        Новая услуга требует проверки: она попадёт к гражданам только после допуска в отборе.
      </Text>
      <div className="stack" style={{ gap: 4 }}>
        <label htmlFor="new-service">
          <Text variant="subheader-1">Услуга</Text>
        </label>
        <NativeSelect id="new-service" value={code} options={options} onChange={setCode} />
      </div>
      <TextField id="new-service-capacity" label="Объём в месяц" value={capacity} error={error} onChange={(e) => setCapacity(e.target.value)} />
      <div>
        <Button type="submit" view="outlined" size="l" loading={update.isPending}>
          Добавить услугу
        </Button>
      </div>
    </form>
  );
}

function AccessibilityCard({ provider, isAdmin, onSaved, onFailed }: { provider: Provider; isAdmin: boolean; onSaved: (t: string) => Promise<void>; onFailed: (e: unknown) => void }) {
  const [chosen, setChosen] = useState<AccessibilityFeature[]>((provider.accessibility ?? []) as AccessibilityFeature[]);
  const update = $registry.useMutation('patch', '/v1/providers/{id}');
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      await update.mutateAsync({ params: { path: { id: provider.id } }, body: { accessibility: chosen } });
      await onSaved('Условия доступности сохранены и показаны гражданам в карточке организации.');
    } catch (e) {
      onFailed(e);
    }
  };
  return (
    <Card className="card-pad stack" view="outlined">
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 8 }} disabled={!isAdmin}>
          <legend>
            <Text as="span" variant="subheader-3">
              Условия доступности
            </Text>
          </legend>
          {(Object.keys(ACCESSIBILITY_LABELS) as AccessibilityFeature[]).map((code) => (
            <Checkbox
              key={code}
              size="l"
              checked={chosen.includes(code)}
              disabled={!isAdmin}
              onUpdate={(on) => setChosen((prev) => (on ? [...prev, code] : prev.filter((c) => c !== code)))}
              content={ACCESSIBILITY_LABELS[code]}
            />
          ))}
        </fieldset>
        {isAdmin ? (
          <div>
            <Button type="submit" view="outlined" size="l" loading={update.isPending}>
              Сохранить условия доступности
            </Button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}
