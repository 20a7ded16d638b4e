export const ROLE_NAMES: Record<string, string> = {
  citizen: 'получатель',
  caseworker: 'специалист соцзащиты',
  provider_admin: 'администратор поставщика',
  provider_staff: 'сотрудник поставщика',
  committee: 'комиссия по отбору',
  finance: 'финансовый отдел',
  auditor: 'аудитор',
  admin: 'администратор',
};
