import { useEffect, useRef, useState } from 'react';
import { Alert, Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $certificates } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDate, regionDate } from '../../format/date';
import { Status } from '../citizen/cabinet';
import { ASSESSMENT_STATE, deadlineText, DeskPage, formatSnils, fullName, SOURCE } from './desk';
import { DecisionForm } from './DecisionForm';
import { IssuePanel } from './IssuePanel';
import { ProgrammeForm, ProgrammeTable } from './ProgrammeForm';

/** One assessment worked through: the decision, the individual programme, the certificate. */
export function AssessmentPage() {
  const { id = '' } = useParams();
  const assessment = $certificates.useQuery('get', '/v1/assessments/{id}', { params: { path: { id } } });
  const recipientId = assessment.data?.recipient_id ?? '';
  const recipient = $certificates.useQuery('get', '/v1/recipients/{id}', { params: { path: { id: recipientId } } }, { enabled: !!recipientId });
  const history = $certificates.useQuery('get', '/v1/me/requests', { params: { query: { recipient_id: recipientId } } }, { enabled: !!recipientId });
  const a = assessment.data;
  const decidedBy = history.data?.items.find((item) => item.kind === 'assessment' && item.id === a?.id)?.acted_by?.name;
  const today = regionDate(new Date());
  const name = recipient.data ? fullName(recipient.data) : '';
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  return (
    <DeskPage title={name ? `Обследование: ${name}` : 'Обследование нуждаемости'}>
      <Text as="p">
        <RouterLink to="/caseworker">К очереди обследований</RouterLink>
      </Text>
      <PageState loading={assessment.isPending || (!!recipientId && recipient.isPending)} error={assessment.error ?? recipient.error} retry={() => void assessment.refetch()}>
        {a && recipient.data ? (
          <>
            <Definitions
              items={[
                { term: 'Получатель', value: <RouterLink to={`/caseworker/recipients/${recipient.data.id}`}>{name}</RouterLink> },
                { term: 'СНИЛС', value: formatSnils(recipient.data.snils) },
                { term: 'Состояние', value: ASSESSMENT_STATE[a.status] },
                { term: 'Открыто', value: `${formatDate(a.opened_on)}, основание — ${SOURCE[a.source]}` },
                a.reason ? { term: 'Повод', value: a.reason } : null,
                a.status === 'open'
                  ? { term: 'Решение о нуждаемости — не позднее', value: <DueValue due={a.decision_due} today={today} /> }
                  : null,
                a.status === 'open' || a.status === 'recognised'
                  ? { term: 'Индивидуальная программа — не позднее', value: <DueValue due={a.programme_due} today={today} /> }
                  : null,
                a.decided_at ? { term: 'Решение принято', value: decidedBy ? `${formatDate(a.decided_at)}, специалист ${decidedBy}` : formatDate(a.decided_at) } : null,
                a.refusal ? { term: 'Причина отказа', value: a.refusal.reason } : null,
              ]}
            />
            {notice ? (
              <div ref={noticeRef} tabIndex={-1} className="focus-target">
                <Alert theme="success" title="Записано" message={notice} />
              </div>
            ) : null}
            {a.status === 'open' ? <DecisionForm assessmentId={a.id} onDone={setNotice} /> : null}
            {a.status === 'recognised' ? <ProgrammeForm assessmentId={a.id} onDone={setNotice} /> : null}
            {a.programme ? (
              <>
                <ProgrammeTable programme={a.programme} />
                <IssuePanel programmeId={a.programme.id} recipient={recipient.data} />
              </>
            ) : null}
          </>
        ) : null}
      </PageState>
    </DeskPage>
  );
}

function DueValue({ due, today }: { due: string; today: string }) {
  const overdue = due < today;
  return (
    <span className="row">
      <span>{formatDate(due)}</span>
      <Status tone={overdue ? 'danger' : 'normal'}>{deadlineText(due, today)}</Status>
    </span>
  );
}
