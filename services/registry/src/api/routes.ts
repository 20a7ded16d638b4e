import { Router } from 'express';
import { parseInput, requireAccess } from '@esc/service-kit';
import * as catalog from '../domain/catalog';
import { ANONYMOUS, type Deps } from '../domain/deps';
import { regionDistricts } from '../domain/districts';
import * as documents from '../domain/documents';
import * as lifeSituations from '../domain/life-situations';
import { assertOwnAdmin } from '../domain/provider-model';
import * as providers from '../domain/providers';
import { publicProvider } from '../domain/public-providers';
import * as rounds from '../domain/rounds';
import { regionSupply } from '../domain/supply';
import * as views from './presenters';
import { sendSearchPage, type PublicSearch } from './public-search';
import * as schemas from './schemas';

const canManageCatalog = requireAccess({ roles: ['committee', 'admin'] });
const isCommittee = requireAccess({ roles: ['committee', 'admin'] });
const isProviderAdmin = requireAccess({ roles: ['provider_admin'] });
/** Provider admins register their organisation; the committee and admins enter state institutions. */
const canRegister = requireAccess({ roles: ['provider_admin', 'committee', 'admin'] });

/**
 * Reads anyone may make without signing in: the catalog, the public provider search and provider
 * pages, published rounds, and the navigator's life situations and district maps.
 */
export function publicRouter(deps: Deps, search: PublicSearch): Router {
  const router = Router();

  router.get('/v1/catalog/services', async (req, res) => {
    const query = parseInput(schemas.listServicesQuery, req.query);
    const services = await catalog.listCatalogServices(deps, ANONYMOUS, query);
    res.json({ items: services.map((s) => views.pricedServiceView(s)) });
  });

  router.get('/v1/catalog/services/:code', async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const { region } = parseInput(schemas.getServiceQuery, req.query);
    const service = await catalog.getCatalogService(deps, ANONYMOUS, { code, region });
    res.json(views.pricedServiceView(service, service.costs));
  });

  router.get('/v1/catalog/services/:code/cost', async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const query = parseInput(schemas.costQuery, req.query);
    res.json(views.unitCostView(await catalog.getUnitCost(deps, ANONYMOUS, { code, ...query })));
  });

  router.get('/v1/providers', async (req, res) => {
    sendSearchPage(res, await search(req.query));
  });

  router.get('/v1/providers/:id/public', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    parseInput(schemas.noQuery, req.query);
    res.json(views.publicProviderView(await publicProvider(deps, ANONYMOUS, { id })));
  });

  router.get('/v1/rounds/:id/results', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(views.roundResultsView(await rounds.roundResults(deps, ANONYMOUS, { roundId: id })));
  });

  router.get('/v1/public/rounds', async (req, res) => {
    const query = parseInput(schemas.publicRoundsQuery, req.query);
    const items = await rounds.listPublicRounds(deps, ANONYMOUS, { region: query.region, statuses: query.status });
    res.json({ items: items.map(views.publicRoundView) });
  });

  router.get('/v1/life-situations', async (req, res) => {
    const { region } = parseInput(schemas.lifeSituationsQuery, req.query);
    res.json(views.lifeSituationsView(await lifeSituations.listLifeSituations(deps, ANONYMOUS, { region })));
  });

  router.get('/v1/life-situations/:code', async (req, res) => {
    const { code } = parseInput(schemas.lifeSituationParams, req.params);
    const { region } = parseInput(schemas.lifeSituationsQuery, req.query);
    res.json(views.lifeSituationView(await lifeSituations.getLifeSituation(deps, ANONYMOUS, { region, code })));
  });

  router.get('/v1/regions/:region/districts', async (req, res) => {
    const { region } = parseInput(schemas.districtsParams, req.params);
    const { winding } = parseInput(schemas.districtsQuery, req.query);
    res.json(views.districtsView(await regionDistricts(deps, ANONYMOUS, { region, winding })));
  });

  router.get('/v1/catalog/coefficients', async (req, res) => {
    parseInput(schemas.noQuery, req.query);
    res.json({ items: (await catalog.listCoefficients(deps, ANONYMOUS)).map(views.coefficientView) });
  });

  return router;
}

export function privateRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/catalog/services', canManageCatalog, async (req, res) => {
    const body = parseInput(schemas.createServiceBody, req.body);
    res.status(201).json(views.serviceView(await catalog.createService(deps, req.principal!, body), []));
  });

  router.post('/v1/catalog/services/:code/costs', canManageCatalog, async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const body = parseInput(schemas.publishCostBody, req.body);
    const version = await catalog.publishCost(deps, req.principal!, {
      serviceCode: code,
      regionCode: body.region_code,
      validFrom: body.valid_from,
      amount: body.amount,
      reason: body.reason,
    });
    res.status(201).json(views.publishedCostView(code, version));
  });

  router.post('/v1/catalog/coefficients', canManageCatalog, async (req, res) => {
    const body = parseInput(schemas.createCoefficientBody, req.body);
    res.status(201).json(views.coefficientView(await catalog.createCoefficient(deps, req.principal!, body)));
  });

  router.post('/v1/providers', canRegister, async (req, res) => {
    const body = parseInput(schemas.registerProviderBody, req.body);
    const provider = await providers.registerProvider(deps, req.principal!, body);
    res.status(201).location(`/v1/providers/${provider.id}`).json(views.providerView(provider));
  });

  router.get('/v1/providers/:id', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    res.json(views.providerView(await providers.getProvider(deps, req.principal!, { id })));
  });

  router.patch('/v1/providers/:id', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    // Who may edit is answered before the body is looked at.
    assertOwnAdmin(req.principal!, id);
    const body = parseInput(schemas.updateProviderBody, req.body);
    res.json(views.providerView(await providers.updateProvider(deps, req.principal!, { ...body, id })));
  });

  router.get('/v1/regions/:region/supply', async (req, res) => {
    const { region } = parseInput(schemas.districtsParams, req.params);
    parseInput(schemas.noQuery, req.query);
    res.json(await regionSupply(deps, req.principal!, { region }));
  });

  router.post('/v1/providers/:id/status', isCommittee, async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    const body = parseInput(schemas.changeStatusBody, req.body);
    res.json(views.providerView(await providers.changeProviderStatus(deps, req.principal!, { id, ...body })));
  });

  router.post('/v1/rounds', isCommittee, async (req, res) => {
    const body = parseInput(schemas.openRoundBody, req.body);
    const round = await rounds.openRound(deps, req.principal!, body);
    res.status(201).location(`/v1/rounds/${round.id}`).json(views.roundView(round));
  });

  router.get('/v1/rounds', async (req, res) => {
    res.json({ items: (await rounds.listRounds(deps, req.principal!)).map(views.roundView) });
  });

  router.get('/v1/rounds/:id', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(views.roundView(await rounds.getRound(deps, req.principal!, { id })));
  });

  router.post('/v1/rounds/:id/applications', isProviderAdmin, async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    const body = parseInput(schemas.applyBody, req.body);
    const application = await rounds.applyToRound(deps, req.principal!, { roundId: id, serviceCodes: body.service_codes });
    res.status(201).location(`/v1/rounds/${id}/applications/${application.id}`).json(views.applicationView(application));
  });

  router.get('/v1/rounds/:id/applications', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json({ items: (await rounds.listApplications(deps, req.principal!, { roundId: id })).map(views.applicationView) });
  });

  router.get('/v1/rounds/:id/applications/:applicationId', async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    res.json(views.applicationView(await rounds.getApplication(deps, req.principal!, { roundId: id, applicationId })));
  });

  router.post('/v1/rounds/:id/applications/:applicationId/decision', isCommittee, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.decideBody, req.body);
    res.json(views.applicationView(await rounds.decideApplication(deps, req.principal!, { roundId: id, applicationId, scores: body.scores, comments: body.comments })));
  });

  router.post('/v1/rounds/:id/applications/:applicationId/appeal', isProviderAdmin, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.appealBody, req.body);
    res.json(views.applicationView(await rounds.fileAppeal(deps, req.principal!, { roundId: id, applicationId, reason: body.reason })));
  });

  router.post('/v1/rounds/:id/applications/:applicationId/appeal/decision', isCommittee, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.appealDecisionBody, req.body);
    res.json(views.applicationView(await rounds.decideAppeal(deps, req.principal!, { roundId: id, applicationId, ...body })));
  });

  router.post('/v1/providers/:id/documents', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    assertOwnAdmin(req.principal!, id);
    const body = parseInput(schemas.uploadDocumentBody, req.body);
    const document = await documents.uploadDocument(deps, req.principal!, {
      providerId: id,
      kind: body.kind,
      title: body.title,
      fileName: body.file_name,
      validUntil: body.valid_until,
      bytes: body.content,
      field: 'content_base64',
    });
    res.status(201).json(views.documentView(document));
  });

  router.get('/v1/providers/:id/documents', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    res.json({ items: (await documents.listDocuments(deps, req.principal!, { providerId: id })).map(views.documentView) });
  });

  router.get('/v1/providers/:id/documents/:documentId/content', async (req, res) => {
    const { id, documentId } = parseInput(schemas.documentParams, req.params);
    const { document, bytes } = await documents.documentContent(deps, req.principal!, { providerId: id, documentId });
    res.type(document.media_type).setHeader('X-Content-SHA256', document.sha256);
    res.send(bytes);
  });

  router.get('/v1/providers/:id/status-history', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    res.json(views.statusHistoryView(await providers.providerStatusHistory(deps, req.principal!, { id })));
  });

  return router;
}
