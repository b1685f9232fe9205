// What the vendor protocols (./shopify.ts, ./flxpoint.ts) speak in: a request already read, and the answer to
// send. The sandbox server (../server.ts) and the tests' in-memory fakes (fakes/) both turn node:http
// exchanges into these and back, so one protocol implementation serves both.
import type http from 'node:http';

export interface ProtocolRequest {
  method: string;
  /** the path without the query */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** the JSON body (or a form's fields), undefined when empty */
  body: unknown;
  /** http://HOST:PORT as the client addressed the server (for Link headers) */
  origin: string;
}

export interface ProtocolReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** the protocol has no such endpoint (a fake records these so a test can assert none happened) */
  unserved?: boolean;
}

export const MAX_BODY_BYTES = 64 * 1024;

export function sendReply(res: http.ServerResponse, reply: ProtocolReply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'text/plain; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The body as JSON (a form as its fields); throws with a message for the client when it is too large or not JSON. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  // an OAuth token request is a form
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('The request body is not valid JSON');
  }
}

export async function readBodyText(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A date-time query parameter; an unencoded '+' in an offset arrives as a space and is read as the '+' it was. */
export function parseDateParam(text: string): number {
  return Date.parse(text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1'));
}
