import { retryDelayMs } from '../../src/domain/outbound';
import { bookingDeclinedNotices, certificateIssuedNotices } from '../../src/domain/templates';

const declined = { booking_id: '5f0c1f7e-6a43-4a8e-9a55-0d4f1f0b7a11', recipient_snils: '11223344595', region_code: '73', provider_name: 'АНО «Забота»', service_name: 'Социальное такси' };

test('a decline without a reason says what to do next and no empty «Причина»', () => {
  const [notice] = bookingDeclinedNotices({ ...declined, reason: null });
  expect(notice!.body).not.toContain('Причина');
  expect(notice!.body).toContain('выберите другого поставщика');
  expect(notice!.personKey).toBe('citizen:11223344595');
});

test('a reason ending with a full stop is not given a second one', () => {
  expect(bookingDeclinedNotices({ ...declined, reason: 'Нет мест.' })[0]!.body).toContain('Причина: Нет мест. Средства');
});

test('a certificate’s validity is written as a Russian date', () => {
  const [notice] = certificateIssuedNotices({ certificate_id: declined.booking_id, certificate_number: '73-1', recipient_snils: '11223344595', region_code: '73', valid_until: '2027-01-31' });
  expect(notice!.body).toContain('действует до 31.01.2027 включительно');
});

test('e-mail retries wait twice as long each time, at most an hour', () => {
  expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
  expect(retryDelayMs(30, 1000)).toBe(3_600_000);
});

test('days are counted in Russian: 1 день, 3 дня, 7 дней, 21 день, 11 дней', () => {
  const { daysText } = jest.requireActual('../../src/domain/templates') as typeof import('../../src/domain/templates');
  expect([1, 3, 7, 21, 11, 22, 14].map(daysText)).toEqual(['1 день', '3 дня', '7 дней', '21 день', '11 дней', '22 дня', '14 дней']);
});

test('default channels: e-mail for every kind, SMS where a deadline is near; a person’s choice wins; SMS only with a phone', async () => {
  const { outboundDeliveries, chosenChannels } = await import('../../src/domain/channels');
  expect(chosenChannels('act_recorded', undefined)).toEqual(['email', 'sms']);
  expect(chosenChannels('booking_accepted', undefined)).toEqual(['email']);
  expect(chosenChannels('act_recorded', { channels: { act_recorded: [] } })).toEqual([]);
  const [notice] = bookingDeclinedNotices({ ...declined, reason: null });
  const made = outboundDeliveries([notice!], [{ person_key: 'citizen:11223344595', email: null, phone: '+79991234567', channels: {} }]);
  expect(made.map((d) => [d.channel, d.address])).toEqual([['sms', '+79991234567']]);
  expect(outboundDeliveries([notice!], [{ person_key: 'citizen:12345678964', email: 'a@b.ru', phone: null, channels: {} }])).toEqual([]);
});

test('a provider suspended tells the citizen with a booking what happened and to choose another provider', async () => {
  const { refusalRecordedNotices } = await import('../../src/domain/templates');
  const [notice] = refusalRecordedNotices({
    refusal_id: declined.booking_id,
    recipient_snils: '11223344595',
    region_code: '73',
    subject_kind: 'booking',
    subject_id: declined.booking_id,
    code: 'provider_suspended',
    reason: 'Участие поставщика в системе сертификатов приостановлено реестром поставщиков. Поставщик: «АНО «Забота»».',
    next_steps: 'Выберите другого поставщика из списка допущенных для этой услуги',
    appeal: 'Вопросы — в орган социальной защиты населения региона.',
  });
  expect(notice).toMatchObject({ kind: 'refusal_recorded', title: 'Поставщик по вашей записи приостановил работу', subject: { type: 'booking', id: declined.booking_id } });
  expect(notice!.body).toBe(
    'Участие поставщика в системе сертификатов приостановлено реестром поставщиков. Поставщик: «АНО «Забота»». Что делать: Выберите другого поставщика из списка допущенных для этой услуги. Вопросы — в орган социальной защиты населения региона.',
  );
});
