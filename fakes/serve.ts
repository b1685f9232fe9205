// Serves one of the sandbox's vendor protocols (src/sandbox/protocols/) from memory on 127.0.0.1 (port 0), for
// the tests and the benchmarks: every request recorded, the ones the protocol has no endpoint for also as
// "unhandled" so a test can assert none happened. Faults that are a vendor's own (a revoked token, a cursor
// ignored) are the fake's; network faults are the test-only proxy's (test/helpers/fake-server.ts).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, sendReply, type ProtocolReply, type ProtocolRequest } from '../src/sandbox/protocols/http.js';

export interface RecordedRequest {
  method: string;
  /** the path without the query */
  path: string;
  /** query parameters (last value wins); see `search` for repeated ones and order */
  query: Record<string, string>;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** values of `:name` segments of the matched route (route-table servers only) */
  params: Record<string, string>;
}

export interface ProtocolServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  unhandled: RecordedRequest[];
  /** requests to "GET /orders" or "GET /orders/:id" (a `:name` segment matches any one segment) */
  requestsTo(key: string): RecordedRequest[];
  close(): Promise<void>;
}

function matches(key: string, request: RecordedRequest): boolean {
  const [method = '', path = ''] = key.trim().split(/\s+/, 2);
  const want = path.split('/').filter(Boolean);
  const have = request.path.split('/').filter(Boolean);
  return method.toUpperCase() === request.method && want.length === have.length && want.every((part, i) => part.startsWith(':') || part === have[i]);
}

/** `answer` turns each request into a reply; `request.query` may be changed by it before the protocol reads it. */
export async function startProtocolServer(answer: (request: ProtocolRequest, recorded: RecordedRequest) => ProtocolReply): Promise<ProtocolServer> {
  const requests: RecordedRequest[] = [];
  const unhandled: RecordedRequest[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        search: url.searchParams,
        headers: req.headers,
        body: text,
        params: {},
      };
      requests.push(recorded);
      let reply: ProtocolReply;
      let body: unknown;
      try {
        body = parseBody(text, req.headers['content-type']);
      } catch (error) {
        sendReply(res, { status: 400, text: error instanceof Error ? error.message : String(error) });
        return;
      }
      try {
        reply = answer(
          { method: recorded.method, path: url.pathname, query: new URLSearchParams(url.searchParams), headers: req.headers, body, origin },
          recorded,
        );
      } catch (error) {
        reply = { status: 500, text: `fake failed: ${String(error)}` };
      }
      if (reply.unserved) unhandled.push(recorded);
      sendReply(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    requests,
    unhandled,
    requestsTo: (key) => requests.filter((request) => matches(key, request)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
