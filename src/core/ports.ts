// The three ports of spec §2. Each vendor adapter implements one and declares its capabilities; where a
// capability is missing the core takes the assisted path (tells the user what to click, then verifies).
import type { Money } from './money.js';

export type ChannelSystem = 'shopify' | 'woocommerce' | 'bigcommerce';
export type SystemName = ChannelSystem | 'flxpoint' | 'inventory-source';
export const SYSTEM_NAMES: readonly SystemName[] = ['shopify', 'woocommerce', 'bigcommerce', 'flxpoint', 'inventory-source'];
/** How each system is named to people. */
export const SYSTEM_LABELS: Record<SystemName, string> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  bigcommerce: 'BigCommerce',
  flxpoint: 'Flxpoint',
  'inventory-source': 'Inventory Source',
};

export interface ChannelTracking {
  number: string;
  carrier: string | null;
  url: string | null;
}

/** What every reading of a channel order carries: who it is, when it was placed, what it costs. */
export interface ChannelOrderHeader {
  /** the channel's internal id, as a string */
  id: string;
  /** the order number without '#' (Shopify order_number) */
  number: string;
  /** display form, "#1001" */
  name: string;
  /** ISO-8601 UTC */
  createdAt: string;
  total: Money;
  currency: string;
}

export interface ChannelOrder extends ChannelOrderHeader {
  channel: ChannelSystem;
  /** the shipping method title exactly as the store sends it (what Order Manager must map) */
  shippingTitle: string | null;
  /**
   * true when the store says the customer skipped shipping at checkout (BigCommerce's method "None"): then
   * shippingTitle is null and there is no title to map
   */
  shippingSkipped?: boolean;
  address: { present: boolean; hasZip: boolean; hasPhone: boolean };
  cancelled: boolean;
  tracking: ChannelTracking[];
}

/** An order as a listing shows it (`orders`). */
export interface ChannelOrderSummary extends ChannelOrderHeader {
  shippingMethod: string | null;
}

export interface ShippingAddressInput {
  name: string;
  address1: string;
  city: string;
  province: string;
  zip: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  phone: string;
}

/** What `test-order --create` places by API. */
export interface CreateOrderInput {
  variantId: string;
  quantity: number;
  email: string;
  shipping: ShippingAddressInput;
  /** the shipping method title the store will show (what Order Manager must map) */
  shippingTitle: string;
  shippingPrice: Money;
  /**
   * A unique marker onboard puts on the order (a tag, note or meta field, as the vendor allows) so that after a
   * dropped connection it can look for the order before creating it again.
   */
  idempotencyKey: string;
}

export interface ItemSuggestion {
  variantId: string;
  title: string;
  price: Money;
  vendor: string | null;
  sku: string | null;
}

/** How a channel's credential authenticates and what it was granted (Shopify says; others may not). */
export interface ChannelAccess {
  /** 'client_credentials' (Shopify Dev Dashboard app: expiring tokens) or 'access_token' (a fixed token) */
  credential: 'client_credentials' | 'access_token';
  /** the scopes granted, or null when they could not be read */
  scopes: string[] | null;
  /** the scopes onboard uses that were not granted, each with what it is for; a `required` one stops onboard */
  missing: { scope: string; neededFor: string; required: boolean }[];
  /** when a required scope is missing: the steps that grant it (and the other scopes worth adding then) */
  requiredFix: string | null;
}

export interface ChannelPort {
  readonly system: ChannelSystem;
  readonly capabilities: { createOrder: boolean; suggestItems: boolean };
  /** the vendor API version the adapter speaks, where the vendor versions its API by date (Shopify) */
  readonly apiVersion?: string;
  /**
   * Places an order by API exactly once: when the connection drops after the request may have been sent, it
   * looks for the order by its idempotency key before trying again. Present when capabilities.createOrder.
   */
  createOrder?(input: CreateOrderInput): Promise<ChannelOrder>;
  /** the order carrying this idempotency key, created at or after `createdAtMin` (for resuming a create) */
  findCreatedOrder?(idempotencyKey: string, createdAtMin: string): Promise<ChannelOrder | null>;
  /** cheap, purchasable variants for a test order, cheapest first. Present when capabilities.suggestItems. */
  suggestItems?(options: { vendor?: string; limit: number }): Promise<ItemSuggestion[]>;
  /** the credential's kind and granted scopes, where the system can tell (Shopify) */
  access?(): Promise<ChannelAccess>;
  /** throws (auth_rejected) when the credential may not create orders: called before anything is asked or sent */
  checkCanCreate?(): Promise<void>;
  /** one cheap call that proves the credential; returns the store's name */
  check(): Promise<{ account: string }>;
  /** orders created at or after `createdAtMin` (ISO), every status, newest first; limit 0 = all */
  listOrders(options: { createdAtMin: string; limit: number }): Promise<ChannelOrderSummary[]>;
  /** the first (oldest) order created at or after `createdAtMin`, found with the API's filters */
  findFirstOrderSince(createdAtMin: string): Promise<ChannelOrder | null>;
  getOrder(id: string): Promise<ChannelOrder>;
  /** an order by its number within orders created since `createdAtMin` */
  findOrderByNumber(number: string, createdAtMin: string): Promise<ChannelOrder | null>;
}

export interface PortalFulfillmentRequest {
  id: string;
  number: string | null;
  status: string | null;
}

export interface PortalOrder {
  id: string;
  orderNumber: string | null;
  referenceNumber: string | null;
  /** Flxpoint's exact string: Open, Closed, On Hold, Failed, No Shipping Method, Canceled, Not Managed, Draft */
  orderStatus: string | null;
  /** Not Started, Partially Completed, Completed */
  shippedStatus: string | null;
  /** orderTotal as exact decimal text (Flxpoint sends a JSON number; read through its shortest round-trip text) */
  orderTotal: string | null;
  insertedAt: string | null;
  updatedAt: string | null;
  shippingText: string | null;
  /** sandbox extension only (Flxpoint documents no payment status) */
  paymentStatus: string | null;
  fulfillmentRequests: PortalFulfillmentRequest[];
}

export interface PortalShipment {
  id: string;
  trackingNumber: string | null;
  carrier: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  syncError: string | null;
  suppressed: boolean;
  syncedToChannel: boolean | null;
}

export interface PortalOrderPage {
  orders: PortalOrder[];
  /** the cursor for the next poll (last updatedAt minus 1 ms), or the given one when nothing new came */
  cursor: string | null;
}

export interface PortalPort {
  readonly system: 'flxpoint';
  check(): Promise<{ account: string }>;
  /** polls GET /orders with an orderUpdatedAt cursor, de-duplicating by id, until an empty or all-seen page */
  listOrdersUpdatedSince(cursor: string | null): Promise<PortalOrderPage>;
  getOrder(id: string): Promise<PortalOrder>;
  listShipments(orderId: string): Promise<PortalShipment[]>;
  /** the dealer portal page of one order (for the assisted clicks), when the portal's address is known */
  orderPageUrl(id: string): string | null;
}

export interface AutoAuthorizeSettings {
  autoAuthorize: boolean;
  /** decimal text, or null for no maximum */
  maxOrderTotal: string | null;
}

/** Present only where the portal can be driven (the sandbox). Against Flxpoint: assisted. */
export interface PortalControls {
  /** clicks "Authorize Order for Payment"; resolves to what the portal shows afterwards */
  authorize(portalOrderId: string): Promise<{ alreadyAuthorized: boolean }>;
  getSettings(): Promise<AutoAuthorizeSettings>;
  setSettings(settings: AutoAuthorizeSettings): Promise<AutoAuthorizeSettings>;
  /** the auto-authorize rule the portal applied (or will apply) to this order */
  settingsForOrder(portalOrderId: string): Promise<AutoAuthorizeSettings>;
}

export type Plan = 'basic' | 'plus' | 'vip';
export const PLAN_INTERVAL_MS: Record<Plan, number> = { basic: 3_600_000, plus: 900_000, vip: 900_000 };

export interface ImportStatus {
  imported: boolean;
  importedAt: string | null;
  /** why the order manager holds it (a red RESOLVE), or null */
  heldReason: string | null;
}

export interface OrderManagerPort {
  readonly system: 'inventory-source';
  readonly plan: Plan;
  /** true when no plan was stored and basic is assumed */
  readonly planAssumed: boolean;
  readonly intervalMs: number;
  /** presses "Order Sync" where the order manager can be driven (sandbox); absent otherwise */
  forceSync?(): Promise<void>;
  /** reads whether the order manager has the order (sandbox); absent against Inventory Source */
  importStatus?(channelOrderId: string): Promise<ImportStatus>;
}
