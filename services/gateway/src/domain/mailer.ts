/** Where the gateway's own e-mails (staff invitations) go; absent, the link is only shown to the admin. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}
