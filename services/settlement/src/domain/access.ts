import { forbidden, type Principal } from '@esc/service-kit';

const READS_ALL = ['auditor', 'admin'] as const;

export function readsEverything(principal: Principal): boolean {
  return READS_ALL.some((role) => principal.roles.includes(role));
}

/** Settlement changes are made by a finance officer of the region the record belongs to. */
export function assertFinanceOf(principal: Principal, regionCode: string): void {
  if (!principal.roles.includes('finance')) {
    throw forbidden('Это действие выполняет сотрудник финансового органа региона.', 'finance_only');
  }
  if (principal.regionCode !== regionCode) {
    throw forbidden(`Вы работаете с регионом ${principal.regionCode ?? '—'}, а запись относится к региону ${regionCode}.`, 'other_region');
  }
}

/** Finance reads its own region, auditors and administrators read every region. */
export function assertCanReadRegion(principal: Principal, regionCode: string): void {
  if (readsEverything(principal)) return;
  if (principal.roles.includes('finance') && principal.regionCode === regionCode) return;
  if (principal.roles.includes('finance')) {
    throw forbidden(`Сведения региона ${regionCode} видят только финансовый орган этого региона и контроль.`, 'other_region');
  }
  throw forbidden('Сведения о расчётах региона видят финансовый орган и контроль; поставщик видит свои в разделе поставщика.', 'forbidden');
}

/** A provider's people see the provider's own lines and payouts; finance sees its region (checked by the caller on each row). */
export function providerScope(principal: Principal, providerId: string): { regionCode?: string } {
  if (readsEverything(principal)) return {};
  const providerPerson = principal.roles.includes('provider_admin') || principal.roles.includes('provider_staff');
  if (providerPerson && principal.providerId === providerId) return {};
  if (principal.roles.includes('finance') && principal.regionCode) return { regionCode: principal.regionCode };
  throw forbidden('Расчёты поставщика видят только сам поставщик, финансовый орган его региона и контроль.', 'not_your_provider');
}
