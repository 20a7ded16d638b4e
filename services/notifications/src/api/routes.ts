import { Router } from 'express';
import { parseInput, requireAccess, ROLES } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { markNotificationRead, readInbox } from '../domain/inbox';
import { inboxView, notificationView } from './presenters';
import { inboxQuery, notificationPath } from './schemas';

// Every signed-in person has an inbox; service tokens carry no roles and are refused.
const signedIn = requireAccess({ roles: [...ROLES] });

export function notificationsRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/notifications', signedIn, async (req, res) => {
    const query = parseInput(inboxQuery, req.query);
    res.json(inboxView(await readInbox(deps, req.principal!, query)));
  });

  router.post('/v1/notifications/:id/read', signedIn, async (req, res) => {
    const { id } = parseInput(notificationPath, req.params);
    res.json(notificationView(await markNotificationRead(deps, req.principal!, { id })));
  });

  return router;
}
