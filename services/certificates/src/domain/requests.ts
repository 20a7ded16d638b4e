import type { Principal } from '@esc/service-kit';
import { historyOfRecipient, noticesOfRecipient, type NoticeRow } from '../data-access/cabinet-store';
import { cabinetRecipient } from './cabinet';
import type { Deps } from './context';
import { withStaffActors } from './staff';

export interface MyRequests {
  recipient_id: string | null;
  items: Array<Record<string, unknown>>;
  notices: NoticeRow[];
}

/**
 * Everything a citizen asked for or was offered, newest first: assessments, certificates, bookings and
 * disputed acts, each with its status and, when refused, the stored refusal; plus notices.
 */
export async function myRequests(deps: Deps, principal: Principal, input: { recipient_id?: string } = {}): Promise<MyRequests> {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, input.recipient_id);
  if (!recipient) return { recipient_id: null, items: [], notices: [] };
  const items = await withStaffActors(em, recipient.id, await historyOfRecipient(em, recipient.id));
  return { recipient_id: recipient.id, items, notices: await noticesOfRecipient(em, recipient.id) };
}
