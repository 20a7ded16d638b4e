import { Router } from 'express';

export type ReadinessProbe = () => Promise<unknown>;

const PROBE_TIMEOUT_MS = 2000;

/** Liveness says the process runs; readiness says its dependencies answer. */
export function healthRouter(probes: Record<string, ReadinessProbe>): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
            timer.unref();
          });
          await Promise.race([probe(), timeout]);
          checks[name] = 'ok';
        } catch (err) {
          ready = false;
          checks[name] = `failing: ${(err as Error).message}`;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
