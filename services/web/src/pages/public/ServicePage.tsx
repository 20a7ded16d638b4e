import { Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { toProblem } from '../../api/problem';
import { usePageTitle } from '../../app/usePageTitle';
import { ActionLink } from '../../components/ActionLink';
import { Money } from '../../components/Money';
import { PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate, plural } from '../../format/date';
import { COEFFICIENT_KIND_LABELS, FORM_LABELS, KIND_LABELS, REGION, unitCount, unitLabel } from './dictionary';
import type { CatalogService } from './lookups';

const workingDays = (n: number) => `${n} ${plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}`;
const factorText = (factor: string) => factor.replace('.', ',');

export function ServicePage() {
  const { code = '' } = useParams();
  const query = $registry.useQuery('get', '/v1/catalog/services/{code}', { params: { path: { code }, query: { region: REGION } } });
  const title = query.data?.name ?? (query.error ? (toProblem(query.error).status === 404 ? 'Услуга не найдена' : 'Не удалось открыть услугу') : 'Услуга');
  usePageTitle(title);
  return (
    <div className="navigator stack">
      <Text color="secondary">
        <RouterLink to="/services">Все услуги</RouterLink>
        {query.data ? ` · ${KIND_LABELS[query.data.kind]}` : null}
      </Text>
      <Text as="h1" variant="header-2" className="page-title overflow-safe">
        {title}
      </Text>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {query.data ? <ServiceDetails service={query.data} /> : null}
      </PageState>
    </div>
  );
}

function ServiceDetails({ service }: { service: CatalogService }) {
  const deadlines = service.deadlines ?? { assessment_working_days: 5, programme_working_days: 10, text: '' };
  const coefficients = service.coefficients ?? [];
  const providersLink = `/providers?service=${encodeURIComponent(service.code)}`;
  return (
    <article className="stack" style={{ gap: 24 }}>
      <div className="stack" style={{ gap: 8 }}>
        <Text>
          {FORM_LABELS[service.form]} · оплачивается за {unitLabel(service.unit)}
        </Text>
        <div className="row">
          <ActionLink to={providersLink}>Найти поставщика</ActionLink>
        </div>
      </div>

      <section aria-labelledby="what" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="what">
          Что это за услуга
        </Text>
        {service.description ? <Text className="prose-text">{service.description}</Text> : null}
        <dl className="terms">
          <dt>Что входит</dt>
          <dd className="prose-text">{service.standard.content}</dd>
          <dt>Кто оказывает</dt>
          <dd>{service.standard.staff_qualification}</dd>
          <dt>Сколько можно получить</dt>
          <dd>до {unitCount(service.standard.max_volume_per_month, service.unit)} в месяц — точный объём указывают в вашей индивидуальной программе</dd>
          {service.standard.equipment ? (
            <>
              <dt>Оборудование</dt>
              <dd>{service.standard.equipment}</dd>
            </>
          ) : null}
          {service.licence_required ? (
            <>
              <dt>Лицензия</dt>
              <dd>Поставщик должен иметь лицензию на эту деятельность</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="who" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="who">
          Кто может получить
        </Text>
        <Text className="prose-text">
          {service.eligibility ??
            'Граждане, признанные нуждающимися в социальном обслуживании: например, если человек частично или полностью утратил способность обслуживать себя из-за болезни, травмы, возраста или инвалидности.'}
        </Text>
      </section>

      <section aria-labelledby="documents" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="documents">
          Какие нужны документы
        </Text>
        {service.documents.length ? (
          <ul className="plain-list">
            {service.documents.map((doc) => (
              <li key={doc}>{doc}</li>
            ))}
          </ul>
        ) : (
          <Text>Паспорт и СНИЛС; остальные документы подскажут при подаче заявления.</Text>
        )}
      </section>

      <section aria-labelledby="how" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="how">
          Куда и как обратиться
        </Text>
        <Text className="prose-text">
          {service.procedure ??
            'Подайте заявление о предоставлении социального обслуживания в комплексный центр социального обслуживания населения по месту жительства, в МФЦ или через портал Госуслуг. Заявление может подать и ваш представитель.'}
        </Text>
      </section>

      <section aria-labelledby="deadlines" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="deadlines">
          Сроки
        </Text>
        <ul className="plain-list">
          <li>
            Решение о том, нуждаетесь ли вы в социальном обслуживании, — не позднее {workingDays(deadlines.assessment_working_days)} со дня заявления.
          </li>
          <li>Индивидуальная программа социального обслуживания — не позднее {workingDays(deadlines.programme_working_days)} со дня заявления.</li>
        </ul>
        {deadlines.text ? <Text className="prose-text">{deadlines.text}</Text> : null}
        <Text color="secondary">Сроки установлены Федеральным законом № 442-ФЗ «Об основах социального обслуживания граждан в Российской Федерации».</Text>
      </section>

      <section aria-labelledby="cost" className="stack" style={{ gap: 8 }}>
        <Text as="h2" variant="header-1" id="cost">
          Сколько стоит
        </Text>
        {service.current_cost ? (
          <Text>
            Нормативная стоимость: <Money amount={service.current_cost.amount} /> за {unitLabel(service.unit)} (действует с{' '}
            {formatDate(service.current_cost.valid_from)}). Эту сумму область платит поставщику из вашего сертификата; с учётом коэффициентов ниже сумма
            за вас может быть больше.
          </Text>
        ) : (
          <Text>Нормативная стоимость этой услуги в области пока не утверждена.</Text>
        )}
        {coefficients.length ? (
          <>
            <Text as="h3" variant="subheader-2">
              Коэффициенты
            </Text>
            <Text>Стоимость умножается на коэффициенты, которые относятся к вам, и округляется до копейки один раз.</Text>
            <div className="table-scroll">
              <table className="nav-table">
                <caption className="visually-hidden">Коэффициенты к нормативной стоимости</caption>
                <thead>
                  <tr>
                    <th scope="col">Когда применяется</th>
                    <th scope="col">Вид</th>
                    <th scope="col" className="num">
                      Множитель
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {coefficients.map((c) => (
                    <tr key={c.code}>
                      <td>{c.name}</td>
                      <td>{COEFFICIENT_KIND_LABELS[c.kind]}</td>
                      <td className="num">×&nbsp;{factorText(c.factor)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
        <Text color="secondary">
          Часть стоимости может оплачивать получатель — это зависит от дохода и указывается в договоре. Бесплатно услуги получают, например, несовершеннолетние
          и люди с доходом ниже полуторной величины прожиточного минимума.
        </Text>
      </section>

      <div className="row">
        <ActionLink to={providersLink}>Найти поставщика</ActionLink>
      </div>
    </article>
  );
}
