import { Router } from 'express';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { dashboardCsv, regionDashboard } from '../domain/dashboard';
import { ANONYMOUS } from './anonymous';
import * as schemas from './deficit-schemas';

/** The ministry's dashboard of the region (signed in). */
export function dashboardRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/regions/:region/dashboard', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const query = parseInput(schemas.dashboardQuery, req.query);
    res.json(await regionDashboard(deps, req.principal!, { region_code: region, ...query, open_data: false }));
  });
  return router;
}

/** The same figures as open data, without signing in: small cells left out; JSON or CSV. */
export function openDataRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/public/regions/:region/dashboard', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const { format, ...query } = parseInput(schemas.openDataQuery, req.query);
    const dashboard = await regionDashboard(deps, ANONYMOUS, { region_code: region, ...query, open_data: true });
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`region-${region}-dashboard-${dashboard.from}-${dashboard.to}.csv`)
        .send(dashboardCsv(dashboard));
      return;
    }
    res.json(dashboard);
  });
  return router;
}
