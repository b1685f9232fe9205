// Rules every paged listing of the adapters follows, whatever the server does with its filters and page counts:
// - a newest-first listing stops at the first order older than its window (a server, or a cache in front of
//   it, that ignores the date filter then costs one page, not the whole store);
// - a page that brings nothing new ends it (a server that ignores the page number);
// - a page budget ends it with a clear error, never silently with part of the answer;
// - one order that does not read is skipped with a --verbose note, unless it may be the order asked for.
import type { z } from 'zod';
import { UpstreamError } from '../core/errors.js';
import { parseWith } from './http/client.js';

/** The error when a listing runs through its page budget. */
export function pageBudgetSpent(label: string, what: string, pages: number, hint: string): UpstreamError {
  return new UpstreamError('upstream_error', `${label} kept sending pages of ${what}: onboard stopped after ${pages} pages without reaching the end`, { hint });
}

export interface ReadEachOptions {
  /** where a skipped entry is noted (--verbose) */
  log?: ((line: string) => void) | undefined;
  /** what the listing is, for messages: "an order list" */
  what: string;
  /** the system's name for messages: "woocommerce" */
  system: string;
  /**
   * True when this raw entry may be the order the caller asked for: then it is not skipped, and the listing
   * fails naming the field that does not read.
   */
  askedFor?: (raw: unknown) => boolean;
  /** hears each skipped entry (a cursor search keeps its cursor before it, so the order is read again later) */
  onSkip?: (raw: unknown) => void;
}

function idOf(raw: unknown): string {
  const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : 'without a readable id';
}

/**
 * The entries of a listing page read one by one with `schema`. An entry that does not read is skipped with a
 * note (one odd value from a third-party app must not fail a whole listing), except when it may be the order
 * asked for, or when no entry of the page reads at all (then the page is not what onboard understands).
 */
export function readEach<S extends z.ZodType>(schema: S, data: unknown[], options: ReadEachOptions): z.output<S>[] {
  const read: z.output<S>[] = [];
  let firstFailure: unknown;
  for (const raw of data) {
    const result = schema.safeParse(raw);
    if (result.success) {
      read.push(result.data);
      continue;
    }
    if (options.askedFor?.(raw)) parseWith(schema, raw, `the order asked for (id ${idOf(raw)}) in ${options.what}`, options.system);
    firstFailure ??= raw;
    options.onSkip?.(raw);
    const issue = result.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') || '(the whole entry)' : '(the whole entry)';
    options.log?.(`… skipped order ${idOf(raw)} in ${options.what}: onboard cannot read its ${where} (${issue?.message ?? 'does not match'})`);
  }
  if (read.length === 0 && data.length > 1) parseWith(schema, firstFailure, `every entry of ${options.what}`, options.system);
  return read;
}
