/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { deadlineText, daysBetween, formatSnils } from '../src/pages/caseworker/desk';
import { FeeFormula, formatDecimal } from '../src/pages/caseworker/FeeFormula';
import { parseBirthDate, parseRoubles } from '../src/pages/caseworker/parse';

const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

test('When a deadline is measured against the region\'s today, then it reads in words: overdue, the last day, or days left', () => {
  expect(daysBetween('2026-12-01', '2026-12-07')).toBe(6);
  expect(deadlineText('2026-12-04', '2026-12-07')).toBe('просрочено на 3 дня');
  expect(deadlineText('2026-12-06', '2026-12-07')).toBe('просрочено на 1 день');
  expect(deadlineText('2026-12-07', '2026-12-07')).toBe('сегодня последний день');
  expect(deadlineText('2026-12-14', '2026-12-07')).toBe('осталось 7 дней');
  // Across the change to winter time nothing shifts: calendar dates, not instants.
  expect(deadlineText('2027-03-29', '2027-03-27')).toBe('осталось 2 дня');
});

test('When amounts and SNILS are typed or shown, then they keep every digit and never pass through a float', () => {
  expect(parseRoubles('14 000,50')).toBe('14000.50');
  expect(parseRoubles('14000.5')).toBe('14000.50');
  expect(parseRoubles('0')).toBe('0.00');
  expect(parseRoubles('999999999999,99')).toBe('999999999999.99');
  expect(parseRoubles('12,345')).toBeNull();
  expect(parseRoubles('-5')).toBeNull();
  expect(parseRoubles('много')).toBeNull();
  expect(parseBirthDate('12.03.1948')).toBe('1948-03-12');
  expect(parseBirthDate('31.02.1950')).toBeNull();
  expect(parseBirthDate('1948-03-12')).toBeNull();
  expect(formatSnils('11223344595')).toBe('112-233-445 95');
  expect(spaces(formatDecimal('416.665'))).toBe('416,665');
  expect(spaces(formatDecimal('17499.9975'))).toBe('17 499,9975');
  expect(formatDecimal('1.500')).toBe('1,5');
});

test('When the fee is capped, then the formula shows I, L, the cap worked out and each month\'s fee split over the lines', () => {
  render(
    <FeeFormula
      lineNames={['Социально-бытовые услуги на дому', 'Психолог']}
      fee={{
        rule: 'capped',
        per_capita_income: '23333.33',
        subsistence_minimum: '15000.00',
        limit_coefficient: '1.5',
        limit_income_exact: '22500',
        limit_income: '22500.00',
        monthly_cap_home_and_day_care: { exact: '416.665', rounded: '416.67' },
        monthly_cap_residential: { exact: '17499.9975', rounded: '17500.00' },
        months: [{ month: 1, category: 'home_and_day_care', cost: '10065.20', fee: '416.67', per_line: ['258.65', '158.02'] }],
        line_fees: ['258.65', '158.02'],
        total_fee: '416.67',
        income: { total: '46666.66', persons: 2, exact: '23333.33', rounded: '23333.33' },
      }}
    />,
  );
  const text = spaces(document.body.textContent!);
  expect(text).toContain('Среднедушевой доход I = доходы семьи 46 666,66 ₽ ÷ 2 чел. = 23 333,33 ₽ ≈ 23 333,33 ₽');
  expect(text).toContain('L = 1,5 × прожиточный минимум 15 000,00 ₽ = 22 500,00 ₽');
  expect(text).toContain('50 % × (I − L) = 50 % × (23 333,33 ₽ − 22 500,00 ₽) = 416,665 ₽ ≈ 416,67 ₽');
  expect(screen.getByRole('table', { name: 'Плата по месяцам' })).toBeTruthy();
  expect(text).toContain('Психолог: 158,02 ₽');
  expect(text).toContain('Плата за весь срок: 416,67 ₽');
});

test('When the income is at or below the limit, then the formula says the services are free', () => {
  render(
    <FeeFormula
      lineNames={['Социально-бытовые услуги на дому']}
      fee={{
        rule: 'free',
        per_capita_income: '14000.00',
        subsistence_minimum: '15000.00',
        limit_coefficient: '1.5',
        limit_income_exact: '22500',
        limit_income: '22500.00',
        monthly_cap_home_and_day_care: { exact: '0', rounded: '0.00' },
        monthly_cap_residential: { exact: '10500', rounded: '10500.00' },
        months: [],
        line_fees: ['0.00'],
        total_fee: '0.00',
        income: { total: '14000.00', persons: 1, exact: '14000', rounded: '14000.00' },
      }}
    />,
  );
  expect(spaces(document.body.textContent!)).toContain('I ≤ L: услуги предоставляются бесплатно');
  expect(screen.queryByRole('table')).toBeNull();
});
