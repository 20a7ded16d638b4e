import { Button, Text } from '@gravity-ui/uikit';
import { $certificates, $registry } from '../../api/client';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { providerTypeLabel } from '../public/dictionary';
import { categoryName, count, WAITS } from './labels';

interface Props {
  region: string;
  district: string;
  districtName: string;
  service: string | null;
  serviceName: string;
  onClose(): void;
}

/** A district's admitted providers of the service (as the registry has them now) and today's waiting list behind its figures. */
export function DistrictDrillDown({ region, district, districtName, service, serviceName, onClose }: Props) {
  const supply = $registry.useQuery('get', '/v1/regions/{region}/supply', { params: { path: { region } } });
  const waiting = $certificates.useQuery('get', '/v1/regions/{region}/deficits/waiting', {
    params: { path: { region }, query: { district_code: district, ...(service ? { service_code: service } : {}) } },
  });
  const providers = supply.data?.items.find((i) => i.district_code === district && i.service_code === service)?.providers ?? [];

  return (
    <section aria-labelledby="drill-title" className="stack card-pad deficits-drill">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <Text as="h2" variant="subheader-3" id="drill-title">
          {districtName}: {serviceName}
        </Text>
        <Button view="outlined" onClick={onClose}>
          Закрыть район
        </Button>
      </div>
      <Text as="h3" variant="subheader-2">
        Допущенные поставщики
      </Text>
      <PageState loading={supply.isPending} error={supply.error} retry={() => void supply.refetch()}>
        {providers.length === 0 ? (
          <EmptyState title="Допущенных поставщиков нет">В районе нет поставщиков, допущенных к этой услуге: нужен отбор исполнителей для этой территории.</EmptyState>
        ) : (
          <ScrollTable caption={`Поставщики района: ${districtName}`} captionHidden>
            <thead>
              <tr>
                <th scope="col">Поставщик</th>
                <th scope="col">Тип</th>
                <th scope="col">Мощность в месяц</th>
                <th scope="col">Занято</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <RouterLink to={`/providers/${p.id}`}>{p.name}</RouterLink>
                  </th>
                  <td>{providerTypeLabel(p.type)}</td>
                  <td>{count(p.capacity_per_month)}</td>
                  <td>{count(p.booked_per_month)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </PageState>
      <Text as="h3" variant="subheader-2">
        Очередь на сегодня
      </Text>
      <PageState loading={waiting.isPending} error={waiting.error} retry={() => void waiting.refetch()}>
        {waiting.data && waiting.data.items.length > 0 ? (
          <>
            <ScrollTable caption={`Очередь района: ${districtName}`} captionHidden>
              <thead>
                <tr>
                  <th scope="col">Сертификат</th>
                  <th scope="col">Чего ждёт</th>
                  <th scope="col">С какого дня</th>
                  <th scope="col">Дней</th>
                  <th scope="col">Объём в месяц</th>
                  <th scope="col">Категории</th>
                </tr>
              </thead>
              <tbody>
                {waiting.data.items.map((line, index) => (
                  <tr key={`${line.certificate_number ?? 'programme'}-${line.service_code}-${index}`}>
                    <td>{line.certificate_number ? `№ ${line.certificate_number}` : 'ещё не выдан'}</td>
                    <td>{WAITS[line.waits]}</td>
                    <td>{formatDate(line.since)}</td>
                    <td>{count(line.days)}</td>
                    <td>{count(line.volume_per_month)}</td>
                    <td>{line.categories.length > 0 ? line.categories.map(categoryName).join(', ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
            {waiting.data.truncated ? <Text color="secondary">Показаны 200 строк, ожидающих дольше всех.</Text> : null}
          </>
        ) : (
          <EmptyState title="Очереди нет">Сегодня в районе никто не ждёт эту услугу.</EmptyState>
        )}
      </PageState>
    </section>
  );
}
