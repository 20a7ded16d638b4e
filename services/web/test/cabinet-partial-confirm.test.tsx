/** @jest-environment jsdom */
import { answer, calls } from './cabinet-fetch';
import { ThemeProvider } from '@gravity-ui/uikit';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PartialConfirmForm, type ActSummary } from '../src/pages/citizen/acts/PartialConfirmForm';

const ACT: ActSummary = { id: '0b9a1c52-4f8e-4a43-9d61-3c1f6a7b2e10', units: 4, unit: 'посещений', delivered_on: '2026-12-07' };
const CONFIRM_PATH = `/api/certificates/v1/deliveries/${ACT.id}/confirm`;

function renderForm() {
  const onDone = jest.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <ThemeProvider theme="light" lang="ru">
      <QueryClientProvider client={client}>
        <PartialConfirmForm act={ACT} onDone={onDone} onCancel={() => undefined} />
      </QueryClientProvider>
    </ThemeProvider>,
  );
  const units = screen.getByLabelText('Сколько единиц услуги оказано на самом деле');
  const reason = screen.getByLabelText('Почему вы не согласны с остальным');
  const submit = screen.getByRole('button', { name: 'Отправить частичное подтверждение' });
  return { onDone, units, reason, submit };
}

/** The error shown next to a control: the text its aria-describedby points to. */
function errorNextTo(control: HTMLElement): string {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

beforeEach(() => {
  calls.length = 0;
});

test('When the form is sent empty, then both fields say what is missing, the summary takes focus and nothing is sent', async () => {
  const user = userEvent.setup();
  const { units, reason, submit } = renderForm();
  await user.click(submit);

  const summary = await screen.findByRole('alert');
  expect(summary).toHaveProperty('tabIndex', -1);
  await waitFor(() => expect(document.activeElement).toBe(summary));
  // …and keeps it: nothing (such as the form library focusing the first field a tick later) takes it away.
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  expect(document.activeElement).toBe(summary);
  expect(errorNextTo(units)).toMatch(/Укажите, сколько единиц/);
  expect(errorNextTo(reason)).toMatch(/Опишите, что было не так/);
  expect(units.getAttribute('aria-invalid')).toBe('true');
  expect(summary.textContent).toMatch(/Укажите, сколько единиц/);
  expect(calls).toEqual([]);
});

test.each([
  ['0', /больше нуля/],
  ['4', /меньше 4.*подтвердите акт полностью/],
  ['7', /меньше 4/],
  ['2,5', /целое число/],
  ['-1', /целое число/],
])('When %s units are entered for an act of 4, then the field refuses it and nothing is sent', async (value, message) => {
  const user = userEvent.setup();
  const { units, reason, submit } = renderForm();
  await user.type(units, value);
  await user.type(reason, 'Специалист не пришёл 5 декабря');
  await user.click(submit);
  await waitFor(() => expect(errorNextTo(units)).toMatch(message));
  expect(errorNextTo(reason)).toBe('');
  expect(calls).toEqual([]);
});

test('When 3 of 4 units and a reason are entered, then the confirmation is sent with units as an integer and the reason', async () => {
  answer(() => ({ body: { id: ACT.id, status: 'posted', resolution: 'partly_disputed', units: 4, confirmed_units: 3 } }));
  const user = userEvent.setup();
  const { onDone, units, reason, submit } = renderForm();
  await user.type(units, ' 3 ');
  await user.type(reason, 'Специалист не пришёл 5 декабря');
  await user.click(submit);

  await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
  expect(calls).toEqual([{ method: 'POST', path: CONFIRM_PATH, body: { units: 3, dispute_reason: 'Специалист не пришёл 5 декабря' } }]);
  const sent = calls[0]!.body as { units: unknown };
  expect(Number.isInteger(sent.units)).toBe(true);
});

test('When the server refuses a field, then its message appears next to that field and the summary takes focus', async () => {
  answer(() => ({
    status: 400,
    body: {
      type: 'urn:esc:problem:validation_failed',
      title: 'Bad Request',
      status: 400,
      code: 'validation_failed',
      detail: 'Проверьте данные формы.',
      errors: [
        { field: 'body.units', message: 'В акте уже подтверждено меньше единиц, чем вы указали' },
        { field: 'body.dispute_reason', message: 'Причина не должна состоять из одних пробелов' },
      ],
    },
  }));
  const user = userEvent.setup();
  const { onDone, units, reason, submit } = renderForm();
  await user.type(units, '2');
  await user.type(reason, 'Не пришли');
  await user.click(submit);

  const summary = await screen.findByRole('alert');
  await waitFor(() => expect(document.activeElement).toBe(summary));
  expect(errorNextTo(units)).toBe('В акте уже подтверждено меньше единиц, чем вы указали');
  expect(errorNextTo(reason)).toBe('Причина не должна состоять из одних пробелов');
  const link = screen.getByRole('link', { name: 'В акте уже подтверждено меньше единиц, чем вы указали' });
  expect(link.getAttribute('href')).toBe(`#${units.id}`);
  await act(async () => link.click());
  expect(document.activeElement).toBe(units);
  expect(onDone).not.toHaveBeenCalled();
  expect(calls).toHaveLength(1);
});
