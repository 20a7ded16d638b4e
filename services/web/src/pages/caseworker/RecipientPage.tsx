import { useState } from 'react';
import { Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { $certificates, $registry, type CertificatesSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime } from '../../format/date';
import { CERTIFICATE_TONE, Status } from '../citizen/cabinet';
import { CERTIFICATE_STATUS, historyStatus, HISTORY_KIND } from '../citizen/labels';
import { CABINET_SECTIONS } from '../citizen/ActingForPanel';
import { useDistricts } from '../public/lookups';
import { ASSESSMENT_STATE, DeskPage, districtName, formatSnils, fullName, useWorkerRegion } from './desk';

type Recipient = CertificatesSchemas['Recipient'];

/** The recipient's card: who they are, household and incomes, categories, assessments, certificates and history. */
export function RecipientPage() {
  const { id = '' } = useParams();
  const recipient = $certificates.useQuery('get', '/v1/recipients/{id}', { params: { path: { id } } });
  const title = recipient.data ? fullName(recipient.data) : 'Карточка получателя';
  return (
    <DeskPage title={title}>
      <Text as="p">
        <RouterLink to="/caseworker/recipients">К поиску получателей</RouterLink>
      </Text>
      <PageState loading={recipient.isPending} error={recipient.error} retry={() => void recipient.refetch()}>
        {recipient.data ? <RecipientCard recipient={recipient.data} /> : null}
      </PageState>
    </DeskPage>
  );
}

function RecipientCard({ recipient }: { recipient: Recipient }) {
  const districts = useDistricts();
  const coefficients = $registry.useQuery('get', '/v1/catalog/coefficients', {}, { staleTime: Infinity });
  const categoryName = (code: string) => coefficients.data?.items.find((c) => c.code === code)?.name ?? code;
  const income = recipient.per_capita_income;
  return (
    <>
      <section aria-labelledby="person-title" className="stack">
        <Text as="h2" variant="header-1" id="person-title">
          Сведения о получателе
        </Text>
        <Definitions
          items={[
            { term: 'СНИЛС', value: formatSnils(recipient.snils) },
            { term: 'Дата рождения', value: formatDate(recipient.birth_date) },
            { term: 'Район', value: districtName(recipient.district_code, districts.options) },
            { term: 'Адрес', value: recipient.address },
            { term: 'Телефон', value: recipient.phone ?? 'не указан' },
            {
              term: 'Категории',
              value: recipient.categories.length ? (
                <ul className="plain-list">
                  {recipient.categories.map((code) => (
                    <li key={code}>{categoryName(code)}</li>
                  ))}
                </ul>
              ) : (
                'не указаны'
              ),
            },
          ]}
        />
      </section>

      <section aria-labelledby="income-title" className="stack">
        <Text as="h2" variant="header-1" id="income-title">
          Доходы и состав семьи
        </Text>
        <Text as="p">
          <RouterLink to={`/caseworker/recipients/${recipient.id}/edit`}>Изменить адрес, доходы, категории или состав семьи</RouterLink>
        </Text>
        <ScrollTable caption="Доходы членов семьи в месяц">
          <thead>
            <tr>
              <th scope="col">Кто</th>
              <th scope="col">ФИО</th>
              <th scope="col">Доход в месяц</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>получатель</td>
              <td>{fullName(recipient)}</td>
              <td>
                <Money amount={recipient.own_income} />
              </td>
            </tr>
            {recipient.household.map((member, index) => (
              <tr key={index}>
                <td>{member.relation}</td>
                <td>{member.full_name}</td>
                <td>
                  <Money amount={member.monthly_income} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
        <Text as="p">
          Среднедушевой доход: <Money amount={income.total} /> ÷ {income.persons} = <Money amount={income.rounded} />
          {income.persons > 1 ? ' (округлено до копейки)' : ''}.
        </Text>
      </section>

      <Assessments recipient={recipient} />
      <Certificates recipientId={recipient.id} />

      <Card className="card-pad stack" view="outlined">
        <section aria-labelledby="acting-title" className="stack">
          <Text as="h2" variant="subheader-3" id="acting-title">
            Действовать от имени получателя
          </Text>
          <Text as="p">
            Откройте кабинет получателя, чтобы записать его к поставщику, подтвердить или оспорить акт. Каждое действие записывается от вашего имени.
          </Text>
          <nav aria-label="Кабинет получателя" className="row">
            {CABINET_SECTIONS.map((section) => (
              <RouterLink key={section.to} to={`${section.to}?recipient=${recipient.id}`}>
                {section.label}
              </RouterLink>
            ))}
          </nav>
        </section>
      </Card>

      <History recipientId={recipient.id} />
    </>
  );
}

function Assessments({ recipient }: { recipient: Recipient }) {
  const region = useWorkerRegion();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const history = $certificates.useQuery('get', '/v1/me/requests', { params: { query: { recipient_id: recipient.id } } });
  const open = $certificates.useMutation('post', '/v1/assessments');
  const [failure, setFailure] = useState<unknown>(null);
  const assessments = (history.data?.items ?? []).filter((item) => item.kind === 'assessment');
  const underWay = assessments.some((a) => a.status === 'open' || a.status === 'recognised');

  const start = async () => {
    setFailure(null);
    try {
      const created = await open.mutateAsync({ body: { recipient_id: recipient.id, reason: 'Заявление о предоставлении социальных услуг' } });
      await queryClient.invalidateQueries();
      void navigate(`/caseworker/assessments/${created.id}`);
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section aria-labelledby="assessments-title" className="stack">
      <Text as="h2" variant="header-1" id="assessments-title">
        Обследования нуждаемости
      </Text>
      <PageState loading={history.isPending} error={history.error} retry={() => void history.refetch()}>
        {assessments.length === 0 ? <EmptyState title="Обследований не было" /> : null}
        {assessments.length > 0 ? (
          <ul className="card-list">
            {assessments.map((a) => (
              <li key={a.id} className="row">
                <RouterLink to={`/caseworker/assessments/${a.id}`}>Обследование от {formatDateTime(a.at)}</RouterLink>
                <span>{a.status in ASSESSMENT_STATE ? ASSESSMENT_STATE[a.status as keyof typeof ASSESSMENT_STATE] : historyStatus(a.kind, a.status)}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {history.data && !underWay && recipient.region_code === region ? (
          <div>
            <Button view="action" size="l" className="wrap-button" onClick={() => void start()} loading={open.isPending}>
              Открыть обследование по заявлению
            </Button>
          </div>
        ) : null}
        {failure ? <ProblemAlert error={failure} /> : null}
      </PageState>
    </section>
  );
}

function Certificates({ recipientId }: { recipientId: string }) {
  const list = $certificates.useQuery('get', '/v1/certificates', { params: { query: { recipient_id: recipientId } } });
  return (
    <section aria-labelledby="certificates-title" className="stack">
      <Text as="h2" variant="header-1" id="certificates-title">
        Сертификаты
      </Text>
      <PageState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        {list.data?.items.length === 0 ? <EmptyState title="Сертификатов нет" /> : null}
        {list.data && list.data.items.length > 0 ? (
          <ScrollTable caption="Сертификаты получателя" captionHidden>
            <thead>
              <tr>
                <th scope="col">Номер</th>
                <th scope="col">Состояние</th>
                <th scope="col">Номинал</th>
                <th scope="col">Действует</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">
                    <RouterLink to={`/cabinet/certificates/${c.id}?recipient=${recipientId}`}>№ {c.number}</RouterLink>
                  </td>
                  <td>
                    <Status tone={CERTIFICATE_TONE[c.status]}>{CERTIFICATE_STATUS[c.status]}</Status>
                  </td>
                  <td>
                    <Money amount={c.value} />
                  </td>
                  <td className="nowrap">
                    {formatDate(c.valid_from)} — {formatDate(c.valid_to)}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : null}
      </PageState>
    </section>
  );
}

function History({ recipientId }: { recipientId: string }) {
  const history = $certificates.useQuery('get', '/v1/me/requests', { params: { query: { recipient_id: recipientId } } });
  const items = [...(history.data?.items ?? [])].sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
  return (
    <section aria-labelledby="history-title" className="stack">
      <Text as="h2" variant="header-1" id="history-title">
        История
      </Text>
      <PageState loading={history.isPending} error={history.error} retry={() => void history.refetch()}>
        {items.length === 0 ? (
          <EmptyState title="Истории пока нет" />
        ) : (
          <ol className="card-list timeline">
            {items.map((item) => (
              <li key={`${item.kind}-${item.id}`}>
                <Text as="p">
                  {formatDateTime(item.at)} · {HISTORY_KIND[item.kind]}: {item.title} — {historyStatus(item.kind, item.status)}
                  {item.acted_by ? `. Записал специалист: ${item.acted_by.name}` : ''}
                  {item.refusal ? `. Причина: ${item.refusal.reason}` : ''}
                </Text>
              </li>
            ))}
          </ol>
        )}
      </PageState>
    </section>
  );
}
