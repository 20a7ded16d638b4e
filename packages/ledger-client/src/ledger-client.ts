import http from 'node:http';
import https from 'node:https';
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
  /**
   * How long a transfer request may take before it counts as unanswered (LedgerUnavailableError): a
   * caller may hold database locks while it waits. Its transfers may still have been applied; they are
   * retried with the same ids.
   */
  timeoutMs?: number;
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
  private readonly transfersUrl: URL;
  private readonly agent: http.Agent;

  constructor(private readonly options: LedgerClientOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.transfersUrl = new URL('/v1/transfers', options.baseUrl);
    this.agent = new (this.transfersUrl.protocol === 'https:' ? https : http).Agent({ keepAlive: true, maxSockets: this.maxInFlight + 4 });
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
    throw this.failure('open account', response.status, error);
  }

  /** Opens up to 8,000 accounts in one request, each idempotent by id: a result per account in order. */
  async createAccounts(accounts: LedgerAccountInput[]): Promise<LedgerAccountResult[]> {
    const { data, error, response } = await this.call(() => this.http.POST('/v1/accounts/batch', { body: { accounts } }));
    if (data) return data.results;
    throw this.failure('open accounts', response.status, error);
  }

  async getAccount(id: string): Promise<LedgerAccount | undefined> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/accounts/{id}', { params: { path: { id } } }));
    if (response.status === 404) return undefined;
    if (data) return data;
    throw this.failure('read account', response.status, error);
  }

  async getTransfer(id: string): Promise<LedgerTransfer | undefined> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/transfers/{id}', { params: { path: { id } } }));
    if (response.status === 404) return undefined;
    if (data) return data;
    throw this.failure('read transfer', response.status, error);
  }

  /** One page of holds still open that were placed before `placedBefore`, ordered by id. */
  async openHolds(query: { placedBefore: Date; code?: string; after?: string; limit?: number }): Promise<{ items: LedgerTransfer[]; next_cursor: string | null }> {
    const { data, error, response } = await this.call(() =>
      this.http.GET('/v1/holds', { params: { query: { placed_before: query.placedBefore.toISOString(), code: query.code, after: query.after, limit: query.limit } } }),
    );
    if (data) return data;
    throw this.failure('list open holds', response.status, error);
  }

  async invariants(): Promise<{ ok: boolean } & Record<string, unknown>> {
    const { data, error, response } = await this.call(() => this.http.GET('/v1/audit/invariants'));
    if (data) return data as { ok: boolean } & Record<string, unknown>;
    throw this.failure('check invariants', response.status, error);
  }

  /**
   * One batch request, a result per transfer in order. The hot path, so it goes over node:http with
   * kept-alive sockets: fetch's streams cost several times more CPU per request.
   */
  async submitTransfers(transfers: LedgerTransferInput[]): Promise<LedgerTransferResult[]> {
    const body: ledger.paths['/v1/transfers']['post']['requestBody']['content']['application/json'] = { transfers };
    const { status, json } = await this.postJson(this.transfersUrl, body);
    const answer = json as { results?: LedgerTransferResult[] } | undefined;
    // A batch of one that is rejected answers as a problem that still carries its result.
    if (answer?.results && answer.results.length === transfers.length) return answer.results;
    throw this.failure('apply transfers', status, json);
  }

  private async postJson(url: URL, body: unknown): Promise<{ status: number; json: unknown }> {
    const payload = JSON.stringify(body);
    const token = await this.options.token();
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) => reject(new LedgerUnavailableError(`ledger response broken: ${err.message}`)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
            } catch {
              resolve({ status: res.statusCode ?? 0, json: undefined });
            }
          });
        },
      );
      req.on('error', (err) => reject(new LedgerUnavailableError(`ledger unreachable: ${err.message}`)));
      req.setTimeout(this.options.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer within ${this.options.timeoutMs ?? 10_000} ms`)));
      req.end(payload);
    });
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

  private failure(what: string, status: number, error: unknown): Error {
    const problem = error as { code?: string; detail?: string } | undefined;
    const message = `ledger could not ${what}: ${status} ${problem?.code ?? ''} ${problem?.detail ?? ''}`.trim();
    if (status >= 500 || status === 429) return new LedgerUnavailableError(message, status);
    return new LedgerRequestError(message, status, problem);
  }
}
