import type { Server } from 'node:http';
import type { Logger } from './logger';

export type Closer = { name: string; close: () => Promise<unknown> };

export async function closeHttpServer(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}

/** Stops in order (HTTP first, then workers, then the database) so in-flight work can finish. */
export async function closeAll(closers: Closer[], logger: Logger): Promise<void> {
  for (const closer of closers) {
    try {
      await closer.close();
    } catch (err) {
      logger.error({ err, closer: closer.name }, 'failed to close cleanly');
    }
  }
}

export function onShutdownSignals(stop: () => Promise<void>, logger: Logger, graceMs = 15_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
