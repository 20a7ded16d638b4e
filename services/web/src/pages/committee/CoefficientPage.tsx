import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, regionDate } from '../../format/date';
import { decimalText } from './forms';
import { CommitteePage, Section, Status } from './ui';
import { VersionForm, VersionStatus, type VersionInput } from './VersionForm';

const FACTOR = /^(0|[1-9][0-9]{0,3})([.,][0-9]{1,6})?$/;

/** A correcting coefficient's factor versions with their reasons, and the form for a new one. */
export function CoefficientPage() {
  const { code = '' } = useParams();
  const queryClient = useQueryClient();
  const history = $registry.useQuery('get', '/v1/catalog/coefficients/{code}/versions', { params: { path: { code } } });
  const publish = $registry.useMutation('post', '/v1/catalog/coefficients/{code}/versions');
  const h = history.data;
  const today = regionDate(new Date());
  const inForce = h?.items.find((v) => v.valid_from <= today);

  const publishVersion = async ({ value, validFrom, reason }: VersionInput) => {
    const published = await publish.mutateAsync({ params: { path: { code } }, body: { factor: decimalText(value), valid_from: validFrom, reason } });
    await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/catalog/') });
    return `Опубликован множитель ${published.factor.replace('.', ',')} с ${formatDate(published.valid_from)}.`;
  };

  return (
    <CommitteePage title={h ? `Коэффициент: ${h.name}` : 'Коэффициент'} back={{ to: '/committee/catalog', label: 'Нормативные затраты' }}>
      <PageState loading={history.isPending} error={history.error} retry={() => void history.refetch()}>
        {h ? (
          <>
            <Section id="coefficient-versions-title" title="Версии множителя">
              <ScrollTable caption="Версии множителя, от новых к старым" captionHidden>
                <thead>
                  <tr>
                    <th scope="col">Действует с</th>
                    <th scope="col" className="num">
                      Множитель
                    </th>
                    <th scope="col">Основание</th>
                    <th scope="col">Состояние</th>
                  </tr>
                </thead>
                <tbody>
                  {h.items.map((v) => (
                    <tr key={v.valid_from}>
                      <td>{formatDate(v.valid_from)}</td>
                      <td className="num">{v.factor.replace('.', ',')}</td>
                      <td className="overflow-safe">{v.reason}</td>
                      <td>
                        <VersionStatus validFrom={v.valid_from} inForce={v === inForce} today={today} />
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <td>{formatDate(h.created_at)}</td>
                    <td className="num">{h.base_factor.replace('.', ',')}</td>
                    <td>Значение при введении коэффициента</td>
                    <td>{inForce ? <Status>Прежняя</Status> : <Status tone="success">Действует</Status>}</td>
                  </tr>
                </tbody>
              </ScrollTable>
            </Section>
            <Section id="coefficient-publish-title" title="Новая версия">
              <VersionForm
                idPrefix="coefficient"
                valueField="factor"
                valueLabel="Множитель"
                valueHint="Например: 1,2"
                valueRule={{ test: (v) => FACTOR.test(v) && Number(decimalText(v)) > 0, message: 'Введите множитель больше нуля, например 1,2' }}
                reasonHint="Например: постановление правительства области от 01.12.2026 № 45-П"
                submitLabel="Опубликовать множитель"
                publish={publishVersion}
              />
            </Section>
          </>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}
