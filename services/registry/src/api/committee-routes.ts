import { Router } from 'express';
import { parseInput, requireAccess } from '@esc/service-kit';
import * as coefficients from '../domain/coefficient-versions';
import * as committee from '../domain/committee';
import { ANONYMOUS, type Deps } from '../domain/deps';
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

  router.post('/v1/catalog/coefficients/:code/versions', isCommittee, async (req, res) => {
    const { code } = parseInput(schemas.coefficientCodeParam, req.params);
    const body = parseInput(schemas.coefficientVersionBody, req.body);
    const { version, created } = await coefficients.publishCoefficientVersion(deps, req.principal!, { code, ...body });
    res.status(created ? 201 : 200).json(views.coefficientVersionView(version));
  });

  return router;
}

/** A coefficient's versions, as public as the coefficients themselves. */
export function committeePublicRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/catalog/coefficients/:code/versions', async (req, res) => {
    const { code } = parseInput(schemas.coefficientCodeParam, req.params);
    parseInput(schemas.noQuery, req.query);
    const history = await coefficients.coefficientHistory(deps, ANONYMOUS, { code });
    res.json({ code: history.code, name: history.name, base_factor: history.base_factor, created_at: history.created_at, items: history.versions.map(views.coefficientVersionView) });
  });
  return router;
}
