/** @jest-environment jsdom */
import './navigator-setup';
import { sumAmounts } from '../src/format/amounts';
import { actStage } from '../src/pages/provider/ActsPage';
import { parseRuDate } from '../src/format/date';
import { formatPeriod } from '../src/pages/provider/MoneyPage';

test('When acts’ amounts are added up, then the sum is exact to the kopeck, beyond what a double holds', () => {
  expect(sumAmounts(['591.04', '295.5', '0.01'])).toBe('886.55');
  expect(sumAmounts([])).toBe('0.00');
  expect(sumAmounts(['9007199254740993.01', '0.99'])).toBe('9007199254740994.00');
  expect(sumAmounts(['10.00', '-10.01'])).toBe('-0.01');
});

test('When an act moves from held to confirmed, partly confirmed, disputed or posted automatically, then its stage says so in words', () => {
  expect(actStage({ status: 'held', resolution: null, refusal_code: null }).text).toBe('Ждёт подтверждения получателя');
  expect(actStage({ status: 'posted', resolution: 'confirmed', refusal_code: null })).toEqual({ text: 'Подтверждён получателем, проведён к оплате', tone: 'success' });
  expect(actStage({ status: 'posted', resolution: 'partly_disputed', refusal_code: null }).tone).toBe('warning');
  expect(actStage({ status: 'posted', resolution: 'auto_confirmed', refusal_code: null }).text).toMatch(/автоматически/);
  expect(actStage({ status: 'voided', resolution: 'disputed', refusal_code: null }).text).toBe('Оспорен получателем, не оплачивается');
  expect(actStage({ status: 'refused', resolution: null, refusal_code: 'insufficient_balance' }).text).toBe('Не принят: недостаточно средств');
});

test('When a date is typed as people write it, then the act gets the calendar date, and a date that does not exist is refused', () => {
  expect(parseRuDate('07.12.2026')).toBe('2026-12-07');
  expect(parseRuDate(' 2026-12-07 ')).toBe('2026-12-07');
  expect(parseRuDate('31.02.2026')).toBeNull();
  expect(parseRuDate('7.12.2026')).toBeNull();
  expect(formatPeriod('2026-12')).toBe('декабрь 2026 г.');
});
