import { useEffect, useId, useRef, useState } from 'react';
import { Alert, Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { Money } from '../../components/Money';
import { NativeSelect } from '../../components/NativeSelect';
import { PageState, ProblemAlert } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { formatMoney } from '../../format/money';
import { CERTIFICATE_STATUS, unitsText } from '../citizen/labels';
import { useWorkerRegion } from './desk';
import { FeeFormula } from './FeeFormula';

type Recipient = CertificatesSchemas['Recipient'];
type Issued = CertificatesSchemas['Certificate'];

const LIVE: Array<CertificatesSchemas['CertificateStatus']> = ['issuing', 'issued', 'active', 'suspended', 'exhausted'];

/** The certificate for a drawn programme: the budget programme chosen, the value and fee worked out, the allocation left — then the issue. */
export function IssuePanel({ programmeId, recipient }: { programmeId: string; recipient: Recipient }) {
  const region = useWorkerRegion();
  const queryClient = useQueryClient();
  const base = useId().replace(/:/g, '');
  const certificates = $certificates.useQuery('get', '/v1/certificates', { params: { query: { recipient_id: recipient.id } } });
  const programmes = $certificates.useQuery('get', '/v1/budget-programmes', { params: { query: { region_code: region } } });
  const [budgetId, setBudgetId] = useState('');
  const chosen = budgetId || programmes.data?.items[0]?.id || '';
  const quote = $certificates.useQuery('get', '/v1/programmes/{id}/quote', { params: { path: { id: programmeId }, query: { budget_programme_id: chosen } } }, { enabled: !!chosen });
  const issue = $certificates.useMutation('post', '/v1/certificates');
  // One id per attempt: a retry after a lost answer is the same issue, not a second certificate.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const [issued, setIssued] = useState<Issued | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (issued || failure) outcomeRef.current?.focus();
  }, [issued, failure]);

  const live = certificates.data?.items.find((c) => c.programme_id === programmeId && LIVE.includes(c.status));
  const done = issued
    ? { id: issued.id, number: issued.number, status: issued.status, value: issued.value, fee: issued.fee_amount, validFrom: issued.general.valid_from, validTo: issued.general.valid_to }
    : live
      ? { id: live.id, number: live.number, status: live.status, value: live.value, fee: null, validFrom: live.valid_from, validTo: live.valid_to }
      : null;

  const submit = async () => {
    setFailure(null);
    try {
      const certificate = await issue.mutateAsync({ body: { id: requestId, programme_id: programmeId, budget_programme_id: chosen } });
      setIssued(certificate);
      void queryClient.invalidateQueries();
    } catch (error) {
      setFailure(error);
      setRequestId(crypto.randomUUID());
      void quote.refetch();
    }
  };

  const q = quote.data;
  return (
    <section aria-labelledby={`${base}-title`} className="stack desk-form">
      <Text as="h2" variant="header-1" id={`${base}-title`}>
        Сертификат
      </Text>
      <PageState loading={certificates.isPending || programmes.isPending} error={certificates.error ?? programmes.error} retry={() => void (certificates.refetch(), programmes.refetch())}>
        {done ? (
          <div ref={outcomeRef} tabIndex={-1} className="focus-target">
            <Alert
              theme="success"
              title={<Text as="h3" variant="subheader-3">{`Сертификат № ${done.number} выдан`}</Text>}
              message={
                <div className="stack">
                  <Text as="p">
                    Номинал {formatMoney(done.value)}
                    {done.fee ? `, плата получателя ${formatMoney(done.fee)}` : ''}; действует с {formatDate(done.validFrom)} по {formatDate(done.validTo)}.
                    {done.status !== 'issued' ? ` Состояние: ${CERTIFICATE_STATUS[done.status]}.` : ''}
                  </Text>
                  <RouterLink to={`/cabinet/certificates/${done.id}?recipient=${recipient.id}`}>Открыть сертификат в кабинете получателя</RouterLink>
                </div>
              }
            />
          </div>
        ) : (
          <>
            {programmes.data && programmes.data.items.length === 0 ? (
              <Alert theme="warning" title="В регионе нет бюджетных программ" message="Сертификат выдаётся за счёт бюджетной программы; её заводит финансовый орган региона." />
            ) : null}
            {programmes.data && programmes.data.items.length > 0 ? (
              <div className="field">
                <label htmlFor={`${base}-budget`}>
                  <Text variant="subheader-1">Бюджетная программа</Text>
                </label>
                <NativeSelect
                  id={`${base}-budget`}
                  value={chosen}
                  onChange={setBudgetId}
                  options={programmes.data.items.map((p) => ({
                    value: p.id,
                    label: `${p.code} — ${p.name}${p.available ? `, остаток ${formatMoney(p.available)}` : ', остаток неизвестен'}`,
                  }))}
                />
              </div>
            ) : null}
            {chosen ? (
              <PageState loading={quote.isPending} error={quote.error} retry={() => void quote.refetch()}>
                {q ? (
                  <>
                    <ScrollTable caption="Стоимость услуг сертификата">
                      <thead>
                        <tr>
                          <th scope="col">Услуга</th>
                          <th scope="col">Объём</th>
                          <th scope="col">Цена единицы</th>
                          <th scope="col">Стоимость</th>
                          <th scope="col">Плата получателя</th>
                          <th scope="col">За счёт сертификата</th>
                        </tr>
                      </thead>
                      <tbody>
                        {q.lines.map((l) => (
                          <tr key={l.line_no}>
                            <td>{l.service_name}</td>
                            <td>
                              {unitsText(l.volume_per_month, l.unit)} × {l.months} мес. = {unitsText(l.volume, l.unit)}
                            </td>
                            <td>
                              <Money amount={l.unit_cost} />
                            </td>
                            <td>
                              <Money amount={l.gross_amount} />
                            </td>
                            <td>
                              <Money amount={l.fee_amount} />
                            </td>
                            <td>
                              <Money amount={l.value} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </ScrollTable>
                    <FeeFormula fee={q.fee_calculation} lineNames={q.lines.map((l) => l.service_name)} />
                    <Text as="p" className="fee-result">
                      Номинал сертификата = стоимость <Money amount={q.gross_amount} /> − плата <Money amount={q.fee_amount} /> = <strong><Money amount={q.value} /></strong>; действует с{' '}
                      {formatDate(q.valid_from)} по {formatDate(q.valid_to)}.
                    </Text>
                    <section aria-labelledby={`${base}-budget-title`} className="stack">
                      <Text as="h3" variant="subheader-3" id={`${base}-budget-title`}>
                        Остаток бюджетной программы
                      </Text>
                      <Text as="p">
                        Сейчас <Money amount={q.budget_programme.available} />; после выдачи <Money amount={q.available_after} />.
                      </Text>
                      {!q.covered ? (
                        <Alert theme="warning" title="Средств программы не хватает" message="Выдача будет отклонена с причиной «Закончились средства бюджета». Выберите другую программу или обратитесь в финансовый орган." />
                      ) : null}
                    </section>
                    <div>
                      <Button view="action" size="l" className="wrap-button" loading={issue.isPending} onClick={() => void submit()}>
                        Выдать сертификат на {formatMoney(q.value)}
                      </Button>
                    </div>
                  </>
                ) : null}
              </PageState>
            ) : null}
            {failure ? (
              <div ref={outcomeRef} tabIndex={-1} className="focus-target">
                <ProblemAlert error={failure} />
              </div>
            ) : null}
          </>
        )}
      </PageState>
    </section>
  );
}
