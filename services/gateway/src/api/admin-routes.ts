import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import { accountForAdmin, grantStaffRole, listAccountsForAdmin, revokeStaffRole } from '../domain/account-admin';
import { STAFF_ROLES } from '../domain/accounts';
import type { Deps } from '../domain/context';
import { accountDetailView, accountListView, grantView } from './presenters';

const listQuery = z.object({ search: z.string().trim().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const accountParams = z.object({ account_id: z.uuid() });
const grantParams = accountParams.extend({ grant_id: z.uuid() });
const grantBody = z.object({ role: z.enum(STAFF_ROLES), region_code: z.string().regex(/^\d{2}$/).optional() }).strict();

/** The marketplace administrator's accounts page: who has which role, grants and revocations with who and when. */
export function adminRouter(deps: Deps): Router {
  const router = Router();
  router.use('/api/admin', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/admin/accounts', async (req, res) => {
    const query = parseInput(listQuery, req.query);
    res.json(accountListView(await listAccountsForAdmin(deps, { session: req.webSession, ...query })));
  });

  router.get('/api/admin/accounts/:account_id', async (req, res) => {
    const { account_id } = parseInput(accountParams, req.params);
    res.json(accountDetailView(await accountForAdmin(deps, { session: req.webSession, accountId: account_id })));
  });

  router.post('/api/admin/accounts/:account_id/grants', async (req, res) => {
    const { account_id } = parseInput(accountParams, req.params);
    const body = parseInput(grantBody, req.body);
    res.status(201).json(grantView(await grantStaffRole(deps, { session: req.webSession, accountId: account_id, role: body.role, regionCode: body.region_code })));
  });

  router.delete('/api/admin/accounts/:account_id/grants/:grant_id', async (req, res) => {
    const { account_id, grant_id } = parseInput(grantParams, req.params);
    res.json(grantView(await revokeStaffRole(deps, { session: req.webSession, accountId: account_id, grantId: grant_id })));
  });

  return router;
}
