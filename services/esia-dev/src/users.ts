/**
 * The people the development ЕСИА knows: the marketplace's demo users (their SNILS is how the gateway
 * links them to their seeded accounts) and representatives of organisations that are not registered
 * in the marketplace yet (for NGO onboarding). Claims are shaped as ЕСИА gives them.
 */
export interface EsiaPerson {
  /** ЕСИА's `oid`: the subject, stable for the person. */
  sub: string;
  /** The demo username it stands for (shown on the one-click page). */
  username: string;
  familyName: string;
  givenName: string;
  middleName: string;
  birthdate: string;
  snils: string;
  /** A confirmed (verified) account: identity checked in person or by a qualified signature. */
  trusted: boolean;
  /** For a person acting for an organisation (ЕСИА's legal-entity sign-in). */
  org?: { inn: string; ogrn: string; name: string; position: string };
  description: string;
}

const person = (sub: string, username: string, fullName: string, birthdate: string, snils: string, description: string, org?: EsiaPerson['org']): EsiaPerson => {
  const [familyName = '', givenName = '', middleName = ''] = fullName.split(' ');
  return { sub, username, familyName, givenName, middleName, birthdate, snils, trusted: true, description, ...(org ? { org } : {}) };
};

const ZABOTA = { inn: '7325012347', ogrn: '1027300001233', name: 'АНО «Центр социальной помощи „Забота“»' };
const REHAB = { inn: '7328045679', ogrn: '1157325004561', name: 'ООО «Реабилитация Плюс»' };

export const ESIA_PEOPLE: readonly EsiaPerson[] = [
  person('1000001', 'citizen-ivanova', 'Иванова Мария Петровна', '1956-03-14', '11223344595', 'Гражданка, получатель сертификата'),
  person('1000002', 'citizen-smirnov', 'Смирнов Алексей Игоревич', '1961-11-02', '12345678964', 'Гражданин'),
  person('1000003', 'zabota-admin', 'Кузнецова Ольга Викторовна', '1975-06-21', '10000000009', 'Руководитель «Заботы»', { ...ZABOTA, position: 'Директор' }),
  person('1000004', 'zabota-staff', 'Попов Дмитрий Сергеевич', '1988-01-30', '10000000110', 'Специалист «Заботы»', { ...ZABOTA, position: 'Специалист по социальной работе' }),
  person('1000005', 'rehab-admin', 'Волкова Анна Николаевна', '1979-09-09', '10000000211', 'Руководитель «Реабилитации Плюс»', { ...REHAB, position: 'Генеральный директор' }),
  person('1000006', 'rehab-staff', 'Соколов Игорь Андреевич', '1990-04-17', '10000000312', 'Специалист «Реабилитации Плюс»', { ...REHAB, position: 'Инструктор ЛФК' }),
  person('1000007', 'caseworker-73', 'Морозова Елена Александровна', '1982-12-05', '10000000413', 'Специалист органа соцзащиты, регион 73'),
  person('1000008', 'caseworker-77', 'Новиков Павел Олегович', '1984-07-19', '10000000514', 'Специалист органа соцзащиты, регион 77'),
  person('1000009', 'committee-73', 'Лебедев Сергей Михайлович', '1970-02-11', '10000000615', 'Член комиссии, регион 73'),
  person('1000010', 'finance-73-a', 'Козлова Наталья Ивановна', '1977-10-28', '10000000716', 'Финансист, регион 73'),
  person('1000011', 'finance-73-b', 'Егоров Виктор Павлович', '1973-05-03', '10000000817', 'Финансист, регион 73'),
  person('1000012', 'auditor', 'Павлова Ирина Сергеевна', '1968-08-23', '10000000918', 'Аудитор'),
  person('1000013', 'admin', 'Фёдоров Андрей Викторович', '1980-01-01', '10000001011', 'Администратор маркетплейса'),
  person('2000001', 'ngo-dobro', 'Григорьева Светлана Юрьевна', '1985-03-03', '20000000018', 'Руководитель НКО, ещё не зарегистрированной', {
    inn: '7325000038',
    ogrn: '1027300000034',
    name: 'АНО «Добрые руки»',
    position: 'Директор',
  }),
  person('2000002', 'ngo-svet', 'Тарасов Михаил Ильич', '1979-12-12', '20000000119', 'Руководитель социального предприятия, ещё не зарегистрированного', {
    inn: '7325000045',
    ogrn: '1027300000045',
    name: 'ООО «Свет в окне»',
    position: 'Генеральный директор',
  }),
  person('2000004', 'gbu-head', 'Белова Татьяна Андреевна', '1971-06-30', '20000000321', 'Директор государственного учреждения, внесённого в реестр комиссией', {
    inn: '7325000052',
    ogrn: '1027300000056',
    name: 'ОГБУСО «Комплексный центр социального обслуживания»',
    position: 'Директор',
  }),
  person('2000003', 'rehab-deputy', 'Зайцева Виктория Олеговна', '1986-02-27', '20000000220', 'Заместитель руководителя уже зарегистрированной организации: просит доступ', {
    ...REHAB,
    position: 'Заместитель директора',
  }),
];
