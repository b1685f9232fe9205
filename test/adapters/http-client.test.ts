import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpClient, parseWith, type HttpClientOptions } from '../../src/adapters/http/client.js';
import { validateBaseUrl } from '../../src/core/inputs.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { AuthRejectedError, BadInputError, CancelledError, NotFoundError, UpstreamError } from '../../src/core/errors.js';
import { createRecordingClock, startFakeServer, type FakeServer } from '../helpers/fake-server.js';

let server: FakeServer;

afterEach(async () => {
  await server?.close();
});

function client(overrides: Partial<HttpClientOptions> = {}) {
  const clock = (overrides.clock as ReturnType<typeof createRecordingClock> | undefined) ?? createRecordingClock();
  const http = createHttpClient({ system: 'test', baseURL: server.url, clock, ...overrides });
  return { http, clock };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('http client: basics', () => {
  it('parses JSON, sends the User-Agent and auth headers, appends params and skips undefined ones', async () => {
    server = await startFakeServer({ 'GET /things': () => ({ body: { ok: true } }) });
    const { http } = client({ headers: { 'X-Token': 'abc-secret' } });
    const response = await http.get<{ ok: boolean }>('/things', { a: 1, b: true, c: undefined, d: 'x y' });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ ok: true });
    const [request] = server.requests;
    expect(request?.query).toEqual({ a: '1', b: 'true', d: 'x y' });
    expect(request?.headers['x-token']).toBe('abc-secret');
    expect(request?.headers['user-agent']).toBe(`onboard/0.1.0 node/${process.version}`);
    expect(server.unhandled).toEqual([]);
  });

  it('keeps a base path prefix', async () => {
    server = await startFakeServer({ 'GET /prefix/api/things': () => ({ body: [] }) });
    const { http } = client({ baseURL: `${server.url}/prefix/` });
    await http.get('/api/things');
    expect(server.unhandled).toEqual([]);
  });

  it('gives null data for an empty 204 and sends a JSON body', async () => {
    server = await startFakeServer({ 'POST /things': () => ({ status: 204 }) });
    const { http } = client();
    const response = await http.send('POST', '/things', { name: 'x' });
    expect(response.status).toBe(204);
    expect(response.data).toBeNull();
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ name: 'x' });
    expect(server.requests[0]?.headers['content-type']).toContain('application/json');
  });

  it('reports a 200 with a body that is not JSON as unexpected_response, not a crash', async () => {
    server = await startFakeServer({ 'GET /page': () => ({ body: '<html><title>Hello</title></html>' }) });
    const { http } = client();
    const error = await caught(http.get('/page'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('unexpected_response');
    expect((error as UpstreamError).message).toContain('Hello');
  });

  it('404 → NotFoundError, 401 → AuthRejectedError, other 4xx → upstream_error with a short excerpt', async () => {
    server = await startFakeServer({
      'GET /missing': () => ({ status: 404, body: { errors: 'Not Found' } }),
      'GET /locked': () => ({ status: 401, body: 'no' }),
      'GET /bad': () => ({ status: 400, body: 'x'.repeat(5000) }),
    });
    const { http } = client();
    expect(await caught(http.get('/missing'))).toBeInstanceOf(NotFoundError);
    expect(await caught(http.get('/locked'))).toBeInstanceOf(AuthRejectedError);
    const bad = (await caught(http.get('/bad'))) as UpstreamError;
    expect(bad.code).toBe('upstream_error');
    expect(bad.status).toBe(400);
    expect(bad.message.length).toBeLessThan(400);
    expect(server.requests).toHaveLength(3); // 4xx are never retried
  });

  it('lets describeStatusError decide first', async () => {
    server = await startFakeServer({ 'GET /missing': () => ({ status: 404, body: 'gone' }) });
    const { http } = client({
      describeStatusError: (status, body) => new UpstreamError('upstream_error', `custom ${status} ${body}`),
    });
    const error = (await caught(http.get('/missing'))) as UpstreamError;
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('custom 404 gone');
  });

  it('does not follow redirects (they would carry the auth header elsewhere)', async () => {
    server = await startFakeServer({
      'GET /moved': () => ({ status: 301, headers: { location: 'https://elsewhere.example.com/x' } }),
    });
    const { http } = client({ headers: { 'X-Token': 'tok-123456' } });
    const error = (await caught(http.get('/moved'))) as UpstreamError;
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('https://elsewhere.example.com');
  });
});

describe('http client: timeouts and retries', () => {
  it('times out a slow answer as UpstreamError timeout, without retrying', async () => {
    server = await startFakeServer({ 'GET /slow': () => ({ delayMs: 2_000, body: {} }) });
    const { http } = client({ timeoutMs: 100 });
    const started = Date.now();
    const error = (await caught(http.get('/slow'))) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a GET on 503 (HTML page included) with exponential backoff and jitter', async () => {
    server = await startFakeServer({
      'GET /flaky': (_request, call) =>
        call === 0
          ? { status: 503, body: '<html><head><title>Something went wrong</title></head><body>oops</body></html>' }
          : call === 1
            ? { status: 503, body: { errors: 'Unavailable' } }
            : { body: { ok: 1 } },
    });
    const { http, clock } = client();
    const response = await http.get('/flaky');
    expect(response.data).toEqual({ ok: 1 });
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    const [first = 0, second = 0] = clock.sleeps;
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThan(750);
    expect(second).toBeGreaterThanOrEqual(1_000);
    expect(second).toBeLessThan(1_500);
  });

  it('gives up after maxRetries on 5xx with an excerpt of an HTML page', async () => {
    server = await startFakeServer({
      'GET /down': () => ({ status: 502, body: '<html><head><title>Something went wrong</title></head></html>' }),
    });
    const { http, clock } = client({ maxRetries: 2 });
    const error = (await caught(http.get('/down'))) as UpstreamError;
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('Something went wrong');
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('honours Retry-After "2.0" (seconds as a float string) on 429', async () => {
    server = await startFakeServer({
      'GET /busy': (_request, call) =>
        call === 0
          ? { status: 429, headers: { 'retry-after': '2.0' }, body: { errors: 'Exceeded 2 calls per second for api client.' } }
          : { body: { ok: true } },
    });
    const { http, clock } = client();
    await http.get('/busy');
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const start = Date.parse('2026-03-01T10:00:00.000Z');
    server = await startFakeServer({
      'GET /busy': (_request, call) => (call === 0 ? { status: 429, headers: { 'retry-after': new Date(start + 3_000).toUTCString() } } : { body: {} }),
    });
    const { http, clock } = client({ clock: createRecordingClock(start) });
    await http.get('/busy');
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('repeated 429 → rate_limited with a hint after the retries', async () => {
    server = await startFakeServer({ 'GET /busy': () => ({ status: 429, headers: { 'retry-after': '1' } }) });
    const { http, clock } = client({ maxRetries: 3 });
    const error = (await caught(http.get('/busy'))) as UpstreamError;
    expect(error.code).toBe('rate_limited');
    expect(error.hint).toBeTruthy();
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
  });

  it('never retries a POST after a 500', async () => {
    server = await startFakeServer({ 'POST /orders': () => ({ status: 500, body: 'boom' }) });
    const { http, clock } = client();
    const error = (await caught(http.send('POST', '/orders', { a: 1 }))) as UpstreamError;
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does retry a POST refused with 429 (it was not processed)', async () => {
    server = await startFakeServer({
      'POST /orders': (_request, call) => (call === 0 ? { status: 429 } : { status: 201, body: { id: 1 } }),
    });
    const { http, clock } = client();
    const response = await http.send('POST', '/orders', { a: 1 });
    expect(response.status).toBe(201);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('retries a GET on a network error, then reports it as upstream_error', async () => {
    server = await startFakeServer();
    const deadUrl = server.url;
    await server.close();
    const clock = createRecordingClock();
    const http = createHttpClient({ system: 'test', baseURL: deadUrl, clock, maxRetries: 2 });
    const error = (await caught(http.get('/x'))) as UpstreamError;
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('could not reach test');
    expect(clock.sleeps).toHaveLength(2);
    server = await startFakeServer(); // for afterEach
  });
});

describe('http client: pacing', () => {
  it('keeps at least minIntervalMs between request starts', async () => {
    server = await startFakeServer({ 'GET /x': () => ({ body: {} }) });
    const clock = createRecordingClock();
    const starts: number[] = [];
    const http = createHttpClient({
      system: 'test',
      baseURL: server.url,
      clock,
      minIntervalMs: 500,
      log: (line) => {
        if (line.startsWith('→')) starts.push(clock.now());
      },
    });
    for (let i = 0; i < 5; i += 1) await http.get('/x');
    expect(starts).toHaveLength(5);
    for (let i = 1; i < starts.length; i += 1) {
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(500);
    }
    expect(clock.sleeps).toEqual([500, 500, 500, 500]);
  });

  it('queues concurrent callers into successive slots', async () => {
    server = await startFakeServer({ 'GET /x': () => ({ body: {} }) });
    const sleeps: number[] = [];
    const frozen: Clock = { virtual: true, now: () => 1_000_000, sleep: async (ms) => void sleeps.push(ms) };
    const http = createHttpClient({ system: 'test', baseURL: server.url, clock: frozen, minIntervalMs: 500 });
    await Promise.all([http.get('/x'), http.get('/x'), http.get('/x')]);
    expect(sleeps.sort((a, b) => a - b)).toEqual([500, 1_000]);
  });

  it('does not wait when the interval has already passed', async () => {
    server = await startFakeServer({ 'GET /x': () => ({ body: {} }) });
    const clock = createRecordingClock();
    const http = createHttpClient({ system: 'test', baseURL: server.url, clock, minIntervalMs: 500 });
    await http.get('/x');
    await clock.sleep(600);
    await http.get('/x');
    expect(clock.sleeps).toEqual([600]);
  });
});

describe("http client: the command's abort signal", () => {
  /** aborts `controller` with a CancelledError after `ms` of real time */
  function cancelAfter(controller: AbortController, ms: number, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    setTimeout(() => controller.abort(new CancelledError(signal)), ms);
  }

  it("ends a request in flight at once with the signal's reason, not a network error", async () => {
    server = await startFakeServer({ 'GET /slow': () => ({ body: {}, delayMs: 10_000 }) });
    const controller = new AbortController();
    const { http } = client({ clock: systemClock, signal: controller.signal });
    const started = Date.now();
    cancelAfter(controller, 100, 'SIGTERM');
    const error = await caught(http.get('/slow'));
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a Retry-After wait after a 429 at once, and sends nothing more', async () => {
    server = await startFakeServer({ 'GET /busy': () => ({ status: 429, headers: { 'Retry-After': '30' } }) });
    const controller = new AbortController();
    const { http } = client({ clock: systemClock, signal: controller.signal });
    const started = Date.now();
    cancelAfter(controller, 100);
    expect(await caught(http.get('/busy'))).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('ends a backoff wait between GET retries at once', async () => {
    server = await startFakeServer({ 'GET /down': () => ({ status: 503, headers: { 'Retry-After': '20' } }) });
    const controller = new AbortController();
    const { http } = client({ clock: systemClock, signal: controller.signal });
    const started = Date.now();
    cancelAfter(controller, 100);
    expect(await caught(http.get('/down'))).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a pacing pause at once, and the paced request is never sent', async () => {
    server = await startFakeServer({ 'GET /x': () => ({ body: {} }) });
    const controller = new AbortController();
    const { http } = client({ clock: systemClock, minIntervalMs: 20_000, signal: controller.signal });
    await http.get('/x');
    const started = Date.now();
    cancelAfter(controller, 100);
    expect(await caught(http.get('/x'))).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses every call once the signal has fired', async () => {
    server = await startFakeServer({ 'POST /x': () => ({ body: {} }) });
    const controller = new AbortController();
    controller.abort(new CancelledError('SIGINT'));
    const { http } = client({ signal: controller.signal });
    expect(await caught(http.send('POST', '/x', {}))).toBeInstanceOf(CancelledError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('http client: redaction', () => {
  it('never shows header values or secrets in log lines or error messages', async () => {
    const token = 'shpat_0123456789abcdef';
    const secret = 'hunter2-very-secret';
    server = await startFakeServer({
      'GET /echo': (request) => ({ status: 500, body: `bad token ${request.headers['x-token']} and ${secret}` }),
    });
    const lines: string[] = [];
    const { http } = client({
      headers: { 'X-Token': token },
      secrets: [secret],
      maxRetries: 0,
      log: (line) => lines.push(line),
    });
    const error = (await caught(http.get('/echo', { key: secret, token }))) as UpstreamError;
    expect(lines.some((line) => line.startsWith('→ GET '))).toBe(true);
    expect(lines.some((line) => /^← 500 \d+ms$/.test(line))).toBe(true);
    for (const text of [...lines, error.message, error.hint ?? '']) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
    }
    expect(error.message).toContain('***');
    expect(server.requests[0]?.headers['x-token']).toBe(token);
  });

  it('masks a short mistyped secret only where it stands alone, not inside other words', async () => {
    server = await startFakeServer({
      'GET /echo': () => ({ status: 500, body: 'no such host api.flxpoint.com for token x; x rejected' }),
    });
    const { http } = client({ headers: { 'X-Api-Token': 'x' }, maxRetries: 0 });
    const error = (await caught(http.get('/echo'))) as UpstreamError;
    expect(error.message).toContain('api.flxpoint.com for token ***; *** rejected');
  });
});

describe('http client: getUrl', () => {
  it('follows a same-origin URL as is and rebases a foreign one onto the base', async () => {
    server = await startFakeServer({ 'GET /base/next.json': () => ({ body: [] }) });
    const { http } = client({ baseURL: `${server.url}/base` });
    await http.getUrl(`${server.url}/base/next.json?page_info=abc&limit=2`);
    await http.getUrl('https://shop.example.com/next.json?page_info=def');
    expect(server.unhandled).toEqual([]);
    expect(server.requests.map((request) => request.query['page_info'])).toEqual(['abc', 'def']);
  });
});

describe('parseWith', () => {
  it('names the field path of a mismatch as unexpected_response', () => {
    const schema = z.object({ orders: z.array(z.object({ total_price: z.string() })) });
    let error: unknown;
    try {
      parseWith(schema, { orders: [{ total_price: '1.00' }, { total_price: 5 }] }, 'an order list', 'shopify');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('unexpected_response');
    expect((error as UpstreamError).message).toContain('orders[1].total_price');
    expect((error as UpstreamError).message).toContain('shopify');
  });

  it('returns the parsed value on success', () => {
    expect(parseWith(z.object({ a: z.number() }), { a: 1, b: 2 }, 'x', 'y')).toEqual({ a: 1 });
  });
});

describe('validateBaseUrl', () => {
  it('accepts https anywhere and plain http only on loopback', () => {
    expect(validateBaseUrl('https://shop.example.com/', '--api-url')).toBe('https://shop.example.com');
    expect(validateBaseUrl('https://shop.example.com/prefix/', '--api-url')).toBe('https://shop.example.com/prefix');
    expect(validateBaseUrl('http://127.0.0.1:8080', '--api-url')).toBe('http://127.0.0.1:8080');
    expect(validateBaseUrl('http://127.9.9.9', '--api-url')).toBe('http://127.9.9.9');
    expect(validateBaseUrl('http://localhost:3000/x', '--api-url')).toBe('http://localhost:3000/x');
    expect(validateBaseUrl('http://[::1]:3000', '--api-url')).toBe('http://[::1]:3000');
  });

  it('rejects plain http elsewhere, other schemes and garbage, naming the flag', () => {
    for (const bad of ['http://example.com', 'http://10.0.0.1', 'ftp://x.com', 'not a url', 'http://127.0.0.1.evil.com']) {
      let error: unknown;
      try {
        validateBaseUrl(bad, '--api-url');
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(BadInputError);
      expect((error as BadInputError).message).toContain('--api-url');
    }
  });
});

describe('http client: per-request authentication', () => {
  it('asks for headers before every attempt (retries too), redacts their values, and renews once on a 401', async () => {
    let accepted = 'tok-one-0123456789';
    server = await startFakeServer({
      'GET /things': (request, call) => {
        if (call === 0) return { status: 503, body: 'busy' };
        return request.headers['x-token'] === accepted
          ? { body: { ok: true } }
          : { status: 401, body: { error: `unknown ${String(request.headers['x-token'])}` } };
      },
      'POST /things': (request) => (request.headers['x-token'] === accepted ? { status: 201, body: { made: true } } : { status: 401, body: {} }),
    });
    let current = 'tok-one-0123456789';
    let asked = 0;
    let renewals = 0;
    const lines: string[] = [];
    const { http } = client({
      log: (line) => lines.push(line),
      auth: {
        headers: async () => {
          asked += 1;
          return { 'X-Token': current };
        },
        renew: async () => {
          renewals += 1;
          current = 'tok-two-9876543210';
          return true;
        },
      },
    });
    expect((await http.get('/things')).data).toEqual({ ok: true });
    expect(asked).toBe(2); // the 503 and its retry
    expect(renewals).toBe(0);

    // the server stops accepting the token: one renewal, the same request again (a POST too: a 401 was not processed)
    accepted = 'tok-two-9876543210';
    expect((await http.send('POST', '/things', { a: 1 })).status).toBe(201);
    expect(renewals).toBe(1);
    expect(server.requestsTo('POST /things')).toHaveLength(2);

    // renewed once per request: a second 401 is an AuthRejectedError
    accepted = 'never';
    const error = await caught(http.get('/things'));
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect(renewals).toBe(2);
    const text = `${lines.join('\n')}\n${(error as Error).message}`;
    expect(text).not.toContain('tok-one-0123456789');
    expect(text).not.toContain('tok-two-9876543210');
  });
});
