/** @jest-environment jsdom */
import { answer, calls, type Call } from './cabinet-fetch';
import { ThemeProvider } from '@gravity-ui/uikit';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { CertificatesSchemas } from '../src/api/client';
import { CertificatePage } from '../src/pages/citizen/CertificatePage';
import { SessionProvider } from '../src/session/SessionProvider';

const CERTIFICATE_ID = '5d7c1f0e-3b2a-4c69-8e5d-1a2b3c4d5e6f';
const LINE_ID = '9e8d7c6b-5a49-4c3b-8a2f-1e0d9c8b7a65';
const RECIPIENT_ID = '11111111-2222-4333-8444-555555555555';

const certificate: CertificatesSchemas['Certificate'] = {
  id: CERTIFICATE_ID,
  number: '73-2026-0000001',
  status: 'active',
  status_reason: null,
  region_code: '73',
  value: '86400.00',
  gross_amount: '86400.00',
  fee_amount: '0.00',
  released_amount: '0.00',
  general: {
    holder: { recipient_id: RECIPIENT_ID, name: 'Иванова Мария Петровна', snils: '11223344595' },
    issuer: { region_code: '73', issued_by: 'Министерство социального развития Ульяновской области' },
    budget_programme_id: '22222222-3333-4444-8555-666666666666',
    programme_id: '33333333-4444-4555-8666-777777777777',
    issued_on: '2026-11-01',
    valid_from: '2026-11-01',
    valid_to: '2027-10-31',
    fee_calculation: {
      rule: 'free',
      per_capita_income: '15000.00',
      subsistence_minimum: '14000.00',
      limit_coefficient: '1.5',
      limit_income_exact: '21000',
      limit_income: '21000.00',
      monthly_cap_home_and_day_care: { exact: '0', rounded: '0.00' },
      monthly_cap_residential: { exact: '11250', rounded: '11250.00' },
      months: [],
      line_fees: ['0.00'],
      total_fee: '0.00',
      income: { total: '15000.00', persons: 1, exact: '15000', rounded: '15000.00' },
    },
  },
  services: [
    {
      line_id: LINE_ID,
      line_no: 1,
      service_code: 'HOME-HOUSEHOLD-HOUR',
      service_name: 'Помощь по дому',
      form: 'home',
      unit: 'hour',
      volume_per_month: 16,
      months: 12,
      volume: 192,
      unit_cost: '450.00',
      cost_breakdown: {},
      gross_amount: '86400.00',
      fee_amount: '0.00',
      value: '86400.00',
      units_booked: 0,
      units_in_use: 0,
      units_confirmed: 0,
      amount_charged: '0.00',
      providers: [],
    },
  ],
  contracts: [],
  refusal: null,
  ledger_balance: { posted: '86400.00', held: '0.00', available: '86400.00' },
};

const mine: CertificatesSchemas['MyCertificates'] = {
  recipient_id: RECIPIENT_ID,
  items: [
    {
      id: CERTIFICATE_ID,
      number: '73-2026-0000001',
      status: 'active',
      status_reason: null,
      region_code: '73',
      value: '86400.00',
      gross_amount: '86400.00',
      fee_amount: '0.00',
      issued_on: '2026-11-01',
      valid_from: '2026-11-01',
      valid_to: '2027-10-31',
      expires_in_days: 12,
      lines: [
        {
          line_id: LINE_ID,
          line_no: 1,
          service_code: 'HOME-HOUSEHOLD-HOUR',
          service_name: 'Помощь по дому',
          form: 'home',
          unit: 'hour',
          volume_per_month: 16,
          months: 12,
          volume: 192,
          unit_cost: '450.00',
          value: '86400.00',
          units_booked: 0,
          units_in_use: 0,
          units_confirmed: 0,
          units_free: 192,
          available: '37488.01',
          held: '1350.00',
          spent: '47561.99',
          released: '0.00',
        },
      ],
      balance: {
        value: '86400.00',
        available: '37488.01',
        held: '1350.00',
        spent: '47561.99',
        released: '0.00',
        ties_out: true,
        unattributed: { available: '0.00', held: '0.00', spent: '0.00' },
      },
      balance_unavailable: false,
    },
  ],
};

const spaces = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

function route(call: Call) {
  if (call.path === '/api/session') {
    return { body: { user: { id: 'citizen:1', name: 'Иванова Мария Петровна', roles: ['citizen'], snils: '11223344595' }, expires_at: '2099-01-01T00:00:00Z', csrf_token: 't' } };
  }
  if (call.path === `/api/certificates/v1/certificates/${CERTIFICATE_ID}`) return { body: certificate };
  if (call.path === '/api/certificates/v1/me/certificates') return { body: mine };
  return { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'Не найдено' } };
}

function renderPage() {
  const router = createMemoryRouter([{ path: '/cabinet/certificates/:id', element: <CertificatePage /> }], { initialEntries: [`/cabinet/certificates/${CERTIFICATE_ID}`] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <ThemeProvider theme="light" lang="ru">
      <QueryClientProvider client={client}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </ThemeProvider>,
  );
}

/** The value a <dl> inside `scope` gives for a term. */
function definition(scope: HTMLElement, term: string): string {
  const dt = within(scope).getByText(term, { selector: 'dt' });
  return spaces(dt.nextElementSibling?.textContent ?? null);
}

beforeEach(() => {
  calls.length = 0;
  answer(route);
});

test('When a line has 37488.01 available, then the certificate page shows «37 488,01 ₽» for it, to the kopeck', async () => {
  renderPage();
  const heading = await screen.findByRole('heading', { level: 1, name: 'Сертификат № 73-2026-0000001' });
  expect(heading).toBeTruthy();
  const line = (await screen.findByRole('heading', { level: 3, name: '1. Помощь по дому' })).closest('li')!;
  await within(line).findByText(/37\s488,01/);
  expect(definition(line, 'Доступно')).toBe('37 488,01 ₽');
  expect(definition(line, 'Заблокировано до подтверждения актов')).toBe('1 350,00 ₽');
  expect(definition(line, 'Оплачено поставщикам')).toBe('47 561,99 ₽');
  expect(definition(line, 'Стоимость единицы')).toBe('450,00 ₽');
});

test('When the certificate is read, then its three sections, the statement links and the way to book a provider are there', async () => {
  renderPage();
  await screen.findByRole('heading', { level: 3, name: '1. Помощь по дому' });
  for (const name of ['1. Общие сведения', '2. Услуги', '3. Договоры и акты']) expect(screen.getByRole('heading', { level: 2, name })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Выписка (PDF)' }).getAttribute('href')).toBe(`/api/certificates/v1/certificates/${CERTIFICATE_ID}/statement?format=pdf`);
  expect(screen.getByRole('link', { name: 'Выписка (CSV)' }).hasAttribute('download')).toBe(true);
  expect(screen.getByRole('link', { name: 'Выбрать поставщика для услуги «Помощь по дому»' }).getAttribute('href')).toBe(
    `/cabinet/certificates/${CERTIFICATE_ID}/lines/${LINE_ID}/book`,
  );
  expect(await screen.findByText('Сгорает через 12 дней')).toBeTruthy();
  expect(calls.find((c) => c.path.startsWith('/api/certificates/v1/me/certificates'))?.path).toBe('/api/certificates/v1/me/certificates');
});
