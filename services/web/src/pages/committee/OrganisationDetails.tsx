import { Text } from '@gravity-ui/uikit';
import { $registry, type RegistrySchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime } from '../../format/date';
import { accessibilityLabel, providerTypeLabel } from '../public/dictionary';
import { PROVIDER_STATUS } from './labels';
import { Status } from './ui';

type Provider = RegistrySchemas['Provider'];

const DECLARATIONS: Record<string, string> = {
  no_tax_arrears: 'Нет недоимки по налогам',
  not_bankrupt: 'Не в процедуре банкротства',
  not_liquidating: 'Не ликвидируется',
  not_unscrupulous_supplier: 'Нет в реестре недобросовестных поставщиков',
};

const MEDIA: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} КБ` : `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;
}

/** The organisation's registry data as the committee weighs it: identity, places, licences, declarations with their documents. */
export function OrganisationDetails({ provider, headingLevel = 2 }: { provider: Provider; headingLevel?: 2 | 3 }) {
  const H = `h${headingLevel}` as 'h2';
  const H2 = `h${headingLevel + 1}` as 'h3';
  return (
    <section aria-labelledby="organisation-title" className="stack">
      <Text as={H} variant="header-1" id="organisation-title">
        Организация
      </Text>
      <Definitions
        items={[
          { term: 'Полное наименование', value: provider.name },
          { term: 'Тип', value: `${providerTypeLabel(provider.type)}, ${provider.legal_form}` },
          { term: 'Статус в реестре', value: <Status tone={PROVIDER_STATUS[provider.status].tone}>{PROVIDER_STATUS[provider.status].label}</Status> },
          { term: 'ИНН / КПП', value: `${provider.inn}${provider.kpp ? ` / ${provider.kpp}` : ''}` },
          { term: provider.ogrn.length === 15 ? 'ОГРНИП' : 'ОГРН', value: provider.ogrn },
          { term: 'Дата регистрации', value: formatDate(provider.registered_at) },
          { term: 'Контакты', value: [provider.contacts?.phone, provider.contacts?.email, provider.contacts?.contact_person].filter(Boolean).join(', ') },
          { term: 'Условия доступности', value: provider.accessibility?.length ? provider.accessibility.map(accessibilityLabel).join(', ') : 'не указаны' },
        ]}
      />
      <Text as={H2} variant="subheader-3">
        Места оказания услуг
      </Text>
      <ul className="plain-list">
        {(provider.locations ?? []).map((l) => (
          <li key={`${l.address}-${l.district_code}`}>
            {l.address} (ОКТМО {l.district_code})
          </li>
        ))}
      </ul>
      <Text as={H2} variant="subheader-3">
        Лицензии
      </Text>
      {provider.licences?.length ? (
        <ul className="plain-list">
          {provider.licences.map((l) => (
            <li key={l.number}>
              № {l.number}, {l.issued_by}, от {formatDate(l.issued_at)}
              {l.valid_until ? ` до ${formatDate(l.valid_until)}` : ', бессрочная'} — услуги {l.service_codes.join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <Text as="p">Лицензий не указано.</Text>
      )}
      <Text as={H2} variant="subheader-3">
        Заявления и подтверждающие документы
      </Text>
      <ul className="plain-list">
        {Object.entries(DECLARATIONS).map(([code, label]) => {
          const d = provider.declarations?.[code as keyof NonNullable<Provider['declarations']>];
          return (
            <li key={code}>
              {label}: {!d?.declared ? 'заявление не подано' : d.document ? `${d.document.kind} № ${d.document.number} от ${formatDate(d.document.issued_at)}` : 'заявлено без документа'}
            </li>
          );
        })}
      </ul>
      <ProviderDocuments providerId={provider.id} headingLevel={headingLevel + 1} />
    </section>
  );
}

function ProviderDocuments({ providerId, headingLevel }: { providerId: string; headingLevel: number }) {
  const documents = $registry.useQuery('get', '/v1/providers/{id}/documents', { params: { path: { id: providerId } } });
  return (
    <>
      <Text as={`h${headingLevel}` as 'h3'} variant="subheader-3">
        Загруженные документы
      </Text>
      <PageState loading={documents.isPending} error={documents.error} retry={() => void documents.refetch()}>
        {documents.data?.items.length === 0 ? (
          <EmptyState title="Документов не загружено" />
        ) : (
          <ScrollTable caption="Загруженные документы поставщика" captionHidden>
            <thead>
              <tr>
                <th scope="col">Документ</th>
                <th scope="col">Действует до</th>
                <th scope="col">Загружен</th>
              </tr>
            </thead>
            <tbody>
              {documents.data?.items.map((d) => (
                <tr key={d.id}>
                  <td className="overflow-safe">
                    <a className="g-link g-link_view_normal" href={`/api/registry/v1/providers/${providerId}/documents/${d.id}/content`} target="_blank" rel="noreferrer">
                      {d.title} ({MEDIA[d.media_type] ?? d.media_type}, {sizeText(d.size_bytes)})
                    </a>
                  </td>
                  <td>{d.valid_until ? formatDate(d.valid_until) : 'бессрочно'}</td>
                  <td>{formatDateTime(d.uploaded_at)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </PageState>
    </>
  );
}
