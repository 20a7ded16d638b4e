import type { AuditAppend, EntityManager, EventEnvelope } from '@esc/service-kit';
import { appendAuditOnce } from '../data-access/audit-store';

/**
 * The audit records of acts and bookings, made from the outbox events their changes already write in
 * their own transactions (see ADR 0003): recording and settling acts stay free of the audit log's
 * lock, and the outbox relay appends the records, in outbox order, in the transaction that marks the
 * events published. One record per transition: an act is held (act.recorded), then posted — confirmed,
 * auto-confirmed or partly disputed (redemption.posted) — or voided, disputed whole (act.disputed) or
 * its hold lapsed (act.hold_expired); a booking is created, accepted, declined or cancelled. A refused
 * act writes no event, so it has no record.
 */
export function activityAuditOf(event: EventEnvelope): AuditAppend | undefined {
  const p = event.payload as Record<string, unknown>;
  const at = new Date(event.occurred_at);
  const actor = (field: string) => (typeof p[field] === 'string' ? (p[field] as string) : 'unknown');
  const act = (action: string, who: string, before: unknown, after: unknown): AuditAppend => ({
    actor: who,
    actor_name: null,
    at,
    entry: { action, object_type: 'act', object_id: String(p.delivery_id ?? p.redemption_id), on_behalf_of: (p.recipient_id as string) ?? null, before, after },
  });
  switch (event.topic) {
    case 'act.recorded':
      return act('act.held', actor('recorded_by'), null, {
        status: 'held',
        booking_id: p.booking_id,
        certificate_id: p.certificate_id,
        provider_id: p.provider_id,
        delivered_on: p.delivered_on,
        units: p.units,
        amount: p.amount,
        confirm_by: p.confirm_by,
      });
    case 'redemption.posted':
      // An event written before its payload carried the resolution (relayed after an upgrade) is still a posting.
      return act(`act.${typeof p.resolution === 'string' ? p.resolution : 'posted'}`, actor('resolved_by'), { status: 'held', units: p.act_units, amount: p.held_amount }, {
        status: 'posted',
        resolution: p.resolution,
        confirmed_units: p.units,
        posted_amount: p.amount,
        dispute_reason: p.dispute_reason ?? null,
      });
    case 'act.disputed':
    case 'act.hold_expired':
      // A partly disputed act is posted: its record comes from its redemption.posted.
      if (p.status !== 'voided') return undefined;
      return act(`act.${String(p.resolution)}`, actor('resolved_by'), { status: 'held', units: p.units, amount: p.held_amount }, {
        status: 'voided',
        resolution: p.resolution,
        confirmed_units: 0,
        posted_amount: '0.00',
        dispute_reason: p.dispute_reason ?? null,
      });
    case 'booking.created':
    case 'booking.accepted':
    case 'booking.declined':
    case 'booking.cancelled': {
      const created = event.topic === 'booking.created';
      return {
        actor: actor('actor'),
        actor_name: (p.actor_name as string | null) ?? null,
        at,
        entry: {
          action: event.topic,
          object_type: 'booking',
          object_id: String(p.booking_id),
          on_behalf_of: (p.recipient_id as string) ?? null,
          before: created ? null : { status: p.previous_status },
          after: created
            ? { status: p.status, certificate_id: p.certificate_id, line_id: p.line_id, provider_id: p.provider_id, service_code: p.service_code, units: p.units, units_per_month: p.units_per_month }
            : { status: p.status, ...(event.topic === 'booking.declined' ? { decline_code: p.decline_code, reason: p.reason } : {}) },
        },
      };
    }
    default:
      return undefined;
  }
}

/** Appends the records of a relayed batch's act and booking events; one already in the log (an event relayed again) is not appended twice. */
export async function recordActivity(em: EntityManager, events: EventEnvelope[]): Promise<void> {
  const appends = events.map(activityAuditOf).filter((a): a is AuditAppend => a !== undefined);
  await appendAuditOnce(em, appends);
}
