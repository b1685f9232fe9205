// The embedded sandbox's world (spec §3): a Shopify-shaped store, an Inventory Source Order Manager on the plus
// plan, a Flxpoint-shaped dealer portal and a supplier that ships, all on one virtual clock.
//
// Everything here is a pure function over a plain JSON object, so the world can be persisted per profile and
// changed read-modify-write under the profile lock by any process. Time moves only through advanceWorld();
// every scheduled event (imports, shipping, tracking sync) is derived from the state itself, so nothing but the
// records needs to be stored to know what happens next.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { compareMoney, formatMoney, parseMoney, subtractMoney } from '../core/money.js';
import type { AutoAuthorizeSettings } from '../core/ports.js';
import { PLAN_INTERVAL_MS } from '../core/ports.js';
import { ShopifyRefusal } from './protocols/shopify.js';

export const WORLD_VERSION = 1;

export const SCENARIOS = ['happy', 'unmapped-shipping', 'missing-phone', 'over-limit', 'payment-declined', 'tracking-sync-error', 'slow-supplier'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'happy';

export function isScenario(name: unknown): name is ScenarioName {
  return typeof name === 'string' && (SCENARIOS as readonly string[]).includes(name);
}

export const SANDBOX_SHOP_DOMAIN = 'onboard-sandbox.myshopify.com';
export const SANDBOX_PLAN = 'plus' as const;
/** Order Manager imports at every multiple of this since the epoch (plus plan: 15 minutes). */
export const IMPORT_INTERVAL_MS = PLAN_INTERVAL_MS[SANDBOX_PLAN];
export const SHIP_DELAY_MS = 2 * 3_600_000;
export const SLOW_SHIP_DELAY_MS = 3 * 86_400_000;
export const STANDARD_SHIPPING_TITLE = 'Standard Shipping';
export const UNMAPPED_SHIPPING_TITLE = 'Economy Saver (5-9 days)';
export const TRACKING_SYNC_ERROR = 'Shopify rejected the fulfillment: fulfillment order is closed';
/** The store's fixed UTC offset: Shopify timestamps carry the shop's offset, not Z. */
const STORE_OFFSET_MINUTES = -5 * 60;
const TAX_RATE_PERCENT = 6;
const CURRENCY = 'USD';
const MAX_EVENTS = 500;

// ---------------------------------------------------------------------------------------------------------
// Types. Channel orders and portal records are stored exactly as the vendor APIs show them; whatever the APIs do
// not expose (the scenario, precise times, links between systems) lives in separate maps.

export interface MoneySet {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}

export interface ShopifyAddress {
  first_name: string;
  last_name: string;
  name: string;
  address1: string;
  address2: string;
  city: string;
  zip: string | null;
  province: string;
  province_code: string;
  country: string;
  country_code: string;
  phone: string | null;
  company: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ShopifyLineItem {
  id: number;
  admin_graphql_api_id: string;
  current_quantity: number;
  fulfillable_quantity: number;
  fulfillment_service: string;
  fulfillment_status: string | null;
  gift_card: boolean;
  grams: number;
  name: string;
  price: string;
  price_set: MoneySet;
  product_exists: boolean;
  product_id: number;
  properties: { name: string; value: string }[];
  quantity: number;
  requires_shipping: boolean;
  sku: string;
  taxable: boolean;
  title: string;
  total_discount: string;
  total_discount_set: MoneySet;
  variant_id: number;
  variant_inventory_management: string | null;
  variant_title: string | null;
  vendor: string | null;
  tax_lines: ShopifyTaxLine[];
  duties: unknown[];
  discount_allocations: unknown[];
}

export interface ShopifyTaxLine {
  price: string;
  rate: number;
  title: string;
  price_set: MoneySet;
  channel_liable: boolean | null;
}

export interface ShopifyShippingLine {
  id: number;
  carrier_identifier: string | null;
  code: string;
  discounted_price: string;
  discounted_price_set: MoneySet;
  phone: string | null;
  price: string;
  price_set: MoneySet;
  requested_fulfillment_service_id: string | null;
  source: string;
  title: string;
  tax_lines: ShopifyTaxLine[];
  discount_allocations: unknown[];
}

export interface ShopifyFulfillment {
  id: number;
  admin_graphql_api_id: string;
  order_id: number;
  status: 'success';
  created_at: string;
  updated_at: string;
  service: string;
  shipment_status: string | null;
  location_id: number;
  name: string;
  tracking_company: string;
  tracking_number: string;
  tracking_numbers: string[];
  tracking_url: string;
  tracking_urls: string[];
  receipt: Record<string, never>;
  line_items: ShopifyLineItem[];
}

export interface ShopifyCustomer {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  currency: string;
  created_at: string;
  updated_at: string;
  admin_graphql_api_id: string;
}

export interface ShopifyOrder {
  id: number;
  admin_graphql_api_id: string;
  app_id: number | null;
  browser_ip: string | null;
  buyer_accepts_marketing: boolean;
  cancel_reason: string | null;
  cancelled_at: string | null;
  closed_at: string | null;
  confirmation_number: string;
  confirmed: boolean;
  contact_email: string | null;
  created_at: string;
  currency: string;
  current_subtotal_price: string;
  current_subtotal_price_set: MoneySet;
  current_total_discounts: string;
  current_total_discounts_set: MoneySet;
  current_total_price: string;
  current_total_price_set: MoneySet;
  current_total_tax: string;
  current_total_tax_set: MoneySet;
  customer_locale: string | null;
  discount_codes: unknown[];
  email: string;
  estimated_taxes: boolean;
  financial_status: string;
  fulfillment_status: string | null;
  location_id: number | null;
  name: string;
  note: string | null;
  note_attributes: unknown[];
  number: number;
  order_number: number;
  order_status_url: string;
  payment_gateway_names: string[];
  phone: string | null;
  presentment_currency: string;
  processed_at: string;
  source_name: string;
  subtotal_price: string;
  subtotal_price_set: MoneySet;
  tags: string;
  tax_exempt: boolean;
  tax_lines: ShopifyTaxLine[];
  taxes_included: boolean;
  test: boolean;
  token: string;
  total_discounts: string;
  total_discounts_set: MoneySet;
  total_line_items_price: string;
  total_line_items_price_set: MoneySet;
  total_outstanding: string;
  total_price: string;
  total_price_set: MoneySet;
  total_shipping_price_set: MoneySet;
  total_tax: string;
  total_tax_set: MoneySet;
  total_weight: number;
  updated_at: string;
  user_id: number | null;
  billing_address: ShopifyAddress | null;
  customer: ShopifyCustomer | null;
  discount_applications: unknown[];
  fulfillments: ShopifyFulfillment[];
  line_items: ShopifyLineItem[];
  payment_terms: null;
  refunds: unknown[];
  shipping_address: ShopifyAddress | null;
  shipping_lines: ShopifyShippingLine[];
}

/** What the Shopify API does not show about a channel order. */
export interface ChannelOrderMeta {
  scenario: ScenarioName;
  /** precise creation time: the API shows whole seconds, filters compare the real instant */
  createdAtMs: number;
  updatedAtMs: number;
}

export interface CatalogueVariant {
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  price: string;
  grams: number;
  vendor: string;
  /** stock; absent in worlds saved before products were served: DEFAULT_INVENTORY_QUANTITY */
  inventoryQuantity?: number;
  /** 'shopify' (tracked, the default) or null (not tracked) */
  inventoryManagement?: 'shopify' | null;
  /** 'deny' (the default) or 'continue' (sells when out of stock) */
  inventoryPolicy?: 'deny' | 'continue';
  /** the product's status (the default 'active') */
  productStatus?: 'active' | 'draft' | 'archived';
}

export interface OrderManagerRecord {
  importedAt: number | null;
  heldAt: number | null;
  /** why the order manager holds it (a red RESOLVE), or null */
  heldReason: string | null;
  portalOrderId: number | null;
}

export type CompletionStatus = 'Not Started' | 'Partially Completed' | 'Completed';
export type PaymentStatus = 'Not Authorized' | 'Authorized' | 'Declined';

export interface FlxAddress {
  firstName: string;
  lastName: string;
  name: string;
  companyName: string | null;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  state: string;
  stateCode: string;
  postal: string | null;
  country: string;
  countryCode: string;
  phone: string | null;
  email: string | null;
}

export interface FlxFulfillmentRequest {
  id: number;
  orderId: number;
  fulfillmentRequestNumber: string;
  status: 'Processed' | 'Acknowledged';
  generatedAt: string;
  insertedAt: string;
  updatedAt: string;
}

export interface FlxOrder {
  id: number;
  orderNumber: string;
  referenceNumber: string;
  note: string | null;
  importedFrom: string;
  orderedAt: string;
  insertedAt: string;
  updatedAt: string;
  shippingText: string | null;
  orderTotal: number;
  acknowledgedStatus: CompletionStatus;
  shippedStatus: CompletionStatus;
  orderStatus: string;
  /** sandbox extension: Flxpoint documents no payment status on orders */
  paymentStatus: PaymentStatus;
  shippingAddress: FlxAddress | null;
  billingAddress: FlxAddress | null;
  fulfillmentRequests: FlxFulfillmentRequest[];
}

export interface FlxShipmentItem {
  sku: string;
  quantity: number;
  orderItemId: number;
  fulfillmentRequestItemId: number;
  partial: boolean;
}

export interface FlxShipment {
  id: number;
  orderId: number;
  fulfillmentRequestId: number;
  purchaseOrderId: number;
  trackingNumber: string;
  trackingUrl: string;
  carrier: string;
  method: string;
  shippedAt: string;
  insertedAt: string;
  updatedAt: string;
  shippingCost: number;
  partial: boolean;
  suppressed: boolean;
  syncedToChannel: boolean;
  syncError: string | null;
  shipmentItems: FlxShipmentItem[];
}

export interface WorldEvent {
  at: string;
  type: string;
  message: string;
}

/** An access token the sandbox store issued by the client credentials grant. */
export interface ShopifyGrant {
  accessToken: string;
  /** virtual ms */
  expiresAt: number;
}

/** Shopify's access tokens from the client credentials grant last 86,399 s. */
export const SHOPIFY_GRANT_SECONDS = 86_399;
/** The scopes of the sandbox store's app (read_all_orders is not granted, as on most stores). */
export const SANDBOX_APP_SCOPES = ['read_orders', 'write_orders', 'read_products', 'read_fulfillments'] as const;

export interface World {
  version: typeof WORLD_VERSION;
  createdAt: number;
  /** virtual milliseconds since the epoch */
  now: number;
  plan: typeof SANDBOX_PLAN;
  /**
   * Shopify: `token` is an admin-created app's token (never expires); `clientId`/`clientSecret` are a Dev
   * Dashboard app's, exchanged for access tokens by the client credentials grant (`grants`, 24 virtual hours each).
   */
  tokens: {
    shopify: { store: string; token: string; clientId?: string; clientSecret?: string; grants?: ShopifyGrant[]; grantsIssued?: number };
    flxpoint: { token: string };
  };
  counters: {
    channelOrder: number;
    lineItem: number;
    shippingLine: number;
    fulfillment: number;
    customer: number;
    portalOrder: number;
    fulfillmentRequest: number;
    shipment: number;
  };
  catalogue: CatalogueVariant[];
  channel: { orders: ShopifyOrder[]; meta: Record<string, ChannelOrderMeta> };
  orderManager: { shippingMappings: string[]; records: Record<string, OrderManagerRecord> };
  portal: {
    orders: FlxOrder[];
    shipments: FlxShipment[];
    settings: AutoAuthorizeSettings;
    /** the rule applied to each order on receipt (the over-limit scenario's override included) */
    orderSettings: Record<string, AutoAuthorizeSettings>;
  };
  events: WorldEvent[];
}

/**
 * Persistence check: the skeleton is validated, and every object is loose so that no field of the stored
 * vendor-shaped records is ever dropped by parsing.
 */
const SettingsSchema = z.object({ autoAuthorize: z.boolean(), maxOrderTotal: z.string().nullable() });
export const WorldSchema = z.looseObject({
  version: z.literal(WORLD_VERSION),
  createdAt: z.number(),
  now: z.number(),
  plan: z.literal(SANDBOX_PLAN),
  tokens: z.looseObject({
    shopify: z.looseObject({ store: z.string(), token: z.string() }),
    flxpoint: z.looseObject({ token: z.string() }),
  }),
  counters: z.record(z.string(), z.number()),
  catalogue: z.array(z.looseObject({ variantId: z.number(), price: z.string() })),
  channel: z.looseObject({
    orders: z.array(z.looseObject({ id: z.number(), order_number: z.number(), created_at: z.string() })),
    meta: z.record(z.string(), z.looseObject({ scenario: z.string(), createdAtMs: z.number(), updatedAtMs: z.number() })),
  }),
  orderManager: z.looseObject({
    shippingMappings: z.array(z.string()),
    records: z.record(z.string(), z.looseObject({ importedAt: z.number().nullable(), heldReason: z.string().nullable() })),
  }),
  portal: z.looseObject({
    orders: z.array(z.looseObject({ id: z.number(), updatedAt: z.string(), fulfillmentRequests: z.array(z.looseObject({ id: z.number() })) })),
    shipments: z.array(z.looseObject({ id: z.number(), orderId: z.number(), insertedAt: z.string() })),
    settings: SettingsSchema,
    orderSettings: z.record(z.string(), SettingsSchema),
  }),
  events: z.array(z.looseObject({ at: z.string(), type: z.string(), message: z.string() })),
}) as unknown as z.ZodType<World>;

/** A world-level refusal the server turns into a 4xx. */
export class WorldError extends Error {
  constructor(
    readonly kind: 'not_found' | 'bad_input',
    message: string,
  ) {
    super(message);
    this.name = 'WorldError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers: money in integer cents (all sandbox prices have two decimals), timestamps.

function toCents(amount: string): number {
  const match = /^(\d+)\.(\d{2})$/.exec(amount);
  if (!match) throw new RangeError(`not a two-decimal amount: ${amount}`);
  return Number(match[1]) * 100 + Number(match[2]);
}

function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function moneySet(amount: string): MoneySet {
  return {
    shop_money: { amount, currency_code: CURRENCY },
    presentment_money: { amount, currency_code: CURRENCY },
  };
}

/** Shopify's form: whole seconds with the shop's offset, e.g. 2026-07-10T11:00:00-05:00. */
export function shopifyTime(ms: number): string {
  const shifted = new Date(Math.floor(ms / 1000) * 1000 + STORE_OFFSET_MINUTES * 60_000);
  const sign = STORE_OFFSET_MINUTES < 0 ? '-' : '+';
  const abs = Math.abs(STORE_OFFSET_MINUTES);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

/** Flxpoint's form: ISO-8601 UTC. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function logEvent(world: World, at: number, type: string, message: string): void {
  world.events.push({ at: isoTime(at), type, message });
  if (world.events.length > MAX_EVENTS) world.events.splice(0, world.events.length - MAX_EVENTS);
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

// ---------------------------------------------------------------------------------------------------------
// Creation

const CATALOGUE: CatalogueVariant[] = [
  {
    productId: 7_100_000_000_001,
    variantId: 42_000_000_000_001,
    title: 'Onboard Test Sticker',
    variantTitle: null,
    sku: 'OB-STICKER',
    price: '4.99',
    grams: 10,
    vendor: 'US Direct',
  },
  {
    productId: 7_100_000_000_002,
    variantId: 42_000_000_000_002,
    title: 'Onboard Test Keychain',
    variantTitle: null,
    sku: 'OB-KEYCHAIN',
    price: '9.99',
    grams: 30,
    vendor: 'US Direct',
  },
  {
    productId: 7_100_000_000_003,
    variantId: 42_000_000_000_003,
    title: 'Onboard Enamel Pin',
    variantTitle: 'Gold',
    sku: 'OB-PIN-GOLD',
    price: '7.49',
    grams: 15,
    vendor: 'US Direct',
  },
  // what item suggestions must pass over: sold out, free, not for sale yet
  {
    productId: 7_100_000_000_004,
    variantId: 42_000_000_000_004,
    title: 'Onboard Fridge Magnet',
    variantTitle: null,
    sku: 'OB-MAGNET',
    price: '1.99',
    grams: 20,
    vendor: 'US Direct',
    inventoryQuantity: 0,
  },
  {
    productId: 7_100_000_000_005,
    variantId: 42_000_000_000_005,
    title: 'Onboard Gift Note',
    variantTitle: null,
    sku: 'OB-NOTE',
    price: '0.00',
    grams: 5,
    vendor: 'US Direct',
  },
  {
    productId: 7_100_000_000_006,
    variantId: 42_000_000_000_006,
    title: 'Onboard Prototype Mug',
    variantTitle: null,
    sku: 'OB-MUG',
    price: '3.49',
    grams: 300,
    vendor: 'US Direct',
    productStatus: 'draft',
  },
  // another supplier's product, two variants: one untracked, one sold out but sold anyway
  {
    productId: 7_100_000_000_007,
    variantId: 42_000_000_000_007,
    title: 'Acme Canvas Tote',
    variantTitle: 'Natural',
    sku: 'AC-TOTE-NAT',
    price: '12.99',
    grams: 200,
    vendor: 'Acme Supply',
    inventoryManagement: null,
  },
  {
    productId: 7_100_000_000_007,
    variantId: 42_000_000_000_008,
    title: 'Acme Canvas Tote',
    variantTitle: 'Black',
    sku: 'AC-TOTE-BLK',
    price: '11.99',
    grams: 200,
    vendor: 'Acme Supply',
    inventoryQuantity: 0,
    inventoryPolicy: 'continue',
  },
];

export const DEFAULT_INVENTORY_QUANTITY = 100;
/** The app the sandbox's Admin API token belongs to: orders it creates carry this app_id and source_name. */
export const SANDBOX_APP_ID = 9_100_000_001;

export function createWorld(now: number, options: { randomHex?: (bytes: number) => string } = {}): World {
  const hex = options.randomHex ?? randomHex;
  const start = Math.floor(now / 60_000) * 60_000;
  return {
    version: WORLD_VERSION,
    createdAt: start,
    now: start,
    plan: SANDBOX_PLAN,
    tokens: {
      shopify: {
        store: SANDBOX_SHOP_DOMAIN,
        token: `shpat_sandbox_${hex(16)}`,
        clientId: `sandbox${hex(12)}`,
        clientSecret: `shpss_sandbox_${hex(16)}`,
        grants: [],
      },
      flxpoint: { token: `fxp_sandbox_${hex(16)}` },
    },
    counters: { channelOrder: 0, lineItem: 0, shippingLine: 0, fulfillment: 0, customer: 0, portalOrder: 0, fulfillmentRequest: 0, shipment: 0 },
    catalogue: CATALOGUE.map((variant) => ({ ...variant })),
    channel: { orders: [], meta: {} },
    orderManager: { shippingMappings: [STANDARD_SHIPPING_TITLE], records: {} },
    portal: { orders: [], shipments: [], settings: { autoAuthorize: false, maxOrderTotal: null }, orderSettings: {} },
    events: [],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Shopify access: the admin-created app's token, and the Dev Dashboard app's client credentials grant

/** A world made before the sandbox had a Dev Dashboard app gets one. */
export function ensureShopifyClient(world: World, hex: (bytes: number) => string = randomHex): { clientId: string; clientSecret: string } {
  const shopify = world.tokens.shopify;
  shopify.clientId ??= `sandbox${hex(12)}`;
  shopify.clientSecret ??= `shpss_sandbox_${hex(16)}`;
  return { clientId: shopify.clientId, clientSecret: shopify.clientSecret };
}

export type GrantAnswer =
  { ok: true; accessToken: string; scope: string; expiresIn: number } | { ok: false; status: number; error: string; description: string };

/** The client credentials grant: a new access token valid for SHOPIFY_GRANT_SECONDS of virtual time. */
export function grantShopifyToken(world: World, request: { grantType?: string; clientId?: string; clientSecret?: string }): GrantAnswer {
  const shopify = world.tokens.shopify;
  if (request.grantType !== 'client_credentials') {
    return { ok: false, status: 400, error: 'unsupported_grant_type', description: 'grant_type must be client_credentials' };
  }
  if (!shopify.clientId || request.clientId !== shopify.clientId || request.clientSecret !== shopify.clientSecret) {
    return { ok: false, status: 401, error: 'invalid_client', description: 'Client authentication failed: unknown client or wrong client secret' };
  }
  const grants = (shopify.grants ?? []).filter((grant) => grant.expiresAt > world.now);
  const accessToken = `shpat_sandboxcc_${randomHex(16)}`;
  grants.push({ accessToken, expiresAt: world.now + SHOPIFY_GRANT_SECONDS * 1000 });
  shopify.grants = grants;
  shopify.grantsIssued = (shopify.grantsIssued ?? 0) + 1;
  return { ok: true, accessToken, scope: SANDBOX_APP_SCOPES.join(','), expiresIn: SHOPIFY_GRANT_SECONDS };
}

/** Whether an X-Shopify-Access-Token is accepted now: the admin-created app's, or an unexpired grant's. */
export function shopifyTokenValid(world: World, token: string | undefined): boolean {
  if (!token) return false;
  if (token === world.tokens.shopify.token) return true;
  return (world.tokens.shopify.grants ?? []).some((grant) => grant.accessToken === token && grant.expiresAt > world.now);
}

// ---------------------------------------------------------------------------------------------------------
// The store: a customer checks out, or an app creates an order through the Admin API

export function scenarioOf(world: World, channelOrderId: number | string): ScenarioName {
  const scenario = world.channel.meta[String(channelOrderId)]?.scenario;
  return isScenario(scenario) ? scenario : DEFAULT_SCENARIO;
}

export function findChannelOrder(world: World, id: number | string): ShopifyOrder | undefined {
  return world.channel.orders.find((order) => String(order.id) === String(id));
}

interface OrderSpec {
  scenario: ScenarioName;
  lines: { variant: CatalogueVariant; quantity: number }[];
  email: string | null;
  shippingAddress: ShopifyAddress | null;
  billingAddress: ShopifyAddress | null;
  shippingLines: { title: string; code: string; cents: number }[];
  /** a customer's checkout: taxed, paid through the gateway, from a browser; else created by the sandbox's app */
  checkout: boolean;
  financialStatus: string;
  tags: string;
  noteAttributes: { name: string; value: string }[];
  note: string | null;
}

/** One Shopify order, stored with its meta; the shared body of a checkout and an Admin API create. */
function addChannelOrder(world: World, spec: OrderSpec): ShopifyOrder {
  const at = world.now;
  const created = shopifyTime(at);
  const sequence = ++world.counters.channelOrder;
  const id = 5_800_000_000_000 + sequence;
  const orderNumber = 1000 + sequence;
  const name = `#${orderNumber}`;
  const zero = '0.00';

  const taxLine = (cents: number): ShopifyTaxLine => ({
    price: fromCents(cents),
    rate: TAX_RATE_PERCENT / 100,
    title: 'KY State Tax',
    price_set: moneySet(fromCents(cents)),
    channel_liable: false,
  });
  let lineCents = 0;
  let taxCents = 0;
  let grams = 0;
  const lineItems = spec.lines.map(({ variant, quantity }): ShopifyLineItem => {
    const cents = toCents(variant.price) * quantity;
    // 6% state tax on the goods at checkout, rounded half-up to the cent; an API-created order has no tax
    // unless it is sent (Shopify does not compute it).
    const tax = spec.checkout ? Math.floor((cents * TAX_RATE_PERCENT + 50) / 100) : 0;
    lineCents += cents;
    taxCents += tax;
    grams += variant.grams * quantity;
    const lineItemId = 13_800_000_000_000 + ++world.counters.lineItem;
    return {
      id: lineItemId,
      admin_graphql_api_id: `gid://shopify/LineItem/${lineItemId}`,
      current_quantity: quantity,
      fulfillable_quantity: quantity,
      fulfillment_service: 'manual',
      fulfillment_status: null,
      gift_card: false,
      grams: variant.grams,
      name: variant.variantTitle ? `${variant.title} - ${variant.variantTitle}` : variant.title,
      price: variant.price,
      price_set: moneySet(variant.price),
      product_exists: true,
      product_id: variant.productId,
      properties: [],
      quantity,
      requires_shipping: true,
      sku: variant.sku,
      taxable: true,
      title: variant.title,
      total_discount: zero,
      total_discount_set: moneySet(zero),
      variant_id: variant.variantId,
      variant_inventory_management: variant.inventoryManagement === undefined ? 'shopify' : variant.inventoryManagement,
      variant_title: variant.variantTitle,
      vendor: variant.vendor,
      tax_lines: tax > 0 || spec.checkout ? [taxLine(tax)] : [],
      duties: [],
      discount_allocations: [],
    };
  });
  const shippingCents = spec.shippingLines.reduce((sum, line) => sum + line.cents, 0);
  const totalCents = lineCents + shippingCents + taxCents;
  const email = spec.email;
  const token = `${id.toString(16)}${orderNumber.toString(16)}`.padEnd(32, '0');
  const customerName = spec.shippingAddress ?? spec.billingAddress;
  let customer: ShopifyCustomer | null = null;
  if (email) {
    const customerId = 7_000_000_000_000 + ++world.counters.customer;
    customer = {
      id: customerId,
      email,
      first_name: customerName?.first_name ?? '',
      last_name: customerName?.last_name ?? '',
      phone: spec.shippingAddress?.phone ?? null,
      currency: CURRENCY,
      created_at: created,
      updated_at: created,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
    };
  }
  const order: ShopifyOrder = {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: spec.checkout ? null : SANDBOX_APP_ID,
    browser_ip: spec.checkout ? '203.0.113.7' : null,
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    closed_at: null,
    confirmation_number: `SBX${String(sequence).padStart(6, '0')}`,
    confirmed: true,
    contact_email: email,
    created_at: created,
    currency: CURRENCY,
    current_subtotal_price: fromCents(lineCents),
    current_subtotal_price_set: moneySet(fromCents(lineCents)),
    current_total_discounts: zero,
    current_total_discounts_set: moneySet(zero),
    current_total_price: fromCents(totalCents),
    current_total_price_set: moneySet(fromCents(totalCents)),
    current_total_tax: fromCents(taxCents),
    current_total_tax_set: moneySet(fromCents(taxCents)),
    customer_locale: spec.checkout ? 'en' : null,
    discount_codes: [],
    email: email ?? '',
    estimated_taxes: false,
    financial_status: spec.financialStatus,
    fulfillment_status: null,
    location_id: null,
    name,
    note: spec.note,
    note_attributes: spec.noteAttributes.map((attribute) => ({ ...attribute })),
    number: sequence,
    order_number: orderNumber,
    order_status_url: `https://${world.tokens.shopify.store}/orders/${token}/authenticate?key=sandbox`,
    payment_gateway_names: spec.checkout ? ['bogus'] : [],
    phone: null,
    presentment_currency: CURRENCY,
    processed_at: created,
    source_name: spec.checkout ? 'web' : String(SANDBOX_APP_ID),
    subtotal_price: fromCents(lineCents),
    subtotal_price_set: moneySet(fromCents(lineCents)),
    tags: spec.tags,
    tax_exempt: false,
    tax_lines: spec.checkout ? [taxLine(taxCents)] : [],
    taxes_included: false,
    test: false,
    token,
    total_discounts: zero,
    total_discounts_set: moneySet(zero),
    total_line_items_price: fromCents(lineCents),
    total_line_items_price_set: moneySet(fromCents(lineCents)),
    // an API-created order records no transaction, so Shopify shows it all outstanding (research payload)
    total_outstanding: spec.checkout ? zero : fromCents(totalCents),
    total_price: fromCents(totalCents),
    total_price_set: moneySet(fromCents(totalCents)),
    total_shipping_price_set: moneySet(fromCents(shippingCents)),
    total_tax: fromCents(taxCents),
    total_tax_set: moneySet(fromCents(taxCents)),
    total_weight: grams,
    updated_at: created,
    user_id: null,
    billing_address: spec.billingAddress,
    customer,
    discount_applications: [],
    fulfillments: [],
    line_items: lineItems,
    payment_terms: null,
    refunds: [],
    shipping_address: spec.shippingAddress,
    shipping_lines: spec.shippingLines.map((line) => {
      const shippingLineId = 4_400_000_000_000 + ++world.counters.shippingLine;
      return {
        id: shippingLineId,
        carrier_identifier: null,
        code: line.code,
        discounted_price: fromCents(line.cents),
        discounted_price_set: moneySet(fromCents(line.cents)),
        phone: null,
        price: fromCents(line.cents),
        price_set: moneySet(fromCents(line.cents)),
        requested_fulfillment_service_id: null,
        source: spec.checkout ? 'shopify' : String(SANDBOX_APP_ID),
        title: line.title,
        tax_lines: [],
        discount_allocations: [],
      };
    }),
  };
  world.channel.orders.push(order);
  world.channel.meta[String(id)] = { scenario: spec.scenario, createdAtMs: at, updatedAtMs: at };
  return order;
}

export function placeCustomerOrder(world: World, options: { scenario?: string; variantId?: number; quantity?: number } = {}): ShopifyOrder {
  const scenario = options.scenario ?? DEFAULT_SCENARIO;
  if (!isScenario(scenario)) {
    throw new WorldError('bad_input', `Unknown scenario "${scenario}"; known scenarios: ${SCENARIOS.join(', ')}`);
  }
  const variant = options.variantId === undefined ? world.catalogue[0] : world.catalogue.find((v) => v.variantId === options.variantId);
  if (!variant)
    throw new WorldError('bad_input', `Unknown variant ${options.variantId}; the sandbox store sells ${world.catalogue.map((v) => v.variantId).join(', ')}`);
  const quantity = options.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100) throw new WorldError('bad_input', 'quantity must be an integer from 1 to 100');

  const shippingTitle = scenario === 'unmapped-shipping' ? UNMAPPED_SHIPPING_TITLE : STANDARD_SHIPPING_TITLE;
  const phone = scenario === 'missing-phone' ? null : '+1 502-555-0134';
  const address: ShopifyAddress = {
    first_name: 'Jamie',
    last_name: 'Rivera',
    name: 'Jamie Rivera',
    address1: '123 Test Lane',
    address2: '',
    city: 'Louisville',
    zip: '40202',
    province: 'Kentucky',
    province_code: 'KY',
    country: 'United States',
    country_code: 'US',
    phone,
    company: null,
    latitude: 38.2527,
    longitude: -85.7585,
  };
  const order = addChannelOrder(world, {
    scenario,
    lines: [{ variant, quantity }],
    email: 'jamie.rivera@example.com',
    shippingAddress: address,
    billingAddress: { ...address },
    shippingLines: [{ title: shippingTitle, code: shippingTitle, cents: toCents('4.99') }],
    checkout: true,
    financialStatus: 'paid',
    tags: '',
    noteAttributes: [],
    note: null,
  });
  logEvent(world, world.now, 'store.checkout', `A customer placed ${order.name} (${order.total_price} ${CURRENCY}, scenario ${scenario})`);
  return order;
}

/** A refusal in Shopify's own shape: `{"errors": …}` with its status (400 for a missing root, 422 otherwise). */
export { ShopifyRefusal };

/** The sandbox extension: a note attribute that fixes an API-created order's scenario. */
export const SCENARIO_NOTE_ATTRIBUTE = 'onboard_scenario';

const FINANCIAL_STATUSES_ON_CREATE = ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided'];
const INVENTORY_BEHAVIOURS = ['bypass', 'decrement_ignoring_policy', 'decrement_obeying_policy'];
const COUNTRIES: Record<string, string> = {
  US: 'United States',
  CA: 'Canada',
  GB: 'United Kingdom',
  AU: 'Australia',
  DE: 'Germany',
  FR: 'France',
  MX: 'Mexico',
};
const US_STATES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Money sent by an app: decimal text or a JSON number, at most two decimals, not negative → cents. */
function centsOf(value: unknown): number | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? null : /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function optionalString(order: Record<string, unknown>, key: string, errors: Record<string, string[]>): string | undefined {
  const value = order[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    (errors[key] ??= []).push('must be a string');
    return undefined;
  }
  return value;
}

function addressFrom(value: unknown, field: string, errors: Record<string, string[]>): ShopifyAddress | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    (errors[field] ??= []).push('must be an object');
    return null;
  }
  const text = (key: string): string => {
    const raw = value[key];
    if (raw === undefined || raw === null) return '';
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      (errors[field] ??= []).push(`${key} must be a string`);
      return '';
    }
    return String(raw).trim();
  };
  const countryCode = (text('country_code') || '').toUpperCase();
  if (countryCode !== '' && !/^[A-Z]{2}$/.test(countryCode)) (errors[field] ??= []).push(`country_code "${countryCode}" is not a two-letter country code`);
  const provinceText = text('province');
  const provinceCodeText = text('province_code').toUpperCase();
  let province = provinceText;
  let provinceCode = provinceCodeText;
  if (countryCode === 'US') {
    const byCode = US_STATES[(provinceCodeText || provinceText).toUpperCase()];
    const byName = Object.entries(US_STATES).find(([, name]) => name.toLowerCase() === provinceText.toLowerCase());
    if (byCode) {
      province = byCode;
      provinceCode = (provinceCodeText || provinceText).toUpperCase();
    } else if (byName) {
      province = byName[1];
      provinceCode = byName[0];
    }
  }
  const firstName = text('first_name');
  const lastName = text('last_name');
  const phone = text('phone');
  const zip = text('zip');
  return {
    first_name: firstName,
    last_name: lastName,
    name: `${firstName} ${lastName}`.trim(),
    address1: text('address1'),
    address2: text('address2'),
    city: text('city'),
    zip: zip === '' ? null : zip,
    province,
    province_code: provinceCode,
    country: COUNTRIES[countryCode] ?? (text('country') || countryCode),
    country_code: countryCode,
    phone: phone === '' ? null : phone,
    company: text('company') || null,
    latitude: null,
    longitude: null,
  };
}

/**
 * `POST /admin/api/<v>/orders.json` (research §1.3): an app creates an order. The body is checked as Shopify checks
 * it (a missing root is 400, a field it refuses is 422 `{"errors": {field: [messages]}}`); the order then takes part
 * in the world like a customer's: the Order Manager imports it, the portal routes it and the supplier ships it.
 * Its scenario is the `onboard_scenario` note attribute (a sandbox extension), else `defaultScenario`.
 */
export function placeApiOrder(world: World, body: unknown, defaultScenario: ScenarioName = DEFAULT_SCENARIO): ShopifyOrder {
  if (!isRecord(body) || !isRecord(body.order)) throw new ShopifyRefusal(400, { order: 'Required parameter missing or invalid' });
  const order = body.order;
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);

  const lines: { variant: CatalogueVariant; quantity: number }[] = [];
  if (!Array.isArray(order.line_items) || order.line_items.length === 0) {
    fail('line_items', 'must have at least one line item');
  } else {
    for (const [index, item] of order.line_items.entries()) {
      if (!isRecord(item)) {
        fail('line_items', `line item ${index + 1} must be an object`);
        continue;
      }
      const rawId = item.variant_id;
      const variantId = typeof rawId === 'number' ? rawId : typeof rawId === 'string' && /^\d+$/.test(rawId.trim()) ? Number(rawId) : undefined;
      if (variantId === undefined) {
        // a custom line item (title and price, no variant): the sandbox store sells only its catalogue
        fail(
          'line_items',
          `line item ${index + 1} needs a variant_id (the sandbox store sells only its catalogue: ${world.catalogue.map((v) => v.variantId).join(', ')})`,
        );
        continue;
      }
      const variant = world.catalogue.find((v) => v.variantId === variantId);
      if (!variant) {
        fail('line_items', `product variant ${String(rawId)} was not found on this store`);
        continue;
      }
      const rawQuantity = item.quantity ?? 1;
      const quantity = typeof rawQuantity === 'string' && /^\d+$/.test(rawQuantity) ? Number(rawQuantity) : rawQuantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) {
        fail('line_items', `quantity of line item ${index + 1} must be a whole number greater than 0`);
        continue;
      }
      lines.push({ variant, quantity });
    }
  }

  const email = optionalString(order, 'email', errors)?.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('email', 'is invalid');
  let shippingAddress = addressFrom(order.shipping_address, 'shipping_address', errors);
  let billingAddress = addressFrom(order.billing_address, 'billing_address', errors);

  const shippingLines: { title: string; code: string; cents: number }[] = [];
  if (order.shipping_lines !== undefined && order.shipping_lines !== null) {
    if (!Array.isArray(order.shipping_lines)) fail('shipping_lines', 'must be a list');
    else {
      for (const line of order.shipping_lines) {
        if (!isRecord(line) || typeof line.title !== 'string' || line.title.trim() === '') {
          fail('shipping_lines', 'title must not be blank');
          continue;
        }
        const cents = centsOf(line.price ?? '0.00');
        if (cents === undefined) {
          fail('shipping_lines', `price ${JSON.stringify(line.price)} is not an amount`);
          continue;
        }
        const title = line.title.trim();
        const code = typeof line.code === 'string' && line.code.trim() !== '' ? line.code.trim() : title;
        shippingLines.push({ title, code, cents });
      }
    }
  }

  const financialStatus = optionalString(order, 'financial_status', errors) ?? 'paid';
  if (!FINANCIAL_STATUSES_ON_CREATE.includes(financialStatus)) fail('financial_status', 'is not included in the list');
  const inventoryBehaviour = optionalString(order, 'inventory_behaviour', errors) ?? 'bypass';
  if (!INVENTORY_BEHAVIOURS.includes(inventoryBehaviour)) fail('inventory_behaviour', 'is not included in the list');
  for (const flag of ['send_receipt', 'send_fulfillment_receipt', 'test']) {
    if (order[flag] !== undefined && typeof order[flag] !== 'boolean') fail(flag, 'must be true or false');
  }
  const tagsValue = order.tags;
  const tags = Array.isArray(tagsValue) ? tagsValue.map(String) : typeof tagsValue === 'string' ? tagsValue.split(',') : [];
  if (tagsValue !== undefined && tagsValue !== null && !Array.isArray(tagsValue) && typeof tagsValue !== 'string') fail('tags', 'must be a string');
  const cleanTags = tags.map((tag) => tag.trim()).filter(Boolean);
  if (cleanTags.some((tag) => tag.length > 40)) fail('tags', 'each tag must be at most 40 characters');
  const note = optionalString(order, 'note', errors) ?? null;

  const noteAttributes: { name: string; value: string }[] = [];
  if (order.note_attributes !== undefined && order.note_attributes !== null) {
    if (!Array.isArray(order.note_attributes)) fail('note_attributes', 'must be a list');
    else {
      for (const attribute of order.note_attributes) {
        if (!isRecord(attribute) || typeof attribute.name !== 'string') {
          fail('note_attributes', 'each needs a name');
          continue;
        }
        noteAttributes.push({ name: attribute.name, value: attribute.value === undefined || attribute.value === null ? '' : String(attribute.value) });
      }
    }
  }
  const scenarioAttribute = noteAttributes.find((attribute) => attribute.name === SCENARIO_NOTE_ATTRIBUTE);
  const scenario = scenarioAttribute ? scenarioAttribute.value : defaultScenario;
  if (!isScenario(scenario)) fail('note_attributes', `${SCENARIO_NOTE_ATTRIBUTE} "${scenario}" is not a sandbox scenario (${SCENARIOS.join(', ')})`);

  // Inventory: bypass (the default) leaves it; decrementing obeying the policy refuses what is not in stock.
  if (inventoryBehaviour === 'decrement_obeying_policy') {
    for (const { variant, quantity } of lines) {
      const tracked = variant.inventoryManagement !== null;
      const stock = variant.inventoryQuantity ?? DEFAULT_INVENTORY_QUANTITY;
      if (tracked && variant.inventoryPolicy !== 'continue' && stock < quantity) fail('line_items', `${variant.sku} is out of stock`);
    }
  }
  if (Object.keys(errors).length > 0) throw new ShopifyRefusal(422, errors);

  if (inventoryBehaviour !== 'bypass') {
    for (const { variant, quantity } of lines) {
      if (variant.inventoryManagement !== null) variant.inventoryQuantity = (variant.inventoryQuantity ?? DEFAULT_INVENTORY_QUANTITY) - quantity;
    }
  }
  const scenarioName = scenario as ScenarioName;
  // The scenarios act on API-created orders as on a customer's: no phone on the address, or the title that
  // Order Manager has not mapped.
  if (scenarioName === 'missing-phone') {
    if (shippingAddress) shippingAddress = { ...shippingAddress, phone: null };
    if (billingAddress) billingAddress = { ...billingAddress, phone: null };
  }
  if (scenarioName === 'unmapped-shipping') {
    if (shippingLines.length === 0) shippingLines.push({ title: UNMAPPED_SHIPPING_TITLE, code: UNMAPPED_SHIPPING_TITLE, cents: 0 });
    for (const line of shippingLines) {
      line.title = UNMAPPED_SHIPPING_TITLE;
      line.code = UNMAPPED_SHIPPING_TITLE;
    }
  }
  const placed = addChannelOrder(world, {
    scenario: scenarioName,
    lines,
    email,
    shippingAddress,
    billingAddress,
    shippingLines,
    checkout: false,
    financialStatus,
    tags: cleanTags.join(', '),
    noteAttributes,
    note,
  });
  logEvent(
    world,
    world.now,
    'store.api_order',
    `An app created ${placed.name} through the Admin API (${placed.total_price} ${CURRENCY}, scenario ${scenarioName})`,
  );
  return placed;
}

/** A catalogue variant as Shopify's products.json shows it. */
function variantJson(world: World, variant: CatalogueVariant, position: number): Record<string, unknown> {
  const created = shopifyTime(world.createdAt);
  const management = variant.inventoryManagement === undefined ? 'shopify' : variant.inventoryManagement;
  const quantity = variant.inventoryQuantity ?? DEFAULT_INVENTORY_QUANTITY;
  return {
    id: variant.variantId,
    product_id: variant.productId,
    title: variant.variantTitle ?? 'Default Title',
    price: variant.price,
    sku: variant.sku,
    position,
    inventory_policy: variant.inventoryPolicy ?? 'deny',
    compare_at_price: null,
    fulfillment_service: 'manual',
    inventory_management: management,
    option1: variant.variantTitle ?? 'Default Title',
    option2: null,
    option3: null,
    created_at: created,
    updated_at: created,
    taxable: true,
    barcode: null,
    grams: variant.grams,
    weight: variant.grams,
    weight_unit: 'g',
    inventory_item_id: variant.variantId + 1_000_000_000_000,
    inventory_quantity: quantity,
    old_inventory_quantity: quantity,
    requires_shipping: true,
    admin_graphql_api_id: `gid://shopify/ProductVariant/${variant.variantId}`,
    image_id: null,
  };
}

/** The store's products as Shopify's products.json shows them, by id ascending. */
export function storeProducts(world: World): Record<string, unknown>[] {
  const byProduct = new Map<number, CatalogueVariant[]>();
  for (const variant of world.catalogue) {
    const list = byProduct.get(variant.productId) ?? [];
    list.push(variant);
    byProduct.set(variant.productId, list);
  }
  const created = shopifyTime(world.createdAt);
  return [...byProduct.entries()]
    .sort(([a], [b]) => a - b)
    .map(([productId, variants]) => {
      const first = variants[0] as CatalogueVariant;
      const status = first.productStatus ?? 'active';
      return {
        id: productId,
        title: first.title,
        body_html: '',
        vendor: first.vendor,
        product_type: 'Accessories',
        created_at: created,
        handle: first.title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, ''),
        updated_at: created,
        published_at: status === 'active' ? created : null,
        template_suffix: null,
        published_scope: 'global',
        tags: '',
        status,
        admin_graphql_api_id: `gid://shopify/Product/${productId}`,
        variants: variants.map((variant, index) => variantJson(world, variant, index + 1)),
        options: [
          {
            id: productId + 1,
            product_id: productId,
            name: variants.some((v) => v.variantTitle) ? 'Style' : 'Title',
            position: 1,
            values: variants.map((v) => v.variantTitle ?? 'Default Title'),
          },
        ],
        images: [],
        image: null,
      };
    });
}

function touchChannelOrder(world: World, order: ShopifyOrder, at: number): void {
  order.updated_at = shopifyTime(at);
  const meta = world.channel.meta[String(order.id)];
  if (meta) meta.updatedAtMs = at;
}

// ---------------------------------------------------------------------------------------------------------
// The portal's auto-authorize settings

const DECIMAL_TEXT = /^\d{1,9}(\.\d{1,4})?$/;

export function isDecimalText(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_TEXT.test(value);
}

export function setPortalSettings(world: World, settings: AutoAuthorizeSettings): AutoAuthorizeSettings {
  if (settings.maxOrderTotal !== null && !isDecimalText(settings.maxOrderTotal)) {
    throw new WorldError('bad_input', `maxOrderTotal must be null or decimal text such as "50.00", not ${JSON.stringify(settings.maxOrderTotal)}`);
  }
  world.portal.settings = { autoAuthorize: settings.autoAuthorize, maxOrderTotal: settings.maxOrderTotal };
  logEvent(world, world.now, 'portal.settings', `Auto-authorize ${settings.autoAuthorize ? 'on' : 'off'}, maximum ${settings.maxOrderTotal ?? 'none'}`);
  return { ...world.portal.settings };
}

/** The rule the portal applied to this order on receipt, or (not yet received) the saved settings it will apply. */
export function settingsForOrder(world: World, portalOrderId: number | string): AutoAuthorizeSettings {
  if (!findPortalOrder(world, portalOrderId)) throw new WorldError('not_found', `No portal order ${portalOrderId}`);
  return { ...(world.portal.orderSettings[String(portalOrderId)] ?? world.portal.settings) };
}

/** Covered: auto-authorize on and (no maximum, or total ≤ maximum). A maximum means nothing while it is off. */
export function autoAuthorizeCovers(settings: AutoAuthorizeSettings, total: string): boolean {
  if (!settings.autoAuthorize) return false;
  if (settings.maxOrderTotal === null) return true;
  return compareMoney(parseMoney(total, CURRENCY), parseMoney(settings.maxOrderTotal, CURRENCY)) <= 0;
}

// ---------------------------------------------------------------------------------------------------------
// The order manager and the portal

export function findPortalOrder(world: World, portalOrderId: number | string): FlxOrder | undefined {
  return world.portal.orders.find((order) => String(order.id) === String(portalOrderId));
}

/** The channel order a portal order came from (the portal itself only knows the numbers). */
export function channelOrderIdOfPortalOrder(world: World, portalOrderId: number): string | undefined {
  for (const [channelId, record] of Object.entries(world.orderManager.records)) {
    if (record.portalOrderId === portalOrderId) return channelId;
  }
  return undefined;
}

function isWaitingForImport(world: World, order: ShopifyOrder): boolean {
  return order.cancelled_at === null && world.orderManager.records[String(order.id)] === undefined;
}

function missingAddressParts(address: ShopifyAddress | null): string[] {
  if (!address) return ['shipping address'];
  const missing: string[] = [];
  if (!address.phone || !address.phone.trim()) missing.push('phone number');
  if (!address.zip || !address.zip.trim()) missing.push('zip code');
  return missing;
}

function toFlxAddress(address: ShopifyAddress | null, email: string | null): FlxAddress | null {
  if (!address) return null;
  return {
    firstName: address.first_name,
    lastName: address.last_name,
    name: address.name,
    companyName: address.company,
    addressLine1: address.address1,
    addressLine2: address.address2 || null,
    city: address.city,
    state: address.province,
    stateCode: address.province_code,
    postal: address.zip,
    country: address.country,
    countryCode: address.country_code,
    phone: address.phone,
    email,
  };
}

function touchPortalOrder(order: FlxOrder, at: number): void {
  order.updatedAt = isoTime(at);
}

function generateFulfillmentRequest(world: World, order: FlxOrder, at: number): FlxFulfillmentRequest {
  const request: FlxFulfillmentRequest = {
    id: 520_000 + ++world.counters.fulfillmentRequest,
    orderId: order.id,
    fulfillmentRequestNumber: `${order.orderNumber}-${order.fulfillmentRequests.length + 1}`,
    status: 'Processed',
    generatedAt: isoTime(at),
    insertedAt: isoTime(at),
    updatedAt: isoTime(at),
  };
  order.fulfillmentRequests.push(request);
  touchPortalOrder(order, at);
  logEvent(world, at, 'portal.fulfillment_request', `Fulfillment request ${request.fulfillmentRequestNumber} generated for portal order ${order.id}`);
  return request;
}

/** Payment authorization, by the dealer's click or by auto-authorize; the payment-declined card is refused. */
function authorizePayment(world: World, order: FlxOrder, at: number, how: string): void {
  const channelId = channelOrderIdOfPortalOrder(world, order.id);
  if (channelId !== undefined && scenarioOf(world, channelId) === 'payment-declined') {
    if (order.paymentStatus !== 'Declined') {
      order.paymentStatus = 'Declined';
      touchPortalOrder(order, at);
    }
    logEvent(world, at, 'portal.payment_declined', `Payment for portal order ${order.id} was declined (${how})`);
    return;
  }
  order.paymentStatus = 'Authorized';
  touchPortalOrder(order, at);
  logEvent(world, at, 'portal.authorized', `Portal order ${order.id} authorized for payment (${how})`);
  generateFulfillmentRequest(world, order, at);
}

function importOrder(world: World, order: ShopifyOrder, at: number): OrderManagerRecord {
  const key = String(order.id);
  const missing = missingAddressParts(order.shipping_address);
  if (missing.length > 0) {
    const record: OrderManagerRecord = {
      importedAt: null,
      heldAt: at,
      heldReason: `The shipping address has no ${missing.join(' and no ')}`,
      portalOrderId: null,
    };
    world.orderManager.records[key] = record;
    logEvent(world, at, 'order_manager.held', `Order Manager holds ${order.name}: ${record.heldReason} (RESOLVE)`);
    return record;
  }

  const shippingTitle = order.shipping_lines[0]?.title ?? null;
  const mapped = shippingTitle !== null && world.orderManager.shippingMappings.includes(shippingTitle);
  const portalOrder: FlxOrder = {
    id: 310_000 + ++world.counters.portalOrder,
    orderNumber: String(order.order_number),
    referenceNumber: order.name,
    note: null,
    importedFrom: 'Inventory Source',
    orderedAt: isoTime(world.channel.meta[key]?.createdAtMs ?? Date.parse(order.created_at)),
    insertedAt: isoTime(at),
    updatedAt: isoTime(at),
    shippingText: shippingTitle,
    orderTotal: Number(order.total_price),
    acknowledgedStatus: 'Not Started',
    shippedStatus: 'Not Started',
    orderStatus: mapped ? 'Open' : 'No Shipping Method',
    paymentStatus: 'Not Authorized',
    shippingAddress: toFlxAddress(order.shipping_address, order.email),
    billingAddress: toFlxAddress(order.billing_address, order.email),
    fulfillmentRequests: [],
  };
  world.portal.orders.push(portalOrder);
  const record: OrderManagerRecord = { importedAt: at, heldAt: null, heldReason: null, portalOrderId: portalOrder.id };
  world.orderManager.records[key] = record;
  logEvent(world, at, 'order_manager.imported', `Order Manager imported ${order.name} into the portal as order ${portalOrder.id} (${portalOrder.orderStatus})`);

  // The portal applies auto-authorize on receipt, never later. The over-limit scenario gets its own rule:
  // on, with a maximum one dollar below this order's total (the saved settings stay as they were).
  let rule = { ...world.portal.settings };
  if (scenarioOf(world, order.id) === 'over-limit') {
    const max = subtractMoney(parseMoney(order.total_price, CURRENCY), parseMoney('1.00', CURRENCY));
    rule = { autoAuthorize: true, maxOrderTotal: formatMoney(max, 2) };
  }
  world.portal.orderSettings[String(portalOrder.id)] = rule;
  if (autoAuthorizeCovers(rule, order.total_price)) authorizePayment(world, portalOrder, at, 'auto-authorize');
  return record;
}

/** Imports every order waiting at `at`; returns the ids of those that reached the portal (held ones do not). */
function importWaiting(world: World, at: number): string[] {
  const imported: string[] = [];
  const waiting = world.channel.orders
    .filter((order) => isWaitingForImport(world, order) && (world.channel.meta[String(order.id)]?.createdAtMs ?? 0) <= at)
    .sort((a, b) => (world.channel.meta[String(a.id)]?.createdAtMs ?? 0) - (world.channel.meta[String(b.id)]?.createdAtMs ?? 0) || a.id - b.id);
  for (const order of waiting) {
    if (importOrder(world, order, at).importedAt !== null) imported.push(String(order.id));
  }
  return imported;
}

/** "Order Sync" pressed in Order Manager: imports every waiting order now. */
export function orderSync(world: World): { imported: string[] } {
  logEvent(world, world.now, 'order_manager.sync', 'Order Sync pressed');
  return { imported: importWaiting(world, world.now) };
}

/** The dealer clicks "Authorize Order for Payment". Never creates a second fulfillment request. */
export function authorizeOrder(world: World, portalOrderId: number | string): { alreadyAuthorized: boolean; paymentStatus: PaymentStatus } {
  const order = findPortalOrder(world, portalOrderId);
  if (!order) throw new WorldError('not_found', `No portal order ${portalOrderId}`);
  if (order.fulfillmentRequests.length > 0) return { alreadyAuthorized: true, paymentStatus: order.paymentStatus };
  authorizePayment(world, order, world.now, 'Authorize Order for Payment');
  return { alreadyAuthorized: false, paymentStatus: order.paymentStatus };
}

export function importRecord(world: World, channelOrderId: number | string): OrderManagerRecord | undefined {
  return world.orderManager.records[String(channelOrderId)];
}

// ---------------------------------------------------------------------------------------------------------
// The supplier and the tracking sync

function shipDelayFor(world: World, order: FlxOrder): number {
  const channelId = channelOrderIdOfPortalOrder(world, order.id);
  return channelId !== undefined && scenarioOf(world, channelId) === 'slow-supplier' ? SLOW_SHIP_DELAY_MS : SHIP_DELAY_MS;
}

/** Fulfillment requests the supplier has yet to ship, with when it will. Orders without a shipping method do not route. */
function pendingShipments(world: World): { order: FlxOrder; request: FlxFulfillmentRequest; due: number }[] {
  const pending: { order: FlxOrder; request: FlxFulfillmentRequest; due: number }[] = [];
  for (const order of world.portal.orders) {
    if (order.orderStatus !== 'Open') continue;
    for (const request of order.fulfillmentRequests) {
      if (request.status !== 'Processed') continue;
      if (world.portal.shipments.some((shipment) => shipment.fulfillmentRequestId === request.id)) continue;
      pending.push({ order, request, due: Date.parse(request.generatedAt) + shipDelayFor(world, order) });
    }
  }
  return pending;
}

function trackingNumberFor(shipmentId: number, orderId: number): string {
  // Deterministic but varied: persisted worlds replay the same numbers, and tests can predict nothing else.
  const digits = (shipmentId * 2_654_435_761 + orderId * 40_503) % 10_000_000_000;
  return `1Z999AA1${String(digits).padStart(10, '0')}`;
}

function upsTrackingUrl(trackingNumber: string): string {
  return `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${trackingNumber}`;
}

function ship(world: World, order: FlxOrder, request: FlxFulfillmentRequest, at: number): FlxShipment {
  const id = 880_000 + ++world.counters.shipment;
  const trackingNumber = trackingNumberFor(id, order.id);
  const channelId = channelOrderIdOfPortalOrder(world, order.id);
  const channelOrder = channelId === undefined ? undefined : findChannelOrder(world, channelId);
  const shipment: FlxShipment = {
    id,
    orderId: order.id,
    fulfillmentRequestId: request.id,
    purchaseOrderId: request.id,
    trackingNumber,
    trackingUrl: upsTrackingUrl(trackingNumber),
    carrier: 'UPS',
    method: 'Ground',
    shippedAt: isoTime(at),
    insertedAt: isoTime(at),
    updatedAt: isoTime(at),
    shippingCost: 0,
    partial: false,
    suppressed: false,
    syncedToChannel: false,
    syncError: null,
    shipmentItems: (channelOrder?.line_items ?? []).map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      orderItemId: item.id,
      fulfillmentRequestItemId: request.id * 10 + 1,
      partial: false,
    })),
  };
  world.portal.shipments.push(shipment);
  request.status = 'Acknowledged';
  request.updatedAt = isoTime(at);
  order.acknowledgedStatus = 'Completed';
  order.shippedStatus = 'Completed';
  order.orderStatus = 'Closed';
  touchPortalOrder(order, at);
  logEvent(world, at, 'supplier.shipped', `The supplier shipped ${request.fulfillmentRequestNumber}: UPS ${trackingNumber}`);
  return shipment;
}

function unsyncedShipments(world: World, before: number): FlxShipment[] {
  return world.portal.shipments.filter(
    (shipment) => !shipment.syncedToChannel && shipment.syncError === null && !shipment.suppressed && Date.parse(shipment.insertedAt) < before,
  );
}

/** The tracking sync that runs with each Order Manager import: shipments go to the store as fulfillments. */
function syncTracking(world: World, at: number): void {
  for (const shipment of unsyncedShipments(world, at)) {
    const portalOrder = findPortalOrder(world, shipment.orderId);
    const channelId = channelOrderIdOfPortalOrder(world, shipment.orderId);
    const channelOrder = channelId === undefined ? undefined : findChannelOrder(world, channelId);
    shipment.updatedAt = isoTime(at);
    if (portalOrder) touchPortalOrder(portalOrder, at);
    if (!channelOrder || scenarioOf(world, channelOrder.id) === 'tracking-sync-error') {
      shipment.syncError = channelOrder ? TRACKING_SYNC_ERROR : 'The channel order no longer exists';
      logEvent(world, at, 'order_manager.tracking_sync_failed', `Tracking ${shipment.trackingNumber} did not reach the store: ${shipment.syncError}`);
      continue;
    }
    const fulfillmentId = 4_900_000_000_000 + ++world.counters.fulfillment;
    const created = shopifyTime(at);
    for (const item of channelOrder.line_items) {
      item.fulfillment_status = 'fulfilled';
      item.fulfillable_quantity = 0;
    }
    const fulfillment: ShopifyFulfillment = {
      id: fulfillmentId,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${fulfillmentId}`,
      order_id: channelOrder.id,
      status: 'success',
      created_at: created,
      updated_at: created,
      service: 'manual',
      shipment_status: null,
      location_id: 61_000_000_001,
      name: `${channelOrder.name}.${channelOrder.fulfillments.length + 1}`,
      tracking_company: shipment.carrier,
      tracking_number: shipment.trackingNumber,
      tracking_numbers: [shipment.trackingNumber],
      tracking_url: shipment.trackingUrl,
      tracking_urls: [shipment.trackingUrl],
      receipt: {},
      line_items: channelOrder.line_items.map((item) => structuredClone(item)),
    };
    channelOrder.fulfillments.push(fulfillment);
    channelOrder.fulfillment_status = 'fulfilled';
    touchChannelOrder(world, channelOrder, at);
    shipment.syncedToChannel = true;
    logEvent(
      world,
      at,
      'order_manager.tracking_synced',
      `Tracking ${shipment.trackingNumber} synced to ${channelOrder.name} as fulfillment ${fulfillment.name}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Time

function nextImportBoundary(after: number): number {
  return (Math.floor(after / IMPORT_INTERVAL_MS) + 1) * IMPORT_INTERVAL_MS;
}

type ScheduledEvent = { at: number; kind: 'import' } | { at: number; kind: 'ship'; order: FlxOrder; request: FlxFulfillmentRequest };

/**
 * The earliest event after `cursor` (the instant up to which everything has happened). An Order Manager run is
 * only scheduled when it has work, so long jumps do not step through every idle quarter hour. On a tie the
 * import runs first: a shipment made exactly on a boundary syncs at the next one.
 */
function nextEvent(world: World, cursor: number): ScheduledEvent | null {
  const hasImportWork = world.channel.orders.some((order) => isWaitingForImport(world, order)) || unsyncedShipments(world, Number.POSITIVE_INFINITY).length > 0;
  let best: ScheduledEvent | null = hasImportWork ? { at: nextImportBoundary(cursor), kind: 'import' } : null;
  for (const { order, request, due } of pendingShipments(world)) {
    const at = Math.max(due, cursor);
    if (best === null || at < best.at) best = { at, kind: 'ship', order, request };
  }
  return best;
}

/** When the next scheduled event happens, or null when the world is idle. */
export function nextEventAt(world: World): number | null {
  return nextEvent(world, world.now)?.at ?? null;
}

/** Processes every scheduled event up to `toMs` in time order, then sets the clock there. Never goes backwards. */
export function advanceWorld(world: World, toMs: number): void {
  if (!Number.isFinite(toMs) || toMs <= world.now) return;
  let cursor = world.now;
  for (;;) {
    const event = nextEvent(world, cursor);
    if (event === null || event.at > toMs) break;
    cursor = event.at;
    world.now = cursor;
    if (event.kind === 'import') {
      importWaiting(world, cursor);
      syncTracking(world, cursor);
    } else {
      ship(world, event.order, event.request, cursor);
    }
  }
  world.now = toMs;
}
