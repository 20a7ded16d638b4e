/**
 * The one rule for money strings on the wire and in the database (numeric(20,2)):
 * optional minus, no leading zeros, at most 18 integer digits, at most 2 decimals.
 * A string, so it can be dropped into JSON Schema / OpenAPI `pattern`.
 */
export const MONEY_PATTERN = '^-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,2})?$';

const MONEY_REGEX = new RegExp(MONEY_PATTERN);

// Same shape without the length limits, so parse can say *why* a string is rejected.
const DECIMAL_SHAPE = /^-?(0|[1-9][0-9]*)(\.([0-9]+))?$/;

export const MAX_INTEGER_DIGITS = 18;
export const MAX_DECIMALS = 2;

export type MoneyFormatReason = 'not_a_string' | 'format' | 'too_many_decimals' | 'too_large';

export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';

  constructor(
    readonly reason: MoneyFormatReason,
    message: string,
  ) {
    super(message);
  }
}

export function isMoneyString(s: unknown): s is string {
  return typeof s === 'string' && MONEY_REGEX.test(s);
}

/** Validates a money string and returns it unchanged; throws MoneyFormatError otherwise. */
export function assertMoneyString(input: unknown): string {
  if (typeof input !== 'string') {
    throw new MoneyFormatError('not_a_string', `Money amount must be a string, got ${typeof input}`);
  }
  const match = DECIMAL_SHAPE.exec(input);
  if (!match) {
    throw new MoneyFormatError('format', `Money amount must look like "1234.50", got ${preview(input)}`);
  }
  const integerDigits = match[1] ?? '';
  const decimals = match[3] ?? '';
  if (decimals.length > MAX_DECIMALS) {
    throw new MoneyFormatError('too_many_decimals', `Money amount has more than ${MAX_DECIMALS} decimals: ${preview(input)}`);
  }
  if (integerDigits.length > MAX_INTEGER_DIGITS) {
    throw new MoneyFormatError('too_large', `Money amount must be below 10^${MAX_INTEGER_DIGITS} in absolute value: ${preview(input)}`);
  }
  return input;
}

function preview(input: string): string {
  return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
}
