import cluster from 'node:cluster';
import { createLogger, onShutdownSignals } from '@esc/service-kit';
import { createLedgerService } from './app';
import { loadLedgerConfig } from './config';
import { migrateLedger } from './migrate-cli';

/**
 * WEB_CONCURRENCY > 1 runs that many worker processes on the same port: HTTP parsing is what limits
 * one process, and row locks keep concurrent processes correct.
 */
async function main() {
  const config = loadLedgerConfig();
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
    const logger = createLogger('ledger', config.LOG_LEVEL);
    if (config.RUN_MIGRATIONS) await migrateLedger(config);
    let stopping = false;
    for (let i = 0; i < config.WEB_CONCURRENCY; i++) cluster.fork();
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code }, 'ledger worker exited; starting another');
      cluster.fork();
    });
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  const service = await createLedgerService({ RUN_MIGRATIONS: cluster.isPrimary && config.RUN_MIGRATIONS });
  await service.start();
  onShutdownSignals(() => service.stop(), service.logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
