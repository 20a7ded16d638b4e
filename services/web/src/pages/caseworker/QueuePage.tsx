import { useId } from 'react';
import { Text } from '@gravity-ui/uikit';
import { useSearchParams } from 'react-router';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { NativeSelect } from '../../components/NativeSelect';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate } from '../../format/date';
import { Status } from '../citizen/cabinet';
import { useDistricts } from '../public/lookups';
import { ASSESSMENT_STATE, DEADLINE, DeskPage, deadlineText, districtName, formatSnils, SOURCE, useWorkerRegion } from './desk';

type Status = CertificatesSchemas['AssessmentStatus'];
const STATUSES: Status[] = ['open', 'recognised', 'refused', 'programme_drawn'];
const isStatus = (value: string | null): value is Status => !!value && (STATUSES as string[]).includes(value);
const LIMIT = 200;

/** The work queue: assessments with their 442-FZ deadlines, overdue first; filters kept in the address. */
export function QueuePage() {
  const region = useWorkerRegion();
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const district = params.get('district') ?? '';
  const districts = useDistricts();
  const statusId = useId();
  const districtId = useId();
  const query = $certificates.useQuery('get', '/v1/assessments', {
    params: { query: { region_code: region, limit: LIMIT, ...(isStatus(status) ? { status } : {}), ...(/^\d{8}(\d{3})?$/.test(district) ? { district_code: district } : {}) } },
  });
  const setFilter = (key: string, value: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const items = query.data?.items ?? [];
  const overdue = items.filter((a) => a.overdue).length;

  return (
    <DeskPage title="Очередь обследований" lead="Обследования нуждаемости по срокам 442-ФЗ: решение — за 5 рабочих дней, индивидуальная программа — за 10. Просроченные — первыми.">
      <div className="row">
        <RouterLink to="/caseworker/recipients">Найти получателя по СНИЛС или ФИО</RouterLink>
        <RouterLink to="/caseworker/bulk">Массовая выдача сертификатов из файла</RouterLink>
      </div>
      <form className="desk-filters" role="search" aria-label="Отбор обследований" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor={statusId}>
            <Text variant="subheader-1">Состояние</Text>
          </label>
          <NativeSelect
            id={statusId}
            value={isStatus(status) ? status : ''}
            onChange={(value) => setFilter('status', value)}
            options={[{ value: '', label: 'В работе (ждут решения или программы)' }, ...STATUSES.map((s) => ({ value: s, label: ASSESSMENT_STATE[s] }))]}
          />
        </div>
        <div className="field">
          <label htmlFor={districtId}>
            <Text variant="subheader-1">Район</Text>
          </label>
          <NativeSelect
            id={districtId}
            value={district}
            onChange={(value) => setFilter('district', value)}
            options={[{ value: '', label: 'Все районы' }, ...districts.options.map((d) => ({ value: d.oktmo, label: d.name }))]}
          />
        </div>
      </form>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {query.data ? (
          items.length === 0 ? (
            <EmptyState title="Обследований нет">По выбранным условиям обследований не найдено. Измените состояние или район.</EmptyState>
          ) : (
            <>
              <Text as="p" aria-live="polite">
                {items.length === LIMIT ? `Показаны первые ${LIMIT} — уточните отбор по району.` : `Найдено: ${items.length}.`} {overdue > 0 ? `Просрочено: ${overdue}.` : 'Просроченных нет.'} Сегодня {formatDate(query.data.today)}.
              </Text>
              <ScrollTable caption="Обследования нуждаемости">
                <thead>
                  <tr>
                    <th scope="col">Получатель</th>
                    <th scope="col">Срок</th>
                    <th scope="col">Состояние</th>
                    <th scope="col">Район</th>
                    <th scope="col">СНИЛС</th>
                    <th scope="col">Открыто</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id} className={a.overdue ? 'desk-overdue' : undefined}>
                      <td>
                        <RouterLink to={`/caseworker/assessments/${a.id}`}>{a.recipient.full_name}</RouterLink>
                      </td>
                      <td>
                        {a.due && a.deadline ? (
                          <div className="stack desk-due">
                            <span>
                              {DEADLINE[a.deadline]} до {formatDate(a.due)}
                            </span>
                            <Status tone={a.overdue ? 'danger' : 'normal'}>{deadlineText(a.due, query.data.today)}</Status>
                          </div>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{ASSESSMENT_STATE[a.status]}</td>
                      <td>{districtName(a.recipient.district_code, districts.options)}</td>
                      <td className="nowrap">{formatSnils(a.recipient.snils)}</td>
                      <td>
                        {formatDate(a.opened_on)}, {SOURCE[a.source]}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            </>
          )
        ) : null}
      </PageState>
    </DeskPage>
  );
}
