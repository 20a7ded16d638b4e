import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// A SNILS (11 digits, bare or as 123-456-789 01) or a JWT anywhere in a logged string.
const SNILS = /(?<![\d-])\d{3}-?\d{3}-?\d{3}[ -]?\d{2}(?![\d-])/g;
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+/g;

/** Masks what must never reach a log in full: SNILS (all but the last two digits) and tokens. */
export function maskPersonalData(text: string): string {
  return text.replace(SNILS, (snils) => `***-***-*** ${snils.slice(-2)}`).replace(JWT, '[token]');
}

function masked(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return masked(pino.stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => masked(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = masked(item, depth + 1);
  return copy;
}

/**
 * The service's logger. Secrets and personal data are cut at the source: headers with credentials,
 * passwords and names are redacted by path; SNILS and tokens are masked wherever they appear, in the
 * message, in a logged object or in an error's message and detail (a database error quotes the key it
 * refused).
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.client_secret',
          '*.access_token',
          '*.token',
          '*.full_name',
          '*.last_name',
          '*.first_name',
          '*.patronymic',
        ],
        censor: '[redacted]',
      },
      formatters: { log: (object) => masked(object, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
