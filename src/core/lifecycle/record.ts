// The persisted shape of a profile's state (settings and runs), validated with zod on every read.
import { z } from 'zod';

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

const storedMoney = z.object({ amount: z.string(), currency: z.string() });

export const settingsSchema = z.object({
  autoAuthorize: z.boolean().default(false),
  maxOrderTotal: z.string().nullable().default(null),
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
  shippingTitle: z.string().nullable(),
  /** checkout let the customer skip shipping (BigCommerce "None"): no title to map */
  shippingSkipped: z.boolean().optional(),
  address: z.object({ present: z.boolean(), hasZip: z.boolean(), hasPhone: z.boolean() }),
  cancelled: z.boolean(),
  tracking: z.array(z.object({ number: z.string(), carrier: z.string().nullable(), url: z.string().nullable() })),
  observedAt: z.string(),
});
export type ChannelOrderSnapshot = z.infer<typeof channelOrderSnapshot>;

const portalOrderSnapshot = z.object({
  id: z.string(),
  orderNumber: z.string().nullable(),
  referenceNumber: z.string().nullable(),
  orderStatus: z.string().nullable(),
  shippedStatus: z.string().nullable(),
  orderTotal: z.string().nullable(),
  insertedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  shippingText: z.string().nullable(),
  paymentStatus: z.string().nullable(),
  fulfillmentRequests: z.array(z.object({ id: z.string(), number: z.string().nullable(), status: z.string().nullable() })),
  firstSeenAt: z.string(),
  observedAt: z.string(),
});
export type PortalOrderSnapshot = z.infer<typeof portalOrderSnapshot>;

const shipmentSnapshot = z.object({
  id: z.string(),
  trackingNumber: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  shippedAt: z.string().nullable(),
  syncError: z.string().nullable(),
  suppressed: z.boolean(),
  syncedToChannel: z.boolean().nullable(),
});

export const eventSchema = z.object({
  at: z.string(),
  kind: z.string(),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).default({}),
});
export type RunEvent = z.infer<typeof eventSchema>;

export const runSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  channel: z.enum(['shopify', 'woocommerce', 'bigcommerce']),
  scenario: z.string().nullable().default(null),
  authorizeWithinMs: z.number().int().nonnegative().default(86_400_000),
  abandoned: z.boolean().default(false),
  order: channelOrderSnapshot.nullable().default(null),
  importStatus: z
    .object({ imported: z.boolean(), importedAt: z.string().nullable(), heldReason: z.string().nullable(), observedAt: z.string() })
    .nullable()
    .default(null),
  portal: portalOrderSnapshot.nullable().default(null),
  portalCursor: z.string().nullable().default(null),
  shipments: z.array(shipmentSnapshot).default([]),
  shipmentsObservedAt: z.string().nullable().default(null),
  /** the auto-authorize rule judged for this order, and where it came from */
  autoAuthorize: z
    .object({ autoAuthorize: z.boolean(), maxOrderTotal: z.string().nullable(), source: z.enum(['portal', 'local']) })
    .nullable()
    .default(null),
  forceSyncPressedAt: z.string().nullable().default(null),
  /** one process claims placing the test order (wall-clock ms), so concurrent wizards never place two */
  placementClaimedAt: z.number().nullable().default(null),
  authorizedByOnboardAt: z.string().nullable().default(null),
  lastStage: z.enum(STAGES).nullable().default(null),
  stageReachedAt: z.partialRecord(z.enum(STAGES), z.string()).default({}),
  problems: z.array(z.enum(PROBLEMS)).default([]),
  report: z.object({ markdown: z.string(), json: z.string() }).nullable().default(null),
  lastCheckedAt: z.string().nullable().default(null),
  events: z.array(eventSchema).default([]),
});
export type Run = z.infer<typeof runSchema>;

export const stateSchema = z.object({
  version: z.literal(1).default(1),
  settings: settingsSchema.default({ autoAuthorize: false, maxOrderTotal: null }),
  runs: z.array(runSchema).default([]),
});
export type ProfileState = z.infer<typeof stateSchema>;
