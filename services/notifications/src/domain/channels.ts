import type { Notice, NoticeKind } from './templates';

/** Channels besides the inbox, which always keeps every notice. */
export type OutboundChannel = 'email' | 'sms';
export const OUTBOUND_CHANNELS: readonly OutboundChannel[] = ['email', 'sms'];

export type Audience = 'citizen' | 'provider' | 'finance';

/**
 * Every kind of notice, whom it is for and where it goes unless the person chose otherwise: e-mail
 * for everything; SMS only where a deadline is near or the certificate itself changes, so a short
 * message is worth a person's attention.
 */
export const KINDS: Record<NoticeKind, { audience: Audience; defaults: readonly OutboundChannel[] }> = {
  act_recorded: { audience: 'citizen', defaults: ['email', 'sms'] },
  act_confirmation_due: { audience: 'citizen', defaults: ['email', 'sms'] },
  act_auto_confirmed: { audience: 'citizen', defaults: ['email'] },
  booking_accepted: { audience: 'citizen', defaults: ['email'] },
  booking_declined: { audience: 'citizen', defaults: ['email', 'sms'] },
  certificate_issued: { audience: 'citizen', defaults: ['email', 'sms'] },
  certificate_suspended: { audience: 'citizen', defaults: ['email', 'sms'] },
  certificate_expiring: { audience: 'citizen', defaults: ['email', 'sms'] },
  certificate_expired: { audience: 'citizen', defaults: ['email'] },
  certificate_revoked: { audience: 'citizen', defaults: ['email', 'sms'] },
  assessment_recognised: { audience: 'citizen', defaults: ['email'] },
  programme_drawn: { audience: 'citizen', defaults: ['email'] },
  refusal_recorded: { audience: 'citizen', defaults: ['email', 'sms'] },
  booking_created: { audience: 'provider', defaults: ['email'] },
  act_disputed: { audience: 'provider', defaults: ['email'] },
  round_application_decided: { audience: 'provider', defaults: ['email', 'sms'] },
  round_appeal_decided: { audience: 'provider', defaults: ['email'] },
  payout_paid: { audience: 'provider', defaults: ['email'] },
  payout_returned: { audience: 'provider', defaults: ['email', 'sms'] },
  batch_awaiting_approval: { audience: 'finance', defaults: ['email'] },
  statement_lines_unmatched: { audience: 'finance', defaults: ['email'] },
};

export const kindsOf = (audience: Audience): NoticeKind[] => (Object.keys(KINDS) as NoticeKind[]).filter((k) => KINDS[k].audience === audience);

/** A person's contacts and own choices, as stored. */
export interface Contact {
  person_key: string;
  email: string | null;
  phone: string | null;
  channels: Partial<Record<string, OutboundChannel[]>>;
}

/** The channels a kind of notice goes to for this person: their choice, else the kind's default. */
export function chosenChannels(kind: NoticeKind, contact: Pick<Contact, 'channels'> | undefined): readonly OutboundChannel[] {
  return contact?.channels[kind] ?? KINDS[kind].defaults;
}

export interface OutboundDelivery {
  notice: Notice;
  channel: OutboundChannel;
  address: string;
  body: string;
}

/** The e-mails and SMS the notices become: a channel the person chose and has an address for. */
export function outboundDeliveries(notices: Notice[], contacts: Contact[]): OutboundDelivery[] {
  const byKey = new Map(contacts.map((c) => [c.person_key, c]));
  const out: OutboundDelivery[] = [];
  for (const notice of notices) {
    const contact = byKey.get(notice.personKey);
    if (!contact) continue;
    const chosen = chosenChannels(notice.kind, contact);
    if (chosen.includes('email') && contact.email) out.push({ notice, channel: 'email', address: contact.email, body: notice.body });
    if (chosen.includes('sms') && contact.phone) out.push({ notice, channel: 'sms', address: contact.phone, body: smsText(notice) });
  }
  return out;
}

/** An SMS is short: what happened and what to do by when, the rest is in the cabinet. */
export function smsText(notice: Notice): string {
  const head = notice.sms ?? `${notice.title}.`;
  return `${head} Подробнее — в личном кабинете, раздел «Уведомления».`;
}
