import type { Logger } from '@esc/service-kit';
import type { Deps } from '../domain/context';
import { sendDue } from '../domain/outbound';

/** Sends due e-mails and SMS every `everyMs`; several instances share the work through row locks. */
export class OutboundSender {
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
        this.running = sendDue(this.deps);
        await this.running;
      } catch (err) {
        this.logger.warn({ err }, 'outbound pass failed; retrying');
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
