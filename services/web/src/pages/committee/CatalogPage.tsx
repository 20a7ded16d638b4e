import { $registry } from '../../api/client';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { COEFFICIENT_KIND_LABELS, unitLabel } from '../public/dictionary';
import { CommitteePage, Section, useCommitteeRegion } from './ui';

/** The catalog's normative costs in the committee's region and the correcting coefficients. */
export function CatalogPage() {
  const region = useCommitteeRegion();
  const services = $registry.useQuery('get', '/v1/catalog/services', { params: { query: { region } } });
  const coefficients = $registry.useQuery('get', '/v1/catalog/coefficients');
  return (
    <CommitteePage
      title="Нормативные затраты"
      back={{ to: '/committee', label: 'Кабинет комиссии' }}
      lead="Норматив на единицу услуги в регионе. Новая версия действует с указанной даты; опубликованные версии не меняются, сертификаты, выданные раньше, сохраняют свою стоимость."
    >
      <Section id="costs-title" title="Услуги и нормативы">
        <PageState loading={services.isPending} error={services.error} retry={() => void services.refetch()}>
          {services.data?.items.length === 0 ? (
            <EmptyState title="В перечне нет услуг" />
          ) : (
            <ScrollTable caption="Услуги и действующие нормативы" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Услуга</th>
                  <th scope="col">Единица</th>
                  <th scope="col" className="num">
                    Норматив сейчас
                  </th>
                  <th scope="col">Действует с</th>
                </tr>
              </thead>
              <tbody>
                {services.data?.items.map((s) => (
                  <tr key={s.code}>
                    <td className="overflow-safe">
                      <RouterLink to={`/committee/catalog/${s.code}`}>{s.name}</RouterLink> <span className="muted">({s.code})</span>
                    </td>
                    <td>{unitLabel(s.unit)}</td>
                    <td className="num">{s.current_cost ? <Money amount={s.current_cost.amount} /> : 'не утверждён'}</td>
                    <td>{s.current_cost ? formatDate(s.current_cost.valid_from) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          )}
        </PageState>
      </Section>
      <Section id="coefficients-title" title="Корректирующие коэффициенты">
        <PageState loading={coefficients.isPending} error={coefficients.error} retry={() => void coefficients.refetch()}>
          <ScrollTable caption="Корректирующие коэффициенты" captionHidden>
            <thead>
              <tr>
                <th scope="col">Коэффициент</th>
                <th scope="col">Вид</th>
                <th scope="col" className="num">
                  Множитель сейчас
                </th>
              </tr>
            </thead>
            <tbody>
              {coefficients.data?.items.map((c) => (
                <tr key={c.code}>
                  <td className="overflow-safe">
                    <RouterLink to={`/committee/catalog/coefficients/${c.code}`}>{c.name}</RouterLink> <span className="muted">({c.code})</span>
                  </td>
                  <td>{COEFFICIENT_KIND_LABELS[c.kind]}</td>
                  <td className="num">{c.factor.replace('.', ',')}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </PageState>
      </Section>
    </CommitteePage>
  );
}
