/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { Money } from '../src/components/Money';
import { formatMoney } from '../src/format/money';
import { formatDate, formatDateTime, formatTime } from '../src/format/date';

const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

test('When an amount comes as a decimal string, then it is shown as roubles with a comma and grouped thousands', () => {
  expect(spaces(formatMoney('1234.5'))).toBe('1 234,50 ₽');
  expect(spaces(formatMoney('0.01'))).toBe('0,01 ₽');
  expect(spaces(formatMoney('-37488.00'))).toBe('-37 488,00 ₽');
});

test('When an amount has more digits than a double holds, then not a kopeck is lost', () => {
  // 2^53 + 1 roubles and 1 kopeck: Number() would round it to ...992.
  expect(spaces(formatMoney('9007199254740993.01'))).toBe('9 007 199 254 740 993,01 ₽');
});

test('When a value is not a decimal string, then formatting refuses it instead of guessing', () => {
  expect(() => formatMoney('12,50')).toThrow(/not a decimal/);
  expect(() => formatMoney(1234 as unknown as string)).toThrow(/not a decimal/);
});

test('When the Money component gets an amount, then the page reads it in Russian format', () => {
  render(<Money amount="86400.00" />);
  expect(spaces(screen.getByText(/₽/).textContent!)).toBe('86 400,00 ₽');
});

test('When dates are shown, then a calendar date is дд.мм.гггг as is and an instant is by the region\'s clock (Ulyanovsk, UTC+4)', () => {
  expect(formatDate('2026-12-07')).toBe('07.12.2026');
  // 20:30 UTC is still 6 December in Moscow but already 7 December in Ulyanovsk.
  expect(formatDate('2026-12-06T20:30:00Z')).toBe('07.12.2026');
  expect(formatDateTime('2026-12-06T20:30:00Z')).toBe('07.12.2026 00:30 (МСК+1)');
  expect(formatTime('2026-12-06T20:30:00Z')).toBe('00:30');
});
