// The persisted shape of a profile's state (settings and runs), validated with zod on every read. It uses
// `zod/mini` (the same validation as full zod in a tree-shakable form): status and settings load about 40 KB
// of zod instead of 750 KB.
import * as z from 'zod/mini';

export const STAGES = ['placed', 'imported', 'in_portal', 'authorized', 'shipped', 'tracking_synced'] as const;
export type Stage = (typeof STAGES)[number];

export const PROBLEMS = [
  'canceled',
  'order_failed',
  'payment_declined',
  'shipping_unmapped',
  'on_hold',
  'address_incomplete',
  'over_auto_authorize_limit',
  'tracking_sync_failed',
  'authorization_overdue',
  'import_overdue',
] as const;
export type Problem = (typeof PROBLEMS)[number];

// zod/mini spells `.nullable().default(null)` as functions; these keep the shape below readable.
const nullable = z.nullable;
const orNull = <T extends z.ZodMiniType>(schema: T) => z._default(z.nullable(schema), null as never);

const storedMoney = z.object({ amount: z.string(), currency: z.string() });

export const settingsSchema = z.object({
  autoAuthorize: z._default(z.boolean(), false),
  maxOrderTotal: orNull(z.string()),
});
export type StoredSettings = z.infer<typeof settingsSchema>;

const channelOrderSnapshot = z.object({
  channel: z.enum(['shopify', 'woocommerce', 'bigcommerce']),
  id: z.string(),
  number: z.string(),
  name: z.string(),
  createdAt: z.string(),
  total: storedMoney,
  currency: z.string(),
  shippingTitle: nullable(z.string()),
  /** checkout let the customer skip shipping (BigCommerce "None"): no title to map */
  shippingSkipped: z.optional(z.boolean()),
  address: z.object({ present: z.boolean(), hasZip: z.boolean(), hasPhone: z.boolean() }),
  cancelled: z.boolean(),
  tracking: z.array(z.object({ number: z.string(), carrier: nullable(z.string()), url: nullable(z.string()) })),
  observedAt: z.string(),
});
export type ChannelOrderSnapshot = z.infer<typeof channelOrderSnapshot>;

const portalOrderSnapshot = z.object({
  id: z.string(),
  orderNumber: nullable(z.string()),
  referenceNumber: nullable(z.string()),
  orderStatus: nullable(z.string()),
  shippedStatus: nullable(z.string()),
  orderTotal: nullable(z.string()),
  insertedAt: nullable(z.string()),
  updatedAt: nullable(z.string()),
  shippingText: nullable(z.string()),
  paymentStatus: nullable(z.string()),
  fulfillmentRequests: z.array(z.object({ id: z.string(), number: nullable(z.string()), status: nullable(z.string()) })),
  firstSeenAt: z.string(),
  observedAt: z.string(),
});
export type PortalOrderSnapshot = z.infer<typeof portalOrderSnapshot>;

const shipmentSnapshot = z.object({
  id: z.string(),
  trackingNumber: nullable(z.string()),
  carrier: nullable(z.string()),
  trackingUrl: nullable(z.string()),
  shippedAt: nullable(z.string()),
  syncError: nullable(z.string()),
  suppressed: z.boolean(),
  syncedToChannel: nullable(z.boolean()),
});

export const eventSchema = z.object({
  at: z.string(),
  kind: z.string(),
  message: z.string(),
  evidence: z._default(z.record(z.string(), z.unknown()), {}),
});
export type RunEvent = z.infer<typeof eventSchema>;

export const runSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  channel: z.enum(['shopify', 'woocommerce', 'bigcommerce']),
  scenario: orNull(z.string()),
  authorizeWithinMs: z._default(z.int().check(z.nonnegative()), 86_400_000),
  abandoned: z._default(z.boolean(), false),
  order: orNull(channelOrderSnapshot),
  importStatus: orNull(z.object({ imported: z.boolean(), importedAt: nullable(z.string()), heldReason: nullable(z.string()), observedAt: z.string() })),
  portal: orNull(portalOrderSnapshot),
  portalCursor: orNull(z.string()),
  shipments: z._default(z.array(shipmentSnapshot), []),
  shipmentsObservedAt: orNull(z.string()),
  /** the auto-authorize rule judged for this order, and where it came from */
  autoAuthorize: orNull(z.object({ autoAuthorize: z.boolean(), maxOrderTotal: nullable(z.string()), source: z.enum(['portal', 'local']) })),
  forceSyncPressedAt: orNull(z.string()),
  /** one process claims placing the test order (wall-clock ms), so concurrent wizards never place two */
  placementClaimedAt: orNull(z.number()),
  authorizedByOnboardAt: orNull(z.string()),
  lastStage: orNull(z.enum(STAGES)),
  stageReachedAt: z._default(z.partialRecord(z.enum(STAGES), z.string()), {}),
  problems: z._default(z.array(z.enum(PROBLEMS)), []),
  report: orNull(z.object({ markdown: z.string(), json: z.string() })),
  /** step 4's email to the supplier, drafted once the payment is authorized (however that happened) */
  email: orNull(z.object({ to: z.nullable(z.string()), subject: z.string(), body: z.string() })),
  lastCheckedAt: orNull(z.string()),
  events: z._default(z.array(eventSchema), []),
});
export type Run = z.infer<typeof runSchema>;

export const stateSchema = z.object({
  version: z._default(z.literal(1), 1),
  settings: z._default(settingsSchema, { autoAuthorize: false, maxOrderTotal: null }),
  runs: z._default(z.array(runSchema), []),
});
export type ProfileState = z.infer<typeof stateSchema>;
