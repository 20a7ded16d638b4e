import { useEffect, useState } from 'react';
import { Button, Card, Text } from '@gravity-ui/uikit';
import { NativeSelect } from '../../components/NativeSelect';
import { useNavigate } from 'react-router';
import { usePageTitle } from '../../app/usePageTitle';
import { RouterLink } from '../../components/RouterLink';
import { useSession } from '../../session/SessionProvider';
import { useCatalog, useDistricts } from './lookups';
import { changeFilters, DEFAULT_FILTERS, serializeFilters } from './provider-filters';

const ANY = 'any';

const SECTIONS = [
  { to: '/services', title: 'Услуги', text: 'Что входит в каждую услугу, кто может её получить, какие нужны документы и сколько она стоит.' },
  { to: '/providers', title: 'Поставщики', text: 'Организации и предприниматели, у которых можно получить услугу по сертификату: рейтинг, свободные места, адреса.' },
  { to: '/providers?view=map', title: 'Поставщики на карте', text: 'Те же поставщики на схеме районов области.' },
  { to: '/situations', title: 'Жизненные ситуации', text: 'Что делать и куда обращаться, если случилось важное: рождение ребёнка, инсульт у близкого, инвалидность.' },
  { to: '/rounds', title: 'Отборы поставщиков', text: 'Как организации попадают в перечень поставщиков: открытые отборы и их итоги.' },
];

/** Most visitors go on to the provider search: its code is fetched once the home page is idle. */
function usePrefetchProviderSearch() {
  useEffect(() => {
    const prefetch = () => void import('./ProvidersPage');
    if ('requestIdleCallback' in window) {
      const id = window.requestIdleCallback(prefetch, { timeout: 3000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(prefetch, 1000);
    return () => clearTimeout(timer);
  }, []);
}

/** The region's «single window»: what the certificate is, how to use it, and where to start. */
export function HomePage() {
  usePageTitle('Навигатор социальных услуг');
  const { session } = useSession();
  usePrefetchProviderSearch();
  return (
    <div className="navigator stack" style={{ gap: 32 }}>
      <div className="stack">
        <Text as="h1" variant="header-2" className="page-title">
          Навигатор социальных услуг
        </Text>
        <Text variant="body-3">
          Социальный сертификат — это электронный документ, который оплачивает социальные услуги: помощь на дому, уход, реабилитацию и другие. С ним вы
          сами выбираете, кто будет оказывать услугу: государственный центр, некоммерческая организация или социальный предприниматель. Деньги
          поставщику перечисляет область — вы платите только часть, если это положено по закону.
        </Text>
      </div>

      <section aria-labelledby="quick-search-title" className="stack">
        <Text as="h2" variant="header-1" id="quick-search-title">
          Найти поставщика
        </Text>
        <QuickSearch />
      </section>

      <section aria-labelledby="how-title" className="stack">
        <Text as="h2" variant="header-1" id="how-title">
          Как получить услугу по сертификату
        </Text>
        <ol className="how-steps">
          <li>
            <Text as="h3" variant="subheader-2">
              Подайте заявление
            </Text>
            <Text as="p">
              В комплексный центр социального обслуживания, МФЦ или через Госуслуги. Нуждаемость в услугах признают не позднее 5 рабочих дней.
            </Text>
          </li>
          <li>
            <Text as="h3" variant="subheader-2">
              Получите программу и сертификат
            </Text>
            <Text as="p">
              Индивидуальную программу составят не позднее 10 рабочих дней после заявления. Сертификат появится в личном кабинете.
            </Text>
          </li>
          <li>
            <Text as="h3" variant="subheader-2">
              Выберите поставщика
            </Text>
            <Text as="p">Сравните поставщиков по рейтингу, адресу, свободным местам и доступности и запишитесь к тому, кто вам подходит.</Text>
          </li>
          <li>
            <Text as="h3" variant="subheader-2">
              Получайте услуги и подтверждайте их
            </Text>
            <Text as="p">После каждой услуги подтвердите её в кабинете. Оплата поставщику идёт только за то, что вы подтвердили.</Text>
          </li>
        </ol>
      </section>

      <section aria-labelledby="sections-title" className="stack">
        <Text as="h2" variant="header-1" id="sections-title">
          Разделы навигатора
        </Text>
        <ul className="grid-cards plain-grid">
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <Card view="outlined" className="card-pad stack" style={{ gap: 8, height: '100%' }}>
                <Text as="h3" variant="subheader-3" className="nav-heading">
                  <RouterLink to={section.to}>{section.title}</RouterLink>
                </Text>
                <Text>{section.text}</Text>
              </Card>
            </li>
          ))}
          <li>
            <Card view="outlined" className="card-pad stack" style={{ gap: 8, height: '100%' }}>
              <Text as="h3" variant="subheader-3" className="nav-heading">
                <RouterLink to={session ? '/cabinet/certificates' : '/sign-in'}>Личный кабинет</RouterLink>
              </Text>
              <Text>
                {session
                  ? 'Ваши сертификаты, записи к поставщикам, акты об оказанных услугах и обращения.'
                  : 'Войдите, чтобы увидеть свои сертификаты, записаться к поставщику и подтвердить оказанные услуги.'}
              </Text>
            </Card>
          </li>
        </ul>
      </section>
    </div>
  );
}

function QuickSearch() {
  const navigate = useNavigate();
  const catalog = useCatalog();
  const districts = useDistricts();
  const [service, setService] = useState(ANY);
  const [district, setDistrict] = useState(ANY);
  return (
    <form
      className="quick-search"
      aria-labelledby="quick-search-title"
      onSubmit={(event) => {
        event.preventDefault();
        const search = serializeFilters(changeFilters(DEFAULT_FILTERS, { service: service === ANY ? null : service, district: district === ANY ? null : district }));
        navigate(`/providers${search ? `?${search}` : ''}`);
      }}
    >
      <div className="field">
        <label htmlFor="quick-service" className="field__label">
          Услуга
        </label>
        <NativeSelect
          id="quick-service"
          size="xl"
          value={service}
          onChange={setService}
          options={[{ value: ANY, label: 'Любая услуга' }, ...catalog.services.map((s) => ({ value: s.code, label: s.name }))]}
        />
      </div>
      <div className="field">
        <label htmlFor="quick-district" className="field__label">
          Район или городской округ
        </label>
        <NativeSelect
          id="quick-district"
          size="xl"
          value={district}
          onChange={setDistrict}
          options={[{ value: ANY, label: 'Вся область' }, ...districts.options.map((d) => ({ value: d.oktmo, label: d.name }))]}
        />
      </div>
      <Button type="submit" view="action" size="xl">
        Найти
      </Button>
    </form>
  );
}
