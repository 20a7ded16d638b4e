import type { EntityManager, Principal } from '@esc/service-kit';
import { staffActorsOfRecipient, upsertStaffName } from '../data-access/staff-store';
import type { Deps } from './context';

const STAFF_ROLES = ['caseworker', 'admin'];

/** Names already written to each database this process serves, so that a worker's every request does not write again. */
const knownByOrm = new WeakMap<object, Map<string, string>>();

/**
 * Keeps the name of a case worker (or admin) who changes something, as their token carries it: the
 * records keep the subject, and the citizen's history names the person who acted for them.
 */
export async function rememberStaff(deps: Deps, principal: Principal | undefined): Promise<void> {
  if (!principal?.name || principal.kind !== 'user' || !principal.roles.some((r) => STAFF_ROLES.includes(r))) return;
  let known = knownByOrm.get(deps.orm);
  if (!known) knownByOrm.set(deps.orm, (known = new Map()));
  if (known.get(principal.subject) === principal.name) return;
  await upsertStaffName(deps.orm.em.fork(), principal.subject, principal.name);
  known.set(principal.subject, principal.name);
}

/** Each history item with the staff member who acted on it (`acted_by`), null when the citizen or the system did. */
export async function withStaffActors<T extends { id?: unknown }>(em: EntityManager, recipientId: string, items: T[]): Promise<Array<T & { acted_by: { subject: string; name: string } | null }>> {
  const actors = new Map((await staffActorsOfRecipient(em, recipientId)).map((a) => [a.id, { subject: a.subject, name: a.name }]));
  return items.map((item) => ({ ...item, acted_by: actors.get(String(item.id)) ?? null }));
}
