import { Card, Label, Link, Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { Money } from '../../components/Money';
import { PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate } from '../../format/date';
import { accessibilityLabel, FORM_LABELS, FUNDING_LABELS, providerTypeLabel, ratingText, unitCount, unitLabel } from './dictionary';
import { districtOf, territoryText, useDistricts, type DistrictOption } from './lookups';

type PublicProvider = RegistrySchemas['PublicProvider'];

/** +79021234567 → +7 902 123-45-67, as people read and dial it. */
function phoneText(phone: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : phone;
}

export function ProviderPage() {
  const { id = '' } = useParams();
  const query = $registry.useQuery('get', '/v1/providers/{id}/public', { params: { path: { id } } });
  const districts = useDistricts();
  const notFound = query.error ? toProblem(query.error).status === 404 : false;
  const title = query.data?.name ?? (query.error ? (notFound ? 'Поставщик не найден' : 'Не удалось открыть страницу поставщика') : 'Поставщик');
  usePageTitle(query.data?.short_name ?? title);
  return (
    <div className="navigator stack">
      <Text color="secondary">
        <RouterLink to="/providers">Все поставщики</RouterLink>
      </Text>
      <Text as="h1" variant="header-2" className="page-title overflow-safe">
        {title}
      </Text>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {query.data ? <ProviderDetails provider={query.data} districts={districts.options} /> : null}
      </PageState>
      {notFound ? <Text>Возможно, поставщик больше не оказывает услуги по сертификату. Посмотрите других в <RouterLink to="/providers">списке поставщиков</RouterLink>.</Text> : null}
    </div>
  );
}

function ProviderDetails({ provider, districts }: { provider: PublicProvider; districts: DistrictOption[] }) {
  return (
    <article className="stack" style={{ gap: 24 }}>
      <div className="stack" style={{ gap: 8 }}>
        <div className="row" style={{ gap: 8 }}>
          <Label theme="normal" size="m">
            {providerTypeLabel(provider.type)}
          </Label>
          <Text>{provider.legal_form}</Text>
        </div>
        <Text>
          <span className="muted">Рейтинг по оценкам получателей: </span>
          {ratingText(provider.rating, provider.rating_count)}
        </Text>
        <Text color="secondary">{FUNDING_LABELS[provider.funding_mode]}.</Text>
      </div>

      <section aria-labelledby="services" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="services">
          Услуги, свободные места и стоимость
        </Text>
        <Text>Стоимость — норматив за единицу услуги, который оплачивает сертификат; для вас он может быть умножен на коэффициенты.</Text>
        <ul className="provider-list">
          {provider.services.map((s) => (
            <li key={`${s.service_code}-${s.form}`}>
              <Card view="outlined" className="card-pad stack" style={{ gap: 8 }}>
                <Text as="h3" variant="subheader-3" className="nav-heading overflow-safe">
                  <RouterLink to={`/services/${encodeURIComponent(s.service_code)}`}>{s.name}</RouterLink>
                </Text>
                <dl className="terms">
                  <dt>Форма</dt>
                  <dd>{FORM_LABELS[s.form]}</dd>
                  <dt>Стоимость</dt>
                  <dd>
                    {s.tariff ? (
                      <>
                        <Money amount={s.tariff} /> за {unitLabel(s.unit)}
                      </>
                    ) : (
                      'пока не утверждена'
                    )}
                  </dd>
                  <dt>Свободно в месяц</dt>
                  <dd>{s.free_capacity > 0 ? `${unitCount(s.free_capacity, s.unit)} из ${s.capacity_per_month}` : `свободных мест нет (всего ${s.capacity_per_month})`}</dd>
                  <dt>Где оказывает</dt>
                  <dd>{territoryText(s.admitted_territory, districts)}</dd>
                  <dt>Допуск</dt>
                  <dd>
                    <Admission admission={s.admission} />
                  </dd>
                </dl>
              </Card>
            </li>
          ))}
        </ul>
        <Text>
          Чтобы записаться, <RouterLink to="/cabinet/certificates">откройте свой сертификат в личном кабинете</RouterLink> и выберите этого поставщика.
        </Text>
      </section>

      <section aria-labelledby="addresses" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="addresses">
          {provider.locations.length > 1 ? 'Адреса' : 'Адрес'}
        </Text>
        <ul className="plain-list">
          {provider.locations.map((l) => {
            const district = districtOf(l.district_code, districts);
            return (
              <li key={`${l.address}-${l.lat}-${l.lon}`} className="overflow-safe">
                {l.address}
                {district ? <span className="muted"> · {district.name}</span> : null}
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="accessibility" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="accessibility">
          Доступность для людей с инвалидностью
        </Text>
        {provider.accessibility.length ? (
          <ul className="plain-list">
            {provider.accessibility.map((a) => (
              <li key={a}>{accessibilityLabel(a)}</li>
            ))}
          </ul>
        ) : (
          <Text>Поставщик не сообщил об условиях доступности. Уточните по телефону.</Text>
        )}
      </section>

      <section aria-labelledby="contacts" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="contacts">
          Контакты
        </Text>
        <dl className="terms">
          <dt>Телефон</dt>
          <dd>
            <Link href={`tel:${provider.contacts.phone}`}>{phoneText(provider.contacts.phone)}</Link>
          </dd>
          <dt>Электронная почта</dt>
          <dd>
            <Link href={`mailto:${provider.contacts.email}`}>{provider.contacts.email}</Link>
          </dd>
          {provider.contacts.website ? (
            <>
              <dt>Сайт</dt>
              <dd>
                <Link href={provider.contacts.website} target="_blank" rel="noopener noreferrer">
                  {provider.contacts.website.replace(/^https?:\/\//, '')} (откроется в новой вкладке)
                </Link>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
    </article>
  );
}

function Admission({ admission }: { admission: PublicProvider['services'][number]['admission'] }) {
  const when = admission.admitted_at ? `с ${formatDate(admission.admitted_at)}` : null;
  if (admission.round_id && admission.round_title) {
    return (
      <>
        {when ? `${when}, ` : ''}по итогам отбора <RouterLink to={`/rounds/${admission.round_id}`}>«{admission.round_title}»</RouterLink>
      </>
    );
  }
  return <>{when ? `Допущен ${when}` : 'Допущен'}</>;
}
