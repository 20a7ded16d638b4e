import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $notifications, type NotificationsSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { TextField } from '../../forms/TextField';
import { useSession } from '../../session/SessionProvider';

type Settings = NotificationsSchemas['NotificationSettings'];
type Kind = NotificationsSchemas['NoticeKind'];

/** What each kind of notice is about, as a person recognises it. */
export const KIND_LABELS: Record<Kind, string> = {
  act_recorded: 'Поставщик отметил оказанную услугу: подтвердите или оспорьте',
  act_confirmation_due: 'Остались сутки, чтобы подтвердить или оспорить услугу',
  act_auto_confirmed: 'Услуга подтверждена автоматически',
  act_disputed: 'Получатель оспорил акт',
  booking_created: 'Новая запись на услугу',
  booking_accepted: 'Поставщик принял запись',
  booking_declined: 'Поставщик отказал в записи',
  certificate_issued: 'Выдан сертификат',
  certificate_suspended: 'Действие сертификата приостановлено',
  certificate_expiring: 'Срок действия сертификата подходит к концу (за 30 и за 7 дней)',
  certificate_expired: 'Срок действия сертификата истёк',
  certificate_revoked: 'Сертификат отозван',
  assessment_recognised: 'Вы признаны нуждающимся в социальном обслуживании',
  programme_drawn: 'Составлена индивидуальная программа',
  refusal_recorded: 'Отказ (в признании нуждающимся, в выдаче сертификата) с тем, что делать дальше',
  round_application_decided: 'Решение комиссии по заявке на участие в отборе',
  round_appeal_decided: 'Решение комиссии по апелляции',
  payout_paid: 'Выплата зачислена банком',
  payout_returned: 'Выплата возвращена банком',
  batch_awaiting_approval: 'Реестр выплат ждёт второго утверждения',
  statement_lines_unmatched: 'В выписке банка есть строки без сопоставления',
};

export function NotificationSettingsPage() {
  usePageTitle('Настройки уведомлений');
  const session = useSession();
  const mayChoose = session.hasRole('citizen', 'provider_admin', 'finance');
  const shared = !session.hasRole('citizen') && session.hasRole('provider_admin', 'finance');
  const query = $notifications.useQuery('get', '/v1/notification-settings', {}, { enabled: mayChoose });
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Настройки уведомлений
      </Text>
      <Text as="p">
        Все уведомления всегда приходят в раздел <RouterLink to="/notifications">«Уведомления»</RouterLink>. Здесь можно получать их также по электронной почте и SMS и выбрать, какие именно.
      </Text>
      {shared ? (
        <Text as="p" color="secondary">
          {session.hasRole('finance')
            ? 'Почта и телефон здесь общие для всех финансистов вашего региона: уведомления финансового органа приходят на них.'
            : 'Почта и телефон здесь — организации: уведомления для всех её сотрудников приходят на них.'}
        </Text>
      ) : null}
      {mayChoose ? (
        <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {query.data ? <SettingsForm settings={query.data} /> : null}
        </PageState>
      ) : (
        <Alert theme="info" message="Почту и телефон для уведомлений задают получатель сертификата, администратор поставщика и финансист региона. Ваши уведомления приходят в раздел «Уведомления»." />
      )}
    </div>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(settings.email ?? '');
  const [phone, setPhone] = useState(settings.phone ?? '');
  const [channels, setChannels] = useState(settings.channels);
  const [errors, setErrors] = useState<{ email?: string; phone?: string }>({});
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; problem: Problem } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const save = $notifications.useMutation('put', '/v1/notification-settings');

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    const trimmedPhone = phone.replace(/[\s()-]/g, '');
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) next.email = 'Введите адрес электронной почты, например ivanova@mail.ru';
    if (trimmedPhone && !/^\+7\d{10}$/.test(trimmedPhone)) next.phone = 'Введите мобильный номер в виде +79991234567';
    setErrors(next);
    if (next.email || next.phone) return document.getElementById(next.email ? 'notify-email' : 'notify-phone')?.focus();
    try {
      await save.mutateAsync({ body: { email: email.trim() || null, phone: trimmedPhone || null, channels } });
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[1] === '/v1/notification-settings' });
      setOutcome({ ok: true });
    } catch (e) {
      setOutcome({ ok: false, problem: toProblem(e) });
    }
  };
  const toggle = (kind: Kind, channel: 'email' | 'sms', on: boolean) => setChannels((prev) => prev.map((c) => (c.kind === kind ? { ...c, [channel]: on } : c)));

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack" aria-label="Настройки уведомлений">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title="Сохранено" message="Новые уведомления будут приходить так, как вы выбрали." /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      <Card className="card-pad stack" view="outlined">
        <Text as="h2" variant="subheader-3">
          Куда присылать
        </Text>
        <TextField id="notify-email" label="Электронная почта" hint="Оставьте пустым, чтобы не получать письма." autoComplete="email" value={email} error={errors.email} onChange={(e) => setEmail(e.target.value)} />
        <TextField id="notify-phone" label="Мобильный телефон для SMS" hint="В виде +79991234567. Оставьте пустым, чтобы не получать SMS." autoComplete="tel" value={phone} error={errors.phone} onChange={(e) => setPhone(e.target.value)} />
      </Card>
      <Card className="card-pad stack" view="outlined">
        <Text as="h2" variant="subheader-3">
          Какие уведомления и как
        </Text>
        <Text as="p" color="secondary">
          Письмо или SMS приходят, только если выше указан адрес или телефон.
        </Text>
        {channels.map((c) => (
          <fieldset key={c.kind} className="stack notify-kind" style={{ gap: 4, border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text variant="subheader-1">{KIND_LABELS[c.kind]}</Text>
            </legend>
            <div className="row">
              <Checkbox size="l" checked={c.email} onUpdate={(on) => toggle(c.kind, 'email', on)}>
                Письмо
              </Checkbox>
              <Checkbox size="l" checked={c.sms} onUpdate={(on) => toggle(c.kind, 'sms', on)}>
                SMS
              </Checkbox>
            </div>
          </fieldset>
        ))}
      </Card>
      <div>
        <Button type="submit" view="action" size="l" loading={save.isPending}>
          Сохранить настройки
        </Button>
      </div>
    </form>
  );
}
