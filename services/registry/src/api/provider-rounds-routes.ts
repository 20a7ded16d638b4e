import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/deps';
import * as providerRounds from '../domain/provider-rounds';
import { applicationView, publicRoundView } from './presenters';

const idParam = z.strictObject({ id: z.uuid() });
const applicationParams = z.strictObject({ id: z.uuid(), applicationId: z.uuid() });

/** The provider's cabinet's rounds: those it may enter with its application, and withdrawing one. */
export function providerRoundsRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/providers/:id/rounds', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const items = await providerRounds.providerRounds(deps, req.principal!, { providerId: id });
    res.json({ items: items.map((i) => ({ round: publicRoundView(i.round), fitting_services: i.fittingServices, application: i.application ? applicationView(i.application) : null })) });
  });
  router.post('/v1/rounds/:id/applications/:applicationId/withdraw', async (req, res) => {
    const { id, applicationId } = parseInput(applicationParams, req.params);
    res.json(applicationView(await providerRounds.withdrawApplication(deps, req.principal!, { roundId: id, applicationId })));
  });
  return router;
}
