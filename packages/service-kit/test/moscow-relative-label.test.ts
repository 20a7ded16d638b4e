import { moscowRelativeLabel } from '../src/business-time';

test('When a region’s clock is named for a person, then it is counted from Moscow’s: МСК+1 in Ulyanovsk, МСК−1 in Kaliningrad, МСК in Moscow', () => {
  const at = new Date('2026-12-06T20:30:00Z');
  expect(moscowRelativeLabel(at, 'Europe/Ulyanovsk')).toBe('МСК+1');
  expect(moscowRelativeLabel(at, 'Europe/Kaliningrad')).toBe('МСК−1');
  expect(moscowRelativeLabel(at, 'Europe/Moscow')).toBe('МСК');
  expect(moscowRelativeLabel(at, 'Asia/Vladivostok')).toBe('МСК+7');
});
