/** What a batch answers for one of its items: its value, or the error that item alone gets. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Batches under way at once: more overlap I/O, fewer make bigger batches. */
  maxInFlight: number;
  maxBatch: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a service's hot writes: calls that arrive while a batch is under way wait and go
 * together in the next one, so a transaction's round trips and its commit are paid once per batch
 * rather than once per call. `execute` answers every item; if it throws instead, each item of that
 * batch is run again alone, so one bad item fails only its own caller.
 */
export class GroupCommit<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly execute: (items: I[]) => Promise<Array<ItemOutcome<O>>>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // Callers arriving in the same turn of the event loop join the first batch.
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((w) => w.item));
      batch.forEach((w, i) => settle(w, outcomes[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(
        batch.map(async (w) => {
          try {
            settle(w, (await this.execute([w.item]))[0]);
          } catch (alone) {
            w.reject(alone);
          }
        }),
      );
    }
  }
}

function settle<O>(w: Waiting<unknown, O>, outcome: ItemOutcome<O> | undefined): void {
  if (!outcome) w.reject(new Error('group commit: the batch returned no outcome for an item'));
  else if (outcome.ok) w.resolve(outcome.value);
  else w.reject(outcome.error);
}
