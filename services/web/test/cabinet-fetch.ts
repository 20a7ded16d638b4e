/**
 * Component tests of the cabinet talk to a stubbed `fetch` (they test the screen, not the services).
 * jsdom has no fetch API, so the Node realm's Request/Response are installed before the API client
 * module is loaded (openapi-fetch takes `fetch` and `Request` when the client is created): import
 * this file first. Relative URLs are resolved against http://localhost as a browser would.
 */
import { runInThisContext } from 'node:vm';

const node = runInThisContext('globalThis') as typeof globalThis;

class BrowserRequest extends node.Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, 'http://localhost/').href : input, init);
  }
}

Object.assign(globalThis, {
  Request: BrowserRequest,
  Response: node.Response,
  Headers: node.Headers,
  AbortController: node.AbortController,
  AbortSignal: node.AbortSignal,
  // react-router needs these; jsdom leaves them out.
  TextEncoder: node.TextEncoder,
  TextDecoder: node.TextDecoder,
});

export interface Call {
  method: string;
  /** Path and query, e.g. `/api/certificates/v1/me/certificates?recipient_id=…`. */
  path: string;
  body: unknown;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export const calls: Call[] = [];
let route: (call: Call) => Reply = (call) => ({ status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: `Нет заглушки для ${call.method} ${call.path}` } });

/** Sets how the stub answers; every request is also recorded in `calls`. */
export function answer(next: (call: Call) => Reply): void {
  route = next;
}

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = input instanceof node.Request ? input : new BrowserRequest(input, init);
  const url = new URL(request.url);
  const text = await request.text();
  const call: Call = { method: request.method, path: url.pathname + url.search, body: text ? (JSON.parse(text) as unknown) : undefined };
  calls.push(call);
  const reply = route(call);
  const status = reply.status ?? 200;
  return new node.Response(JSON.stringify(reply.body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
};
