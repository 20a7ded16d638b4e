/** Timestamps come back from raw queries as strings or Dates depending on the driver's parsers; answers carry ISO 8601. */
export const iso = (value: Date | string): string => new Date(value).toISOString();
export const isoOrNull = (value: Date | string | null | undefined): string | null => (value == null ? null : iso(value));
