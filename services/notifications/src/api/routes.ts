import { Router } from 'express';
import { parseInput, requireAccess, ROLES } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { listFailedDeliveries } from '../domain/outbound';
import { changeSettings, managedKey, readSettings } from '../domain/settings';
import { markNotificationRead, readInbox } from '../domain/inbox';
import { failedDeliveriesView, inboxView, notificationView, settingsView } from './presenters';
import { settingsBody, failedQuery, inboxQuery, notificationPath } from './schemas';

// Every signed-in person has an inbox; service tokens carry no roles and are refused.
const signedIn = requireAccess({ roles: [...ROLES] });
const admins = requireAccess({ roles: ['admin'] });

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

  router.get('/v1/notification-settings', signedIn, async (req, res) => {
    res.json(settingsView(await readSettings(deps, req.principal!)));
  });

  router.put('/v1/notification-settings', signedIn, async (req, res) => {
    // Who may set an address is checked before the body: a person with none to set learns that first.
    managedKey(req.principal!);
    const body = parseInput(settingsBody, req.body);
    res.json(settingsView(await changeSettings(deps, req.principal!, body)));
  });

  router.get('/v1/failed-deliveries', admins, async (req, res) => {
    const query = parseInput(failedQuery, req.query);
    res.json(failedDeliveriesView(await listFailedDeliveries(deps, req.principal!, query)));
  });

  return router;
}
