// The one pagination walk of the sales channels (src/adapters/listing.ts forEachPage): its rules on their own,
// with a listing given as pages, then through a server that ignores the page number on BigCommerce.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createBigCommerceChannel } from '../../src/adapters/bigcommerce/client.js';
import { forEachPage, pageBudgetSpent, type ListingPage } from '../../src/adapters/listing.js';
import { UpstreamError } from '../../src/core/errors.js';
import { createRecordingClock, startFakeServer } from '../helpers/fake-server.js';

type Entry = { id?: number; n?: number };

/** A listing of numbered pages; the next page is offered while `more(page)` says so. */
function pages(content: (page: number) => Entry[], more: (page: number) => boolean) {
  const asked: number[] = [];
  return {
    asked,
    fetch: async (page: number): Promise<ListingPage<number, Entry>> => {
      asked.push(page);
      return { entries: content(page), next: more(page) ? page + 1 : null };
    },
  };
}

const budgetError = () => pageBudgetSpent('A vendor', 'orders', 3, 'narrow it');

/** The ids each page handed on, walking the whole listing. */
async function heardFrom(listing: { fetch: (page: number) => Promise<ListingPage<number, Entry>> }): Promise<number[][]> {
  const heard: number[][] = [];
  await forEachPage({
    first: 1,
    fetch: listing.fetch,
    onPage: (entries) => (heard.push(entries.map((e) => e.id ?? 0)), true),
    maxPages: 10,
    budget: budgetError,
  });
  return heard;
}

describe('forEachPage', () => {
  it("walks to the vendor's last page, handing each page's entries on", async () => {
    const listing = pages(
      (page) => [{ id: page * 10 }, { id: page * 10 + 1 }],
      (page) => page < 3,
    );
    const heard = await heardFrom(listing);
    expect(listing.asked).toEqual([1, 2, 3]);
    expect(heard).toEqual([
      [10, 11],
      [20, 21],
      [30, 31],
    ]);
  });

  it('stops when onPage says so, asking for no further page', async () => {
    const listing = pages(
      (page) => [{ id: page }],
      () => true,
    );
    await forEachPage({ first: 1, fetch: listing.fetch, onPage: (_entries, page) => page < 2, maxPages: 10, budget: budgetError });
    expect(listing.asked).toEqual([1, 2]);
  });

  it('an entry seen on an earlier page is not heard again; a page of nothing new ends the listing (a server that ignores the page number)', async () => {
    const listing = pages(
      (page) => (page === 1 ? [{ id: 1 }, { id: 2 }] : page === 2 ? [{ id: 2 }, { id: 3 }] : [{ id: 2 }, { id: 3 }]),
      () => true,
    );
    const heard = await heardFrom(listing);
    expect(heard).toEqual([[1, 2], [3]]);
    expect(listing.asked).toEqual([1, 2, 3]);
  });

  it('an empty page ends it without being heard; entries without an id always count as new', async () => {
    const listing = pages(
      (page) => (page < 3 ? [{ n: 1 }] : []),
      () => true,
    );
    let calls = 0;
    await forEachPage({ first: 1, fetch: listing.fetch, onPage: () => ((calls += 1), true), maxPages: 10, budget: budgetError });
    expect(calls).toBe(2);
    expect(listing.asked).toEqual([1, 2, 3]);
  });

  it('a next page that points back to one already asked for ends it (a cursor that loops)', async () => {
    const asked: string[] = [];
    let id = 0;
    await forEachPage<string, Entry>({
      first: 'a',
      fetch: async (cursor) => {
        asked.push(cursor);
        id += 1;
        return { entries: [{ id }], next: cursor === 'a' ? 'b' : 'b' };
      },
      onPage: () => true,
      maxPages: 10,
      budget: budgetError,
    });
    expect(asked).toEqual(['a', 'b']);
  });

  it('past the page budget with pages left: the error (an order listing), or a quiet stop (a bounded read)', async () => {
    let id = 0;
    const endless = async (page: number): Promise<ListingPage<number, Entry>> => ({ entries: [{ id: (id += 1) }], next: page + 1 });
    const error = await forEachPage({ first: 1, fetch: endless, onPage: () => true, maxPages: 3, budget: budgetError }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/stopped after 3 pages/);
    const listing = pages(
      (page) => [{ id: 100 + page }],
      () => true,
    );
    await forEachPage({ first: 1, fetch: listing.fetch, onPage: () => true, maxPages: 3, budget: 'stop' });
    expect(listing.asked).toEqual([1, 2, 3]);
  });

  it('a listing that ends exactly at the budget is no error', async () => {
    const listing = pages(
      (page) => [{ id: page }],
      (page) => page < 3,
    );
    await forEachPage({ first: 1, fetch: listing.fetch, onPage: () => true, maxPages: 3, budget: budgetError });
    expect(listing.asked).toEqual([1, 2, 3]);
  });
});

describe('BigCommerce through the one walk', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('a server that ignores the page number (the same 250 orders on every page): two requests, each order once', async () => {
    const START = Date.parse('2026-01-15T12:00:00.000Z');
    const order = JSON.parse(readFileSync(new URL('../../fixtures/bigcommerce/order.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const at = (ms: number) => new Date(ms).toUTCString().replace(/GMT$/, '+0000');
    const list = Array.from({ length: 250 }, (_, index) => ({ ...order, id: 1000 - index, date_created: at(START - (index + 1) * 60_000) }));
    const server = await startFakeServer({ 'GET /stores/abc123/v2/orders': () => ({ body: list }) });
    closers.push(() => server.close());
    const channel = createBigCommerceChannel({ storeHash: 'abc123', token: 't', apiUrl: server.url, clock: createRecordingClock(START) });
    const listed = await channel.listOrders({ createdAtMin: new Date(START - 86_400_000).toISOString(), limit: 0 });
    expect(listed).toHaveLength(250);
    expect(new Set(listed.map((entry) => entry.id)).size).toBe(250);
    expect(server.requests).toHaveLength(2);
  });
});
