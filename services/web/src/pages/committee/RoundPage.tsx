import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDateTime, plural } from '../../format/date';
import { territoryText, useCatalog, useDistricts } from '../public/lookups';
import { APPLICATION_STATUS, FORMAL_CRITERIA } from './labels';
import { ProviderName } from './ProviderName';
import { RoundActions } from './RoundActions';
import { CommitteePage, Section, Status } from './ui';

/** A round as the committee sees it: its terms and every application, each opening its scoring screen. */
export function RoundPage() {
  const { id = '' } = useParams();
  const round = $registry.useQuery('get', '/v1/rounds/{id}', { params: { path: { id } } });
  const applications = $registry.useQuery('get', '/v1/rounds/{id}/applications', { params: { path: { id } } });
  const catalog = useCatalog();
  const districts = useDistricts();
  const r = round.data;
  return (
    <CommitteePage title={r?.title ?? 'Отбор'} back={{ to: '/committee', label: 'Все отборы' }}>
      <PageState loading={round.isPending} error={round.error} retry={() => void round.refetch()}>
        {r ? (
          <>
            <RoundActions round={r} applications={applications.data?.items} />
            <Definitions
              items={[
                { term: 'Приём заявок', value: `${formatDateTime(r.applications_open_at)} — ${formatDateTime(r.applications_close_at)}` },
                { term: 'Услуги', value: r.service_codes.map((c) => catalog.byCode.get(c)?.name ?? c).join('; ') },
                { term: 'Территория', value: territoryText(r.territory, districts.options) },
                { term: 'Обязательные требования', value: (r.formal_criteria ?? []).map((c) => FORMAL_CRITERIA.find((f) => f.code === c)?.name ?? c).join('; ') },
                { term: 'Оцениваемые критерии', value: r.scored_criteria.map((c) => `${c.name} (вес ${c.weight.replace('.', ',')}, до ${c.max_points} баллов)`).join('; ') },
                { term: 'Проходной балл', value: r.threshold.replace('.', ',') },
                { term: 'Преимущество СОНКО', value: pointsText(r.sonko_preference_points) },
                { term: 'Срок апелляции', value: `${r.appeal_window_days} календарных дней после отказа` },
              ]}
            />
            <Section id="applications-title" title="Заявки">
              <PageState loading={applications.isPending} error={applications.error} retry={() => void applications.refetch()}>
                {applications.data?.items.length === 0 ? (
                  <EmptyState title="Заявок пока нет">Заявки подают поставщики в своём кабинете, пока идёт приём.</EmptyState>
                ) : (
                  <ScrollTable caption="Заявки отбора, в порядке подачи" captionHidden>
                    <thead>
                      <tr>
                        <th scope="col">Поставщик</th>
                        <th scope="col">Подана</th>
                        <th scope="col">Состояние</th>
                        <th scope="col" className="num">
                          Баллы
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {applications.data?.items.map((a) => (
                        <tr key={a.id}>
                          <td className="overflow-safe">
                            <RouterLink to={`/committee/rounds/${id}/applications/${a.id}`}>
                              <ProviderName id={a.provider_id} />
                            </RouterLink>
                          </td>
                          <td>{formatDateTime(a.submitted_at)}</td>
                          <td>
                            <Status tone={APPLICATION_STATUS[a.status].tone}>{APPLICATION_STATUS[a.status].label}</Status>
                          </td>
                          <td className="num">{a.decision?.total_points?.replace('.', ',') ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </ScrollTable>
                )}
              </PageState>
            </Section>
          </>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}

/** «5 баллов», «1,5 балла»: a fraction takes the genitive singular. */
function pointsText(value: string): string {
  const n = Number(value);
  return `${value.replace('.', ',')} ${Number.isInteger(n) ? plural(n, 'балл', 'балла', 'баллов') : 'балла'}`;
}
