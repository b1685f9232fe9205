// A real HTTP server on 127.0.0.1 (port 0) for adapter tests: a route table, every request recorded, and
// unknown routes answered 404 and recorded as "unhandled" so a test can assert none happened.
// Also a recording Clock: sleeps resolve at once, advance virtual time and are recorded.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** the path without the query */
  path: string;
  /** query parameters (last value wins); see `search` for repeated ones and order */
  query: Record<string, string>;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** values of `:name` segments of the matched route */
  params: Record<string, string>;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** an object is sent as JSON; a string is sent as is (HTML, broken JSON, empty) */
  body?: unknown;
  /** wait this long (real time) before answering; for timeouts */
  delayMs?: number;
}

export type RouteHandler = (request: RecordedRequest, callIndex: number) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  unhandled: RecordedRequest[];
  /** add or replace a route: "GET /orders/:id" */
  route(key: string, handler: RouteHandler): void;
  /** requests that matched a route key */
  requestsTo(key: string): RecordedRequest[];
  /**
   * Fault mode: every request from now on is recorded and never answered (the connection stays open until
   * close), as a stalled upstream does. `onRequest` hears each stalled request as it arrives.
   */
  stallEveryRequest(onRequest?: (request: RecordedRequest) => void): void;
  close(): Promise<void>;
}

interface Route {
  key: string;
  method: string;
  segments: string[];
  handler: RouteHandler;
  calls: number;
}

function parseKey(key: string): { method: string; segments: string[] } {
  const [method = '', path = ''] = key.trim().split(/\s+/, 2);
  return { method: method.toUpperCase(), segments: path.split('/').filter(Boolean) };
}

/** A route segment as a regex: ":id" matches a whole segment, ":id.json" an id followed by ".json". */
function segmentPattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split(/(:[A-Za-z_]\w*)/)
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}$`), names };
}

function match(route: Route, method: string, segments: string[]): Record<string, string> | undefined {
  if (route.method !== method || route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const { regex, names } = segmentPattern(route.segments[i] ?? '');
    const found = regex.exec(segments[i] ?? '');
    if (!found) return undefined;
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(found[index + 1] ?? '');
    });
  }
  return params;
}

function reply(res: ServerResponse, answer: FakeReply): void {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let text = '';
  if (typeof answer.body === 'string') text = answer.body;
  else if (answer.body !== undefined) {
    text = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(answer.status ?? 200, headers);
  res.end(text);
}

export async function startFakeServer(routes: Record<string, RouteHandler> = {}): Promise<FakeServer> {
  const table: Route[] = [];
  const requests: RecordedRequest[] = [];
  const unhandled: RecordedRequest[] = [];
  const matchedBy = new Map<RecordedRequest, string>();
  let stall: { onRequest?: (request: RecordedRequest) => void } | null = null;

  const addRoute = (key: string, handler: RouteHandler) => {
    const existing = table.findIndex((route) => route.key === key);
    const route: Route = { key, ...parseKey(key), handler, calls: 0 };
    if (existing >= 0) table[existing] = route;
    else table.push(route);
  };
  for (const [key, handler] of Object.entries(routes)) addRoute(key, handler);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const method = (req.method ?? 'GET').toUpperCase();
        const segments = url.pathname.split('/').filter(Boolean);
        const recorded: RecordedRequest = {
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          search: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          params: {},
        };
        requests.push(recorded);
        if (stall) {
          stall.onRequest?.(recorded);
          return;
        }
        for (const route of table) {
          const params = match(route, method, segments);
          if (!params) continue;
          recorded.params = params;
          matchedBy.set(recorded, route.key);
          try {
            const answer = await route.handler(recorded, route.calls++);
            if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
            if (!res.destroyed) reply(res, answer);
          } catch (error) {
            reply(res, { status: 500, body: `fake server handler failed: ${String(error)}` });
          }
          return;
        }
        unhandled.push(recorded);
        reply(res, { status: 404, body: { error: `no fake route for ${method} ${url.pathname}` } });
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unhandled,
    route: addRoute,
    requestsTo: (key) => requests.filter((request) => matchedBy.get(request) === key),
    stallEveryRequest: (onRequest) => {
      stall = { onRequest };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { createRecordingClock, type RecordingClock } from '../../fakes/clock.js';
