import { Router } from 'express';
import { parseInput, requireAccess } from '@esc/service-kit';
import * as committee from '../domain/committee';
import type { Deps } from '../domain/deps';
import * as views from './presenters';
import * as schemas from './schemas';

const isCommittee = requireAccess({ roles: ['committee', 'admin'] });
const readsTheDesk = requireAccess({ roles: ['committee', 'admin', 'auditor'] });

/** The committee's desk: a round's window and final results, the appeal queue and the registry of every status. */
export function committeeRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/rounds/:id/open', isCommittee, async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(views.roundView(await committee.openRoundNow(deps, req.principal!, { id })));
  });

  router.post('/v1/rounds/:id/close', isCommittee, async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(views.roundView(await committee.closeRoundNow(deps, req.principal!, { id })));
  });

  router.post('/v1/rounds/:id/publish', isCommittee, async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(views.roundView(await committee.publishRoundResults(deps, req.principal!, { id })));
  });

  router.get('/v1/appeals', readsTheDesk, async (req, res) => {
    const query = parseInput(schemas.appealsQuery, req.query);
    res.json({ items: (await committee.appealQueue(deps, req.principal!, query)).map(views.appealItemView) });
  });

  router.get('/v1/registry/providers', readsTheDesk, async (req, res) => {
    const query = parseInput(schemas.registryProvidersQuery, req.query);
    const items = await committee.providerRegistry(deps, req.principal!, { region: query.region, statuses: query.status, q: query.q });
    res.json({ items: items.map(views.registryProviderView) });
  });

  return router;
}
