import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { Button, Text } from '@gravity-ui/uikit';
import { useSearchParams } from 'react-router';
import { $registry } from '../../api/client';
import { NativeSelect } from '../../components/NativeSelect';
import { FormTextField } from '../../components/FormTextField';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDateTime } from '../../format/date';
import { providerTypeLabel } from '../public/dictionary';
import { PROVIDER_STATUS, type ProviderStatus } from './labels';
import { CommitteePage, Status } from './ui';

const STATUS_OPTIONS = [{ value: '', label: 'Все статусы' }, ...Object.entries(PROVIDER_STATUS).map(([value, s]) => ({ value, label: s.label }))];

const searchSchema = z.object({ q: z.string().check(z.maxLength(200, 'Не длиннее 200 знаков')) });

/** The region's registry in every status, found by name or INN; the filters stay in the address. */
export function ProvidersPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const form = useForm<{ q: string }>({ resolver: standardSchemaResolver(searchSchema), defaultValues: { q } });
  const providers = $registry.useQuery('get', '/v1/registry/providers', { params: { query: { ...(status ? { status } : {}), ...(q ? { q } : {}) } } });
  const apply = (next: { status?: string; q?: string }) => {
    const merged = { status, q, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)), { replace: true });
  };
  return (
    <CommitteePage title="Реестр поставщиков" back={{ to: '/committee', label: 'Кабинет комиссии' }} lead="Поставщики региона во всех статусах. Откройте поставщика, чтобы приостановить или исключить его с указанием причины и увидеть историю статусов.">
      <form
        role="search"
        aria-label="Поиск поставщиков"
        className="committee-filters"
        onSubmit={form.handleSubmit((values) => apply({ q: values.q.trim() }))}
      >
        <FormTextField control={form.control} name="q" id="providers-q" label="Наименование или ИНН" type="search" />
        <div className="field">
          <label htmlFor="providers-status" className="field__label">
            Статус
          </label>
          <NativeSelect id="providers-status" value={status} options={STATUS_OPTIONS} onChange={(value) => apply({ status: value })} />
        </div>
        <Button type="submit" view="action" size="l">
          Найти
        </Button>
      </form>
      <PageState loading={providers.isPending} error={providers.error} retry={() => void providers.refetch()}>
        {providers.data?.items.length === 0 ? (
          <EmptyState title="Поставщики не найдены">Измените наименование, ИНН или статус.</EmptyState>
        ) : (
          <>
            <Text as="p" aria-live="polite">
              Найдено: {providers.data?.items.length ?? 0}
            </Text>
            <ScrollTable caption="Поставщики региона" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Поставщик</th>
                  <th scope="col">ИНН</th>
                  <th scope="col">Тип</th>
                  <th scope="col">Статус</th>
                  <th scope="col">Изменён</th>
                </tr>
              </thead>
              <tbody>
                {providers.data?.items.map((p) => (
                  <tr key={p.id}>
                    <td className="overflow-safe">
                      <RouterLink to={`/committee/providers/${p.id}`}>{p.short_name ?? p.name}</RouterLink>
                    </td>
                    <td>{p.inn}</td>
                    <td>{providerTypeLabel(p.type)}</td>
                    <td>
                      <Status tone={PROVIDER_STATUS[p.status as ProviderStatus].tone}>{PROVIDER_STATUS[p.status as ProviderStatus].label}</Status>
                    </td>
                    <td>{formatDateTime(p.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </>
        )}
      </PageState>
    </CommitteePage>
  );
}
