// The one HTTP seam every vendor adapter goes through (axios underneath).
// It owns: a deadline per request, pacing, retries (GET only, plus 429 anywhere), JSON parsing, redaction,
// and turning HTTP failures into the typed errors of core/errors.ts. Every wait goes through the Clock, so
// under the sandbox's virtual clock pacing and backoff cost no real time.
//
// Vendor hooks: `pacer` is asked before every attempt (retries included) and `observe` sees every answer
// (retried 429s and 5xx included), so pacing learns from each rate-limit header; `retryWaitMs` says how long a
// vendor's refusal asks to wait. One budget per request: at most MAX_TRIES attempts whatever the failure.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { validateBaseUrl } from '../../core/inputs.js';
import { VERSION } from '../../version.js';
import { AuthRejectedError, NotFoundError, OnboardError, UpstreamError } from '../../core/errors.js';

export interface HttpClientOptions {
  /** 'shopify' | 'flxpoint' | 'sandbox', used in messages */
  system: string;
  /** scheme+host+port+optional path prefix */
  baseURL: string;
  /** auth headers, sent on every request, redacted in logs */
  headers?: Record<string, string>;
  /** extra values to redact from logs and error messages */
  secrets?: string[];
  /** per request, default 30_000 */
  timeoutMs?: number;
  /** pacing: at least this long between request starts (Flxpoint 500 = 2 req/s), default 0 */
  minIntervalMs?: number;
  /** default 3; capped so that one request makes at most MAX_TRIES attempts */
  maxRetries?: number;
  /**
   * Pacing shared beyond this client (Shopify's bucket, a token's pace across processes): asked before every
   * attempt, retries included; replaces `minIntervalMs` when given.
   */
  pacer?: RequestPacer;
  /** sees every answer (every attempt, success or error, before any retry): a pacer learns from its headers */
  observe?: (status: number, headers: Record<string, string>) => void;
  /**
   * The vendor's retry policy: how long the answer `status` asks to wait before the next try (undefined: the
   * seam's default, Retry-After or backoff with jitter). Asked only for answers the seam retries (429 for
   * every method, 5xx for a GET).
   */
  retryWaitMs?: (status: number, headers: Record<string, string>, attempt: number) => number | undefined;
  /** ALL waits (pacing, backoff, Retry-After) go through clock.sleep (virtual under the sandbox) */
  clock: Clock;
  /** --verbose: one redacted line per request/response ("→ GET url", "← 200 12ms") */
  log?: (line: string) => void;
  describeStatusError?: (status: number, bodyText: string, headers: Record<string, string>) => OnboardError | undefined;
  /** authentication that changes over time (an expiring access token): asked for each attempt */
  auth?: RequestAuth;
  /**
   * The command's abort signal (Ctrl-C, SIGTERM): it ends a request in flight, a pacing pause and every retry
   * or rate-limit wait at once, with the signal's reason (a CancelledError) as the error.
   */
  signal?: AbortSignal;
}

/**
 * Per-request authentication: `headers()` is called before every attempt (retries included) and its values
 * are redacted like `headers`; on a 401, `renew()` is called once per request and, when it answers true, the
 * request is sent once more with fresh headers.
 */
export interface RequestAuth {
  headers(): Promise<Record<string, string>>;
  renew?(): Promise<boolean>;
}

/** Waits (through the clock, taking the abort signal) until the next request may start. */
export interface RequestPacer {
  beforeRequest(signal?: AbortSignal): Promise<void>;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface HttpClient {
  get<T = unknown>(path: string, params?: QueryParams): Promise<HttpResponse<T>>;
  send<T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, params?: QueryParams): Promise<HttpResponse<T>>;
  /** follows an absolute URL a vendor sent (Link header): same origin as base → as is; otherwise path+query rebased onto the base */
  getUrl<T = unknown>(absoluteUrl: string): Promise<HttpResponse<T>>;
}

/** A body sent as application/x-www-form-urlencoded (an OAuth token request) instead of JSON. */
export class FormBody {
  constructor(readonly fields: Record<string, string>) {}
  toString(): string {
    return new URLSearchParams(this.fields).toString();
  }
}

const USER_AGENT = `onboard/${VERSION} node/${process.version}`;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
/** One request's budget: at most this many attempts (the first and every retry) whatever the failures. */
export const MAX_TRIES = 6;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
/** Flxpoint documents no Retry-After; a 429 without one waits at least this long (its bucket refills at 2/s). */
const RATE_LIMIT_MIN_WAIT_MS = 1_000;
/** A Retry-After longer than this is not waited out silently: the caller gets rate_limited at once. */
const RETRY_AFTER_MAX_MS = 60_000;
const EXCERPT_CHARS = 200;
const REDACTED = '***';

// ---------------------------------------------------------------------------------------------------------
// Base URLs

// ---------------------------------------------------------------------------------------------------------
// Response body validation

function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(the whole body)' : text;
}

/** zod-validate a response body; a mismatch is UpstreamError('unexpected_response') whose message names the field path, never a crash */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, what: string, system: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? formatIssuePath(issue.path) : '(the whole body)';
  const why = issue ? issue.message : 'does not match';
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  return throwUnexpected(system, `${system} sent ${what} in an unexpected shape: ${where}: ${why}${more}`);
}

function throwUnexpected(system: string, message: string): never {
  throw new UpstreamError('unexpected_response', message, {
    hint: `The ${system} API answered something onboard does not understand. Check that the address points at ${system}, then run again with --verbose.`,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Redaction

function buildRedactor(headers: Record<string, string>, secrets: string[]): (text: string) => string {
  const values = new Set<string>();
  const add = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (!trimmed) return;
    values.add(trimmed);
    // the same secret as it would appear in a query string
    values.add(encodeURIComponent(trimmed));
    values.add(new URLSearchParams({ v: trimmed }).toString().slice(2));
  };
  for (const value of Object.values(headers)) {
    add(value);
    // "Bearer xyz" / "Basic xyz": the credential part on its own
    const schemeMatch = /^\S+\s+(\S.*)$/.exec(value.trim());
    if (schemeMatch) add(schemeMatch[1]);
  }
  for (const secret of secrets) add(secret);
  // longest first, so a secret that contains another is replaced whole
  const ordered = [...values].sort((a, b) => b.length - a.length);
  // A short value (a mistyped `--token x`) is masked only where it stands alone: inside a longer word it is a part
  // of that word ("flxpoint"), and masking it would garble hosts and messages. Long values are masked everywhere.
  const patterns = ordered.map((value) =>
    value.length >= STANDALONE_BELOW ? null : new RegExp(`(?<![A-Za-z0-9])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'),
  );
  return (text: string) => {
    let out = text;
    ordered.forEach((value, i) => {
      const pattern = patterns[i];
      out = pattern ? out.replace(pattern, REDACTED) : out.split(value).join(REDACTED);
    });
    return out;
  };
}

/** Secrets shorter than this are masked only where they stand alone (no real vendor token is this short). */
const STANDALONE_BELOW = 12;

/** A short, one-line excerpt of a body for an error message (HTML pages reduced to their text). */
function bodyExcerpt(bodyText: string): string {
  let text = bodyText;
  if (/^\s*</.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    text = title ?? text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

// ---------------------------------------------------------------------------------------------------------
// Retry-After and backoff

/** Retry-After as milliseconds: seconds (maybe a float string like "2.0") or an HTTP date. */
function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter: 500ms·2^attempt plus up to half that again, capped. */
export function backoffMs(attempt: number): number {
  const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.min(BACKOFF_CAP_MS, exponential + Math.floor(Math.random() * (exponential / 2)));
}

// ---------------------------------------------------------------------------------------------------------
// The client

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Attempt {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

interface NetworkFailure {
  kind: 'network';
  code: string;
  timedOut: boolean;
}

function flattenHeaders(response: AxiosResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

function appendQuery(url: URL, params: QueryParams | undefined): void {
  if (!params) return;
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    url.searchParams.append(name, String(value));
  }
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    402: 'Payment Required',
    403: 'Forbidden',
    404: 'Not Found',
    406: 'Not Acceptable',
    409: 'Conflict',
    422: 'Unprocessable Entity',
    423: 'Locked',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return texts[status] ? `${status} ${texts[status]}` : String(status);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const system = options.system;
  const base = new URL(validateBaseUrl(options.baseURL, `${system} base URL`));
  const basePath = base.pathname.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const minIntervalMs = options.minIntervalMs ?? 0;
  const maxRetries = Math.min(MAX_TRIES - 1, Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES));
  const clock = options.clock;
  const authHeaders = options.headers ?? {};
  const secrets = [...(options.secrets ?? [])];
  let redact = buildRedactor(authHeaders, secrets);
  const log = options.log ? (line: string) => options.log?.(redact(line)) : undefined;
  /** The per-request auth headers for one attempt; new values join the redaction list. */
  async function attemptHeaders(): Promise<Record<string, string>> {
    if (!options.auth) return {};
    const headers = await options.auth.headers();
    const fresh = Object.values(headers).filter((value) => value.trim() !== '' && !secrets.includes(value));
    if (fresh.length > 0) {
      secrets.push(...fresh);
      redact = buildRedactor(authHeaders, secrets);
    }
    return headers;
  }
  const signal = options.signal;
  /** the command was cancelled: its reason (a CancelledError) is what every call throws from then on */
  const throwIfCancelled = () => {
    if (signal?.aborted) throw signal.reason;
  };

  const http: AxiosInstance = axios.create({
    headers: { 'User-Agent': USER_AGENT, Accept: 'application/json', ...authHeaders },
    // we read every status ourselves and parse the body ourselves (an empty 204 or an HTML 502 must not crash)
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    // a redirect would carry the auth headers to wherever it points: report it instead of following it
    maxRedirects: 0,
  });

  // Pacing: each request start reserves the next free slot synchronously, so concurrent callers queue up too.
  let nextFreeStart = Number.NEGATIVE_INFINITY;
  async function waitForSlot(): Promise<void> {
    if (options.pacer) return options.pacer.beforeRequest(signal);
    if (minIntervalMs <= 0) return;
    const now = clock.now();
    const start = Math.max(now, nextFreeStart);
    nextFreeStart = start + minIntervalMs;
    if (start > now) await clock.sleep(start - now, signal);
  }

  function urlFor(path: string, params?: QueryParams): URL {
    // a path may carry its own query ("orders.json?status=any"); params are appended after it
    const [pathPart = '', queryPart] = path.split(/\?(.*)/s, 2);
    const url = new URL(base.origin);
    url.pathname = `${basePath}/${pathPart.replace(/^\/+/, '')}`;
    if (queryPart) url.search = queryPart;
    appendQuery(url, params);
    return url;
  }

  /** Same origin → as is; otherwise its path and query rebased onto the base (spec §2). */
  function followableUrl(absoluteUrl: string): URL {
    let url: URL;
    try {
      url = new URL(absoluteUrl, `${base.origin}${basePath}/`);
    } catch {
      return throwUnexpected(system, `${system} sent a link that is not a URL: ${redact(absoluteUrl)}`);
    }
    if (url.origin === base.origin) return url;
    const rebased = new URL(base.origin);
    rebased.pathname = basePath !== '' && !url.pathname.startsWith(`${basePath}/`) ? `${basePath}${url.pathname}` : url.pathname;
    rebased.search = url.search;
    return rebased;
  }

  async function attemptOnce(method: Method, url: URL, body: unknown): Promise<Attempt | NetworkFailure> {
    throwIfCancelled();
    await waitForSlot();
    const perRequest = await attemptHeaders();
    const shownUrl = redact(url.toString());
    log?.(`→ ${method} ${shownUrl}`);
    const startedAt = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    // a real-time deadline for the whole exchange (a guard, not a wait, so it does not go through the clock)
    const deadline = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // the command's cancellation ends the exchange too (and is told apart from the deadline below)
    const onCancel = () => controller.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const response = await http.request<string>({
        method,
        url: url.toString(),
        data: body === undefined ? undefined : body instanceof FormBody ? body.toString() : JSON.stringify(body),
        headers: {
          ...perRequest,
          ...(body === undefined ? {} : { 'Content-Type': body instanceof FormBody ? 'application/x-www-form-urlencoded' : 'application/json' }),
        },
        signal: controller.signal,
      });
      const elapsed = Math.round(performance.now() - startedAt);
      log?.(`← ${response.status} ${elapsed}ms`);
      const bodyText = typeof response.data === 'string' ? response.data : response.data == null ? '' : String(response.data);
      return { kind: 'response', status: response.status, headers: flattenHeaders(response), bodyText };
    } catch (error) {
      const elapsed = Math.round(performance.now() - startedAt);
      if (signal?.aborted) {
        log?.(`← cancelled ${elapsed}ms`);
        throw signal.reason;
      }
      const code = timedOut ? 'timeout' : axios.isAxiosError(error) ? (error.code ?? 'network error') : 'network error';
      log?.(`← ${code} ${elapsed}ms`);
      return { kind: 'network', code, timedOut };
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onCancel);
    }
  }

  function parseBody<T>(method: Method, url: URL, attempt: Attempt): HttpResponse<T> {
    let data: unknown = null;
    if (attempt.bodyText.trim() !== '') {
      try {
        data = JSON.parse(attempt.bodyText);
      } catch {
        throwUnexpected(
          system,
          `${system} answered ${method} ${redact(url.pathname)} with ${attempt.status} but a body that is not JSON: ${redact(bodyExcerpt(attempt.bodyText))}`,
        );
      }
    }
    return { status: attempt.status, headers: attempt.headers, data: data as T };
  }

  function errorForStatus(method: Method, url: URL, attempt: Attempt): OnboardError {
    const { status, headers } = attempt;
    const safeBody = redact(attempt.bodyText);
    const described = options.describeStatusError?.(status, safeBody, headers);
    if (described) return described;
    const where = `${method} ${redact(url.pathname)}`;
    const excerpt = bodyExcerpt(safeBody);
    const answered = `${system} answered ${where} with ${statusText(status)}${excerpt ? `: ${excerpt}` : ''}`;
    if (status === 401 || status === 403) {
      return new AuthRejectedError(system, answered, { hint: `Check the ${system} credentials (onboard connect ${system}).` });
    }
    if (status === 404) return new NotFoundError(answered);
    if (status === 429) {
      return new UpstreamError('rate_limited', `${system} kept refusing requests as too many (429) after ${maxRetries + 1} tries`, {
        status,
        hint: `${system} limits how fast a token may call it; another program may be using the same token. Wait a minute and run again.`,
      });
    }
    if (status >= 300 && status < 400) {
      const location = headers['location'];
      let target = '';
      try {
        target = location ? new URL(location, url).origin : '';
      } catch {
        target = '';
      }
      return new UpstreamError('upstream_error', `${system} redirected ${where} (${status})${target ? ` to ${redact(target)}` : ''}`, {
        status,
        hint: target ? `Use ${redact(target)} as the address.` : `Check the ${system} address.`,
      });
    }
    return new UpstreamError('upstream_error', answered, {
      status,
      hint: status >= 500 ? `${system} had a problem on its side; try again in a few minutes.` : undefined,
    });
  }

  async function request<T>(method: Method, url: URL, body: unknown): Promise<HttpResponse<T>> {
    // Only a GET is repeated after a failure: a create must never happen twice. A 429 is the exception: the
    // request was refused, not processed, so sending it again is safe for every method.
    const idempotent = method === 'GET';
    let renewed = false;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await attemptOnce(method, url, body);
      const retriesLeft = attempt < maxRetries;

      if (outcome.kind === 'network') {
        if (outcome.timedOut) {
          throw new UpstreamError(
            'timeout',
            `${system} did not answer ${method} ${redact(url.pathname)} within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`,
            {
              hint: `Check your connection (and HTTPS_PROXY if you use a proxy), then run again.`,
            },
          );
        }
        if (idempotent && retriesLeft) {
          const wait = backoffMs(attempt);
          log?.(`… ${outcome.code}: retrying in ${wait}ms`);
          await clock.sleep(wait, signal);
          continue;
        }
        throw new UpstreamError('upstream_error', `could not reach ${system} at ${redact(url.origin)} (${outcome.code})`, {
          hint: `Check the address, your connection and HTTPS_PROXY/NO_PROXY, then run again.`,
        });
      }

      const { status } = outcome;
      options.observe?.(status, outcome.headers);
      if (status >= 200 && status < 300) return parseBody<T>(method, url, outcome);
      // an expired credential: renewed once, then the same request again (a 401 was refused, not processed)
      if (status === 401 && !renewed && options.auth?.renew && attempt + 1 < MAX_TRIES) {
        renewed = true;
        if (await options.auth.renew()) {
          log?.('… 401: credential renewed, sending again');
          continue;
        }
      }

      const rateLimited = status === 429;
      const serverError = status >= 500;
      if (retriesLeft && (rateLimited || (serverError && idempotent))) {
        const retryAfter = options.retryWaitMs?.(status, outcome.headers, attempt) ?? parseRetryAfter(outcome.headers['retry-after'], clock.now());
        if (retryAfter !== undefined && retryAfter > RETRY_AFTER_MAX_MS) {
          throw new UpstreamError(
            rateLimited ? 'rate_limited' : 'upstream_error',
            `${system} asked to wait ${Math.ceil(retryAfter / 1000)} s before trying again (${statusText(status)})`,
            { status, hint: `Wait that long, then run again.` },
          );
        }
        const wait = retryAfter ?? Math.max(backoffMs(attempt), rateLimited ? RATE_LIMIT_MIN_WAIT_MS : 0);
        log?.(`… ${status}: retrying in ${wait}ms`);
        await clock.sleep(wait, signal);
        continue;
      }
      throw errorForStatus(method, url, outcome);
    }
  }

  return {
    get<T = unknown>(path: string, params?: QueryParams) {
      return request<T>('GET', urlFor(path, params), undefined);
    },
    send<T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, params?: QueryParams) {
      return request<T>(method, urlFor(path, params), body);
    },
    getUrl<T = unknown>(absoluteUrl: string) {
      return request<T>('GET', followableUrl(absoluteUrl), undefined);
    },
  };
}
