import { sqlOf, type EntityManager } from '@esc/service-kit';

export interface NewFeedback {
  deliveryId: string;
  certificateId: string;
  providerId: string;
  recipientId: string;
  score: number;
  comment: string | null;
}

/** Stores the act's one rating; answers when it was given, or undefined when the act was rated already. */
export async function insertFeedback(em: EntityManager, f: NewFeedback): Promise<string | undefined> {
  const row = await sqlOf(em).one<{ created_at: string }>(
    `insert into certificates.feedback (delivery_id, certificate_id, provider_id, recipient_id, score, comment) values ($1, $2, $3, $4, $5, $6)
     on conflict (delivery_id) do nothing returning created_at`,
    [f.deliveryId, f.certificateId, f.providerId, f.recipientId, f.score, f.comment],
  );
  return row?.created_at;
}
