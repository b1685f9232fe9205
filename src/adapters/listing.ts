// Rules every paged listing of the adapters follows, whatever the server does with its filters and page counts
// (forEachPage below walks the pages; each channel supplies only how it asks for a page and reads the answer):
// - a newest-first listing stops at the first order older than its window (a server, or a cache in front of
//   it, that ignores the date filter then costs one page, not the whole store);
// - a page that brings nothing new ends it (a server that ignores the page number, or an empty page); an entry
//   already seen on an earlier page is not heard again (a new order pushes a newest-first listing down a place);
// - the vendor's own end of the listing ends it (no next link, the last page by count, a short page);
// - a page budget ends it with a clear error, never silently with part of the answer;
// - one order that does not read is skipped with a --verbose note, unless it may be the order asked for.
import type { z } from 'zod';
import { UpstreamError } from '../core/errors.js';
import { parseWith } from './http/client.js';

/** One page of a listing as a vendor answered it: its entries, and how to ask for the next page (null: no more). */
export interface ListingPage<C, T> {
  entries: T[];
  next: C | null;
}

export interface ForEachPageOptions<C, T> {
  /** how to ask for the first page (a page number, a cursor URL, …) */
  first: C;
  /** asks for one page: the vendor's endpoint, parameters, envelope and end-of-listing signal */
  fetch: (cursor: C, page: number) => Promise<ListingPage<C, T>>;
  /** hears the entries of each page that were not on an earlier page; false ends the listing */
  onPage: (fresh: T[], page: number) => boolean | Promise<boolean>;
  /** the page budget */
  maxPages: number;
  /** past the budget with pages left: the error to throw (an order listing: never part of the answer), or 'stop' (a bounded read) */
  budget: (() => Error) | 'stop';
}

/** An entry's id as text, when it has one (to tell a page of nothing new). */
export function entryId(entry: unknown): string | undefined {
  const id = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * Every page of a listing, by the rules above: until `onPage` says stop, the vendor says there is no next page,
 * a page brings no entry not seen before (entries without an id always count as new), or a next page points
 * back to one already asked for. Past `maxPages` with pages left: `budget`.
 */
export async function forEachPage<C, T>(options: ForEachPageOptions<C, T>): Promise<void> {
  const seen = new Set<string>();
  const asked = new Set<string>();
  let cursor = options.first;
  for (let page = 1; ; page += 1) {
    const { entries, next } = await options.fetch(cursor, page);
    const fresh = entries.filter((entry) => {
      const id = entryId(entry);
      if (id === undefined) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    if (fresh.length === 0 || !(await options.onPage(fresh, page)) || next === null) return;
    const key = typeof next === 'string' ? next : JSON.stringify(next);
    if (asked.has(key)) return;
    if (page >= options.maxPages) {
      if (options.budget === 'stop') return;
      throw options.budget();
    }
    asked.add(key);
    cursor = next;
  }
}

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
  return entryId(raw) ?? 'without a readable id';
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
