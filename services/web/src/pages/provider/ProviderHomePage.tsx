import { Card, Text } from '@gravity-ui/uikit';
import { $certificates } from '../../api/client';
import { RouterLink } from '../../components/RouterLink';
import { plural } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { ProviderPage, useProviderId } from './frame';

const SECTIONS = [
  { to: '/provider/bookings', title: 'Заявки получателей', text: 'Примите заявку или откажите с причиной до срока ответа; у каждой — остаток объёма и средств получателя, тариф и допуск.' },
  { to: '/provider/acts', title: 'Акты об оказании услуг', text: 'Запишите акт или загрузите файл актов; следите, подтвердил ли получатель акт, оспорил ли его и проведён ли он к оплате.' },
  { to: '/provider/rounds', title: 'Отборы', text: 'Отборы по вашим услугам и территории: заявка с документами, решение комиссии по каждому критерию, апелляция, отзыв заявки.' },
  { to: '/provider/money', title: 'Расчёты и выплаты', text: 'Расчёты по месяцам, выплаты с их этапом и ожидаемой датой оплаты, выгрузка расчёта в CSV и XLSX.' },
  { to: '/provider/profile', title: 'Профиль организации', text: 'Сведения, места оказания услуг, услуги с объёмом в месяц и их допуск, лицензии, доступность, документы.' },
  { to: '/provider/staff', title: 'Сотрудники', text: 'Кто имеет доступ к кабинету организации.', adminOnly: true },
];

export function ProviderHomePage() {
  const providerId = useProviderId();
  const isAdmin = useSession().hasRole('provider_admin');
  const pending = $certificates.useQuery('get', '/v1/providers/{id}/inbox', { params: { path: { id: providerId }, query: { status: 'requested' } } });
  const count = pending.data?.items.length ?? 0;
  const overdue = pending.data?.items.filter((b) => b.overdue).length ?? 0;
  return (
    <ProviderPage title="Кабинет поставщика">
      {pending.data ? (
        <Text as="p" role="status">
          {count === 0
            ? 'Новых заявок нет.'
            : `${count} ${plural(count, 'заявка ждёт', 'заявки ждут', 'заявок ждут')} вашего ответа${overdue ? `, из них с истёкшим сроком ответа — ${overdue}` : ''}.`}
        </Text>
      ) : null}
      <ul className="card-list" aria-label="Разделы кабинета">
        {SECTIONS.filter((s) => isAdmin || !s.adminOnly).map((s) => (
          <li key={s.to}>
            <Card className="card-pad stack" view="outlined">
              <Text as="h2" variant="subheader-3">
                <RouterLink to={s.to}>{s.title}</RouterLink>
              </Text>
              <Text as="p">{s.text}</Text>
            </Card>
          </li>
        ))}
      </ul>
    </ProviderPage>
  );
}
