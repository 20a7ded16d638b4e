/** «14 000,50» or «14000.5» as the API's decimal string «14000.50»; null when it is not an amount. The text never becomes a float. */
export function parseRoubles(text: string): string | null {
  const compact = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  const match = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  return `${match[1]}.${(match[2] ?? '').padEnd(2, '0')}`;
}

/** ДД.ММ.ГГГГ as YYYY-MM-DD, when it is a real past date. */
export function parseBirthDate(text: string): string | null {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const iso = `${match[3]}-${match[2]}-${match[1]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso || date.getTime() > Date.now()) return null;
  return iso;
}
