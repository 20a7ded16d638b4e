import pg from 'pg';

/** The parts of node-postgres's Connection a session drives: pg has no pipeline mode of its own. */
interface PgConnection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(config: { text: string; name?: string }): void;
  bind(config: { portal: string; statement?: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string; rows: number }): void;
  flush(): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): void;
  off(event: 'parseComplete', listener: () => void): void;
}

/** How node-postgres turns a JavaScript value into a bind parameter's text. */
type ValueMapper = (value: unknown) => unknown;

const prepareValue = (pg as unknown as { utils?: { prepareValue?: ValueMapper } }).utils?.prepareValue as ValueMapper;

/** What PipelinedSession drives of a client and its connection, none of it node-postgres's public API. */
const CLIENT_INTERNALS = [
  // The session is a submittable: the client calls its submit() and forwards every backend message to it.
  '_pulseQueryQueue',
  '_handleRowDescription',
  '_handleDataRow',
  '_handleCommandComplete',
  '_handleEmptyQuery',
  '_handleErrorMessage',
  '_handleReadyForQuery',
  '_handleParseComplete',
  'getTypeParser',
] as const;
const CONNECTION_METHODS = ['parse', 'bind', 'describe', 'execute', 'flush', 'sync', 'on', 'off'] as const;

/**
 * Throws, naming what is missing, unless node-postgres still has the internals PipelinedSession
 * relies on: they can change in any release. `client` is a client of the pool the sessions will run
 * on; without one, a fresh, unconnected client of service-kit's own pg is inspected.
 */
export function assertPipeliningSupported(client: object = new pg.Client()): void {
  const missing = (what: string) =>
    new Error(
      `SQL pipelining (withPipelinedTransaction) needs node-postgres's ${what}, which the installed pg does not have. ` +
        'Set SQL_PIPELINING=off to run those transactions as ordinary ones, or adapt PipelinedSession to this pg.',
    );
  if (typeof prepareValue !== 'function') throw missing('utils.prepareValue');
  const methods = client as Record<string, unknown>;
  for (const name of CLIENT_INTERNALS) if (typeof methods[name] !== 'function') throw missing(`Client.prototype.${name}`);
  const connection = (client as { connection?: Record<string, unknown> }).connection;
  if (!connection) throw missing('Client#connection');
  for (const name of CONNECTION_METHODS) if (typeof connection[name] !== 'function') throw missing(`Connection.prototype.${name}`);
  if (typeof connection.parsedStatements !== 'object' || connection.parsedStatements === null) throw missing('Connection#parsedStatements');
  if (typeof connection.stream !== 'object' || connection.stream === null) throw missing('Connection#stream');
}

/** A node-postgres Client, as the ORM's pool lends it. */
export interface PgClient {
  query(submittable: object): unknown;
  getTypeParser(oid: number, format?: string): (text: string) => unknown;
}

export interface SqlStatement {
  name?: string;
  text: string;
  values?: unknown[];
}

/** A message of the pipeline: a statement (or a ROLLBACK), then Flush, or Sync if it is the last. */
interface Outgoing {
  statement?: SqlStatement;
  rollback?: true;
  last: boolean;
}

interface Outstanding {
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
  columns?: Array<[string, (text: string) => unknown]>;
  rows: unknown[];
}

/**
 * One transaction as a pipeline on the extended query protocol: every statement but the last is
 * followed by Flush, the last by Sync. PostgreSQL runs them in one implicit transaction that Sync
 * commits, or rolls back after an error. Against BEGIN … COMMIT, that is two round trips a batch
 * instead of four, and no BEGIN or COMMIT to parse. The session is node-postgres's active query from
 * its first statement to the ReadyForQuery after Sync, so nothing else is sent on the connection.
 */
export class PipelinedSession {
  private connection?: PgConnection;
  private readonly unsent: Outgoing[] = [];
  private readonly outstanding: Outstanding[] = [];
  /** Names of the statements whose Parse is sent and not yet confirmed ('' for an unnamed one), in order. */
  private readonly parsing: string[] = [];
  private readonly onParseComplete = () => void this.parsing.shift();
  private ended = false;
  private failure: { error: unknown } | undefined;
  private settle!: { resolve(): void; reject(error: unknown): void };
  /** Settles at the ReadyForQuery after Sync: resolved if the transaction committed. */
  readonly done: Promise<void>;
  // node-postgres reads these off its active query when a statement is parsed; the session tracks its own.
  readonly name = undefined;
  readonly text = undefined;

  constructor(private readonly client: PgClient) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
    client.query(this);
  }

  /** A statement inside the transaction; its rows arrive without waiting for the commit. */
  read<R>(statement: SqlStatement): Promise<R[]> {
    return this.send({ statement, last: false }) as Promise<R[]>;
  }

  /** The transaction's last statement, if any: Sync follows it, so it commits with it. */
  commitWith<R>(statement?: SqlStatement): Promise<R[]> {
    return this.send({ statement, last: true }) as Promise<R[]>;
  }

  /** Ends the transaction without committing what it did. */
  async rollback(): Promise<void> {
    if (!this.ended && !this.failure) void this.send({ rollback: true, last: true }).catch(() => undefined);
    await this.done.catch(() => undefined);
  }

  private send(message: Outgoing): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.reject(new Error('The transaction has already ended.'));
    if (message.last) this.ended = true;
    const rows = message.statement || message.rollback ? new Promise<unknown[]>((resolve, reject) => this.outstanding.push({ resolve, reject, rows: [] })) : Promise.resolve([]);
    this.unsent.push(message);
    this.sendUnsent();
    return rows;
  }

  private sendUnsent() {
    const connection = this.connection;
    if (!connection) return;
    connection.stream.cork?.();
    try {
      for (const { statement, rollback, last } of this.unsent.splice(0)) {
        // Outside BEGIN, ROLLBACK aborts the implicit transaction (warning that none was begun).
        if (statement || rollback) this.execute(connection, statement ?? { text: 'rollback' });
        if (last) connection.sync();
        else connection.flush();
      }
    } finally {
      connection.stream.uncork?.();
    }
  }

  private execute(connection: PgConnection, statement: SqlStatement) {
    const name = statement.name;
    if (!name || connection.parsedStatements[name] === undefined) {
      connection.parse({ text: statement.text, name });
      // Marked now so the next pipelined statement of this name is not parsed twice; undone if it fails.
      if (name) connection.parsedStatements[name] = statement.text;
      this.parsing.push(name ?? '');
    }
    connection.bind({ portal: '', statement: name, values: statement.values ?? [], valueMapper: prepareValue });
    connection.describe({ type: 'P', name: '' });
    connection.execute({ portal: '', rows: 0 });
  }

  // node-postgres's submittable interface from here on.
  submit(connection: PgConnection) {
    this.connection = connection;
    connection.on('parseComplete', this.onParseComplete);
    this.sendUnsent();
    return null;
  }

  handleRowDescription(message: { fields: Array<{ name: string; dataTypeID: number }> }) {
    const first = this.outstanding[0];
    if (first) first.columns = message.fields.map((f) => [f.name, this.client.getTypeParser(f.dataTypeID, 'text')]);
  }

  handleDataRow(message: { fields: Array<string | null> }) {
    const first = this.outstanding[0];
    if (!first?.columns) return;
    const row: Record<string, unknown> = {};
    const columns = first.columns;
    for (let i = 0; i < columns.length; i++) {
      const value = message.fields[i];
      row[columns[i]![0]] = value === null || value === undefined ? null : columns[i]![1](value);
    }
    first.rows.push(row);
  }

  handleCommandComplete() {
    const first = this.outstanding.shift();
    first?.resolve(first.rows);
  }

  handleEmptyQuery() {
    this.handleCommandComplete();
  }

  /** PostgreSQL skips everything up to the next Sync and rolls the transaction back there. */
  handleError(error: unknown) {
    this.failure = { error };
    for (const outstanding of this.outstanding.splice(0)) outstanding.reject(error);
    if (this.connection) {
      // Statements whose Parse failed or was skipped after the error are not prepared.
      for (const name of this.parsing.splice(0)) if (name) delete this.connection.parsedStatements[name];
      this.connection.off('parseComplete', this.onParseComplete);
    }
    // node-postgres has already let go of the session: the Sync's ReadyForQuery frees the connection.
    if (!this.ended) {
      this.ended = true;
      this.connection?.sync();
    }
    this.settle.reject(error);
  }

  handleReadyForQuery() {
    this.connection?.off('parseComplete', this.onParseComplete);
    this.settle.resolve();
  }

  handlePortalSuspended() {}
  handleCopyInResponse() {}
  handleCopyData() {}
}
