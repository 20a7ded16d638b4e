const moscowTime = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });

/** чч:мм in Moscow time, the clock the deadlines are kept by. */
export function formatTime(value: string): string {
  return moscowTime.format(new Date(value));
}
