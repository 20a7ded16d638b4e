import net from 'node:net';

export interface BenchResponse {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection for a benchmark's load generator: one request at a time, a
 * Content-Length response read back. The load generator shares the machine's two cores with the
 * services it measures, so its own CPU per request matters: measured on bench:redemption, the load
 * generator cost 208 µs per request with node:http, 99 µs with autocannon and 54–62 µs with this.
 */
export class BenchConnection {
  private chunks: Buffer[] = [];
  private received = 0;
  private waiting: { resolve: (response: BenchResponse) => void; reject: (error: Error) => void } | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(baseUrl: string): Promise<BenchConnection> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port || 80), url.hostname, () => resolve(new BenchConnection(socket, url.host)));
      socket.once('error', reject);
    });
  }

  /** POSTs a JSON body with a bearer token. */
  post(path: string, token: string, body: string): Promise<BenchResponse> {
    if (this.waiting) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.received);
    const headerEnd = data.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = data.toString('latin1', 0, headerEnd).toLowerCase();
    if (head.includes('\r\ntransfer-encoding:')) return this.fail(new Error('chunked responses are not read by BenchConnection'));
    const lengthAt = head.indexOf('\r\ncontent-length:');
    const lineEnd = head.indexOf('\r\n', lengthAt + 2);
    const length = lengthAt < 0 ? 0 : parseInt(head.slice(lengthAt + 17, lineEnd < 0 ? undefined : lineEnd), 10);
    const end = headerEnd + 4 + length;
    if (data.length < end) {
      this.chunks = [data];
      return;
    }
    this.chunks = data.length > end ? [data.subarray(end)] : [];
    this.received = data.length - end;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status: parseInt(head.slice(9, 12), 10), body: data.toString('utf8', headerEnd + 4, end) });
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}
