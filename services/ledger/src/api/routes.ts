import { Router } from 'express';
import type { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, parseInput, problemBody, PROBLEM_CONTENT_TYPE, requireAccess, sendJson, statusOf, type AccessRule, type ErrorKind } from '@esc/service-kit';
import { type FastRoute } from '@esc/service-kit/hot';
import * as accounts from '../domain/accounts';
import { listAccounts, listEntries } from '../data-access/account-store';
import { checkInvariants } from '../data-access/invariants-store';
import { TRANSFER_ERROR_DETAILS, type TransferErrorCode } from '../domain/errors';
import { getTransfer, reverseTransfer } from '../domain/transfer-queries';
import type { TransferBatcher } from '../domain/transfer-batcher';
import type { TransferOutcome } from '../domain/model';
import * as schemas from './schemas';
import { accountJson, balanceAtJson, entryJson, transferJson } from './presenters';

const canRead = requireAccess({ scopes: ['ledger:read', 'ledger:write'], roles: ['auditor'] });
const WRITE_ACCESS: AccessRule = { scopes: ['ledger:write'] };
const canWrite = requireAccess(WRITE_ACCESS);

const kindOfTransferError: Partial<Record<TransferErrorCode, ErrorKind>> = {
  account_not_found: 'not_found',
  pending_not_found: 'not_found',
  exists_with_different_fields: 'conflict',
  pending_already_resolved: 'conflict',
  pending_expired: 'conflict',
  already_reversed: 'conflict',
};

export function ledgerRouter(orm: MikroORM, batcher: TransferBatcher): Router {
  const router = Router();
  // A fresh identity map per use; the transfer path skips the ORM entirely.
  const em = () => orm.em.fork();

  // The hot path first: every route above it is a failed match per request.
  router.post('/v1/transfers', canWrite, async (req, res) => {
    const answer = await applyTransfers(batcher, req.body);
    sendJson(res, answer.status, answer.body, answer.contentType);
  });

  router.post('/v1/accounts', canWrite, async (req, res) => {
    const body = parseInput(schemas.openAccountBody, req.body);
    const { account, created } = await accounts.openAccount(em(), toOpenAccountCommand(body));
    res.status(created ? 201 : 200).json(accountJson(account));
  });

  router.post('/v1/accounts/batch', canWrite, async (req, res) => {
    const body = parseInput(schemas.openAccountsBody, req.body);
    const results = await accounts.openAccounts(orm, body.accounts.map(toOpenAccountCommand));
    sendJson(res, 200, {
      results,
      created: results.filter((r) => r.status === 'created').length,
      existed: results.filter((r) => r.status === 'exists').length,
      failed: results.filter((r) => r.status === 'failed').length,
    });
  });

  router.get('/v1/accounts', canRead, async (req, res) => {
    const query = parseInput(schemas.listAccountsQuery, req.query);
    const rows = await listAccounts(em(), {
      ownerType: query.owner_type,
      ownerId: query.owner_id,
      code: query.code,
      regionCode: query.region_code,
      after: query.after,
      limit: query.limit,
    });
    res.json({ items: rows.map(accountJson), next_cursor: rows.length === query.limit ? rows[rows.length - 1]!.id : null });
  });

  router.get('/v1/accounts/:id', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(accountJson(await accounts.getAccount(em(), id)));
  });

  router.get('/v1/accounts/:id/entries', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.entriesQuery, req.query);
    await accounts.getAccount(em(), id);
    const rows = await listEntries(em(), id, {
      afterSeq: query.after_seq,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    res.json({ items: rows.map(entryJson), next_cursor: rows.length === query.limit ? rows[rows.length - 1]!.seq : null });
  });

  router.get('/v1/accounts/:id/balance', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.balanceQuery, req.query);
    const at = query.at ? new Date(query.at) : new Date();
    const { account, balances, lastEntrySeq } = await accounts.balanceAt(em(), id, at);
    res.json(balanceAtJson(account, at, balances, lastEntrySeq));
  });

  router.get('/v1/transfers/:id', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const view = await getTransfer(em(), id);
    if (view.transfer.rejection) {
      throw new AppError('not_found', 'transfer_rejected', `Transfer ${id} was rejected: ${TRANSFER_ERROR_DETAILS[view.transfer.rejection]}`, {
        rejection: view.transfer.rejection,
      });
    }
    res.json(transferJson(view));
  });

  router.post('/v1/transfers/:id/reverse', canWrite, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.reverseBody, req.body);
    const { view, created } = await reverseTransfer(
      em(),
      { transferId: id, reversalId: body.id, reference: body.reference },
      (group) => batcher.submit(group),
    );
    res.status(created ? 201 : 200).json(transferJson(view));
  });

  router.get('/v1/audit/invariants', canRead, async (_req, res) => {
    res.json(await checkInvariants(em()));
  });

  return router;
}

async function applyTransfers(batcher: TransferBatcher, body: unknown) {
  const { transfers } = parseInput(schemas.transferBatchBody, body);
  return transferResultsAnswer(await batcher.submit(transfers.map(schemas.toTransferRequest)));
}

/** A lone failed transfer answers as a problem; otherwise every transfer's outcome with counts. */
function transferResultsAnswer(outcomes: TransferOutcome[]): { status: number; body: unknown; contentType?: string } {
  const results = outcomes.map((o) => (o.status === 'failed' ? { ...o, detail: TRANSFER_ERROR_DETAILS[o.code] } : o));
  const only = results[0]!;
  if (results.length === 1 && only.status === 'failed') {
    const status = statusOf(kindOfTransferError[only.code] ?? 'unprocessable');
    return { status, body: problemBody(status, only.code, only.detail, { results }), contentType: PROBLEM_CONTENT_TYPE };
  }
  let created = 0;
  let existed = 0;
  for (const r of results) {
    if (r.status === 'created') created++;
    else if (r.status === 'exists') existed++;
  }
  return { status: 200, body: { results, created, existed, failed: results.length - created - existed } };
}

/** POST /v1/transfers, the ledger's hot path, also served in front of Express with the same handler. */
export function ledgerFastRoutes(batcher: TransferBatcher): FastRoute[] {
  return [{ method: 'POST', path: /^\/v1\/transfers$/, access: WRITE_ACCESS, handle: ({ body }) => applyTransfers(batcher, body) }];
}

function toOpenAccountCommand(body: z.infer<typeof schemas.openAccountBody>): accounts.OpenAccountCommand {
  return {
    id: body.id,
    ledger: body.ledger,
    code: body.code,
    owner: body.owner,
    regionCode: body.region_code,
    flags: body.flags && {
      debitsMustNotExceedCredits: body.flags.debits_must_not_exceed_credits,
      creditsMustNotExceedDebits: body.flags.credits_must_not_exceed_debits,
    },
    metadata: body.metadata,
  };
}
