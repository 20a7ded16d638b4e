import { Router, type ErrorRequestHandler, type Response } from 'express';
import { LedgerUnavailableError } from '@esc/ledger-client';
import { AppError, parseInput, sendJson } from '@esc/service-kit';
import * as batches from '../domain/batches';
import type { Deps } from '../domain/context';
import type { ExportFile } from '../domain/exports';
import * as standing from '../domain/provider-standing';
import * as reports from '../domain/reports';
import * as runs from '../domain/runs';
import * as settings from '../domain/settings';
import * as statements from '../domain/statements';
import type { SettlementJobs } from '../jobs/settlement-jobs';
import * as present from './presenters';
import * as schemas from './schemas';
import { parseParamsAndBody } from './validate';

export interface RouteDeps {
  deps: Deps;
  jobs: SettlementJobs;
}

function sendFile(res: Response, file: ExportFile) {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.end(file.body);
}

async function sendReport(res: Response, report: reports.Report, format: 'json' | 'csv' | 'xlsx', baseName: string) {
  if (format === 'json') return sendJson(res, 200, present.reportView(report));
  if (format === 'csv') return sendFile(res, { fileName: `${baseName}.csv`, contentType: 'text/csv; charset=utf-8', body: reports.reportCsv(report) });
  sendFile(res, {
    fileName: `${baseName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await reports.reportXlsx(report),
  });
}

export function settlementRouter({ deps, jobs }: RouteDeps): Router {
  const router = Router();

  router.put('/v1/payout-limits/:budget_programme_id/:period', async (req, res) => {
    const [params, body] = parseParamsAndBody(schemas.payoutLimitParams, req.params, schemas.payoutLimitBody, req.body);
    const limit = await settings.setPayoutLimit(deps, req.principal!, {
      budgetProgrammeId: params.budget_programme_id,
      period: params.period,
      regionCode: body.region_code,
      amount: body.amount,
    });
    res.json(present.payoutLimitView(limit));
  });

  router.get('/v1/payout-limits', async (req, res) => {
    const q = parseInput(schemas.listLimitsQuery, req.query);
    const limits = await settings.listPayoutLimits(deps, req.principal!, { regionCode: q.region_code, period: q.period });
    res.json({ items: limits.map(present.payoutLimitView) });
  });

  router.get('/v1/standing-rules/:region_code', async (req, res) => {
    const { region_code } = parseInput(schemas.standingRuleParams, req.params);
    res.json(present.standingRuleView(await standing.getStandingRule(deps, req.principal!, { regionCode: region_code })));
  });

  router.put('/v1/standing-rules/:region_code', async (req, res) => {
    const [{ region_code }, body] = parseParamsAndBody(schemas.standingRuleParams, req.params, schemas.standingRuleBody, req.body);
    const rule = await standing.setStandingRule(deps, req.principal!, { regionCode: region_code, whileSuspended: body.while_suspended, whenExcluded: body.when_excluded });
    res.json(present.standingRuleView(rule));
  });

  router.put('/v1/programmes/:budget_programme_id/settings', async (req, res) => {
    const [{ budget_programme_id }, body] = parseParamsAndBody(schemas.programmeParams, req.params, schemas.programmeSettingsBody, req.body);
    const saved = await settings.setProgrammePeriod(deps, req.principal!, { budgetProgrammeId: budget_programme_id, periodMonths: body.period_months });
    res.json(present.programmeSettingsView(saved));
  });

  router.put('/v1/assignments/:provider_id/:service_code/:period', async (req, res) => {
    const [params, body] = parseParamsAndBody(schemas.assignmentParams, req.params, schemas.assignmentBody, req.body);
    const assignment = await settings.setAssignment(deps, req.principal!, {
      providerId: params.provider_id,
      serviceCode: params.service_code,
      period: params.period,
      regionCode: body.region_code,
      units: body.units,
    });
    res.json(present.assignmentView(assignment));
  });

  router.post('/v1/runs', async (req, res) => {
    const body = parseInput(schemas.createRunBody, req.body);
    const { run, created } = await runs.requestRun(deps, req.principal!, { regionCode: body.region_code, period: body.period });
    if (run.status !== 'completed') await jobs.enqueue('run', run.id);
    res.status(created ? 202 : 200).location(`/v1/runs/${run.id}`).json(present.runView(run));
  });

  router.get('/v1/runs', async (req, res) => {
    const q = parseInput(schemas.listRunsQuery, req.query);
    res.json({ items: (await runs.listRuns(deps, req.principal!, { regionCode: q.region_code })).map(present.runView) });
  });

  router.get('/v1/runs/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(present.runWithTotalsView(await runs.getRun(deps, req.principal!, { id })));
  });

  router.get('/v1/runs/:id/lines', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: (await runs.runLines(deps, req.principal!, { id })).map(present.settlementLineView) });
  });

  router.get('/v1/runs/:id/carryovers', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: (await runs.runCarryovers(deps, req.principal!, { id })).map(present.carryoverView) });
  });

  router.get('/v1/runs/:id/report', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format, provider_id, service_code } = parseInput(schemas.periodReportQuery, req.query);
    const report = await reports.periodReport(deps, req.principal!, { runId: id, providerId: provider_id, serviceCode: service_code });
    await sendReport(res, report, format, `settlement-${id.slice(0, 8)}`);
  });

  router.post('/v1/runs/:id/batch', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { batch, created } = await batches.createBatch(deps, req.principal!, { runId: id });
    res.status(created ? 201 : 200).location(`/v1/batches/${batch.id}`).json(present.batchView(batch));
  });

  router.get('/v1/batches/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(present.batchView(await batches.getBatch(deps, req.principal!, { id })));
  });

  router.get('/v1/batches/:id/payouts', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: (await batches.batchPayouts(deps, req.principal!, { id })).map(present.payoutView) });
  });

  router.post('/v1/batches/:id/approve', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { batch } = await batches.approveBatch(deps, req.principal!, { id });
    if (batch.status === 'approving') await jobs.enqueue('post-batch', batch.id);
    res.status(batch.status === 'approved' ? 200 : 202).json(present.batchView(batch));
  });

  router.get('/v1/batches/:id/export', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.exportQuery, req.query);
    sendFile(res, await batches.exportBatch(deps, req.principal!, { id, format }));
  });

  router.get('/v1/batches/:id/reconciliation', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.reportQuery, req.query);
    await sendReport(res, await reports.reconciliationReport(deps, req.principal!, { batchId: id }), format, `reconciliation-${id.slice(0, 8)}`);
  });

  router.post('/v1/statements', async (req, res) => {
    const body = parseInput(schemas.importStatementBody, req.body);
    const { id, replayed } = await statements.importStatement(deps, req.principal!, {
      format: body.format,
      content: Buffer.from(body.content_base64, 'base64'),
      fileName: body.file_name,
    });
    // The same statement again answers the first import as it stands now (200); nothing was created.
    if (!replayed) await jobs.enqueue('post-statement', id);
    res
      .status(replayed ? 200 : 201)
      .location(`/v1/statements/${id}`)
      .json(present.statementView(await statements.getStatement(deps, req.principal!, { id })));
  });

  router.get('/v1/statements/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(present.statementView(await statements.getStatement(deps, req.principal!, { id })));
  });

  router.get('/v1/discrepancies', async (req, res) => {
    const q = parseInput(schemas.discrepanciesQuery, req.query);
    const lines = await statements.listDiscrepancies(deps, req.principal!, { regionCode: q.region_code, open: q.open === 'true' });
    res.json({ items: lines.map(present.statementLineView) });
  });

  router.post('/v1/statement-lines/:id/resolve', async (req, res) => {
    const [{ id }, body] = parseParamsAndBody(schemas.idParam, req.params, schemas.resolveBody, req.body);
    const statementId = await statements.resolveDiscrepancy(deps, req.principal!, { lineId: id, note: body.note, payoutId: body.payout_id });
    await jobs.enqueue('post-statement', statementId);
    res.json(present.statementView(await statements.getStatement(deps, req.principal!, { id: statementId })));
  });

  router.get('/v1/providers/:id/settlement', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(present.providerSettlementView(await reports.providerSettlement(deps, req.principal!, { providerId: id })));
  });

  // The ledger being down is a temporary state of ours, not a bug: 503 with a reason, so callers retry.
  router.use(((err, _req, _res, next) => {
    if (err instanceof LedgerUnavailableError) {
      return next(new AppError('unavailable', 'ledger_unavailable', 'Учётная система (ledger) сейчас недоступна; повторите через минуту.', { cause: err.message }));
    }
    next(err);
  }) as ErrorRequestHandler);

  return router;
}
