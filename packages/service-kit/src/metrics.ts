import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Router, type Request } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import { AppError } from './errors';
import { hasAccess, type TokenVerifier } from './auth';
import type { FastRoute } from './fast-routes';

/** The scope a service token needs to read /metrics (Prometheus scrapes with OAuth2 client credentials). */
export const METRICS_SCOPE = 'metrics:read';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * One Prometheus registry per service: HTTP requests by method, route pattern and status class, the
 * 5xx count, queue and outbox gauges collected on scrape, and the service's business counters.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status_class'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly errors: Counter<'method' | 'route'>;
  private readonly counters = new Map<string, Counter>();
  private readonly gauges = new Map<string, Gauge>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const labelNames = ['method', 'route', 'status_class'] as const;
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route pattern and status class.', labelNames, registers: [this.registry] });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status class.',
      labelNames,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.errors = new Counter({ name: 'http_server_errors_total', help: 'HTTP requests answered 5xx.', labelNames: ['method', 'route'], registers: [this.registry] });
  }

  /** A business counter (acts held, payouts paid): the same one for the same name. */
  counter(name: string, help: string): Counter {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = new Counter({ name, help, registers: [this.registry] });
      this.counters.set(name, counter);
    }
    return counter;
  }

  /** A label-less gauge set by the service (the ledger's last invariant check). */
  gauge(name: string, help: string): Gauge {
    let gauge = this.gauges.get(name);
    if (!gauge) {
      gauge = new Gauge({ name, help, registers: [this.registry] });
      this.gauges.set(name, gauge);
    }
    return gauge;
  }

  /**
   * Counts every request the server answers, Express's or a fast route's. The route label is the
   * Express route pattern (`/v1/deliveries/:id/confirm`) or the fast route's, never the raw URL.
   */
  instrument(listener: RequestListener, fastRoutes: FastRoute[] = []): RequestListener {
    const named = fastRoutes.map((route) => ({ method: route.method, path: route.path, name: routeNameOf(route.path) }));
    return (req, res) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => this.observe(req, res, started, named));
      listener(req, res);
    };
  }

  private observe(req: IncomingMessage, res: ServerResponse, started: bigint, fast: { method: string; path: RegExp; name: string }[]): void {
    const method = req.method ?? 'OTHER';
    const route = expressRouteOf(req as Request) ?? fastRouteOf(req, fast) ?? 'unmatched';
    const status = res.statusCode;
    const labels = { method, route, status_class: `${Math.floor(status / 100)}xx` };
    this.requests.inc(labels);
    this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    if (status >= 500) this.errors.inc({ method, route });
  }

  // A process may start a service more than once (tests, a restart in place): the gauges are made once
  // and read the queues and the outbox of the instance that asked last.
  private readonly watchedQueues = new Map<string, Queue>();
  private outboxReader: (() => Promise<{ unpublished: number; oldestAgeSeconds: number }>) | undefined;

  /** Waiting, active, failed and delayed jobs and the oldest waiting job's age, read from Redis on scrape. */
  watchQueues(queues: Queue[]): void {
    if (!queues.length) return;
    const first = this.watchedQueues.size === 0;
    for (const queue of queues) this.watchedQueues.set(queue.name, queue);
    if (!first) return;
    const watched = () => [...this.watchedQueues.values()];
    new Gauge({
      name: 'bullmq_jobs',
      help: 'Jobs in a BullMQ queue by state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          watched().map(async (queue) => {
            const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed');
            for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
          }),
        );
      },
    });
    new Gauge({
      name: 'bullmq_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job waiting in a BullMQ queue (0 when none waits).',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          watched().map(async (queue) => {
            const [job] = await queue.getJobs(['wait'], 0, 0, true);
            this.set({ queue: queue.name }, job ? Math.max(0, (Date.now() - job.timestamp) / 1000) : 0);
          }),
        );
      },
    });
  }

  /** Unpublished outbox rows and the oldest one's age, read on scrape. */
  watchOutbox(read: () => Promise<{ unpublished: number; oldestAgeSeconds: number }>): void {
    const first = this.outboxReader === undefined;
    this.outboxReader = read;
    if (!first) return;
    let pending: Promise<{ unpublished: number; oldestAgeSeconds: number }> | undefined;
    // Both gauges come from one query per scrape.
    const once = () => (pending ??= this.outboxReader!().finally(() => setImmediate(() => (pending = undefined))));
    new Gauge({
      name: 'outbox_unpublished_events',
      help: 'Outbox rows not yet published to their queues.',
      registers: [this.registry],
      async collect() {
        this.set((await once()).unpublished);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none).',
      registers: [this.registry],
      async collect() {
        this.set((await once()).oldestAgeSeconds);
      },
    });
  }

  /** `GET /metrics`: only for a token with the metrics:read scope. */
  router(verifier: TokenVerifier): Router {
    const router = Router();
    router.get('/metrics', async (req, res) => {
      const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
      if (!token) throw new AppError('unauthenticated', 'unauthenticated', 'Send a bearer token with the metrics:read scope.');
      const principal = await verifier.verify(token).catch(() => undefined);
      if (!principal) throw new AppError('unauthenticated', 'unauthenticated', 'The bearer token is not valid.');
      if (!hasAccess(principal, { scopes: [METRICS_SCOPE] })) throw new AppError('forbidden', 'forbidden', `This operation needs scope ${METRICS_SCOPE}.`);
      res.setHeader('Content-Type', this.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(await this.registry.metrics());
    });
    return router;
  }
}

const byService = new Map<string, ServiceMetrics>();

/** The service's metrics; one registry per service name in a process (tests run several services in one). */
export function serviceMetrics(service: string): ServiceMetrics {
  let metrics = byService.get(service);
  if (!metrics) {
    metrics = new ServiceMetrics(service);
    byService.set(service, metrics);
  }
  return metrics;
}

function expressRouteOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

function fastRouteOf(req: IncomingMessage, routes: { method: string; path: RegExp; name: string }[]): string | undefined {
  if (!routes.length) return undefined;
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  return routes.find((route) => route.method === req.method && route.path.test(path))?.name;
}

/** `/^\/v1\/deliveries\/(?<id>[^/?]+)\/confirm$/` → `/v1/deliveries/:id/confirm`. */
export function routeNameOf(path: RegExp): string {
  return path.source
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\(\?<(\w+)>[^)]*\)/g, ':$1')
    .replace(/\\(.)/g, '$1');
}
