import { useEffect, useRef, useState } from 'react';
import { Alert, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate, formatDateTime } from '../../format/date';
import { unitCount } from '../public/dictionary';
import { Status, type Tone } from '../citizen/cabinet';
import { REFUSAL_CODE } from '../citizen/labels';
import { ActImportForm } from './acts/ActImportForm';
import { RecordActForm } from './acts/RecordActForm';
import { ProviderPage, useProviderId } from './frame';
import { refreshProviderCabinet } from './InboxPage';

type Act = CertificatesSchemas['ProviderAct'];
type StatusFilter = CertificatesSchemas['DeliveryStatus'] | 'all';

const FILTERS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'Все акты' },
  { value: 'held', label: 'Ждут подтверждения получателя' },
  { value: 'posted', label: 'Подтверждены и проведены' },
  { value: 'voided', label: 'Оспорены или аннулированы' },
  { value: 'refused', label: 'Отклонены' },
];

/** Where an act stands, in words, with the tone of its mark: held → confirmed / partly confirmed / disputed → posted. */
export function actStage(a: Pick<Act, 'status' | 'resolution' | 'refusal_code'>): { text: string; tone: Tone } {
  switch (a.status) {
    case 'authorising':
      return { text: 'Оформляется', tone: 'info' };
    case 'held':
      return { text: 'Ждёт подтверждения получателя', tone: 'info' };
    case 'posted':
      if (a.resolution === 'partly_disputed') return { text: 'Подтверждён частично, проведён к оплате', tone: 'warning' };
      if (a.resolution === 'auto_confirmed') return { text: 'Подтверждён автоматически, проведён к оплате', tone: 'success' };
      return { text: 'Подтверждён получателем, проведён к оплате', tone: 'success' };
    case 'voided':
      if (a.resolution === 'hold_expired') return { text: 'Аннулирован: истёк срок блокировки средств', tone: 'normal' };
      return { text: 'Оспорен получателем, не оплачивается', tone: 'danger' };
    case 'refused':
      return { text: `Не принят: ${a.refusal_code ? REFUSAL_CODE[a.refusal_code].toLowerCase() : 'отказ'}`, tone: 'danger' };
  }
}

export function ActsPage() {
  const providerId = useProviderId();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const contracts = $certificates.useQuery('get', '/v1/providers/{id}/inbox', { params: { path: { id: providerId }, query: { status: 'accepted' } } });
  const acts = $certificates.useQuery('get', '/v1/providers/{id}/acts', { params: { path: { id: providerId }, query: filter === 'all' ? {} : { status: filter } } });
  const [recorded, setRecorded] = useState<string | null>(null);
  const recordedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (recorded) recordedRef.current?.focus();
  }, [recorded]);

  return (
    <ProviderPage
      title="Акты об оказании услуг"
      lead="Запишите акт после оказания услуги — по одному или файлом. Получатель подтверждает акт или оспаривает его; без ответа акт подтверждается автоматически в срок."
    >
      <PageState loading={contracts.isPending} error={contracts.error} retry={() => void contracts.refetch()}>
        {contracts.data && contracts.data.items.length > 0 ? (
          <>
            {recorded ? (
              <div ref={recordedRef} tabIndex={-1} className="focus-target">
                <Alert theme="success" title="Акт записан" message={recorded} />
              </div>
            ) : null}
            <RecordActForm
              bookings={contracts.data.items}
              initialBooking={params.get('booking') ?? undefined}
              onRecorded={(act, booking) => {
                setRecorded(`Акт от ${formatDate(act.delivered_on)} на ${unitCount(act.units, booking.unit)} для ${booking.recipient_name} ждёт подтверждения получателя до ${formatDateTime(act.confirm_by)}.`);
                void refreshProviderCabinet(queryClient);
              }}
            />
            <ActImportForm providerId={providerId} bookings={contracts.data.items} onImported={() => void refreshProviderCabinet(queryClient)} />
          </>
        ) : (
          <EmptyState title="Договоров пока нет">
            Акты записываются по заключённым договорам. Примите заявку в разделе <RouterLink to="/provider/bookings">«Заявки получателей»</RouterLink>.
          </EmptyState>
        )}
      </PageState>

      <Text as="h2" variant="subheader-3">
        Записанные акты
      </Text>
      <div className="stack" style={{ gap: 4, maxWidth: 360 }}>
        <label htmlFor="acts-filter">
          <Text variant="subheader-1">Показать</Text>
        </label>
        <NativeSelect id="acts-filter" value={filter} options={FILTERS} onChange={(value) => setFilter(value as StatusFilter)} />
      </div>
      <PageState loading={acts.isPending} error={acts.error} retry={() => void acts.refetch()}>
        {acts.data && acts.data.items.length > 0 ? (
          <ul className="card-list" aria-label="Записанные акты">
            {acts.data.items.map((a) => (
              <li key={a.id}>
                <ActCard act={a} />
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="Актов нет">Записанные акты появятся здесь с их состоянием: ждёт подтверждения, подтверждён, оспорен, проведён.</EmptyState>
        )}
      </PageState>
    </ProviderPage>
  );
}

function ActCard({ act: a }: { act: Act }) {
  const stage = actStage(a);
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-2">
        {a.recipient_name} — {a.service_name ?? a.service_code}, акт от {formatDate(a.delivered_on)}
      </Text>
      <div className="row">
        <Status tone={stage.tone}>{stage.text}</Status>
      </div>
      <Definitions
        items={[
          { term: 'Объём', value: unitCount(a.units, a.unit) },
          { term: 'Сумма акта', value: <Money amount={a.amount} /> },
          { term: 'Работник', value: `${a.staff.name}, ${a.staff.position}` },
          { term: 'Сертификат', value: `№ ${a.certificate_number}` },
          { term: 'Записан', value: formatDateTime(a.recorded_at) },
          a.status === 'held' ? { term: 'Подтвердится автоматически', value: formatDateTime(a.confirm_by) } : null,
          a.confirmed_units != null && a.confirmed_units !== a.units ? { term: 'Подтверждено', value: unitCount(a.confirmed_units, a.unit) } : null,
          a.posted_amount != null ? { term: 'Проведено к оплате', value: <Money amount={a.posted_amount} /> } : null,
          a.dispute_reason ? { term: 'Причина получателя', value: a.dispute_reason } : null,
          a.resolved_at ? { term: 'Решение получено', value: formatDateTime(a.resolved_at) } : null,
        ]}
      />
    </Card>
  );
}
