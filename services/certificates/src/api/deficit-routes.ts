import { Router } from 'express';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import * as deficits from '../domain/deficits';
import * as schemas from './deficit-schemas';

/** The register and map of social deficits: computation, the register by month, the waiting list behind a district. */
export function deficitsRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/regions/:region/deficits/computations', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const body = parseInput(schemas.computeBody, req.body ?? {});
    res.status(201).json(await deficits.computeDeficits(deps, req.principal!, { region_code: region, month: body.month }));
  });
  router.get('/v1/regions/:region/deficits', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const query = parseInput(schemas.deficitsQuery, req.query);
    res.json(await deficits.readDeficits(deps, req.principal!, { region_code: region, ...query }));
  });
  router.get('/v1/regions/:region/deficits/waiting', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const query = parseInput(schemas.waitingQuery, req.query);
    res.json(await deficits.waitingList(deps, req.principal!, { region_code: region, ...query }));
  });

  router.get('/v1/regions/:region/deficits/clusters', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const query = parseInput(schemas.clustersQuery, req.query);
    res.json(await deficits.readClusters(deps, req.principal!, { region_code: region, ...query }));
  });
  router.get('/v1/regions/:region/deficits/weights', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    parseInput(schemas.clustersQuery.pick({}), req.query);
    res.json(await deficits.readWeights(deps, req.principal!, { region_code: region }));
  });
  router.put('/v1/regions/:region/deficits/weights', async (req, res) => {
    const { region } = parseInput(schemas.deficitsRegionParam, req.params);
    const body = parseInput(schemas.weightsBody, req.body);
    res.json(await deficits.setWeights(deps, req.principal!, { region_code: region, ...body }));
  });

  return router;
}
