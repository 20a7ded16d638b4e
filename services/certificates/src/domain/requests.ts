import { iso } from './time';
import type { EntityManager, Principal } from '@esc/service-kit';
import { cabinetRecipient } from './cabinet';
import { historyOfRecipient, noticesOfRecipient } from '../data-access/cabinet-store';

/**
 * Everything a citizen asked for or was offered, newest first: assessments, certificates, bookings and
 * disputed acts, each with its status and, when refused, the stored refusal; plus notices.
 */
export async function myRequests(em: EntityManager, principal: Principal, query: { recipient_id?: string } = {}) {
  const recipient = await cabinetRecipient(em, principal, query.recipient_id);
  if (!recipient) return { recipient_id: null, items: [], notices: [] };
  const items = await historyOfRecipient(em, recipient.id);
  const notices = await noticesOfRecipient(em, recipient.id);
  return {
    recipient_id: recipient.id,
    items: items.map((i) => ({ ...i, at: iso(i.at as string), refusal: i.refusal ?? null })),
    notices: notices.map((n) => ({ ...n, created_at: iso(n.created_at) })),
  };
}
