import { $registry } from '../../api/client';

/** A provider's short name from the registry (its id until it arrives). */
export function ProviderName({ id }: { id: string }) {
  const provider = $registry.useQuery('get', '/v1/providers/{id}', { params: { path: { id } } }, { staleTime: 5 * 60_000 });
  return <>{provider.data ? (provider.data.short_name ?? provider.data.name) : `Поставщик ${id.slice(0, 8)}`}</>;
}
