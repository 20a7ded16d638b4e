import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '@esc/service-kit';
import type { SessionService } from '../domain/sessions';
import { fromOwnOrigin, sessionCookie } from './session-guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface QueueDashboardOptions {
  sessions: SessionService;
  redis: Redis;
  prefix: string;
  queueNames: string[];
  publicOrigin: string | undefined;
}

/**
 * The BullMQ dashboard (bull-board) over every service's queues, for a signed-in administrator only:
 * no session 401, another role 403. Its actions (retry, clean) change state with the session cookie
 * and no CSRF token of ours, so they must come from the gateway's own origin (SameSite=Lax already
 * keeps the cookie off cross-site POSTs). Its pages load only its own assets from under this path, so
 * the gateway's CSP (everything from 'self') needs no exception; the Google font it links is refused
 * and the page falls back to a system font.
 */
export function queueDashboard(options: QueueDashboardOptions): { router: Router; close(): Promise<void> } {
  const queues = options.queueNames.map((name) => new Queue(name, { connection: options.redis, prefix: options.prefix }));
  const adapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Очереди' } } });

  const router = Router();
  router.use(QUEUE_DASHBOARD_PATH, cookieParser(), async (req, _res, next) => {
    const session = await options.sessions.find(sessionCookie(req));
    if (!session) throw new AppError('unauthenticated', 'unauthenticated', 'Войдите в систему, чтобы открыть панель очередей.');
    if (!session.user.roles.includes('admin')) throw new AppError('forbidden', 'forbidden', 'Панель очередей доступна только администратору.');
    if (STATE_CHANGING.has(req.method) && !fromOwnOrigin(req, options.publicOrigin)) {
      throw new AppError('forbidden', 'csrf_failed', 'Запрос отклонён из соображений безопасности. Обновите страницу и повторите действие.');
    }
    next();
  });
  router.use(QUEUE_DASHBOARD_PATH, adapter.getRouter() as Router);
  return { router, close: async () => void (await Promise.all(queues.map((queue) => queue.close()))) };
}
