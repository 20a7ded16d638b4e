import { Text } from '@gravity-ui/uikit';
import { $certificates, $registry } from '../../api/client';
import { toProblem } from '../../api/problem';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { CHANGE, count, districtNamer, monthName } from './labels';

interface Props {
  region: string;
  /** The round's services and territory (OKTMO codes). */
  serviceCodes: string[];
  territory: string[];
  /** The heading's level where it is placed; 2 by default. */
  headingLevel?: 2 | 3;
}

/**
 * What a committee opening a selection round should know: the latest computed deficits of the
 * round's services in its territory, largest first, with a link to the full register.
 */
export function DeficitsForRound({ region, serviceCodes, territory, headingLevel = 2 }: Props) {
  const register = $certificates.useQuery(
    'get',
    '/v1/regions/{region}/deficits',
    { params: { path: { region }, query: { service_code: serviceCodes.join(','), district_code: territory.join(',') } } },
    { enabled: serviceCodes.length > 0 && territory.length > 0 },
  );
  const districts = $registry.useQuery('get', '/v1/regions/{region}/districts', { params: { path: { region }, query: { winding: 'd3' } } });
  const name = districtNamer(districts.data);
  const notComputed = register.error && toProblem(register.error).code === 'deficits_not_computed';
  const rows = (register.data?.items ?? []).filter((r) => r.deficit > 0 || r.change === 'resolved').sort((a, b) => b.deficit - a.deficit);
  const heading = headingLevel === 3 ? 'h3' : 'h2';

  return (
    <section className="stack" aria-labelledby="round-deficits-title">
      <Text as={heading} variant="subheader-3" id="round-deficits-title">
        Социальные дефициты по услугам и территории отбора
      </Text>
      {serviceCodes.length === 0 || territory.length === 0 ? (
        <Text color="secondary">Выберите услуги и территорию отбора, чтобы увидеть дефициты.</Text>
      ) : notComputed ? (
        <EmptyState title="Реестр дефицитов ещё не рассчитан">Рассчитайте его в разделе «Социальные дефициты».</EmptyState>
      ) : (
        <PageState loading={register.isPending} error={register.error} retry={() => void register.refetch()}>
          {register.data ? (
            rows.length === 0 ? (
              <EmptyState title="Дефицитов нет">
                По расчёту за {monthName(register.data.month)} допущенных поставщиков хватает всем ожидающим этих услуг на территории отбора.
              </EmptyState>
            ) : (
              <ScrollTable caption={`Дефициты по расчёту за ${monthName(register.data.month)}, единиц услуги в месяц`}>
                <thead>
                  <tr>
                    <th scope="col">Район</th>
                    <th scope="col">Услуга</th>
                    <th scope="col">Дефицит</th>
                    <th scope="col">Ждут, чел.</th>
                    <th scope="col">Поставщиков</th>
                    <th scope="col">Изменение</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.district_code}-${r.service_code}`}>
                      <th scope="row">{name(r.district_code)}</th>
                      <td>{r.service_name}</td>
                      <td>{r.deficit > 0 ? count(r.deficit) : 'нет'}</td>
                      <td>{count(r.waiting_people)}</td>
                      <td>{count(r.providers)}</td>
                      <td>{CHANGE[r.change]}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            )
          ) : null}
          <Text>
            <RouterLink to="/deficits">Весь реестр и карта дефицитов</RouterLink>
          </Text>
        </PageState>
      )}
    </section>
  );
}
