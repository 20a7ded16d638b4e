import nodemailer from 'nodemailer';

/** Sends one e-mail; throws when the server does not take it. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** E-mail over SMTP (`smtp://host:port` or `smtps://user:password@host:port`). */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}
