import { Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $registry } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { PageState } from '../../components/PageState';
import { formatDateTime } from '../../format/date';
import { refusalLabel } from '../public/dictionary';
import { useCatalog } from '../public/lookups';
import { DecisionMatrix, FormalChecks } from './CriteriaTables';
import { APPLICATION_STATUS } from './labels';
import { OrganisationDetails } from './OrganisationDetails';
import { ScoringForm } from './ScoringForm';
import { CommitteePage, Status } from './ui';

/** An application beside the organisation's data and documents: the formal checks with their sources, the scoring matrix and the decision. */
export function ApplicationPage() {
  const { id = '', applicationId = '' } = useParams();
  const round = $registry.useQuery('get', '/v1/rounds/{id}', { params: { path: { id } } });
  const application = $registry.useQuery('get', '/v1/rounds/{id}/applications/{applicationId}', { params: { path: { id, applicationId } } });
  const providerId = application.data?.provider_id ?? '';
  const provider = $registry.useQuery('get', '/v1/providers/{id}', { params: { path: { id: providerId } } }, { enabled: !!providerId });
  const catalog = useCatalog();
  const a = application.data;
  const name = provider.data ? (provider.data.short_name ?? provider.data.name) : undefined;
  const title = name ? `Заявка: ${name}` : 'Заявка';
  return (
    <CommitteePage title={title} back={{ to: `/committee/rounds/${id}`, label: round.data?.title ?? 'Отбор' }}>
      <PageState loading={application.isPending || round.isPending || provider.isPending} error={application.error ?? round.error ?? provider.error}>
        {a && round.data && provider.data ? (
          <>
            <Definitions
              items={[
                { term: 'Состояние', value: <Status tone={APPLICATION_STATUS[a.status].tone}>{APPLICATION_STATUS[a.status].label}</Status> },
                { term: 'Подана', value: formatDateTime(a.submitted_at) },
                { term: 'Услуги', value: a.service_codes.map((c) => catalog.byCode.get(c)?.name ?? c).join('; ') },
              ]}
            />
            <div className="committee-split">
              <OrganisationDetails provider={provider.data} />
              <div className="stack">
                <section aria-labelledby="formal-title" className="stack">
                  <Text as="h2" variant="header-1" id="formal-title">
                    Обязательные требования
                  </Text>
                  <FormalChecks results={a.formal_results} caption="Автоматическая проверка при подаче заявки" />
                </section>
                {a.appeal ? (
                  <section aria-labelledby="appeal-title" className="stack committee-panel card-pad">
                    <Text as="h2" variant="header-1" id="appeal-title">
                      Апелляция
                    </Text>
                    <Definitions
                      items={[
                        { term: 'Подана', value: formatDateTime(a.appeal.filed_at) },
                        { term: 'Доводы поставщика', value: a.appeal.reason },
                      ]}
                    />
                    {a.appeal.previous_decision ? <DecisionMatrix decision={a.appeal.previous_decision} caption="Обжалованное решение" /> : null}
                  </section>
                ) : null}
                {a.decision ? (
                  <section aria-labelledby="decision-title" className="stack">
                    <Text as="h2" variant="header-1" id="decision-title">
                      {a.status === 'appealed' ? 'Обжалованное решение' : 'Решение'}
                    </Text>
                    <Definitions
                      items={[
                        { term: 'Итог', value: a.decision.outcome === 'admitted' ? 'Допущена' : 'Отказано' },
                        { term: 'Принято', value: formatDateTime(a.decision.decided_at) },
                        a.decision.reason ? { term: 'Обоснование решения по апелляции', value: a.decision.reason } : null,
                        a.decision.refusal ? { term: 'Причина отказа', value: `${refusalLabel(a.decision.refusal.code)}. ${a.decision.refusal.reason}` } : null,
                        a.decision.refusal && a.status === 'refused' ? { term: 'Апелляция — до', value: formatDateTime(a.decision.refusal.appeal_deadline) } : null,
                      ]}
                    />
                    {a.decision.total_points != null ? <DecisionMatrix decision={a.decision} caption="Оценка по критериям" /> : null}
                  </section>
                ) : null}
                {a.status === 'awaiting_scoring' ? <ScoringForm round={round.data} application={a} appeal={false} /> : null}
                {a.status === 'appealed' ? <ScoringForm round={round.data} application={a} appeal /> : null}
              </div>
            </div>
          </>
        ) : null}
      </PageState>
    </CommitteePage>
  );
}
