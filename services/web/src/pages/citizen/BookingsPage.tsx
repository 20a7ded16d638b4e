import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Dialog, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { toProblem, type Problem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDateTime } from '../../format/date';
import { CabinetPage, refreshCabinet, Status, type Tone } from './cabinet';
import { BOOKING_STATUS, DECLINE_CODE, FUNDING_MODE, unitsText } from './labels';
import { useActingFor } from './useActingFor';

type CabinetBooking = CertificatesSchemas['CabinetBooking'];

const BOOKING_TONE: Record<CabinetBooking['status'], Tone> = { requested: 'info', accepted: 'success', declined: 'danger', cancelled: 'normal' };

const serviceOf = (booking: CabinetBooking) => booking.service_name ?? booking.service_code;

export function BookingsPage() {
  const acting = useActingFor();
  const queryClient = useQueryClient();
  const query = $certificates.useQuery('get', '/v1/me/bookings', { params: { query: acting.meQuery } }, { enabled: !acting.needsRecipient });
  const cancel = $certificates.useMutation('post', '/v1/bookings/{id}/cancel');
  const [toCancel, setToCancel] = useState<CabinetBooking | null>(null);
  const [outcome, setOutcome] = useState<{ ok: true; text: string } | { ok: false; problem: Problem } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const confirmCancel = async () => {
    if (!toCancel) return;
    try {
      await cancel.mutateAsync({ params: { path: { id: toCancel.id } } });
      setOutcome({ ok: true, text: `Запись к поставщику «${toCancel.provider_name}» на услугу «${serviceOf(toCancel)}» отменена. Объём услуги снова можно записать к другому поставщику.` });
      await refreshCabinet(queryClient);
    } catch (error) {
      setOutcome({ ok: false, problem: toProblem(error) });
    } finally {
      setToCancel(null);
    }
  };

  return (
    <CabinetPage title={acting.recipientId ? 'Записи получателя' : 'Мои записи'} lead="Заявки к поставщикам социальных услуг по вашим сертификатам и договоры с ними.">
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="focus-target">
          {outcome.ok ? <Alert theme="success" title="Запись отменена" message={outcome.text} /> : <ProblemAlert error={outcome.problem} />}
        </div>
      ) : null}
      {acting.needsRecipient ? (
        <EmptyState title="Получатель не выбран">Введите идентификатор получателя выше, чтобы увидеть его записи.</EmptyState>
      ) : (
        <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {query.data && query.data.items.length > 0 ? (
            <ul className="card-list" aria-label="Записи к поставщикам">
              {query.data.items.map((booking) => (
                <li key={booking.id}>
                  <BookingCard booking={booking} link={acting.link} onCancel={() => setToCancel(booking)} />
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="Записей пока нет">
              Откройте сертификат в разделе «Мои сертификаты» и нажмите «Выбрать поставщика» у нужной услуги.
            </EmptyState>
          )}
        </PageState>
      )}
      <Dialog
        open={!!toCancel}
        onClose={() => setToCancel(null)}
        aria-labelledby="cancel-dialog-title"
        maxWidth="s"
        fullWidth
        initialFocus="cancel"
        returnFocus={outcome ? outcomeRef : true}
      >
        <Dialog.Header caption="Отменить запись?" id="cancel-dialog-title" as="h2" />
        <Dialog.Body>
          {toCancel && toCancel.units_in_use > 0 ? (
            <Text as="p">
              Запись к поставщику «{toCancel.provider_name}» на услугу «{serviceOf(toCancel)}» будет отменена. Неиспользованный объём —{' '}
              {unitsText(toCancel.units - toCancel.units_in_use, toCancel.unit)} — снова станет свободным для записи к другому поставщику. Акты об уже оказанных услугах
              остаются: подтвердите или оспорьте их, как обычно.
            </Text>
          ) : toCancel ? (
            <Text as="p">
              Заявка к поставщику «{toCancel.provider_name}» на услугу «{serviceOf(toCancel)}» будет отменена, а объём услуги снова станет свободным для записи. Отменить
              отмену будет нельзя — только записаться заново.
            </Text>
          ) : null}
        </Dialog.Body>
        <Dialog.Footer
          preset="danger"
          textButtonApply="Да, отменить запись"
          textButtonCancel="Нет, оставить"
          onClickButtonApply={() => void confirmCancel()}
          onClickButtonCancel={() => setToCancel(null)}
          loading={cancel.isPending}
        />
      </Dialog>
    </CabinetPage>
  );
}

function BookingCard({ booking, link, onCancel }: { booking: CabinetBooking; link: (to: string) => string; onCancel: () => void }) {
  const open = booking.status === 'requested' || booking.status === 'accepted';
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        {booking.provider_name} — {serviceOf(booking)}
      </Text>
      <div className="row">
        <Status tone={BOOKING_TONE[booking.status]}>{BOOKING_STATUS[booking.status]}</Status>
      </div>
      <Definitions
        items={[
          {
            term: 'Сертификат',
            value: <RouterLink to={link(`/cabinet/certificates/${booking.certificate_id}`)}>№ {booking.certificate_number}</RouterLink>,
          },
          { term: 'Объём', value: `${unitsText(booking.units, booking.unit)}, по ${booking.units_per_month} в месяц` },
          { term: 'Оказано и подтверждено', value: unitsText(booking.units_confirmed, booking.unit) },
          { term: 'Тип поставщика', value: FUNDING_MODE[booking.funding_mode] },
          { term: 'Заявка подана', value: formatDateTime(booking.requested_at) },
          booking.decided_at ? { term: booking.status === 'cancelled' ? 'Отменена' : 'Ответ поставщика', value: formatDateTime(booking.decided_at) } : null,
          booking.decline
            ? { term: 'Причина отказа', value: [DECLINE_CODE[booking.decline.code], booking.decline.reason].filter(Boolean).join(': ') }
            : null,
        ]}
      />
      {booking.status === 'requested' ? <Text as="p">Поставщик ещё не ответил. Когда он примет заявку, будет заключён договор.</Text> : null}
      {booking.status === 'declined' ? (
        <Text as="p">
          Что дальше: объём услуги снова свободен — <RouterLink to={link(`/cabinet/certificates/${booking.certificate_id}`)}>выберите другого поставщика</RouterLink>{' '}
          в сертификате. Отказ и порядок его обжалования — в разделе <RouterLink to={link('/cabinet/requests')}>«Мои обращения»</RouterLink>.
        </Text>
      ) : null}
      {booking.can_cancel ? (
        <div>
          <Button view="outlined-danger" size="l" onClick={onCancel}>
            Отменить запись<span className="visually-hidden"> к «{booking.provider_name}» на услугу «{serviceOf(booking)}»</span>
          </Button>
        </div>
      ) : open && booking.cancel_unavailable_reason ? (
        <Text as="p">Отменить запись нельзя. {booking.cancel_unavailable_reason}</Text>
      ) : null}
    </Card>
  );
}
