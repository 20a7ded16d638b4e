/** Closes a worker gracefully, or gives up waiting after `ms` (forcing it without waiting further). */
export async function closeWithin(worker: { close(force?: boolean): Promise<void> }, ms: number, logger: { warn(msg: string): void }): Promise<void> {
  const timedOut = await Promise.race([
    worker.close().then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms).unref()),
  ]);
  if (timedOut) {
    logger.warn(`a queue worker did not stop within ${ms} ms; forcing it closed without waiting`);
    worker.close(true).catch(() => undefined);
  }
}
