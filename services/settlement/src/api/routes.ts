import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LedgerUnavailableError, type LedgerClient } from '@esc/ledger-client';
import { AppError, parseInput, sendJson } from '@esc/service-kit';
import type { Payer } from '../config';
import type { LedgerAccountsReader } from '../clients/ledger-accounts';
import type { ProviderDirectory } from '../clients/provider-directory';
import { providerView } from '../domain/access';
import * as batches from '../domain/batches';
import { toOneC, toPain001, toPayoutCsv, type ExportFile } from '../domain/exports';
import * as reports from '../domain/reports';
import * as runs from '../domain/runs';
import * as settings from '../domain/settings';
import * as statements from '../domain/statements';
import type { SettlementJobs } from '../jobs/settlement-jobs';
import * as schemas from './schemas';
import { parseParamsAndBody } from './validate';

export interface RouteDeps {
  orm: MikroORM;
  ledger: LedgerClient;
  reader: LedgerAccountsReader;
  directory: ProviderDirectory;
  jobs: SettlementJobs;
  payer: Payer;
}

function sendFile(res: Response, file: ExportFile) {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.end(file.body);
}

async function sendReport(res: Response, report: reports.Report, format: 'json' | 'csv' | 'xlsx', baseName: string) {
  if (format === 'json') return sendJson(res, 200, report);
  if (format === 'csv') return sendFile(res, { fileName: `${baseName}.csv`, contentType: 'text/csv; charset=utf-8', body: reports.reportCsv(report) });
  sendFile(res, {
    fileName: `${baseName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await reports.reportXlsx(report),
  });
}

export function settlementRouter({ orm, ledger, reader, directory, jobs, payer }: RouteDeps): Router {
  const router = Router();

  router.put('/v1/payout-limits/:budget_programme_id/:period', async (req, res) => {
    const [params, body] = parseParamsAndBody(schemas.payoutLimitParams, req.params, schemas.payoutLimitBody, req.body);
    res.json(
      await settings.setPayoutLimit(orm, req.principal!, {
        budgetProgrammeId: params.budget_programme_id,
        period: params.period,
        regionCode: body.region_code,
        amount: body.amount,
      }),
    );
  });

  router.get('/v1/payout-limits', async (req, res) => {
    const q = parseInput(schemas.listLimitsQuery, req.query);
    res.json({ items: await settings.listPayoutLimits(orm, req.principal!, q.region_code, q.period) });
  });

  router.put('/v1/programmes/:budget_programme_id/settings', async (req, res) => {
    const [{ budget_programme_id }, body] = parseParamsAndBody(schemas.programmeParams, req.params, schemas.programmeSettingsBody, req.body);
    res.json(await settings.setProgrammePeriod(orm, req.principal!, budget_programme_id, body.period_months));
  });

  router.put('/v1/assignments/:provider_id/:service_code/:period', async (req, res) => {
    const [params, body] = parseParamsAndBody(schemas.assignmentParams, req.params, schemas.assignmentBody, req.body);
    res.json(
      await settings.setAssignment(orm, req.principal!, {
        providerId: params.provider_id,
        serviceCode: params.service_code,
        period: params.period,
        regionCode: body.region_code,
        units: body.units,
      }),
    );
  });

  router.post('/v1/runs', async (req, res) => {
    const body = parseInput(schemas.createRunBody, req.body);
    const { run, created } = await runs.requestRun(orm, req.principal!, body.region_code, body.period);
    if (run.status !== 'completed') await jobs.enqueue('run', run.id);
    res.status(created ? 202 : 200).location(`/v1/runs/${run.id}`).json(run);
  });

  router.get('/v1/runs', async (req, res) => {
    const q = parseInput(schemas.listRunsQuery, req.query);
    res.json({ items: await runs.listRuns(orm, req.principal!, q.region_code) });
  });

  router.get('/v1/runs/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(await runs.getRun(orm, req.principal!, id));
  });

  router.get('/v1/runs/:id/lines', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: await runs.runLines(orm, req.principal!, id) });
  });

  router.get('/v1/runs/:id/carryovers', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: await runs.runCarryovers(orm, req.principal!, id) });
  });

  router.get('/v1/runs/:id/report', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.reportQuery, req.query);
    await sendReport(res, await reports.periodReport(orm, ledger, directory, req.principal!, id), format, `settlement-${id.slice(0, 8)}`);
  });

  router.post('/v1/runs/:id/batch', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { batch, created } = await batches.createBatch(orm, ledger, reader, directory, req.principal!, id);
    res.status(created ? 201 : 200).location(`/v1/batches/${batch.id}`).json(batch);
  });

  router.get('/v1/batches/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(await batches.getBatch(orm, req.principal!, id));
  });

  router.get('/v1/batches/:id/payouts', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json({ items: await batches.batchPayouts(orm, req.principal!, id) });
  });

  router.post('/v1/batches/:id/approve', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { batch } = await batches.approveBatch(orm, req.principal!, id);
    if (batch.status === 'approving') await jobs.enqueue('post-batch', batch.id);
    res.status(batch.status === 'approved' ? 200 : 202).json(batch);
  });

  router.get('/v1/batches/:id/export', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.exportQuery, req.query);
    const batch = await batches.getBatch(orm, req.principal!, id);
    batches.assertApproved(batch);
    const payouts = (await batches.batchPayouts(orm, req.principal!, id)).filter((p) => p.status !== 'withheld');
    const at = new Date(batch.approved_at ?? Date.now());
    sendFile(res, format === '1c' ? toOneC(batch, payouts, payer, at) : format === 'pain001' ? toPain001(batch, payouts, payer, at) : toPayoutCsv(batch, payouts));
  });

  router.get('/v1/batches/:id/reconciliation', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { format } = parseInput(schemas.reportQuery, req.query);
    await sendReport(res, await reports.reconciliationReport(orm, ledger, req.principal!, id), format, `reconciliation-${id.slice(0, 8)}`);
  });

  router.post('/v1/statements', async (req, res) => {
    const body = parseInput(schemas.importStatementBody, req.body);
    const id = await statements.importStatement(orm, payer, req.principal!, {
      format: body.format,
      content: Buffer.from(body.content_base64, 'base64'),
      fileName: body.file_name,
    });
    await jobs.enqueue('post-statement', id);
    res.status(201).location(`/v1/statements/${id}`).json(await statements.getStatement(orm, req.principal!, id));
  });

  router.get('/v1/statements/:id', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    res.json(await statements.getStatement(orm, req.principal!, id));
  });

  router.get('/v1/discrepancies', async (req, res) => {
    const q = parseInput(schemas.discrepanciesQuery, req.query);
    res.json({ items: await statements.listDiscrepancies(orm, req.principal!, q.region_code, q.open === 'true') });
  });

  router.post('/v1/statement-lines/:id/resolve', async (req, res) => {
    const [{ id }, body] = parseParamsAndBody(schemas.idParam, req.params, schemas.resolveBody, req.body);
    const statementId = await statements.resolveDiscrepancy(orm, req.principal!, id, { note: body.note, payoutId: body.payout_id });
    await jobs.enqueue('post-statement', statementId);
    res.json(await statements.getStatement(orm, req.principal!, statementId));
  });

  router.get('/v1/providers/:id/settlement', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const scope = providerView(req.principal!, id);
    res.json(await reports.providerSettlement(orm, id, scope.regionCode));
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
