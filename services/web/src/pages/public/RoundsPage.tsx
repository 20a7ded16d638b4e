import { Card, Label, Text } from '@gravity-ui/uikit';
import { $registry, type RegistrySchemas } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { formatDateTime } from '../../format/date';
import { REGION, ROUND_STATUS_LABELS, type RoundStatus } from './dictionary';
import { territoryText, useDistricts, type DistrictOption } from './lookups';

type PublicRound = RegistrySchemas['PublicRound'];

const GROUPS: { id: string; title: string; statuses: RoundStatus[]; empty: string }[] = [
  { id: 'open', title: 'Идёт приём заявок', statuses: ['open'], empty: 'Сейчас открытых отборов нет.' },
  { id: 'upcoming', title: 'Скоро начнутся', statuses: ['upcoming'], empty: 'Новые отборы пока не объявлены.' },
  { id: 'finished', title: 'Завершённые отборы', statuses: ['closed', 'decided'], empty: 'Завершённых отборов пока нет.' },
];

const STATUS_THEME: Record<RoundStatus, 'success' | 'info' | 'warning' | 'normal'> = { open: 'success', upcoming: 'info', closed: 'warning', decided: 'normal' };

/** Selection rounds: how organisations get into the list of providers, and their published results. */
export function RoundsPage() {
  usePageTitle('Отборы поставщиков');
  const rounds = $registry.useQuery('get', '/v1/public/rounds', { params: { query: { region: REGION } } });
  const districts = useDistricts();
  const items = rounds.data?.items ?? [];
  return (
    <div className="navigator stack">
      <Text as="h1" variant="header-2" className="page-title">
        Отборы поставщиков
      </Text>
      <Text>
        Чтобы оказывать услуги по социальному сертификату, негосударственная организация или предприниматель проходит отбор: комиссия проверяет
        обязательные требования и оценивает опыт, квалификацию персонала, рейтинг и доступность. Итоги каждого отбора публикуются.
      </Text>
      <PageState loading={rounds.isPending} error={rounds.error} retry={() => void rounds.refetch()}>
        {items.length === 0 ? (
          <EmptyState title="Отборов пока не было">Когда министерство объявит отбор, он появится здесь.</EmptyState>
        ) : (
          GROUPS.map((group) => {
            const inGroup = items.filter((r) => group.statuses.includes(r.status));
            return (
              <section key={group.id} aria-labelledby={`rounds-${group.id}`} className="stack">
                <Text as="h2" variant="header-1" id={`rounds-${group.id}`}>
                  {group.title}
                </Text>
                {inGroup.length === 0 ? (
                  <Text color="secondary">{group.empty}</Text>
                ) : (
                  <ul className="provider-list">
                    {inGroup.map((round) => (
                      <li key={round.id}>
                        <RoundCard round={round} districts={districts.options} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })
        )}
      </PageState>
    </div>
  );
}

function RoundCard({ round, districts }: { round: PublicRound; districts: DistrictOption[] }) {
  return (
    <Card view="outlined" className="card-pad stack" style={{ gap: 8 }}>
      <Text as="h3" variant="subheader-3" className="nav-heading overflow-safe">
        {round.title}
      </Text>
      <div>
        <Label theme={STATUS_THEME[round.status]} size="m">
          {ROUND_STATUS_LABELS[round.status]}
        </Label>
      </div>
      <dl className="terms">
        <dt>Услуги</dt>
        <dd>
          <ul className="plain-list" style={{ margin: 0 }}>
            {round.services.map((s) => (
              <li key={s.code}>
                <RouterLink to={`/services/${encodeURIComponent(s.code)}`}>{s.name}</RouterLink>
              </li>
            ))}
          </ul>
        </dd>
        <dt>Территория</dt>
        <dd>{territoryText(round.territory, districts)}</dd>
        <dt>Приём заявок</dt>
        <dd>
          с {formatDateTime(round.applications_open_at)} по {formatDateTime(round.applications_close_at)}
        </dd>
        {round.results_published ? (
          <>
            <dt>Итоги</dt>
            <dd>
              Допущено: {round.admitted_count}.{' '}
              <RouterLink to={`/rounds/${round.id}`}>Итоги отбора «{round.title}»</RouterLink>
            </dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}
