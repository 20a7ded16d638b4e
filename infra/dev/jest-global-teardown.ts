import type { BackingService } from './backing-services';

// Jest runs global setup and teardown in one process, so a global carries the handles across.
declare global {
  var __ESC_STARTED_BACKING_SERVICES__: BackingService[] | undefined;
}

/** Called by jest.global-setup.ts with what it found; only those it started themselves get stopped. */
export function rememberForTeardown(services: BackingService[]): void {
  globalThis.__ESC_STARTED_BACKING_SERVICES__ = services.filter((service) => service.stop);
}

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__ESC_STARTED_BACKING_SERVICES__ ?? [];
  globalThis.__ESC_STARTED_BACKING_SERVICES__ = undefined;
  for (const service of started.reverse()) await service.stop?.();
}
