type ClosableWorker = { pause(doNotWaitActive?: boolean): Promise<void>; close(force?: boolean): Promise<void> };

const within = <T>(promise: Promise<T>, ms: number, fallback: T) =>
  Promise.race([promise, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);

/**
 * Closes a worker gracefully, or gives up waiting for its current jobs after `ms` and forces it. The
 * wait is a pause, not a first close(): BullMQ keeps the first close() it is given, so a graceful one
 * that never ends (Redis gone mid-job) could not be forced afterwards and left the worker's
 * lock-renewal timer running, which kept the process alive.
 */
export async function closeWithin(worker: ClosableWorker, ms: number, logger: { warn(msg: string): void }): Promise<void> {
  const drained = await within(
    worker.pause().then(() => true, () => false),
    ms,
    false,
  );
  if (!drained) logger.warn(`a queue worker did not stop within ${ms} ms; forcing it closed without waiting`);
  await within(worker.close(!drained).catch(() => undefined), ms, undefined);
}
