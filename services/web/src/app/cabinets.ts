/** One cabinet: who may open it, where they land after signing in, and its links in the header. */
export interface Cabinet {
  key: string;
  roles: string[];
  home: string;
  /** A link with `roles` is shown only to those roles (the route itself still says why to anyone else). */
  nav: { to: string; label: string; roles?: string[] }[];
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
  nav: [
    { to: '/provider', label: 'Кабинет поставщика' },
    { to: '/provider/bookings', label: 'Заявки' },
    { to: '/provider/acts', label: 'Акты' },
    { to: '/provider/money', label: 'Выплаты' },
    { to: '/provider/rounds', label: 'Отборы' },
    { to: '/provider/profile', label: 'Профиль' },
    { to: '/provider/staff', label: 'Сотрудники', roles: ['provider_admin'] },
  ],
};

export const CASEWORKER_CABINET: Cabinet = {
  key: 'caseworker',
  roles: ['caseworker'],
  home: '/caseworker',
  nav: [
    { to: '/caseworker', label: 'Очередь обследований' },
    { to: '/caseworker/recipients', label: 'Получатели' },
    { to: '/caseworker/bulk', label: 'Массовая выдача' },
  ],
};

export const COMMITTEE_CABINET: Cabinet = {
  key: 'committee',
  roles: ['committee'],
  home: '/committee',
  nav: [
    { to: '/committee', label: 'Кабинет комиссии' },
    { to: '/committee/appeals', label: 'Апелляции' },
    { to: '/committee/providers', label: 'Реестр поставщиков' },
    { to: '/committee/catalog', label: 'Нормативные затраты' },
  ],
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

/** The register and map of social deficits: the committee and finance of the region, the ministry (admin) and control. */
export const REGION_CABINET: Cabinet = {
  key: 'region',
  roles: ['committee', 'finance', 'admin', 'auditor'],
  home: '/deficits',
  nav: [{ to: '/deficits', label: 'Социальные дефициты' }],
};

/** The marketplace administrator's accounts and roles. */
export const ADMIN_CABINET: Cabinet = {
  key: 'admin',
  roles: ['admin'],
  home: '/admin/accounts',
  nav: [{ to: '/admin/accounts', label: 'Учётные записи' }],
};

/** In the order a person holding several roles is sent home. */
export const CABINETS: Cabinet[] = [CITIZEN_CABINET, CASEWORKER_CABINET, PROVIDER_CABINET, COMMITTEE_CABINET, FINANCE_CABINET, REGION_CABINET, ADMIN_CABINET];

export function cabinetsFor(roles: string[]): Cabinet[] {
  return CABINETS.filter((cabinet) => cabinet.roles.some((role) => roles.includes(role)));
}

/** The header links of the person's cabinets, without those reserved to roles they lack. */
export function navFor(roles: string[]): Cabinet['nav'] {
  return cabinetsFor(roles).flatMap((cabinet) => cabinet.nav.filter((link) => !link.roles || link.roles.some((role) => roles.includes(role))));
}

/** Where a person lands after signing in: their first cabinet, else the navigator. */
export function homeFor(roles: string[]): string {
  return cabinetsFor(roles)[0]?.home ?? '/';
}
