import { Router } from 'express';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import * as views from '../domain/finance-views';
import * as present from './presenters';
import * as schemas from './schemas';

/** What the finance cabinet reads besides the settlement router's own: a run's batch, a batch's comparison, the statements, payouts by state, programme allocations. */
export function financeViewsRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/runs/:id/batch', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(present.batchView(await views.batchOfRun(deps, req.principal!, { runId: id })));
  });

  router.get('/v1/batches/:id/comparison', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(await views.batchComparison(deps, req.principal!, { id }));
  });

  router.get('/v1/statements', async (req, res) => {
    const q = parseInput(schemas.listStatementsQuery, req.query);
    res.json({ items: await views.listStatements(deps, req.principal!, { regionCode: q.region_code }) });
  });

  router.get('/v1/payouts', async (req, res) => {
    const q = parseInput(schemas.listPayoutsQuery, req.query);
    res.json({ items: (await views.listPayouts(deps, req.principal!, { regionCode: q.region_code, status: q.status })).map(present.payoutView) });
  });

  router.get('/v1/programmes/allocations', async (req, res) => {
    const q = parseInput(schemas.regionQuery, req.query);
    res.json(await views.programmeAllocations(deps, req.principal!, { regionCode: q.region_code }));
  });

  return router;
}
