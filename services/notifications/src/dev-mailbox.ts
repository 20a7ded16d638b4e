import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface DevMailbox {
  url: string;
  port: number;
  /** Every message it took, parsed, oldest first. */
  messages: ParsedMail[];
  stop(): Promise<void>;
}

/** A local SMTP server for development and tests: it accepts every message and keeps it. Never for production. */
export async function startDevMailbox(port = 0, host = '127.0.0.1'): Promise<DevMailbox> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (message) => {
          messages.push(message);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${bound}`,
    port: bound,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
