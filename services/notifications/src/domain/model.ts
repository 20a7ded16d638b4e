/** A notice as the inbox keeps it. */
export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  action_due_at: string | null;
  subject_type: string | null;
  subject_id: string | null;
  created_at: string;
  read_at: string | null;
}

/** An e-mail or SMS that could not be delivered, as an admin sees it. */
export interface FailedDelivery {
  id: string;
  channel: 'email' | 'sms';
  person_key: string;
  address: string;
  kind: string;
  title: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}
