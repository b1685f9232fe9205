// A real HTTP server on 127.0.0.1 (port 0) for adapter tests: a route table, every request recorded, and
// unknown routes answered 404 and recorded as "unhandled" so a test can assert none happened.
// Also a recording Clock: sleeps resolve at once, advance virtual time and are recorded.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from '../../fakes/serve.js';

export type { RecordedRequest };

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

// ---------------------------------------------------------------------------------------------------------
// The fault layer (tests only): a loopback proxy in front of any fake's URL that breaks the exchanges a real
// network and a vendor's edge break, whatever the vendor. Requests it passes on reach the fake unchanged.

export type FaultKind =
  /** an HTML 502 page from a gateway; the fake never sees the request */
  | 'gateway-502'
  /** the fake answers, then the body is cut in half (truncated JSON, Content-Length of what is sent) */
  | 'truncated'
  /** the connection is reset before the fake sees the request */
  | 'reset-before'
  /** the fake processes the request, then the connection is reset before its answer is sent */
  | 'reset-after'
  /** the fake's answer is held back `delayMs` (real time) */
  | 'slow'
  /** the request reaches the fake only after `delayMs` (real time): a create that completes after the client stopped waiting */
  | 'late'
  /** 429 with `headers` (a vendor's rate-limit headers); the fake never sees the request */
  | '429'
  /** 503 Service Unavailable; the fake never sees the request */
  | '503';

export interface FaultPlan {
  kind: FaultKind;
  /** how many requests get the fault, from now on; then every request passes (default: all of them) */
  times?: number;
  /** for 'slow' and 'late' (default 2_000) */
  delayMs?: number;
  /** for '429' */
  headers?: Record<string, string>;
}

export interface FaultProxy {
  /** the address to give the adapter instead of the fake's */
  url: string;
  /** every request that reached the proxy (each one try of the client), with the fault it met, if any */
  arrivals: { method: string; path: string; fault: FaultKind | null }[];
  /** replaces the plan (null: pass everything) */
  setFault(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

const GATEWAY_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A proxy in front of `target` (a fake's URL, maybe with a path prefix, which is kept: paths pass through as sent). */
export async function startFaultProxy(target: string, initial: FaultPlan | null = null): Promise<FaultProxy> {
  const { request: forward } = await import('node:http');
  const upstream = new URL(target);
  const arrivals: FaultProxy['arrivals'] = [];
  let plan = initial;
  let faulted = 0;

  const passOn = (req: import('node:http').IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name === 'host' || name === 'connection') continue;
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answerHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined || name === 'connection' || name === 'transfer-encoding' || name === 'content-length') continue;
            answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 502, headers: answerHeaders, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const active = plan && faulted < (plan.times ?? Number.POSITIVE_INFINITY) ? plan : null;
        if (active) faulted += 1;
        const kind = active?.kind ?? null;
        arrivals.push({ method: (req.method ?? 'GET').toUpperCase(), path: new URL(req.url ?? '/', 'http://x').pathname, fault: kind });
        const send = (status: number, headers: Record<string, string>, body: Buffer | string) => {
          const bytes = typeof body === 'string' ? Buffer.from(body) : body;
          res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
          res.end(bytes);
        };
        try {
          if (kind === 'gateway-502') return send(502, { 'content-type': 'text/html' }, GATEWAY_502_PAGE);
          if (kind === '503') return send(503, { 'content-type': 'text/plain' }, 'Service Unavailable');
          if (kind === '429') return send(429, { 'content-type': 'application/json', ...(active?.headers ?? {}) }, '{"errors":"Too Many Requests"}');
          if (kind === 'reset-before') return req.socket.destroy();
          if (kind === 'late') await new Promise((resolve) => setTimeout(resolve, active?.delayMs ?? 2_000));
          const answer = await passOn(req, Buffer.concat(chunks));
          if (kind === 'reset-after') return req.socket.destroy();
          if (kind === 'slow') await new Promise((resolve) => setTimeout(resolve, active?.delayMs ?? 2_000));
          if (res.destroyed) return;
          if (kind === 'truncated') {
            const text = answer.body.toString('utf8');
            const cut = text.trim() === '' ? '{"' : text.slice(0, Math.max(1, Math.floor(text.length / 2)));
            return send(answer.status, answer.headers, cut);
          }
          return send(answer.status, answer.headers, answer.body);
        } catch (error) {
          if (!res.destroyed) send(599, { 'content-type': 'text/plain' }, `fault proxy could not reach the fake: ${String(error)}`);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    arrivals,
    setFault(next) {
      plan = next;
      faulted = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
