import type { SignedInUser } from './token-issuer';

/** A demo person: seeded as an account (signed in through the development ЕСИА) and known to the development token endpoints. */
export interface DemoUser extends SignedInUser {
  username: string;
}

export const DEMO_PROVIDERS = {
  zabota: { id: '6e9de740-d447-49a2-a48f-a219e95a9be5', name: 'АНО «Центр социальной помощи „Забота“»' },
  rehab: { id: 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b', name: 'ООО «Реабилитация Плюс»' },
} as const;

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'citizen-ivanova', id: 'citizen:c80b4081-efb9-4a21-876f-347976278ce6', name: 'Иванова Мария Петровна', roles: ['citizen'], regionCode: '73', snils: '11223344595' },
  { username: 'citizen-smirnov', id: 'citizen:6df27a00-b64a-4288-ba7c-7e1d86f7a6e1', name: 'Смирнов Алексей Игоревич', roles: ['citizen'], regionCode: '73', snils: '12345678964' },
  {
    username: 'zabota-admin',
    id: 'provider_admin:83ddab09-dd7d-43ea-8a7d-2dba65233c36',
    name: 'Кузнецова Ольга Викторовна',
    roles: ['provider_admin'],
    providerId: DEMO_PROVIDERS.zabota.id,
  },
  {
    username: 'zabota-staff',
    id: 'provider_staff:afb095fe-6381-4a56-8edf-d8711203258f',
    name: 'Попов Дмитрий Сергеевич',
    roles: ['provider_staff'],
    providerId: DEMO_PROVIDERS.zabota.id,
  },
  {
    username: 'rehab-admin',
    id: 'provider_admin:0e0a6c4e-a3d4-4cb2-a48c-7f78ba72e719',
    name: 'Волкова Анна Николаевна',
    roles: ['provider_admin'],
    providerId: DEMO_PROVIDERS.rehab.id,
  },
  {
    username: 'rehab-staff',
    id: 'provider_staff:451fb5ee-e7c6-4644-bd21-6afe023154ed',
    name: 'Соколов Игорь Андреевич',
    roles: ['provider_staff'],
    providerId: DEMO_PROVIDERS.rehab.id,
  },
  { username: 'caseworker-73', id: 'caseworker:ef1b8975-e075-47f5-a683-5e7856910186', name: 'Морозова Елена Александровна', roles: ['caseworker'], regionCode: '73' },
  { username: 'caseworker-77', id: 'caseworker:8743fea0-daac-434b-97dd-b4789a4d752f', name: 'Новиков Павел Олегович', roles: ['caseworker'], regionCode: '77' },
  { username: 'committee-73', id: 'committee:ca199524-6f48-4b79-8bd8-5b7bd76426e8', name: 'Лебедев Сергей Михайлович', roles: ['committee'], regionCode: '73' },
  { username: 'finance-73-a', id: 'finance:f9661823-2fe6-4e43-92d1-a77b15b520d5', name: 'Козлова Наталья Ивановна', roles: ['finance'], regionCode: '73' },
  { username: 'finance-73-b', id: 'finance:527a69e6-3a33-43ce-a358-2ea08a7cd5a8', name: 'Егоров Виктор Павлович', roles: ['finance'], regionCode: '73' },
  { username: 'auditor', id: 'auditor:26716c10-84d1-4f9a-9605-e0964f33a8d3', name: 'Павлова Ирина Сергеевна', roles: ['auditor'] },
  { username: 'admin', id: 'admin:55ce9356-cdf4-4ae2-9623-9fe7bf6b0b23', name: 'Фёдоров Андрей Викторович', roles: ['admin'] },
];

/**
 * The SNILS the development ЕСИА (services/esia-dev/src/users.ts) gives each demo user: the seeded
 * accounts carry it, so the first sign-in through the provider links the person to their account.
 */
export const DEMO_SNILS: Record<string, string> = {
  'citizen-ivanova': '11223344595',
  'citizen-smirnov': '12345678964',
  'zabota-admin': '10000000009',
  'zabota-staff': '10000000110',
  'rehab-admin': '10000000211',
  'rehab-staff': '10000000312',
  'caseworker-73': '10000000413',
  'caseworker-77': '10000000514',
  'committee-73': '10000000615',
  'finance-73-a': '10000000716',
  'finance-73-b': '10000000817',
  auditor: '10000000918',
  admin: '10000001011',
};
