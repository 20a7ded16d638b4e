import type { EventEnvelope, EventHandler } from '@esc/service-kit';
import type { z } from 'zod';
import { contactsOf, insertOutbound } from '../data-access/delivery-store';
import { insertNotices } from '../data-access/notification-store';
import { outboundDeliveries } from './channels';
import * as events from './events';
import * as templates from './templates';

function handler<S extends z.ZodType>(schema: S, notices: (payload: z.infer<S>) => templates.Notice[]): EventHandler {
  return async (event: EventEnvelope, em) => {
    const parsed = schema.safeParse(event.payload);
    // Thrown, the job is retried and then kept as failed in the queue, where an admin sees it.
    if (!parsed.success) throw new Error(`event ${event.id} (${event.topic}) does not carry what its notice needs: ${parsed.error.message}`);
    const made = notices(parsed.data);
    await insertNotices(em, event.id, 'inbox', made);
    // Sent later by the outbound sender, to the channels each person chose and has an address for; stored here so none is lost.
    const contacts = await contactsOf(em, [...new Set(made.map((n) => n.personKey))]);
    await insertOutbound(em, event.id, outboundDeliveries(made, contacts));
  };
}

/** The consumer's handlers: each event becomes its notices, in the transaction that marks it handled. */
export const NOTICE_HANDLERS: Record<events.NoticeTopic, EventHandler> = {
  'act.recorded': handler(events.actRecorded, templates.actRecordedNotices),
  'act.auto_confirmed': handler(events.actSettled, templates.actAutoConfirmedNotices),
  'act.disputed': handler(events.actSettled, templates.actDisputedNotices),
  'booking.created': handler(events.bookingCreated, templates.bookingCreatedNotices),
  'booking.accepted': handler(events.bookingDecided, templates.bookingAcceptedNotices),
  'booking.declined': handler(events.bookingDecided, templates.bookingDeclinedNotices),
  'certificate.issued': handler(events.certificateIssued, templates.certificateIssuedNotices),
  'certificate.suspended': handler(events.certificateStatusChanged, templates.certificateSuspendedNotices),
  'certificate.revoked': handler(events.certificateStatusChanged, templates.certificateRevokedNotices),
  'act.confirmation_due': handler(events.actConfirmationDue, templates.actConfirmationDueNotices),
  'certificate.expiring': handler(events.certificateExpiring, templates.certificateExpiringNotices),
  'certificate.expired': handler(events.certificateExpired, templates.certificateExpiredNotices),
  'assessment.recognised': handler(events.assessmentRecognised, templates.assessmentRecognisedNotices),
  'programme.drawn': handler(events.programmeDrawn, templates.programmeDrawnNotices),
  'refusal.recorded': handler(events.refusalRecorded, templates.refusalRecordedNotices),
  'round.application_decided': handler(events.roundDecided, templates.roundApplicationDecidedNotices),
  'round.appeal_decided': handler(events.roundDecided, templates.roundAppealDecidedNotices),
  'batch.awaiting_approval': handler(events.batchAwaitingApproval, templates.batchAwaitingApprovalNotices),
  'payout.paid': handler(events.payoutSettled, templates.payoutPaidNotices),
  'payout.returned': handler(events.payoutSettled, templates.payoutReturnedNotices),
  'statement.lines_unmatched': handler(events.statementLinesUnmatched, templates.statementLinesUnmatchedNotices),
};
