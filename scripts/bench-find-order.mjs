#!/usr/bin/env node
// How many requests, and how long, the built Shopify adapter takes to find an order in a store of 10,000
// orders (spread evenly over the last 60 days), against a fake Shopify started here on loopback:
//   findFirstOrderSince   the order a customer placed after the run began
//   findOrderByNumber     the newest order, and one 59 days old (within the default --since 60d)
// The fake speaks what the adapter uses of Shopify Admin REST: orders.json newest first with status,
// created_at_min/max, fields, limit and Link page_info cursors (a page_info request may carry only limit and
// fields), orders/{id}.json, and the leaky bucket (40 calls, leaking 2 a second in real time, reported in
// X-Shopify-Shop-Api-Call-Limit; 429 with Retry-After "2.0" when full). Each measurement starts with an empty
// bucket and a new adapter; the time includes the adapter's pacing (at most 2 requests a second).
// Worst cases (P = 250 a page, N = orders in the searched window): findFirstOrderSince 1 request when N ≤ P,
// else ceil(N/P) + 1; findOrderByNumber ceil(N/P) + 1.
// Usage: npm run build && node scripts/bench-find-order.mjs [--orders N] [--json]
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const adapterPath = join(root, 'dist', 'adapters', 'shopify', 'client.js');
const versionPath = join(root, 'dist', 'adapters', 'shopify', 'version.js');
const clockPath = join(root, 'dist', 'core', 'clock.js');
if (!existsSync(adapterPath)) {
  console.error(`${adapterPath} is missing: run npm run build first`);
  process.exit(2);
}
const { createShopifyChannel } = await import(pathToFileURL(adapterPath).href);
const { SHOPIFY_API_VERSION } = await import(pathToFileURL(versionPath).href);
const { systemClock } = await import(pathToFileURL(clockPath).href);

const argv = process.argv.slice(2);
const ordersFlag = argv.indexOf('--orders');
const ORDERS = ordersFlag >= 0 ? Number(argv[ordersFlag + 1]) : 10_000;
const asJson = argv.includes('--json');

const DAY = 86_400_000;
const PAGE = 250;
const TOKEN = 'shpat_bench_0123456789';
const API = `/admin/api/${SHOPIFY_API_VERSION}`;
const BASE_ID = 6_000_000_000_000;
const FIRST_NUMBER = 1001;
const BUCKET_SIZE = 40;
const LEAK_PER_SECOND = 2;

// ---------------------------------------------------------------------------------------------------------
// The fake store

function startStore(count) {
  const start = Date.now();
  const first = start - 60 * DAY;
  const last = start - 60_000;
  /** creation times, ascending with the index; index i is order #(1001 + i), id BASE_ID + i */
  const createdMs = Array.from({ length: count }, (_, i) => (count === 1 ? last : Math.round(first + ((last - first) * i) / (count - 1))));
  const stats = { requests: 0, throttled: 0 };
  let level = 0;
  let levelAt = Date.now();

  const shopifyTime = (ms) => `${new Date(Math.floor(ms / 1000) * 1000 - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;
  const orderAt = (i) => {
    const id = BASE_ID + i;
    const total = `${10 + (i % 90)}.${String(i % 100).padStart(2, '0')}`;
    return {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${FIRST_NUMBER + i}`,
      number: i + 1,
      order_number: FIRST_NUMBER + i,
      created_at: shopifyTime(createdMs[i]),
      updated_at: shopifyTime(createdMs[i]),
      email: `customer${i}@example.com`,
      currency: 'USD',
      total_price: total,
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      tags: '',
      note_attributes: [],
      shipping_address: { first_name: 'Pat', last_name: `Buyer${i}`, address1: '1 Main St', city: 'Louisville', province: 'Kentucky', zip: '40202', country_code: 'US', phone: '+1 502-555-0100' },
      shipping_lines: [{ id: id + 7, title: 'Standard Shipping', code: 'Standard Shipping', price: '4.99' }],
      line_items: [{ id: id + 3, variant_id: 42_000_000_000_001, title: 'Widget', quantity: 1, price: total, sku: `W-${i % 50}` }],
      fulfillments: [],
    };
  };
  const pick = (record, fields) => {
    if (!fields) return record;
    const wanted = fields.split(',');
    return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.includes(key)));
  };
  const lowerBound = (ms) => {
    let lo = 0;
    let hi = createdMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (createdMs[mid] < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const decode = (text) => {
    try {
      return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  };

  let origin = '';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      stats.requests += 1;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status, body, headers = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
        res.end(text);
      };
      if (req.headers['x-shopify-access-token'] !== TOKEN) return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      // the leaky bucket, in real time
      const now = Date.now();
      level = Math.max(0, level - ((now - levelAt) / 1000) * LEAK_PER_SECOND);
      levelAt = now;
      if (level + 1 > BUCKET_SIZE) {
        stats.throttled += 1;
        return send(429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'Retry-After': '2.0', 'X-Shopify-Shop-Api-Call-Limit': `${BUCKET_SIZE}/${BUCKET_SIZE}` });
      }
      level += 1;
      const headers = { 'X-Shopify-Shop-Api-Call-Limit': `${Math.ceil(level)}/${BUCKET_SIZE}`, 'X-Shopify-API-Version': SHOPIFY_API_VERSION };
      const query = url.searchParams;
      if (query.has('page_info')) {
        const bad = [...query.keys()].find((key) => !['page_info', 'limit', 'fields'].includes(key));
        if (bad) return send(400, { errors: { [bad]: `${bad} cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.` } }, headers);
      }
      const one = new RegExp(`^${API}/orders/(\\d+)\\.json$`).exec(url.pathname);
      if (one) {
        const i = Number(one[1]) - BASE_ID;
        if (!(i >= 0 && i < createdMs.length)) return send(404, { errors: 'Not Found' }, headers);
        return send(200, { order: pick(orderAt(i), query.get('fields')) }, headers);
      }
      if (url.pathname !== `${API}/orders.json`) return send(404, { errors: 'Not Found' }, headers);
      const limit = Number(query.get('limit') ?? 50);
      if (!(limit >= 1 && limit <= PAGE)) return send(400, { errors: { limit: 'is invalid' } }, headers);
      const fields = query.get('fields');
      let cursor;
      if (query.has('page_info')) {
        cursor = decode(query.get('page_info'));
        if (!cursor || typeof cursor.before !== 'number') return send(400, { errors: { page_info: 'Invalid value.' } }, headers);
      } else {
        const min = query.get('created_at_min');
        const max = query.get('created_at_max');
        const lo = min === null ? 0 : lowerBound(Date.parse(min));
        const hi = Math.max(lo, max === null ? createdMs.length : lowerBound(Date.parse(max) + 1));
        cursor = { lo, hi, before: hi };
      }
      const indices = [];
      for (let i = cursor.before - 1; i >= cursor.lo && indices.length < limit; i -= 1) indices.push(i);
      const links = [];
      const link = (next) => {
        const params = new URLSearchParams({ limit: String(limit) });
        if (fields !== null) params.set('fields', fields);
        params.set('page_info', encode(next));
        return `${origin}${API}/orders.json?${params}`;
      };
      if (cursor.before < cursor.hi) links.push(`<${link({ ...cursor, before: Math.min(cursor.hi, cursor.before + limit) })}>; rel="previous"`);
      const lastIndex = indices[indices.length - 1];
      if (lastIndex !== undefined && lastIndex > cursor.lo) links.push(`<${link({ ...cursor, before: lastIndex })}>; rel="next"`);
      return send(200, { orders: indices.map((i) => pick(orderAt(i), fields)) }, links.length ? { ...headers, Link: links.join(', ') } : headers);
    });
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url: origin,
        stats,
        createdMs,
        addOrder() {
          createdMs.push(Math.max(Date.now(), createdMs[createdMs.length - 1] ?? 0));
          return FIRST_NUMBER + createdMs.length - 1;
        },
        /** a fresh measurement: empty bucket, zero counts */
        reset() {
          level = 0;
          levelAt = Date.now();
          stats.requests = 0;
          stats.throttled = 0;
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// The measurements

const store = await startStore(ORDERS);
const rows = [];

async function measure(label, worstCase, run) {
  store.reset();
  const shopify = createShopifyChannel({ store: 'bench.myshopify.com', token: TOKEN, apiUrl: store.url, clock: systemClock });
  const started = process.hrtime.bigint();
  const result = await run(shopify);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rows.push({ search: label, found: result ? `#${result.number}` : null, requests: store.stats.requests, throttled: store.stats.throttled, worstCase, ms: Math.round(ms) });
}

try {
  const since60d = new Date(Date.now() - 60 * DAY).toISOString();
  const runStartedAt = new Date(Date.now()).toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const placed = store.addOrder();
  const inWindow = (ms) => store.createdMs.filter((created) => created >= ms).length;

  const nRun = inWindow(Date.parse(runStartedAt));
  const firstWorst = nRun <= PAGE ? 1 : Math.ceil(nRun / PAGE) + 1;
  await measure('findFirstOrderSince (order placed after the run began)', `N=${nRun}: ${firstWorst}`, (shopify) => shopify.findFirstOrderSince(runStartedAt));
  if (!rows[rows.length - 1].found?.endsWith(String(placed))) throw new Error('findFirstOrderSince did not find the new order');

  const newest = FIRST_NUMBER + store.createdMs.length - 1;
  const n60 = inWindow(Date.parse(since60d));
  await measure(`findOrderByNumber #${newest} (the newest)`, `N=${n60}: ${Math.ceil(n60 / PAGE) + 1}`, (shopify) => shopify.findOrderByNumber(String(newest), since60d));

  const cutoff = Date.now() - 59 * DAY;
  let old = FIRST_NUMBER;
  while (store.createdMs[old + 1 - FIRST_NUMBER] !== undefined && store.createdMs[old + 1 - FIRST_NUMBER] <= cutoff) old += 1;
  await measure(`findOrderByNumber #${old} (59 days old)`, `N=${n60}: ${Math.ceil(n60 / PAGE) + 1}`, (shopify) => shopify.findOrderByNumber(String(old), since60d));
  if (rows[rows.length - 1].found !== `#${old}`) throw new Error('findOrderByNumber did not find the old order');
} finally {
  await store.close();
}

if (asJson) {
  console.log(JSON.stringify({ orders: ORDERS, rows }, null, 2));
} else {
  console.log(`Shopify adapter against a fake store of ${ORDERS.toLocaleString('en-US')} orders over 60 days (bucket 40, leak 2/s, real time)`);
  const header = ['search', 'found', 'requests', '429s', 'worst case: N in window → requests', 'ms'];
  const table = [header, ...rows.map((row) => [row.search, row.found ?? '-', String(row.requests), String(row.throttled), row.worstCase, String(row.ms)])];
  const widths = header.map((_, column) => Math.max(...table.map((line) => line[column].length)));
  for (const line of table) console.log(line.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '));
}
