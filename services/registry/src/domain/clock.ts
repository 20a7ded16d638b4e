/** Today's date in Moscow time (the region works on its civil date, not UTC's). */
export function today(now: Date = new Date()): string {
  return new Date(now.getTime() + 3 * 3600_000).toISOString().slice(0, 10);
}
