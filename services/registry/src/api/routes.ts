import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden, parseInput, requireAccess } from '@esc/service-kit';
import * as catalog from '../domain/catalog';
import * as providers from '../domain/providers';
import * as rounds from '../domain/rounds';
import * as documents from '../domain/documents';
import * as lifeSituations from '../domain/life-situations';
import { publicProvider } from '../domain/public-providers';
import type { DocumentStorage } from '../data-access/document-storage';
import type { DistrictMaps } from '../data-access/districts';
import { today } from '../domain/clock';
import * as schemas from './schemas';
import { serviceJson, unitCostJson, costJson } from './presenters';
import { sendSearchPage, type PublicSearch } from './public-search';

const canManageCatalog = requireAccess({ roles: ['committee', 'admin'] });
const isCommittee = requireAccess({ roles: ['committee', 'admin'] });
const isProviderAdmin = requireAccess({ roles: ['provider_admin'] });
/** Provider admins register their organisation; the committee and admins enter state institutions. */
const canRegister = requireAccess({ roles: ['provider_admin', 'committee', 'admin'] });

/**
 * Reads anyone may make without signing in: the catalog, the public provider search and provider
 * pages, published rounds, and the navigator's life situations and district maps.
 */
export function publicRouter(orm: MikroORM, search: PublicSearch, districts: DistrictMaps, now: () => Date): Router {
  const router = Router();
  const em = () => orm.em.fork();

  router.get('/v1/catalog/services', async (req, res) => {
    const { region, ...filter } = parseInput(schemas.listServicesQuery, req.query);
    const e = em();
    const services = await catalog.listServices(e, filter);
    const costs = await catalog.currentCosts(e, region, today(now()));
    const coefficients = await catalog.listCoefficients(e);
    res.json({
      items: services.map((s) => serviceJson(s, undefined, { currentCost: costs.get(s.code), coefficients: catalog.coefficientsFor(s, coefficients) })),
    });
  });

  router.get('/v1/catalog/services/:code', async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const { region } = parseInput(schemas.getServiceQuery, req.query);
    const e = em();
    const service = await catalog.getService(e, code);
    const costs = await catalog.currentCosts(e, region, today(now()), [code]);
    const coefficients = catalog.coefficientsFor(service, await catalog.listCoefficients(e));
    res.json(serviceJson(service, await catalog.costVersions(e, code), { currentCost: costs.get(code), coefficients }));
  });

  router.get('/v1/catalog/services/:code/cost', async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const query = parseInput(schemas.costQuery, req.query);
    res.json(unitCostJson(await catalog.unitCost(em(), code, query.region, query.date ?? today(), query.coefficients)));
  });

  router.get('/v1/providers', async (req, res) => {
    sendSearchPage(res, await search(req.query));
  });

  router.get('/v1/providers/:id/public', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    parseInput(schemas.noQuery, req.query);
    res.json(await publicProvider(em(), id, today(now())));
  });

  router.get('/v1/rounds/:id/results', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(await rounds.results(em(), id));
  });

  router.get('/v1/public/rounds', async (req, res) => {
    const query = parseInput(schemas.publicRoundsQuery, req.query);
    res.json({ items: await rounds.listPublicRounds(em(), { region: query.region, statuses: query.status }, now()) });
  });

  router.get('/v1/life-situations', async (req, res) => {
    const { region } = parseInput(schemas.lifeSituationsQuery, req.query);
    res.json(lifeSituations.listLifeSituations(region));
  });

  router.get('/v1/life-situations/:code', async (req, res) => {
    const { code } = parseInput(schemas.lifeSituationParams, req.params);
    const { region } = parseInput(schemas.lifeSituationsQuery, req.query);
    res.json(await lifeSituations.getLifeSituation(em(), region, code));
  });

  router.get('/v1/regions/:region/districts', async (req, res) => {
    const { region } = parseInput(schemas.districtsParams, req.params);
    const { winding } = parseInput(schemas.districtsQuery, req.query);
    res.json(await districts.get(region, winding));
  });

  router.get('/v1/catalog/coefficients', async (req, res) => {
    parseInput(schemas.noQuery, req.query);
    res.json({ items: await catalog.listCoefficients(em()) });
  });

  return router;
}

export function privateRouter(orm: MikroORM, storage: DocumentStorage, now: () => Date): Router {
  const router = Router();
  const em = () => orm.em.fork();

  router.post('/v1/catalog/services', canManageCatalog, async (req, res) => {
    const body = parseInput(schemas.createServiceBody, req.body);
    res.status(201).json(serviceJson(await catalog.createService(em(), body), []));
  });

  router.post('/v1/catalog/services/:code/costs', canManageCatalog, async (req, res) => {
    const { code } = parseInput(schemas.serviceCodeParam, req.params);
    const body = parseInput(schemas.publishCostBody, req.body);
    const version = await catalog.publishCost(em(), {
      serviceCode: code,
      regionCode: body.region_code,
      validFrom: body.valid_from,
      amount: body.amount,
      reason: body.reason,
      actor: req.principal!.subject,
    });
    res.status(201).json({ service_code: code, ...costJson(version) });
  });

  router.post('/v1/catalog/coefficients', canManageCatalog, async (req, res) => {
    const body = parseInput(schemas.createCoefficientBody, req.body);
    res.status(201).json(await catalog.createCoefficient(em(), { ...body, actor: req.principal!.subject }));
  });

  router.post('/v1/providers', canRegister, async (req, res) => {
    const body = parseInput(schemas.registerProviderBody, req.body);
    const provider = await providers.registerProvider(em(), body, req.principal!);
    res.status(201).location(`/v1/providers/${provider.id}`).json(provider);
  });

  router.get('/v1/providers/:id', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    providers.assertCanRead(req.principal!, id);
    res.json(await providers.getProvider(em(), id));
  });

  router.patch('/v1/providers/:id', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    providers.assertOwnAdmin(req.principal!, id);
    const body = parseInput(schemas.updateProviderBody, req.body);
    res.json(await providers.updateProvider(em(), id, body, req.principal!));
  });

  router.post('/v1/providers/:id/status', isCommittee, async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    const body = parseInput(schemas.changeStatusBody, req.body);
    res.json(await providers.changeStatus(em(), id, body.status, body.reason, req.principal!.subject));
  });

  router.post('/v1/rounds', isCommittee, async (req, res) => {
    const body = parseInput(schemas.openRoundBody, req.body);
    const round = await rounds.openRound(em(), body, req.principal!.subject);
    res.status(201).location(`/v1/rounds/${round.id}`).json(round);
  });

  router.get('/v1/rounds', async (_req, res) => {
    res.json({ items: await rounds.listRounds(em()) });
  });

  router.get('/v1/rounds/:id', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    res.json(await rounds.getRound(em(), id));
  });

  router.post('/v1/rounds/:id/applications', isProviderAdmin, async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    const body = parseInput(schemas.applyBody, req.body);
    const application = await rounds.apply(em(), id, body.service_codes, req.principal!, now());
    res.status(201).location(`/v1/rounds/${id}/applications/${application.id}`).json(application);
  });

  router.get('/v1/rounds/:id/applications', async (req, res) => {
    const { id } = parseInput(schemas.roundIdParam, req.params);
    const p = req.principal!;
    const seesAll = ['committee', 'admin', 'auditor'].some((r) => p.roles.includes(r as never));
    if (!seesAll && !p.providerId) throw forbidden('Заявки видят комиссия по отбору и подавшие их поставщики.', 'not_your_application');
    res.json({ items: await rounds.listApplications(em(), id, seesAll ? undefined : p.providerId) });
  });

  router.get('/v1/rounds/:id/applications/:applicationId', async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const application = await rounds.getApplication(em(), id, applicationId);
    rounds.assertCanReadApplication(req.principal!, application);
    res.json(application);
  });

  router.post('/v1/rounds/:id/applications/:applicationId/decision', isCommittee, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.decideBody, req.body);
    res.json(await rounds.decide(em(), id, applicationId, body.scores, req.principal!.subject, now()));
  });

  router.post('/v1/rounds/:id/applications/:applicationId/appeal', isProviderAdmin, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.appealBody, req.body);
    res.json(await rounds.fileAppeal(em(), id, applicationId, body.reason, req.principal!, now()));
  });

  router.post('/v1/rounds/:id/applications/:applicationId/appeal/decision', isCommittee, async (req, res) => {
    const { id, applicationId } = parseInput(schemas.applicationParams, req.params);
    const body = parseInput(schemas.appealDecisionBody, req.body);
    res.json(await rounds.decideAppeal(em(), id, applicationId, body, req.principal!.subject, now()));
  });

  router.post('/v1/providers/:id/documents', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    providers.assertOwnAdmin(req.principal!, id);
    const body = parseInput(schemas.uploadDocumentBody, req.body);
    const document = await documents.uploadDocument(em(), storage, {
      providerId: id,
      kind: body.kind,
      title: body.title,
      fileName: body.file_name,
      validUntil: body.valid_until,
      bytes: body.content,
      actor: req.principal!.subject,
      field: 'content_base64',
    });
    res.status(201).json(document);
  });

  router.get('/v1/providers/:id/documents', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    providers.assertCanRead(req.principal!, id);
    res.json({ items: await documents.listDocuments(em(), id) });
  });

  router.get('/v1/providers/:id/documents/:documentId/content', async (req, res) => {
    const { id, documentId } = parseInput(schemas.documentParams, req.params);
    providers.assertCanRead(req.principal!, id);
    const { document, bytes } = await documents.documentContent(em(), storage, id, documentId);
    res.type(document.media_type).setHeader('X-Content-SHA256', document.sha256);
    res.send(bytes);
  });

  router.get('/v1/providers/:id/status-history', async (req, res) => {
    const { id } = parseInput(schemas.providerIdParam, req.params);
    providers.assertCanRead(req.principal!, id);
    res.json({ items: await providers.statusHistory(em(), id) });
  });

  return router;
}
