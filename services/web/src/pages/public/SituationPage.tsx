import { Card, Label, Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { ActionLink } from '../../components/ActionLink';
import { PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { FORM_LABELS, REGION } from './dictionary';

type Step = RegistrySchemas['LifeSituationStep'];

/** One life situation: its steps in order, the social services among them and the other measures. */
export function SituationPage() {
  const { code = '' } = useParams();
  const situation = $registry.useQuery('get', '/v1/life-situations/{code}', { params: { path: { code }, query: { region: REGION } } });
  const data = situation.data;
  const title = data?.title ?? (situation.error ? (toProblem(situation.error).status === 404 ? 'Жизненная ситуация не найдена' : 'Не удалось открыть жизненную ситуацию') : 'Жизненная ситуация');
  usePageTitle(title);
  return (
    <div className="navigator stack">
      <Text color="secondary">
        <RouterLink to="/situations">Все жизненные ситуации</RouterLink>
      </Text>
      <Text as="h1" variant="header-2" className="page-title overflow-safe">
        {title}
      </Text>
      <PageState loading={situation.isPending} error={situation.error} retry={() => void situation.refetch()}>
        {data ? (
          <article className="stack" style={{ gap: 24 }}>
            <Text variant="body-2">{data.summary}</Text>
            <section aria-labelledby="steps-title" className="stack">
              <Text as="h2" variant="header-1" id="steps-title">
                Что делать по шагам
              </Text>
              <ol className="steps">
                {[...data.steps]
                  .sort((a, b) => a.order - b.order)
                  .map((step) => (
                    <li key={step.order}>
                      <StepCard step={step} />
                    </li>
                  ))}
              </ol>
            </section>
          </article>
        ) : null}
      </PageState>
    </div>
  );
}

function StepCard({ step }: { step: Step }) {
  const service = step.service;
  return (
    <Card view="outlined" className="card-pad stack" style={{ gap: 8 }}>
      <Text as="h3" variant="subheader-3" className="nav-heading overflow-safe">
        Шаг {step.order}. {step.title}
      </Text>
      <div className="row" style={{ gap: 8 }}>
        <Label theme={step.kind === 'catalog_service' ? 'info' : 'normal'} size="m">
          {step.kind === 'catalog_service' ? 'Социальная услуга по сертификату' : 'Другая мера поддержки'}
        </Label>
        {step.proactive ? (
          <Label theme="success" size="m">
            Назначается без заявления
          </Label>
        ) : null}
      </div>
      <Text className="prose-text">{step.description}</Text>
      <dl className="terms">
        <dt>Кто предоставляет</dt>
        <dd>{step.agency}</dd>
        <dt>Куда обращаться</dt>
        <dd className="prose-text">{step.where}</dd>
        <dt>С чего начать</dt>
        <dd className="prose-text">{step.how_to_start}</dd>
        {step.documents.length ? (
          <>
            <dt>Документы</dt>
            <dd>
              <ul className="plain-list" style={{ margin: 0 }}>
                {step.documents.map((doc) => (
                  <li key={doc}>{doc}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {service ? (
          <>
            <dt>Услуга</dt>
            <dd>
              <RouterLink to={`/services/${encodeURIComponent(service.code)}`}>{service.name}</RouterLink> ({FORM_LABELS[service.form].toLowerCase()})
            </dd>
          </>
        ) : null}
      </dl>
      {service ? (
        <div className="row">
          <ActionLink to={`/providers?service=${encodeURIComponent(service.code)}`} view="outlined" size="m">
            Найти поставщика<span className="visually-hidden"> услуги «{service.name}»</span>
          </ActionLink>
        </div>
      ) : step.service_code ? (
        <div className="row">
          <RouterLink to={`/services/${encodeURIComponent(step.service_code)}`}>Об услуге</RouterLink>
        </div>
      ) : null}
    </Card>
  );
}
