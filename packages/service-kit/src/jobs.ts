import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * A queue whose job names are a closed set: creating the worker fails at start-up when a name has
 * no handler, instead of jobs failing at run time.
 */
export function createJobWorker<Name extends string>(
  queueName: string,
  names: readonly Name[],
  handlers: Record<Name, (job: Job) => Promise<unknown>>,
  connection: Redis,
  logger: Logger,
  options: Partial<WorkerOptions> = {},
): Worker {
  const missing = names.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`Queue ${queueName} has jobs without handlers: ${missing.join(', ')}`);
  const worker = new Worker(
    queueName,
    async (job) => {
      const handler = handlers[job.name as Name];
      if (!handler) throw new Error(`Unknown job ${job.name} on ${queueName}`);
      return handler(job);
    },
    { connection, ...options },
  );
  worker.on('failed', (job, err) => logger.warn({ err, job: job?.name, jobId: job?.id }, 'job failed'));
  worker.on('error', (err) => logger.warn({ err, queue: queueName }, 'worker error'));
  return worker;
}

export { Queue, Worker };
export type { Job };
