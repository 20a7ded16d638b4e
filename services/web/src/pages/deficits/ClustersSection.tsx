import { useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Text } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $certificates } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { categoryName, count, CRITERIA, monthName, SERVICE_KIND, share } from './labels';

interface Props {
  region: string;
  month: string;
  manages: boolean;
  districtName(oktmo: string): string;
}

/** The month's deficits grouped by district and problem, ranked by the four criteria under the region's weights. */
export function ClustersSection({ region, month, manages, districtName }: Props) {
  const clusters = $certificates.useQuery('get', '/v1/regions/{region}/deficits/clusters', { params: { path: { region }, query: { month } } });
  return (
    <section aria-labelledby="clusters-title" className="stack">
      <Text as="h2" variant="subheader-3" id="clusters-title">
        Кластеры дефицитов и их рейтинг, {monthName(month)}
      </Text>
      <Text color="secondary">
        Дефициты сгруппированы по району и виду услуг. Каждый кластер оценён по четырём критериям областного реестра (от 0 до 100 %); итоговая оценка — среднее
        с весами, которые задаёт регион.
      </Text>
      <ul className="stack" style={{ gap: 4, margin: 0 }}>
        {CRITERIA.map((c) => (
          <li key={c.key}>
            <Text>
              <strong>{c.label}</strong> — {c.hint}.
            </Text>
          </li>
        ))}
      </ul>
      <PageState loading={clusters.isPending} error={clusters.error} retry={() => void clusters.refetch()}>
        {clusters.data ? (
          <>
            <Text>
              Веса:{' '}
              {CRITERIA.map((c) => `${c.label.toLowerCase()} — ${clusters.data.weights[c.key].replace('.', ',')}`).join('; ')}.
            </Text>
            {clusters.data.items.length === 0 ? (
              <EmptyState title="Дефицитов в этом месяце нет">Ранжировать нечего: свободных мест допущенных поставщиков хватает всем ожидающим.</EmptyState>
            ) : (
              <ScrollTable caption={`Рейтинг кластеров дефицитов, ${monthName(month)}`}>
                <thead>
                  <tr>
                    <th scope="col">Место</th>
                    <th scope="col">Район</th>
                    <th scope="col">Вид услуг</th>
                    <th scope="col">Дефицит, ед. в месяц</th>
                    <th scope="col">Ждут, чел.</th>
                    <th scope="col">Категории получателей</th>
                    {CRITERIA.map((c) => (
                      <th scope="col" key={c.key}>
                        {c.label}
                      </th>
                    ))}
                    <th scope="col">Оценка</th>
                  </tr>
                </thead>
                <tbody>
                  {clusters.data.items.map((cluster) => (
                    <tr key={cluster.key}>
                      <td>{cluster.rank}</td>
                      <th scope="row">{districtName(cluster.district_code)}</th>
                      <td>
                        {SERVICE_KIND[cluster.service_kind] ?? cluster.service_kind}: {cluster.services.map((s) => s.name).join(', ')}
                      </td>
                      <td>{count(cluster.deficit)}</td>
                      <td>{count(cluster.waiting_people)}</td>
                      <td>
                        {Object.keys(cluster.categories).length > 0
                          ? Object.entries(cluster.categories)
                              .map(([code, people]) => `${categoryName(code)}: ${people}`)
                              .join('; ')
                          : 'без категорий'}
                      </td>
                      {CRITERIA.map((c) => (
                        <td key={c.key}>{share(cluster.criteria[c.key])}</td>
                      ))}
                      <td>
                        <strong>{share(cluster.score)}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            )}
            {manages ? <WeightsForm region={region} weights={clusters.data.weights} /> : null}
          </>
        ) : null}
      </PageState>
    </section>
  );
}

const weight = z.string().check(
  z.trim(),
  z.refine((v) => /^[0-9]{1,3}([.,][0-9]{1,3})?$/.test(v), 'Введите число от 0 до 999,999, например 1 или 2,5'),
);
const schema = z.object({ relevance: weight, achievability: weight, budget_coverage: weight, social_effectiveness: weight });
type Values = z.infer<typeof schema>;
const ids = { relevance: 'weight-relevance', achievability: 'weight-achievability', budget_coverage: 'weight-budget', social_effectiveness: 'weight-effectiveness' };

function WeightsForm({ region, weights }: { region: string; weights: Values }) {
  const queryClient = useQueryClient();
  const save = $certificates.useMutation('put', '/v1/regions/{region}/deficits/weights');
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [saved, setSaved] = useState(false);
  const toForm = (v: Values): Values => ({
    relevance: v.relevance.replace('.', ','),
    achievability: v.achievability.replace('.', ','),
    budget_coverage: v.budget_coverage.replace('.', ','),
    social_effectiveness: v.social_effectiveness.replace('.', ','),
  });
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: toForm(weights), shouldFocusError: false });
  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      setSaved(false);
      const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(',', '.')])) as Values;
      if (Object.values(body).every((v) => !/[1-9]/.test(v))) {
        setSummary([{ fieldId: ids.relevance, message: 'Хотя бы один вес должен быть больше нуля' }]);
        return;
      }
      try {
        await save.mutateAsync({ params: { path: { region } }, body });
        await queryClient.invalidateQueries();
        setSaved(true);
      } catch (error) {
        setSummary(applyProblem(toProblem(error), form.setError, Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, { name: k as keyof Values, id }]))));
      }
    },
    (errors) =>
      setSummary(
        Object.entries(errors).flatMap(([key, error]) => (error?.message ? [{ fieldId: ids[key as keyof typeof ids], message: error.message }] : [])),
      ),
  );
  return (
    <form className="stack card-pad deficits-weights" aria-labelledby="weights-title" onSubmit={(event) => void submit(event)} noValidate>
      <Text as="h3" variant="subheader-2" id="weights-title">
        Веса критериев
      </Text>
      <Text color="secondary">Чем больше вес, тем сильнее критерий влияет на место кластера. Вес 0 исключает критерий.</Text>
      {summary.length > 0 ? <ErrorSummary items={summary} /> : null}
      <div className="deficits-weights__fields">
        {CRITERIA.map((c) => (
          <FormTextField key={c.key} control={form.control} name={c.key} id={ids[c.key]} label={c.label} />
        ))}
      </div>
      <div className="row">
        <Button type="submit" view="action" loading={save.isPending}>
          Сохранить веса
        </Button>
        <span role="status" aria-live="polite">
          {saved ? <Text>Веса сохранены, рейтинг пересчитан.</Text> : null}
        </span>
      </div>
    </form>
  );
}
