/** One cabinet: who may open it, where they land after signing in, and its links in the header. */
export interface Cabinet {
  key: string;
  roles: string[];
  home: string;
  nav: { to: string; label: string }[];
}

export const CITIZEN_CABINET: Cabinet = {
  key: 'citizen',
  roles: ['citizen'],
  home: '/cabinet/certificates',
  nav: [
    { to: '/cabinet/certificates', label: 'Мои сертификаты' },
    { to: '/cabinet/bookings', label: 'Мои записи' },
    { to: '/cabinet/acts', label: 'Акты об услугах' },
    { to: '/cabinet/requests', label: 'Мои обращения' },
  ],
};

export const PROVIDER_CABINET: Cabinet = {
  key: 'provider',
  roles: ['provider_admin', 'provider_staff'],
  home: '/provider',
  nav: [{ to: '/provider', label: 'Кабинет поставщика' }],
};

export const CASEWORKER_CABINET: Cabinet = {
  key: 'caseworker',
  roles: ['caseworker'],
  home: '/caseworker',
  nav: [{ to: '/caseworker', label: 'Кабинет специалиста' }],
};

export const COMMITTEE_CABINET: Cabinet = {
  key: 'committee',
  roles: ['committee'],
  home: '/committee',
  nav: [{ to: '/committee', label: 'Кабинет комиссии' }],
};

export const FINANCE_CABINET: Cabinet = {
  key: 'finance',
  roles: ['finance', 'auditor'],
  home: '/finance',
  nav: [
    { to: '/finance', label: 'Расчёты' },
    { to: '/finance/statements', label: 'Выписки' },
    { to: '/finance/discrepancies', label: 'Расхождения' },
    { to: '/finance/reports', label: 'Отчёты' },
    { to: '/finance/programmes', label: 'Программы' },
  ],
};

/** In the order a person holding several roles is sent home. */
export const CABINETS: Cabinet[] = [CITIZEN_CABINET, CASEWORKER_CABINET, PROVIDER_CABINET, COMMITTEE_CABINET, FINANCE_CABINET];

export function cabinetsFor(roles: string[]): Cabinet[] {
  return CABINETS.filter((cabinet) => cabinet.roles.some((role) => roles.includes(role)));
}

/** Where a person lands after signing in: their first cabinet, else the navigator. */
export function homeFor(roles: string[]): string {
  return cabinetsFor(roles)[0]?.home ?? '/';
}
