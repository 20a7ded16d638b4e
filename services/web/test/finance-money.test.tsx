import { addMoney, fromKopecks, sameMoney, toKopecks } from '../src/format/amounts';
import { nextPeriod, periodName, previousPeriod } from '../src/pages/finance/periods';

test('When the tie-out adds amounts beyond what a double holds, then not a kopeck is lost', () => {
  expect(addMoney('9007199254740993.01', '0.99')).toBe('9007199254740994.00');
  expect(addMoney('0.1', '0.2')).toBe('0.30');
  expect(addMoney('100.00', '-250.5')).toBe('-150.50');
  expect(toKopecks('-0.05')).toBe(-5n);
  expect(fromKopecks(-5n)).toBe('-0.05');
  expect(sameMoney('10', '10.00')).toBe(true);
  expect(sameMoney('10.01', '10.00')).toBe(false);
});

test('When periods are named and stepped, then the year turns at December and January', () => {
  expect(periodName('2026-12')).toBe('декабрь 2026');
  expect(nextPeriod('2026-12')).toBe('2027-01');
  expect(nextPeriod('2026-03')).toBe('2026-04');
  expect(previousPeriod('2027-01-15')).toBe('2026-12');
  expect(previousPeriod('2026-10-01')).toBe('2026-09');
});
