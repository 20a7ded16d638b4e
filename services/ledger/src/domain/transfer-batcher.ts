import type { TransferOutcome, TransferRequest } from './model';

interface Waiting {
  group: TransferRequest[];
  resolve: (outcomes: TransferOutcome[]) => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions {
  /** Transactions under way at once; more overlap I/O, fewer make bigger batches. */
  maxInFlight: number;
  maxTransfersPerBatch: number;
}

export type GroupExecutor = (groups: TransferRequest[][]) => Promise<TransferOutcome[][]>;

/**
 * Group commit: requests that arrive while a transaction is under way wait and go together in the
 * next one, so the commit cost is shared by every request in it rather than paid by each.
 */
export class TransferBatcher {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly execute: GroupExecutor,
    private readonly options: BatcherOptions,
  ) {}

  submit(group: TransferRequest[]): Promise<TransferOutcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ group, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  get idle(): boolean {
    return this.inFlight === 0 && this.waiting.length === 0;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch: Waiting[] = [];
      let size = 0;
      while (this.waiting.length > 0) {
        const next = this.waiting[0]!;
        if (batch.length > 0 && size + next.group.length > this.options.maxTransfersPerBatch) break;
        batch.push(this.waiting.shift()!);
        size += next.group.length;
      }
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((w) => w.group));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One request's data broke the whole transaction (say, a balance overflow): run each alone so
      // only that request fails.
      await Promise.all(
        batch.map(async (w) => {
          try {
            const [outcome] = await this.execute([w.group]);
            w.resolve(outcome!);
          } catch (single) {
            w.reject(single);
          }
        }),
      );
    }
  }
}
