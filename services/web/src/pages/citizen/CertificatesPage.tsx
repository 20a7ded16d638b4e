import { Card, Text } from '@gravity-ui/uikit';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate } from '../../format/date';
import { CabinetPage, CERTIFICATE_TONE, ExpiryMark, Status } from './cabinet';
import { CERTIFICATE_STATUS } from './labels';
import { useActingFor } from './useActingFor';

type CabinetCertificate = CertificatesSchemas['CabinetCertificate'];

export function CertificatesPage() {
  const acting = useActingFor();
  const query = $certificates.useQuery('get', '/v1/me/certificates', { params: { query: acting.meQuery } }, { enabled: !acting.needsRecipient });
  return (
    <CabinetPage title={acting.recipientId ? 'Сертификаты получателя' : 'Мои сертификаты'} lead="Сертификаты на социальные услуги, срок их действия и сколько средств осталось.">
      {acting.needsRecipient ? (
        <EmptyState title="Получатель не выбран">Введите идентификатор получателя выше, чтобы увидеть его сертификаты.</EmptyState>
      ) : (
        <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {query.data && query.data.items.length > 0 ? (
            <ul className="card-list" aria-label="Сертификаты">
              {query.data.items.map((certificate) => (
                <li key={certificate.id}>
                  <CertificateCard certificate={certificate} link={acting.link(`/cabinet/certificates/${certificate.id}`)} />
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="Сертификатов пока нет">
              Сертификат выдаёт орган социальной защиты после признания нуждающимся в социальном обслуживании и составления индивидуальной программы. Ход
              вашего заявления виден в разделе «Мои обращения».
            </EmptyState>
          )}
        </PageState>
      )}
    </CabinetPage>
  );
}

function CertificateCard({ certificate, link }: { certificate: CabinetCertificate; link: string }) {
  const balance = certificate.balance;
  const released = balance && balance.released !== '0.00' && balance.released !== '0';
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h2" variant="subheader-3">
        <RouterLink to={link}>Сертификат № {certificate.number}</RouterLink>
      </Text>
      <div className="row">
        <Status tone={CERTIFICATE_TONE[certificate.status]}>{CERTIFICATE_STATUS[certificate.status]}</Status>
        <ExpiryMark daysLeft={certificate.expires_in_days} />
      </div>
      {certificate.status_reason ? <Text>Причина: {certificate.status_reason}</Text> : null}
      <Definitions
        items={[
          { term: 'Срок действия', value: `с ${formatDate(certificate.valid_from)} по ${formatDate(certificate.valid_to)}` },
          { term: 'Номинал', value: <Money amount={balance?.value ?? certificate.value} /> },
          balance ? { term: 'Доступно', value: <Money amount={balance.available} /> } : null,
          balance ? { term: 'Заблокировано до подтверждения актов', value: <Money amount={balance.held} /> } : null,
          balance ? { term: 'Оплачено поставщикам', value: <Money amount={balance.spent} /> } : null,
          released && balance ? { term: 'Возвращено в бюджет', value: <Money amount={balance.released} /> } : null,
        ]}
      />
      {certificate.balance_unavailable ? (
        <Text color="secondary">Остаток сейчас недоступен: не удалось получить данные учётной системы. Попробуйте обновить страницу позже.</Text>
      ) : null}
      {certificate.lines.length > 0 ? (
        <Text color="secondary">Услуги: {certificate.lines.map((line) => line.service_name ?? line.service_code).join('; ')}</Text>
      ) : null}
    </Card>
  );
}
