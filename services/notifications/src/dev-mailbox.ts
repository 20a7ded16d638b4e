import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface DevMailbox {
  url: string;
  port: number;
  /** Every message it took, parsed, oldest first. */
  messages: ParsedMail[];
  stop(): Promise<void>;
}

export interface DevMailboxOptions {
  port?: number;
  host?: string;
  /** Also keeps each message as it arrived, `<n>-<to>.eml`, for a person to open. */
  dir?: string;
}

/** A local SMTP server for development and tests: it accepts every message and keeps it. Never for production. */
export async function startDevMailbox(options: DevMailboxOptions = {}): Promise<DevMailbox> {
  const { port = 0, host = '127.0.0.1', dir } = options;
  if (dir) mkdirSync(dir, { recursive: true });
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // The reserved .invalid domain (RFC 2606) is refused for good, as a real server refuses an unknown mailbox.
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().endsWith('.invalid')) {
        const refused = new Error(`550 5.1.1 <${address.address}>: no such mailbox`) as Error & { responseCode: number };
        refused.responseCode = 550;
        return callback(refused);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (message) => {
            messages.push(message);
            if (dir) {
              const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^\w@.,-]/g, '_');
              writeFileSync(join(dir, `${Date.now()}-${messages.length}-${to}.eml`), raw);
            }
            callback();
          },
          (err: Error) => callback(err),
        );
      });
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
