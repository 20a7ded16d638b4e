import type { Logger } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { sendDueEmails } from '../domain/email';

/** Sends due e-mails every `everyMs`; several instances share the work through row locks. */
export class EmailSender {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        this.running = sendDueEmails(this.deps);
        await this.running;
      } catch (err) {
        this.logger.warn({ err }, 'e-mail pass failed; retrying');
      } finally {
        this.running = undefined;
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.everyMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
