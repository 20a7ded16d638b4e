import { Card, Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { FORM_LABELS, KIND_LABELS, unitLabel, type ServiceKind } from './dictionary';
import { useCatalog, type CatalogService } from './lookups';

/** The catalog grouped by kind of help, each service with its form and today's cost per unit. */
export function ServicesPage() {
  usePageTitle('Социальные услуги');
  const catalog = useCatalog();
  const groups = (Object.keys(KIND_LABELS) as ServiceKind[])
    .map((kind) => ({ kind, services: catalog.services.filter((s) => s.kind === kind) }))
    .filter((g) => g.services.length > 0);
  return (
    <div className="navigator stack">
      <Text as="h1" variant="header-2" className="page-title">
        Социальные услуги
      </Text>
      <Text>
        Услуги, которые можно получить по социальному сертификату в Ульяновской области. Откройте услугу, чтобы узнать, кто может её получить, какие
        нужны документы и куда обращаться.
      </Text>
      <PageState loading={catalog.isPending} error={catalog.error} retry={() => void catalog.refetch()}>
        {groups.length === 0 ? (
          <EmptyState title="Услуг пока нет">Каталог услуг ещё не заполнен. Загляните позже или позвоните на горячую линию.</EmptyState>
        ) : (
          groups.map((group) => (
            <section key={group.kind} aria-labelledby={`kind-${group.kind}`} className="stack">
              <Text as="h2" variant="header-1" id={`kind-${group.kind}`}>
                {KIND_LABELS[group.kind]}
              </Text>
              <ul className="grid-cards plain-grid">
                {group.services.map((service) => (
                  <li key={service.code}>
                    <ServiceCard service={service} />
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </PageState>
    </div>
  );
}

function ServiceCard({ service }: { service: CatalogService }) {
  return (
    <Card view="outlined" className="card-pad stack" style={{ gap: 8, height: '100%' }}>
      <Text as="h3" variant="subheader-3" className="nav-heading overflow-safe">
        <RouterLink to={`/services/${encodeURIComponent(service.code)}`}>{service.name}</RouterLink>
      </Text>
      <Text color="secondary">{FORM_LABELS[service.form]}</Text>
      {service.description ? <Text className="overflow-safe">{service.description}</Text> : null}
      <Text>
        {service.current_cost ? (
          <>
            Стоимость: <Money amount={service.current_cost.amount} /> за {unitLabel(service.unit)}
          </>
        ) : (
          'Стоимость пока не утверждена'
        )}
      </Text>
    </Card>
  );
}
