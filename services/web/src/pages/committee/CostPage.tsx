import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, regionDate } from '../../format/date';
import { formatMoney } from '../../format/money';
import { unitLabel } from '../public/dictionary';
import { DECIMAL, decimalText } from './forms';
import { CommitteePage, Section, useCommitteeRegion } from './ui';
import { VersionForm, VersionStatus, type VersionInput } from './VersionForm';

/** A service's normative cost versions in the region, newest first, and the form for a new version. */
export function CostPage() {
  const { code = '' } = useParams();
  const region = useCommitteeRegion();
  const queryClient = useQueryClient();
  const service = $registry.useQuery('get', '/v1/catalog/services/{code}', { params: { path: { code }, query: { region } } });
  const publish = $registry.useMutation('post', '/v1/catalog/services/{code}/costs');
  const s = service.data;
  const versions = [...(s?.costs ?? [])].filter((c) => c.region_code === region).sort((a, b) => b.valid_from.localeCompare(a.valid_from));
  const today = regionDate(new Date());
  const inForce = versions.find((v) => v.valid_from <= today);

  const publishVersion = async ({ value, validFrom, reason }: VersionInput) => {
    const published = await publish.mutateAsync({ params: { path: { code } }, body: { region_code: region, valid_from: validFrom, amount: decimalText(value), reason } });
    await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/catalog/') });
    return `Опубликована версия ${formatMoney(published.amount)} с ${formatDate(published.valid_from)}.`;
  };

  return (
    <CommitteePage title={s ? `Норматив: ${s.name}` : 'Норматив'} back={{ to: '/committee/catalog', label: 'Нормативные затраты' }}>
      <PageState loading={service.isPending} error={service.error} retry={() => void service.refetch()}>
        {s ? (
          <>
            <Section id="versions-title" title="Версии норматива">
              {versions.length === 0 ? (
                <EmptyState title="Норматив в регионе ещё не утверждён" />
              ) : (
                <ScrollTable caption={`Версии норматива за ${unitLabel(s.unit)}, от новых к старым`}>
                  <thead>
                    <tr>
                      <th scope="col">Действует с</th>
                      <th scope="col" className="num">
                        Норматив
                      </th>
                      <th scope="col">Основание</th>
                      <th scope="col">Состояние</th>
                    </tr>
                  </thead>
                  <tbody>
                    {versions.map((v) => (
                      <tr key={v.valid_from}>
                        <td>{formatDate(v.valid_from)}</td>
                        <td className="num">
                          <Money amount={v.amount} />
                        </td>
                        <td className="overflow-safe">{v.reason ?? '—'}</td>
                        <td>
                          <VersionStatus validFrom={v.valid_from} inForce={v === inForce} today={today} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              )}
            </Section>
            <Section id="publish-title" title="Новая версия">
              <VersionForm
                idPrefix="cost"
                valueField="amount"
                valueLabel={`Норматив за ${unitLabel(s.unit)}, ₽`}
                valueHint="Например: 450,50"
                valueRule={{ test: (v) => DECIMAL.test(v) && Number(decimalText(v)) > 0, message: 'Введите норматив в рублях, например 450 или 450,50' }}
                reasonHint="Например: приказ Минсоцразвития области от 01.12.2026 № 120-П"
                submitLabel="Опубликовать версию"
                publish={publishVersion}
              />
            </Section>
          </>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}
