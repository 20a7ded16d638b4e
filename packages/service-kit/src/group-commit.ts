/** What a batch answers for one of its items: its value, or the error that item alone gets. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions<I> {
  /** Batches under way at once: more overlap I/O, fewer make bigger batches. */
  maxInFlight: number;
  /** Most weight in one batch (a batch always takes at least one item). */
  maxBatch: number;
  /** An item's weight, 1 unless given (the ledger weighs a request by its transfers). */
  weight?: (item: I) => number;
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
    private readonly options: GroupCommitOptions<I>,
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
      const batch = this.waiting.splice(0, this.itemsThatFit());
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private itemsThatFit(): number {
    const weight = this.options.weight;
    if (!weight) return this.options.maxBatch;
    let total = 0;
    let count = 0;
    for (const w of this.waiting) {
      total += weight(w.item);
      if (count > 0 && total > this.options.maxBatch) break;
      count++;
    }
    return count;
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
