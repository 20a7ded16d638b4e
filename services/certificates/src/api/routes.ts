import { Router } from 'express';
import { AppError, parseInput, requireAccess, type AccessRule, type Principal } from '@esc/service-kit';
import { type FastRoute } from '@esc/service-kit/hot';
import * as assessments from '../domain/assessments';
import * as bookings from '../domain/bookings';
import * as budget from '../domain/budget';
import * as bulkIssues from '../domain/bulk-issues';
import * as cabinet from '../domain/cabinet';
import * as desk from '../domain/caseworker-desk';
import * as certificates from '../domain/certificates';
import type { Deps } from '../domain/context';
import * as deliveries from '../domain/deliveries';
import { submitFeedback } from '../domain/feedback';
import { receiveLifeEvent } from '../domain/life-events';
import * as recipients from '../domain/recipients';
import { myRequests } from '../domain/requests';
import { rememberStaff } from '../domain/staff';
import { certificateStatement } from '../domain/statement';
import * as deskPresenters from './caseworker-presenters';
import * as presenters from './presenters';
import * as schemas from './schemas';
import { statementCsv } from './statement-csv';
import { attachment } from './statement-format';
import { statementPdf } from './statement-pdf';

const caseworkers = requireAccess({ roles: ['caseworker', 'admin'] });
const finance = requireAccess({ roles: ['finance', 'admin'] });
const PROVIDERS: AccessRule = { roles: ['provider_admin', 'provider_staff'] };
const providers = requireAccess(PROVIDERS);
const lifeEventSources = requireAccess({ scopes: ['certificates:life-events'] });

export function certificatesRouter(deps: Deps): Router {
  const router = Router();
  router.use(async (req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') await rememberStaff(deps, req.principal);
    next();
  });

  router.post('/v1/recipients', caseworkers, async (req, res) => {
    const body = parseInput(schemas.recipientBody, req.body);
    res.status(201).json(presenters.recipientView(await recipients.registerRecipient(deps, req.principal!, body)));
  });
  router.get('/v1/recipients', caseworkers, async (req, res) => {
    const query = parseInput(schemas.recipientSearchQuery, req.query);
    res.json({ items: (await desk.searchRecipients(deps, req.principal!, query)).map(presenters.recipientView) });
  });
  router.get('/v1/recipients/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.recipientView(await recipients.readRecipient(deps, req.principal!, { id })));
  });
  router.patch('/v1/recipients/:id', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.recipientChanges, req.body);
    res.json(presenters.recipientView(await recipients.updateRecipient(deps, req.principal!, { ...body, id })));
  });

  router.post('/v1/assessments', caseworkers, async (req, res) => {
    const body = parseInput(schemas.openAssessmentBody, req.body);
    res.status(201).json(presenters.assessmentView(await assessments.openAssessment(deps, req.principal!, body)));
  });
  router.get('/v1/assessments', caseworkers, async (req, res) => {
    const { today, items } = await desk.workQueue(deps, req.principal!, parseInput(schemas.workQueueQuery, req.query));
    res.json({ today, items: items.map(deskPresenters.queuedAssessmentView) });
  });
  router.get('/v1/programmes/:id/quote', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.quoteQuery, req.query);
    res.json(deskPresenters.issueQuoteView(await desk.quoteIssue(deps, req.principal!, { ...query, id })));
  });
  router.get('/v1/assessments/overdue', caseworkers, async (req, res) => {
    const query = parseInput(schemas.overdueQuery, req.query);
    res.json({ items: (await assessments.listOverdue(deps, req.principal!, query)).map(presenters.overdueAssessmentView) });
  });
  router.get('/v1/assessments/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { assessment, programme } = await assessments.readAssessment(deps, req.principal!, { id });
    res.json(presenters.assessmentView(assessment, programme));
  });
  router.post('/v1/assessments/:id/decision', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.decisionBody, req.body);
    res.json(presenters.assessmentView(await assessments.decideAssessment(deps, req.principal!, { ...body, id })));
  });
  router.post('/v1/assessments/:id/programme', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.programmeBody, req.body);
    res.status(201).json(presenters.programmeView(await assessments.drawProgramme(deps, req.principal!, { ...body, assessment_id: id })));
  });

  router.post('/v1/regions/:region/parameters', finance, async (req, res) => {
    const { region } = parseInput(schemas.regionParam, req.params);
    const body = parseInput(schemas.parametersBody, req.body);
    res.status(201).json(presenters.parametersView(await budget.setRegionalParameters(deps, req.principal!, { ...body, region_code: region })));
  });
  router.get('/v1/regions/:region/parameters', async (req, res) => {
    const { region } = parseInput(schemas.regionParam, req.params);
    parseInput(schemas.noQuery, req.query);
    res.json({ items: (await budget.listRegionalParameters(deps, req.principal!, { region_code: region })).map(presenters.parametersView) });
  });

  router.post('/v1/budget-programmes', finance, async (req, res) => {
    const body = parseInput(schemas.budgetProgrammeBody, req.body);
    res.status(201).json(presenters.budgetProgrammeView(await budget.createBudgetProgramme(deps, req.principal!, body)));
  });
  router.get('/v1/budget-programmes', async (req, res) => {
    const query = parseInput(schemas.budgetProgrammesQuery, req.query);
    res.json({ items: (await desk.listBudgetProgrammes(deps, req.principal!, query)).map(deskPresenters.budgetProgrammeListItemView) });
  });
  router.get('/v1/budget-programmes/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.budgetProgrammeBalanceView(await budget.readBudgetProgramme(deps, req.principal!, { id })));
  });
  router.post('/v1/budget-programmes/:id/funding', finance, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.fundingBody, req.body);
    await budget.fundBudgetProgramme(deps, req.principal!, { ...body, budget_programme_id: id });
    res.json(presenters.budgetProgrammeBalanceView(await budget.readBudgetProgramme(deps, req.principal!, { id })));
  });

  router.post('/v1/certificates', caseworkers, async (req, res) => {
    const body = parseInput(schemas.issueBody, req.body);
    res.status(201).json(presenters.certificateView(await certificates.issueCertificate(deps, req.principal!, body)));
  });
  router.get('/v1/certificates', async (req, res) => {
    const query = parseInput(schemas.listCertificatesQuery, req.query);
    res.json({ items: (await certificates.listCertificates(deps, req.principal!, query)).map(presenters.certificateSummaryView) });
  });
  router.get('/v1/certificates/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.certificateView(await certificates.readCertificate(deps, req.principal!, { id })));
  });
  router.get('/v1/certificates/:id/statement', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.statementQuery, req.query);
    const s = await certificateStatement(deps, req.principal!, { id });
    const body = format === 'pdf' ? await statementPdf(s) : statementCsv(s);
    res.status(200).setHeader('Content-Type', format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(s.certificate.number, format));
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(body);
  });
  router.post('/v1/certificates/:id/revoke', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.revokeBody, req.body);
    res.json(presenters.certificateView(await certificates.revokeCertificate(deps, req.principal!, { ...body, id })));
  });
  router.post('/v1/certificates/:id/suspend', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.revokeBody, req.body);
    res.json(presenters.certificateView(await certificates.suspendCertificate(deps, req.principal!, { ...body, id })));
  });
  router.post('/v1/certificates/:id/resume', caseworkers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.certificateView(await certificates.resumeCertificate(deps, req.principal!, { id })));
  });
  router.get('/v1/certificates/:id/lines/:lineId/providers', async (req, res) => {
    const { id, lineId } = parseInput(schemas.certificateLineParams, req.params);
    res.json({ items: (await bookings.providersForLine(deps, req.principal!, { id, lineId })).map(presenters.providerOptionView) });
  });
  router.post('/v1/certificates/:id/bookings', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.bookingBody, req.body);
    res.status(201).json(presenters.bookingView(await bookings.createBooking(deps, req.principal!, { ...body, certificate_id: id })));
  });

  router.get('/v1/bookings/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.bookingView(await bookings.readBooking(deps, req.principal!, { id })));
  });
  router.post('/v1/bookings/:id/accept', providers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.bookingView(await bookings.acceptBooking(deps, req.principal!, { id })));
  });
  router.post('/v1/bookings/:id/decline', providers, async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.declineBody, req.body);
    res.json(presenters.bookingView(await bookings.declineBooking(deps, req.principal!, { ...body, id })));
  });
  router.post('/v1/bookings/:id/cancel', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.bookingView(await bookings.cancelBooking(deps, req.principal!, { id })));
  });
  router.get('/v1/providers/:id/bookings', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { status } = parseInput(schemas.providerBookingsQuery, req.query);
    res.json({ items: (await bookings.listProviderBookings(deps, req.principal!, { id, status })).map(presenters.bookingView) });
  });

  router.post('/v1/bookings/:id/deliveries', providers, async (req, res) => {
    res.status(201).json(await recordDelivery(deps, req.principal!, req.params, req.body));
  });
  router.get('/v1/bookings/:id/deliveries', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: (await deliveries.listBookingDeliveries(deps, req.principal!, { id })).map(presenters.deliveryView) });
  });
  router.get('/v1/deliveries/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(presenters.deliveryView(await deliveries.readDelivery(deps, req.principal!, { id })));
  });
  router.post('/v1/deliveries/:id/confirm', async (req, res) => {
    res.json(await confirmDelivery(deps, req.principal!, req.params, req.body));
  });
  router.post('/v1/deliveries/:id/dispute', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.disputeBody, req.body);
    res.json(presenters.deliveryView(await deliveries.resolveDelivery(deps, req.principal!, { id, units: 0, dispute_reason: body.reason })));
  });
  router.post('/v1/deliveries/:id/feedback', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const body = parseInput(schemas.feedbackBody, req.body);
    res.status(201).json(presenters.feedbackView(await submitFeedback(deps, req.principal!, { ...body, id })));
  });

  router.post('/v1/bulk-issues', caseworkers, async (req, res) => {
    const body = parseInput(schemas.bulkIssueBody, req.body);
    const { bulkIssue } = await bulkIssues.startBulkIssue(deps, req.principal!, body);
    res.status(202).location(`/v1/bulk-issues/${bulkIssue.id}`).json(presenters.bulkIssueView(bulkIssue));
  });
  router.get('/v1/bulk-issues', async (req, res) => {
    const query = parseInput(schemas.bulkIssuesQuery, req.query);
    res.json({ items: (await desk.listBulkIssues(deps, req.principal!, query)).map(presenters.bulkIssueView) });
  });
  router.get('/v1/bulk-issues/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    parseInput(schemas.noQuery, req.query);
    res.json(presenters.bulkIssueView(await bulkIssues.readBulkIssue(deps, req.principal!, { id })));
  });
  router.get('/v1/bulk-issues/:id/errors', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const query = parseInput(schemas.bulkIssueErrorsQuery, req.query);
    if (query.format === 'csv') {
      const report = await bulkIssues.bulkIssueErrorsCsv(deps, req.principal!, { id });
      res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="bulk-issue-${id}-errors.csv"`);
      res.end(report);
      return;
    }
    const rows = await bulkIssues.listBulkIssueErrors(deps, req.principal!, { id, after_row: query.after_row, limit: query.limit });
    res.json(presenters.bulkIssueErrorsView(rows, query.limit));
  });

  router.get('/v1/me/requests', async (req, res) => {
    res.json(presenters.myRequestsView(await myRequests(deps, req.principal!, parseInput(schemas.myCertificatesQuery, req.query))));
  });
  router.get('/v1/me/certificates', async (req, res) => {
    res.json(presenters.myCertificatesView(await cabinet.myCertificates(deps, req.principal!, parseInput(schemas.myCertificatesQuery, req.query))));
  });
  router.get('/v1/me/deliveries', async (req, res) => {
    res.json(presenters.myDeliveriesView(await cabinet.myDeliveries(deps, req.principal!, parseInput(schemas.myDeliveriesQuery, req.query))));
  });
  router.get('/v1/me/bookings', async (req, res) => {
    res.json(presenters.myBookingsView(await cabinet.myBookings(deps, req.principal!, parseInput(schemas.myBookingsQuery, req.query))));
  });

  router.post('/v1/life-events', lifeEventSources, async (req, res) => {
    const body = parseInput(schemas.lifeEventBody, req.body);
    const outcome = await receiveLifeEvent(deps, req.principal!, body);
    res.status(outcome.created ? 201 : 200).json({
      event_id: outcome.event_id,
      created: outcome.created,
      recipient_id: outcome.recipient_id,
      assessment: presenters.assessmentView(outcome.assessment),
    });
  });

  return router;
}

async function recordDelivery(deps: Deps, principal: Principal, params: unknown, body: unknown) {
  const { id } = parseInput(schemas.idParam, params);
  return presenters.deliveryView(await deliveries.recordDelivery(deps, principal, { ...parseInput(schemas.deliveryBody, body), booking_id: id }));
}

async function confirmDelivery(deps: Deps, principal: Principal, params: unknown, rawBody: unknown) {
  // The fast route skips the router's middleware: a case worker confirming for a citizen is named here.
  await rememberStaff(deps, principal);
  const { id } = parseInput(schemas.idParam, params);
  const body = parseInput(schemas.confirmBody, rawBody ?? {});
  if (body.units === 0) {
    throw new AppError('validation', 'validation_failed', 'Чтобы оспорить акт целиком, используйте /dispute.', {}, [{ field: 'units', message: 'не меньше 1' }]);
  }
  return presenters.deliveryView(await deliveries.resolveDelivery(deps, principal, { ...body, id }));
}

/** The redemption hot path (a provider's act and its confirmation), also served in front of Express with the same handlers. */
export function certificatesFastRoutes(deps: Deps): FastRoute[] {
  return [
    {
      method: 'POST',
      path: /^\/v1\/bookings\/(?<id>[^/?]+)\/deliveries$/,
      access: PROVIDERS,
      handle: async ({ principal, params, body }) => ({ status: 201, body: await recordDelivery(deps, principal!, params, body) }),
    },
    {
      method: 'POST',
      path: /^\/v1\/deliveries\/(?<id>[^/?]+)\/confirm$/,
      handle: async ({ principal, params, body }) => ({ status: 200, body: await confirmDelivery(deps, principal!, params, body) }),
    },
  ];
}
