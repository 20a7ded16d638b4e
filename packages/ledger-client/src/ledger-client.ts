import createClient, { type Middleware } from 'openapi-fetch';
import type { ledger } from '@esc/api-types';
import { AppError } from '@esc/service-kit';

type Schemas = ledger.components['schemas'];
export type LedgerAccountInput = Schemas['AccountInput'];
export type LedgerAccount = Schemas['Account'];
export type LedgerAccountResult = Schemas['AccountResult'];
export type LedgerTransferInput = Schemas['TransferInput'];
export type LedgerTransferResult = Schemas['TransferResult'];
export type LedgerTransfer = Schemas['Transfer'];
export type LedgerTransferErrorCode = Schemas['TransferErrorCode'];

/**
 * The ledger could not be reached or failed on its side; the call may be retried with the same ids.
 * It is an `unavailable` AppError, so a caller's request answers 503 with a reason a person can act on.
 */
export class LedgerUnavailableError extends AppError {
  constructor(
    readonly reason: string,
    readonly status?: number,
  ) {
    super('unavailable', 'ledger_unavailable', 'Учёт средств (леджер) временно недоступен, операция не выполнена. Повторите её через минуту.', { reason });
    this.name = 'LedgerUnavailableError';
  }
}

/** The ledger refused the request itself (not a transfer's business outcome): a bug or a conflict on our side. */
export class LedgerRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem: { code?: string; detail?: string } | undefined,
  ) {
    super(message);
    this.name = 'LedgerRequestError';
  }
}

export interface LedgerClientOptions {
  baseUrl: string;
  token: () => Promise<string>;
  /** Most transfers sent in one request by `transfer()`. */
  maxBatch?: number;
  /** Requests `transfer()` keeps in flight; submissions arriving meanwhile wait and go out together. */
  maxInFlight?: number;
}

interface QueuedTransfer {
  transfer: LedgerTransferInput;
  resolve: (result: LedgerTransferResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The ledger's HTTP API. `transfer()` coalesces concurrent callers into batch requests: the ledger
 * applies a batch in one transaction, so many callers cost it about as much as one.
 */
export class LedgerClient {
  private readonly http;
  private readonly queue: QueuedTransfer[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(options: LedgerClientOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.http = createClient<ledger.paths>({ baseUrl: options.baseUrl });
    const auth: Middleware = {
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${await options.token()}`);
        return request;
      },
    };
    this.http.use(auth);
  }

  async createAccount(input: LedgerAccountInput): Promise<LedgerAccount> {
    const { data, error, response } = await this.call(() => this.http.POST('/v1/accounts', { body: input }));
    if (data) return data;
    throw this.failure('open account', response, error);
  }

  /** Opens up to 8,000 accounts in one request, each idempotent by id: a result per account in order. */
  async createAccounts(accounts: LedgerAccountInput[]): Promise<LedgerAccountResult[]> {
    const { data, error, response } = await this.call(() => this.http.POST('/v1/accounts/batch', { body: { accounts } }));
    if (data) return data.results;
    throw this.failure('open accounts', response, error);
  }

  async getAccount(id: string): Promise<LedgerAccount | undefined> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/accounts/{id}', { params: { path: { id } } }));
    if (response.status === 404) return undefined;
    if (data) return data;
    throw this.failure('read account', response, error);
  }

  async getTransfer(id: string): Promise<LedgerTransfer | undefined> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/transfers/{id}', { params: { path: { id } } }));
    if (response.status === 404) return undefined;
    if (data) return data;
    throw this.failure('read transfer', response, error);
  }

  async invariants(): Promise<{ ok: boolean } & Record<string, unknown>> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/audit/invariants'));
    if (data) return data as { ok: boolean } & Record<string, unknown>;
    throw this.failure('check invariants', response, error);
  }

  /** One batch request, a result per transfer in order. */
  async submitTransfers(transfers: LedgerTransferInput[]): Promise<LedgerTransferResult[]> {
    const { data, error, response } = await this.call(() => this.http.POST('/v1/transfers', { body: { transfers } }));
    if (data) return data.results;
    // A batch of one that is rejected answers as a problem that still carries its result.
    const results = (error as { results?: LedgerTransferResult[] } | undefined)?.results;
    if (results && results.length === transfers.length) return results;
    throw this.failure('apply transfers', response, error);
  }

  /** One transfer, sent together with whatever other transfers are submitted meanwhile. */
  transfer(transfer: LedgerTransferInput): Promise<LedgerTransferResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ transfer, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush() {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.flushScheduled = true;
    // Let the callers of this tick join the batch.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.submitTransfers(batch.map((q) => q.transfer))
        .then(
          (results) => batch.forEach((q, i) => q.resolve(results[i]!)),
          (error) => batch.forEach((q) => q.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.scheduleFlush();
        });
    }
  }

  private async call<T extends { response: Response }>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new LedgerUnavailableError(`ledger unreachable: ${(error as Error).message}`);
    }
  }

  private failure(what: string, response: Response, error: unknown): Error {
    const problem = error as { code?: string; detail?: string } | undefined;
    const message = `ledger could not ${what}: ${response.status} ${problem?.code ?? ''} ${problem?.detail ?? ''}`.trim();
    if (response.status >= 500 || response.status === 429) return new LedgerUnavailableError(message, response.status);
    return new LedgerRequestError(message, response.status, problem);
  }
}
