import { respondBy } from '../../src/domain/provider-cabinet';
import { shortName } from '../../src/api/provider-cabinet-routes';

test('When a booking is requested, then the provider has two working days after that day to answer, days off not counted', () => {
  expect(respondBy('2026-12-07')).toBe('2026-12-09'); // Monday → Wednesday
  expect(respondBy('2026-12-04')).toBe('2026-12-08'); // Friday → Tuesday
  expect(respondBy('2026-12-05')).toBe('2026-12-08'); // Saturday → Tuesday
});

test('When the provider reads whom it serves, then it gets the surname and initials, without a missing patronymic', () => {
  expect(shortName('Иванова', 'Мария', 'Петровна')).toBe('Иванова М. П.');
  expect(shortName('Смит', 'Джон', null)).toBe('Смит Д.');
});
