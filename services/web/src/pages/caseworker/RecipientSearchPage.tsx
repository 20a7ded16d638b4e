import { useEffect } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { z } from 'zod/mini';
import { $certificates } from '../../api/client';
import { FormTextField } from '../../components/FormTextField';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { useDistricts } from '../public/lookups';
import { DeskPage, districtName, formatSnils, fullName, useWorkerRegion } from './desk';

const FIELD_ID = 'recipient-search-q';

/** What the API accepts: 3–11 digits of a SNILS, or at least two letters of a last name. */
function validQuery(value: string): boolean {
  const text = value.trim();
  if (/^[\d\s-]+$/.test(text)) {
    const digits = text.replace(/[\s-]/g, '');
    return digits.length >= 3 && digits.length <= 11;
  }
  return (text.split(/\s+/)[0] ?? '').length >= 2;
}

const schema = z.object({
  q: z.string().check(z.trim(), z.minLength(1, 'Введите СНИЛС или фамилию'), z.maxLength(100, 'Не длиннее 100 знаков'), z.refine(validQuery, 'Введите от 3 до 11 цифр СНИЛС или не меньше двух букв фамилии')),
});
type Values = z.infer<typeof schema>;

/** The register of recipients: a person found by SNILS or name within the worker's region. */
export function RecipientSearchPage() {
  const region = useWorkerRegion();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const searching = validQuery(q);
  const districts = useDistricts();
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { q } });
  const { reset } = form;
  useEffect(() => reset({ q }), [q, reset]);
  const query = $certificates.useQuery('get', '/v1/recipients', { params: { query: { region_code: region, q: q.trim(), limit: 50 } } }, { enabled: searching });

  const submit = form.handleSubmit(
    (values) => setParams({ q: values.q.trim() }),
    () => document.getElementById(FIELD_ID)?.focus(),
  );

  return (
    <DeskPage title="Реестр получателей" lead="Поиск получателя социальных услуг вашего региона по СНИЛС или фамилии, имени и отчеству.">
      <Text as="p">
        <RouterLink to="/caseworker/recipients/new">Зарегистрировать нового получателя</RouterLink>
      </Text>
      <form onSubmit={submit} noValidate role="search" aria-label="Поиск получателя" className="desk-search">
        <FormTextField
          control={form.control}
          name="q"
          id={FIELD_ID}
          type="search"
          label="СНИЛС или ФИО"
          hint="Например, 112-233-445 95, или «Иванова Мария»: фамилия, затем начало имени или отчества."
          autoComplete="off"
        />
        <div>
          <Button type="submit" view="action" size="l">
            Найти
          </Button>
        </div>
      </form>
      {searching ? (
        <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {query.data ? (
            query.data.items.length === 0 ? (
              <EmptyState title="Никого не нашли">
                Проверьте СНИЛС или написание фамилии. Ищут только среди получателей вашего региона; нового получателя зарегистрируйте по его заявлению.
              </EmptyState>
            ) : (
              <ScrollTable caption={query.data.items.length === 50 ? 'Показаны первые 50 получателей — уточните запрос' : `Найдено получателей: ${query.data.items.length}`}>
                <thead>
                  <tr>
                    <th scope="col">ФИО</th>
                    <th scope="col">СНИЛС</th>
                    <th scope="col">Дата рождения</th>
                    <th scope="col">Район</th>
                  </tr>
                </thead>
                <tbody>
                  {query.data.items.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <RouterLink to={`/caseworker/recipients/${r.id}`}>{fullName(r)}</RouterLink>
                      </td>
                      <td className="nowrap">{formatSnils(r.snils)}</td>
                      <td>{formatDate(r.birth_date)}</td>
                      <td>{districtName(r.district_code, districts.options)}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            )
          ) : null}
        </PageState>
      ) : (
        <Text color="secondary">Введите СНИЛС или фамилию и нажмите «Найти».</Text>
      )}
    </DeskPage>
  );
}
