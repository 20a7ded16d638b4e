import { createJobWorker, Queue, type Logger, type Redis } from '@esc/service-kit';
import { closeWithin } from '../closing';
import { postBatch } from '../domain/batches';
import { SYSTEM_PRINCIPAL, type Deps } from '../domain/context';
import { previousPeriod } from '../domain/periods';
import { executeRun, markRunStarted, scheduleRuns } from '../domain/runs';
import { postStatement } from '../domain/statements';
import { unfinishedWork } from '../domain/unfinished-work';

export const SETTLEMENT_JOBS = ['run', 'post-batch', 'post-statement', 'schedule-runs'] as const;
export type SettlementJob = (typeof SETTLEMENT_JOBS)[number];
type WorkJob = Exclude<SettlementJob, 'schedule-runs'>;

const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * The database says what work is unfinished; the queue only carries it. Job ids are derived from the
 * record, so queuing twice is one job, and the recovery pass queues again whatever Redis lost.
 */
export class SettlementJobs {
  readonly queue: Queue;
  private worker?: ReturnType<typeof createJobWorker>;
  private recoveryTimer?: NodeJS.Timeout;
  private recovering?: Promise<void>;

  constructor(
    private readonly deps: Deps,
    private readonly connection: Redis,
    private readonly logger: Logger,
    private readonly options: { queueName: string; prefix: string; lockMs: number; recoveryEveryMs: number; cron: string; tz: string; postingChunk: number },
  ) {
    this.queue = new Queue(options.queueName, { connection, prefix: options.prefix });
    // Without a listener a Redis outage would be printed by the EventEmitter instead of logged.
    this.queue.on('error', (err) => logger.warn({ err, queue: options.queueName }, 'settlement queue error'));
  }

  static jobId(name: WorkJob, id: string): string {
    return `${name}-${id}`;
  }

  /** Queues the work now if Redis answers; otherwise the recovery pass does it later. Never throws. */
  async enqueue(name: WorkJob, id: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ensureJob(name, id),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis did not answer in time')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      this.logger.warn({ err, job: name, id }, 'could not queue the job now; the recovery pass will');
    } finally {
      clearTimeout(timer);
    }
  }

  private async ensureJob(name: WorkJob, id: string): Promise<void> {
    const jobId = SettlementJobs.jobId(name, id);
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') return existing.retry();
      if (state !== 'completed' && state !== 'unknown') return;
      await existing.remove();
    }
    await this.queue.add(name, { id }, { jobId, attempts: 25, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false });
  }

  async start(): Promise<void> {
    const { deps, logger } = this;
    this.worker = createJobWorker(
      this.options.queueName,
      SETTLEMENT_JOBS,
      {
        run: async (job) => {
          await markRunStarted(deps, SYSTEM_PRINCIPAL, { runId: job.data.id });
          return executeRun(deps, SYSTEM_PRINCIPAL, { runId: job.data.id });
        },
        'post-batch': (job) => postBatch(deps, SYSTEM_PRINCIPAL, { batchId: job.data.id, chunk: this.options.postingChunk }),
        'post-statement': (job) => postStatement(deps, SYSTEM_PRINCIPAL, { statementId: job.data.id }),
        'schedule-runs': async () => {
          const runs = await scheduleRuns(deps, SYSTEM_PRINCIPAL, { period: previousPeriod(new Date(), this.options.tz) });
          for (const run of runs) await this.enqueue('run', run.id);
          return runs.length;
        },
      },
      this.connection,
      logger,
      { prefix: this.options.prefix, concurrency: 2, lockDuration: this.options.lockMs, stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)) },
    );
    await this.queue
      .upsertJobScheduler('schedule-runs', { pattern: this.options.cron, tz: this.options.tz }, { name: 'schedule-runs' })
      .catch((err) => logger.warn({ err }, 'could not register the run schedule now; retried by the recovery pass'));
    const tick = () => {
      this.recovering = this.recover().finally(() => {
        this.recovering = undefined;
        if (this.recoveryTimer) this.recoveryTimer = setTimeout(tick, this.options.recoveryEveryMs);
      });
    };
    this.recoveryTimer = setTimeout(tick, 0);
  }

  /** Queues again every unfinished run, batch posting and statement posting found in the database. */
  async recover(): Promise<void> {
    try {
      const work = await unfinishedWork(this.deps, SYSTEM_PRINCIPAL);
      for (const id of work.runs) await this.ensureJob('run', id);
      for (const id of work.batchPostings) await this.ensureJob('post-batch', id);
      for (const id of work.statementPostings) await this.ensureJob('post-statement', id);
      const schedulers = await this.queue.getJobSchedulers();
      if (!schedulers.some((s) => s.key === 'schedule-runs')) {
        await this.queue.upsertJobScheduler('schedule-runs', { pattern: this.options.cron, tz: this.options.tz }, { name: 'schedule-runs' });
      }
    } catch (err) {
      this.logger.warn({ err }, 'recovery pass failed; next pass retries');
    }
  }

  async stop(): Promise<void> {
    const timer = this.recoveryTimer;
    this.recoveryTimer = undefined;
    clearTimeout(timer);
    // A pass waiting for a Redis that is down must not hold up shutdown.
    await Promise.race([this.recovering, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    // A job whose lock went with a Redis outage may never finish cleanly; the database says what is
    // unfinished and the next process picks it up, so shutdown does not wait for it forever.
    if (this.worker) await closeWithin(this.worker, 10_000, this.logger);
    await this.queue.close();
  }
}
