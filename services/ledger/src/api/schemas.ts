import { Money, MONEY_PATTERN } from '@esc/money';
import { z } from 'zod';
import { ACCOUNT_CODES } from '../domain/chart';
import type { TransferRequest } from '../domain/model';

const moneyPattern = new RegExp(MONEY_PATTERN);

const positiveAmount = z
  .string({ error: 'must be a decimal string such as "1234.50"' })
  .regex(moneyPattern, { error: 'must be a decimal string with at most two decimals, such as "1234.50"', abort: true })
  .transform((s) => Money.parse(s))
  .refine((amount) => amount.isPositive(), 'must be greater than zero');

const regionCode = z.string().regex(/^[0-9]{2}$/, 'must be a two-digit region code such as "73"');

export const openAccountBody = z.strictObject({
  id: z.uuid(),
  ledger: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as "RUB"'),
  code: z.enum(ACCOUNT_CODES),
  owner: z.strictObject({ type: z.string().min(1).max(64), id: z.string().min(1).max(128) }),
  region_code: regionCode,
  flags: z
    .strictObject({ debits_must_not_exceed_credits: z.boolean().optional(), credits_must_not_exceed_debits: z.boolean().optional() })
    .optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((m) => JSON.stringify(m).length <= 4096, 'must be at most 4 KB of JSON')
    .default({}),
});

export const openAccountsBody = z.strictObject({
  accounts: z.array(openAccountBody).min(1, 'must hold at least one account').max(8000, 'may hold at most 8,000 accounts; split the batch'),
});

export const listAccountsQuery = z.strictObject({
  owner_type: z.string().max(64).optional(),
  owner_id: z.string().max(128).optional(),
  code: z.enum(ACCOUNT_CODES).optional(),
  region_code: regionCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.uuid().optional(),
});

export const entriesQuery = z.strictObject({
  // 18 digits: a 19-digit number may not fit a bigint (the query would fail); sequences stay far below 10^18.
  after_seq: z.string().regex(/^[0-9]{1,18}$/, 'must be a sequence number from next_cursor').optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const balanceQuery = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });

export const idParam = z.object({ id: z.uuid() });

const transferCode = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'must be lower-case letters, digits, "_" or "." (e.g. issue_certificate)');

export const openHoldsQuery = z.strictObject({
  placed_before: z.iso.datetime({ offset: true }),
  code: transferCode.optional(),
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const transferInput = z
  .strictObject({
    id: z.uuid(),
    debit_account_id: z.uuid().optional(),
    credit_account_id: z.uuid().optional(),
    amount: positiveAmount.optional(),
    code: transferCode.optional(),
    reference: z.string().max(200).optional(),
    flags: z
      .strictObject({
        linked: z.boolean().optional(),
        pending: z.boolean().optional(),
        post_pending: z.boolean().optional(),
        void_pending: z.boolean().optional(),
      })
      .optional(),
    pending_id: z.uuid().optional(),
    timeout_seconds: z.number().int().min(0).max(31_536_000).optional(),
  })
  .superRefine((t, ctx) => {
    const flags = t.flags ?? {};
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const kinds = [flags.pending, flags.post_pending, flags.void_pending].filter(Boolean).length;
    if (kinds > 1) issue('flags', 'may set only one of pending, post_pending and void_pending');
    const resolvesHold = flags.post_pending || flags.void_pending;
    if (resolvesHold) {
      if (!t.pending_id) issue('pending_id', 'is required with post_pending or void_pending');
      if (flags.void_pending && t.amount !== undefined) issue('amount', 'is not allowed with void_pending: a void releases the whole hold');
    } else {
      if (t.pending_id) issue('pending_id', 'is allowed only with post_pending or void_pending');
      if (!t.debit_account_id) issue('debit_account_id', 'is required');
      if (!t.credit_account_id) issue('credit_account_id', 'is required');
      if (t.amount === undefined) issue('amount', 'is required');
      if (!t.code) issue('code', 'is required');
    }
    if (t.timeout_seconds && !flags.pending) issue('timeout_seconds', 'is allowed only with flags.pending');
    if (t.debit_account_id && t.debit_account_id === t.credit_account_id) {
      issue('credit_account_id', 'must differ from debit_account_id: a transfer moves money between two accounts');
    }
  });

export const transferBatchBody = z.strictObject({
  transfers: z.array(transferInput).min(1, 'must hold at least one transfer').max(8000, 'may hold at most 8,000 transfers; split the batch'),
});

export const reverseBody = z.strictObject({ id: z.uuid(), reference: z.string().max(200).optional() });

export function toTransferRequest(t: z.infer<typeof transferInput>): TransferRequest {
  return {
    id: t.id,
    debitAccountId: t.debit_account_id,
    creditAccountId: t.credit_account_id,
    amount: t.amount,
    code: t.code,
    reference: t.reference,
    flags: {
      linked: t.flags?.linked ?? false,
      pending: t.flags?.pending ?? false,
      postPending: t.flags?.post_pending ?? false,
      voidPending: t.flags?.void_pending ?? false,
    },
    pendingId: t.pending_id,
    timeoutSeconds: t.timeout_seconds ?? 0,
  };
}
