import { conflict, forbidden, withTransaction, type Principal } from '@esc/service-kit';
import type { ApplicationRow } from '../data-access/entities';
import * as store from '../data-access/round-store';
import type { Deps } from './deps';
import { loadProvider } from './providers';
import type { Application } from './round-model';
import { getApplication, listPublicRounds, type PublicRound } from './rounds';

export interface ProviderRound {
  round: PublicRound;
  fittingServices: string[];
  application: Application | null;
}

const inTerritory = (district: string, territory: string[]) => territory.some((t) => district.startsWith(t));

/** Rounds the provider may enter (open or upcoming, its services, its territory) and every round it applied to, with its application. */
export async function providerRounds(deps: Deps, principal: Principal, input: { providerId: string }): Promise<ProviderRound[]> {
  const own = (principal.roles.includes('provider_admin') || principal.roles.includes('provider_staff')) && principal.providerId === input.providerId;
  if (!own && !principal.roles.includes('admin') && !principal.roles.includes('auditor')) {
    throw forbidden('Отборы поставщика видят только его сотрудники.', 'not_your_provider');
  }
  const em = deps.orm.em.fork();
  const provider = await loadProvider(em, input.providerId);
  const rounds = await listPublicRounds(deps, principal, { statuses: [] });
  const applications = new Map<string, ApplicationRow>();
  for (const round of rounds) {
    const [mine] = await store.applicationRowsOf(em, round.id, input.providerId);
    if (mine) applications.set(round.id, mine);
  }
  const offered = provider.services.map((s) => s.service_code);
  return rounds.flatMap((round) => {
    const fittingServices = round.service_codes.filter((c) => offered.includes(c));
    const application = applications.get(round.id) ?? null;
    const fits = (round.status === 'open' || round.status === 'upcoming') && fittingServices.length > 0 && provider.locations.some((l) => inTerritory(l.district_code, round.territory));
    return fits || application ? [{ round, fittingServices, application }] : [];
  });
}

/** The applicant takes back an application the committee has not decided yet; it stays on record as withdrawn. */
export async function withdrawApplication(deps: Deps, principal: Principal, input: { roundId: string; applicationId: string }): Promise<Application> {
  const application = await getApplication(deps, principal, input);
  if (!principal.roles.includes('provider_admin') || principal.providerId !== application.provider_id) {
    throw forbidden('Отозвать заявку может администратор поставщика, подавшего её.', 'not_your_application');
  }
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = (await store.findApplicationRow(tx, input.roundId, input.applicationId, true))!;
    if (row.status === 'withdrawn') return row;
    if (row.status !== 'awaiting_scoring') {
      throw conflict('application_not_withdrawable', 'Отозвать можно только заявку, по которой комиссия ещё не приняла решение.', { application_status: row.status });
    }
    row.status = 'withdrawn';
    await tx.flush();
    return row;
  });
}
