import { sqlOf, type EntityManager } from '@esc/service-kit';

export interface NewRefusal {
  id: string;
  recipientId: string | null;
  regionCode: string | null;
  subjectKind: string;
  subjectId: string;
  code: string;
  reason: string;
  nextSteps: string;
  appeal: string;
}

export async function insertRefusal(em: EntityManager, r: NewRefusal): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.refusals (id, recipient_id, region_code, subject_kind, subject_id, code, reason, next_steps, appeal) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.id, r.recipientId, r.regionCode, r.subjectKind, r.subjectId, r.code, r.reason, r.nextSteps, r.appeal],
  );
}
