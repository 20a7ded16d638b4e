const TIME_ZONE = 'Europe/Moscow';

const dateTime = new Intl.DateTimeFormat('ru-RU', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('ru-RU', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });

/** дд.мм.гггг; a calendar date (YYYY-MM-DD) is shown as it is, never shifted by a time zone. */
export function formatDate(value: string): string {
  const calendar = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (calendar) return `${calendar[3]}.${calendar[2]}.${calendar[1]}`;
  return dateOnly.format(new Date(value));
}

/** дд.мм.гггг, чч:мм in Moscow time. */
export function formatDateTime(value: string): string {
  return `${dateTime.format(new Date(value)).replace(',', '')} (МСК)`;
}

/** «N дней» with the right Russian plural. */
export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export const days = (n: number) => `${n} ${plural(n, 'день', 'дня', 'дней')}`;
