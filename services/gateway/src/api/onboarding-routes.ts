import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import {
  acceptInvitation,
  allJoinRequests,
  decideJoin,
  decideJoinAsMarketplaceAdmin,
  describeInvitation,
  invite,
  joinRequests,
  onboardingState,
  onboardProvider,
  providerInvitations,
  providerStaff,
  removeStaff,
} from '../domain/onboarding';
import type { WebSession } from '../domain/sessions';
import { invitationView, joinRequestsView, onboardingView, sessionView, staffView } from './presenters';

const registration = z.looseObject({ inn: z.string().min(1).max(12) });
const invitationBody = z.strictObject({ email: z.email().max(254), role: z.enum(['provider_staff', 'provider_admin']) });
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'ссылка приглашения повреждена') });
const staffParams = z.object({ account_id: z.uuid() });
const joinParams = z.object({ id: z.uuid() });
const approveBody = z.strictObject({ role: z.enum(['provider_staff', 'provider_admin']).default('provider_staff') });
// The marketplace admin lets in an organisation's head: provider_admin unless said otherwise.
const adminApproveBody = z.strictObject({ role: z.enum(['provider_staff', 'provider_admin']).default('provider_admin') });

const noStore = (res: Response) => res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
const withSession = (session: WebSession) => ({ session: sessionView(session) });

/** NGO onboarding and the provider admin's staff: invitations by single-use link, and removal. */
export function onboardingRouter(deps: Deps, options: { publicOrigin: string | undefined }): Router {
  const router = Router();

  router.get('/api/onboarding', async (req, res) => {
    noStore(res).json(onboardingView(await onboardingState(deps, { session: req.webSession })));
  });

  router.post('/api/onboarding/provider', async (req, res) => {
    const body = parseInput(registration, req.body);
    const { provider, session } = await onboardProvider(deps, { session: req.webSession, registration: body });
    noStore(res).status(201).json({ provider, ...withSession(session) });
  });

  router.get('/api/provider/staff', async (req, res) => {
    noStore(res).json(staffView(await providerStaff(deps, { session: req.webSession })));
  });

  router.delete('/api/provider/staff/:account_id', async (req, res) => {
    const { account_id } = parseInput(staffParams, req.params);
    await removeStaff(deps, { session: req.webSession, accountId: account_id });
    noStore(res).status(204).end();
  });

  router.get('/api/provider/invitations', async (req, res) => {
    noStore(res).json({ items: (await providerInvitations(deps, { session: req.webSession })).map((i) => invitationView(i)) });
  });

  router.post('/api/provider/invitations', async (req, res) => {
    const body = parseInput(invitationBody, req.body);
    const origin = options.publicOrigin ?? `${req.protocol}://${req.host}`;
    const linkOf = (token: string) => `${origin}/invitations/${token}`;
    const { invitation, token, emailed } = await invite(deps, { session: req.webSession, email: body.email, role: body.role, linkOf });
    noStore(res).status(201).json({ ...invitationView(invitation, linkOf(token)), emailed });
  });

  router.get('/api/provider/join-requests', async (req, res) => {
    noStore(res).json(joinRequestsView(await joinRequests(deps, { session: req.webSession })));
  });

  router.get('/api/admin/join-requests', async (req, res) => {
    noStore(res).json(joinRequestsView(await allJoinRequests(deps, { session: req.webSession })));
  });

  router.post('/api/admin/join-requests/:id/approve', async (req, res) => {
    const { id } = parseInput(joinParams, req.params);
    const { role } = parseInput(adminApproveBody, req.body ?? {});
    await decideJoinAsMarketplaceAdmin(deps, { session: req.webSession, id, decision: 'approved', role });
    noStore(res).status(204).end();
  });

  router.post('/api/admin/join-requests/:id/decline', async (req, res) => {
    const { id } = parseInput(joinParams, req.params);
    await decideJoinAsMarketplaceAdmin(deps, { session: req.webSession, id, decision: 'declined' });
    noStore(res).status(204).end();
  });

  router.post('/api/provider/join-requests/:id/approve', async (req, res) => {
    const { id } = parseInput(joinParams, req.params);
    const { role } = parseInput(approveBody, req.body ?? {});
    await decideJoin(deps, { session: req.webSession, id, decision: 'approved', role });
    noStore(res).status(204).end();
  });

  router.post('/api/provider/join-requests/:id/decline', async (req, res) => {
    const { id } = parseInput(joinParams, req.params);
    await decideJoin(deps, { session: req.webSession, id, decision: 'declined' });
    noStore(res).status(204).end();
  });

  router.get('/api/invitations/:token', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params);
    noStore(res).json(invitationView(await describeInvitation(deps, { token })));
  });

  router.post('/api/invitations/:token/accept', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params);
    const { invitation, session } = await acceptInvitation(deps, { session: req.webSession, token });
    noStore(res).json({ invitation: invitationView(invitation), ...withSession(session) });
  });

  return router;
}
