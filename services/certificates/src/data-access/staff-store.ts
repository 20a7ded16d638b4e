import { sqlOf, type EntityManager } from '@esc/service-kit';

/** The name a staff member's token carries, kept by their subject; a changed name replaces the old one. */
export async function upsertStaffName(em: EntityManager, subject: string, name: string): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.staff_names (subject, name) values ($1, $2)
     on conflict (subject) do update set name = excluded.name, updated_at = clock_timestamp() where staff_names.name <> excluded.name`,
    [subject, name],
  );
}

export interface RecordActor {
  id: string;
  subject: string;
  name: string;
}

/**
 * Who among the staff did what on the recipient's records: decided the assessments, issued the
 * certificates, made the bookings and confirmed or disputed the acts (the records' own `*_by`).
 */
export function staffActorsOfRecipient(em: EntityManager, recipientId: string): Promise<RecordActor[]> {
  return sqlOf(em).rows<RecordActor>(
    `select x.id, x.subject, s.name from (
       select id, decided_by as subject from certificates.assessments where recipient_id = $1
       union all select id, issued_by from certificates.certificates where recipient_id = $1
       union all select id, requested_by from certificates.bookings where recipient_id = $1
       union all select id, resolved_by from certificates.deliveries where recipient_id = $1
     ) x join certificates.staff_names s on s.subject = x.subject`,
    [recipientId],
  );
}
