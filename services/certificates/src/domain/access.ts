import { forbidden, type Principal } from '@esc/service-kit';

const has = (p: Principal, role: string) => p.roles.includes(role as never);

/** Administrators and auditors read everything. */
export const readsEverything = (p: Principal) => has(p, 'admin') || has(p, 'auditor');

/** A case worker acts only in their own region; an administrator anywhere. */
export function assertCaseworkerOf(p: Principal, regionCode: string): void {
  if (has(p, 'admin')) return;
  if (has(p, 'caseworker') && p.regionCode === regionCode) return;
  throw forbidden(`Действовать в регионе ${regionCode} может только специалист органа социальной защиты этого региона.`, 'outside_your_region');
}

export function assertFinanceOf(p: Principal, regionCode: string): void {
  if (has(p, 'admin')) return;
  if (has(p, 'finance') && p.regionCode === regionCode) return;
  throw forbidden(`Бюджетные программы и параметры региона ${regionCode} ведёт только финансовый орган этого региона.`, 'outside_your_region');
}

export const isCitizen = (p: Principal, snils: string) => has(p, 'citizen') && p.snils === snils;
export const isProviderOf = (p: Principal, providerId: string) => (has(p, 'provider_admin') || has(p, 'provider_staff')) && p.providerId === providerId;
export const isCaseworkerOf = (p: Principal, regionCode: string) => has(p, 'admin') || (has(p, 'caseworker') && p.regionCode === regionCode);

/** Who may read a recipient's records: the person, case workers of the region, finance of the region, admins and auditors. */
export function assertCanReadRecipient(p: Principal, recipient: { snils: string; region_code: string }): void {
  if (readsEverything(p) || isCitizen(p, recipient.snils) || isCaseworkerOf(p, recipient.region_code)) return;
  if (has(p, 'finance') && p.regionCode === recipient.region_code) return;
  throw forbidden('Эти сведения доступны только самому гражданину и специалистам органа социальной защиты его региона.', 'not_your_record');
}
