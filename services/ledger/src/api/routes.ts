import { Router } from 'express';
import type { z } from 'zod';
import { parseInput, problemBody, PROBLEM_CONTENT_TYPE, requireAccess, sendJson, statusOf, type AccessRule, type ErrorKind, type Principal } from '@esc/service-kit';
import { type FastRoute } from '@esc/service-kit/hot';
import * as accounts from '../domain/accounts';
import type { Deps } from '../domain/context';
import type { TransferErrorCode } from '../domain/errors';
import { checkInvariants } from '../domain/invariants';
import type { TransferOutcome } from '../domain/model';
import { getTransfer, listOpenHolds, reverseTransfer } from '../domain/transfer-queries';
import { applyTransfers } from '../domain/transfers';
import * as schemas from './schemas';
import {
  accountBatchResultView,
  accountView,
  balanceAtView,
  entryView,
  invariantReportView,
  transferBatchResultView,
  transferResultViews,
  transferView,
} from './presenters';

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

export function ledgerRouter(deps: Deps): Router {
  const router = Router();

  // The hot path first: every route above it is a failed match per request.
  router.post('/v1/transfers', canWrite, async (req, res) => {
    const answer = await postTransfers(deps, req.principal!, req.body);
    sendJson(res, answer.status, answer.body, answer.contentType);
  });

  router.post('/v1/accounts', canWrite, async (req, res) => {
    const body = parseInput(schemas.openAccountBody, req.body);
    const { account, created } = await accounts.openAccount(deps, req.principal!, toOpenAccountInput(body));
    res.status(created ? 201 : 200).json(accountView(account));
  });

  router.post('/v1/accounts/batch', canWrite, async (req, res) => {
    const body = parseInput(schemas.openAccountsBody, req.body);
    const results = await accounts.openAccounts(deps, req.principal!, { accounts: body.accounts.map(toOpenAccountInput) });
    sendJson(res, 200, accountBatchResultView(results));
  });

  router.get('/v1/accounts', canRead, async (req, res) => {
    const query = parseInput(schemas.listAccountsQuery, req.query);
    const rows = await accounts.listAccounts(deps, req.principal!, {
      ownerType: query.owner_type,
      ownerId: query.owner_id,
      code: query.code,
      regionCode: query.region_code,
      after: query.after,
      limit: query.limit,
    });
    res.json({ items: rows.map(accountView), next_cursor: rows.length === query.limit ? rows[rows.length - 1]!.id : null });
  });

  router.get('/v1/accounts/:id', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(accountView(await accounts.getAccount(deps, req.principal!, { id })));
  });

  router.get('/v1/accounts/:id/entries', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.entriesQuery, req.query);
    const rows = await accounts.listEntries(deps, req.principal!, {
      id,
      afterSeq: query.after_seq,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    res.json({ items: rows.map(entryView), next_cursor: rows.length === query.limit ? rows[rows.length - 1]!.seq : null });
  });

  router.get('/v1/accounts/:id/balance', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.balanceQuery, req.query);
    const at = query.at ? new Date(query.at) : new Date();
    res.json(balanceAtView(await accounts.balanceAt(deps, req.principal!, { id, at }), at));
  });

  router.get('/v1/transfers/:id', canRead, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(transferView(await getTransfer(deps, req.principal!, { id })));
  });

  router.get('/v1/holds', canRead, async (req, res) => {
    const query = parseInput(schemas.openHoldsQuery, req.query);
    const holds = await listOpenHolds(deps, req.principal!, { placedBefore: new Date(query.placed_before), code: query.code, after: query.after, limit: query.limit });
    res.json({ items: holds.map(transferView), next_cursor: holds.length === query.limit ? holds[holds.length - 1]!.transfer.id : null });
  });

  router.post('/v1/transfers/:id/reverse', canWrite, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.reverseBody, req.body);
    const { view, created } = await reverseTransfer(deps, req.principal!, { transferId: id, reversalId: body.id, reference: body.reference });
    res.status(created ? 201 : 200).json(transferView(view));
  });

  router.get('/v1/audit/invariants', canRead, async (req, res) => {
    res.json(invariantReportView(await checkInvariants(deps, req.principal!, {})));
  });

  return router;
}

async function postTransfers(deps: Deps, principal: Principal, body: unknown) {
  const { transfers } = parseInput(schemas.transferBatchBody, body);
  return transferResultsAnswer(await applyTransfers(deps, principal, { transfers: transfers.map(schemas.toTransferRequest) }));
}

/** A lone failed transfer answers as a problem; otherwise every transfer's outcome with counts. */
function transferResultsAnswer(outcomes: TransferOutcome[]): { status: number; body: unknown; contentType?: string } {
  const results = transferResultViews(outcomes);
  const only = results[0]!;
  if (results.length === 1 && only.status === 'failed') {
    const code = only.code!;
    const status = statusOf(kindOfTransferError[code] ?? 'unprocessable');
    return { status, body: problemBody(status, code, only.detail!, { results }), contentType: PROBLEM_CONTENT_TYPE };
  }
  return { status: 200, body: transferBatchResultView(results) };
}

/** POST /v1/transfers, the ledger's hot path, also served in front of Express with the same handler. */
export function ledgerFastRoutes(deps: Deps): FastRoute[] {
  return [{ method: 'POST', path: /^\/v1\/transfers$/, access: WRITE_ACCESS, handle: ({ principal, body }) => postTransfers(deps, principal!, body) }];
}

function toOpenAccountInput(body: z.infer<typeof schemas.openAccountBody>): accounts.OpenAccountInput {
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
