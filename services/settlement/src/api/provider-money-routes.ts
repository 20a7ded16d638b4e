import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { settlement } from '@esc/api-types';
import type { Deps } from '../domain/context';
import * as money from '../domain/provider-money';

type Schemas = settlement.components['schemas'];

const idParam = z.strictObject({ id: z.uuid() });
const periodParams = z.strictObject({ id: z.uuid(), period: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'месяц в виде ГГГГ-ММ') });
const formatQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') });

export function providerMoneyView(m: money.ProviderMoney): Schemas['ProviderMoney'] {
  return {
    provider_id: m.providerId,
    unsettled: { acts: m.unsettled.acts, amount: m.unsettled.amount, expected_payment_on: m.unsettled.expectedPaymentOn },
    held: { acts: m.held.acts, amount: m.held.amount, reason_code: m.held.reasonCode, reason: m.held.reason },
    periods: m.periods,
    payouts: m.payouts.map((p) => ({
      id: p.id,
      period: p.period,
      reference: p.reference,
      earned: p.earned,
      withheld: p.withheld,
      withheld_reason: p.withheld_reason,
      amount: p.amount,
      stage: p.stage,
      expected_payment_on: p.expectedPaymentOn,
      paid_on: p.booked_on,
      bank_statement: p.statement_ref,
      return_reason: p.return_reason,
      bank_account: p.bank_account,
    })),
  };
}

/** The provider's cabinet's money: payouts by stage and a month's statement as a file. */
export function providerMoneyRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/providers/:id/money', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    res.json(providerMoneyView(await money.providerMoney(deps, req.principal!, { providerId: id })));
  });
  router.get('/v1/providers/:id/periods/:period/statement', async (req, res) => {
    const { id, period } = parseInput(periodParams, req.params);
    const { format } = parseInput(formatQuery, req.query);
    const file = await money.providerPeriodStatement(deps, req.principal!, { providerId: id, period, format });
    res.status(200).setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.end(file.body);
  });
  return router;
}
