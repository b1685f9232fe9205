// Zod schemas for the Flxpoint bodies onboard reads. Flxpoint answers bare JSON arrays, integer ids and
// money as JSON numbers; most fields may be absent, so everything but the id is optional and nullable.
// Error bodies are undocumented and deliberately have no schema: the adapter acts on status codes only.
import { z } from 'zod';
import { moneyToExactText, parseMoney } from '../../core/money.js';

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/**
 * A JSON number's exact decimal text, read through its shortest round-trip text with any exponent expanded
 * (17.05 → "17.05", 1e21 → "1000000000000000000000", 5e-7 → "0.0000005"). Never rounds through a float.
 */
export function numberToDecimalText(value: number): string {
  return moneyToExactText(parseMoney(value, 'XXX'));
}

const flxpointId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

/** Text fields Flxpoint may send as numbers (order numbers), kept as text. */
const textOrNumber = z
  .union([z.string(), z.number().finite()])
  .nullable()
  .optional()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

const optionalText = z
  .string()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const amountText = z
  .union([z.number().finite(), z.string().trim().regex(DECIMAL_TEXT, 'expected decimal text')])
  .nullable()
  .optional()
  .transform((value) => (value === null || value === undefined ? null : typeof value === 'number' ? numberToDecimalText(value) : value));

const timestamp = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), 'expected a date-time')
  .nullable()
  .optional()
  .transform((value) => value ?? null);

export const fulfillmentRequestSchema = z.looseObject({
  id: flxpointId,
  fulfillmentRequestNumber: textOrNumber,
  status: optionalText,
});

export const flxpointOrderSchema = z.looseObject({
  id: flxpointId,
  orderNumber: textOrNumber,
  referenceNumber: textOrNumber,
  orderStatus: optionalText,
  shippedStatus: optionalText,
  orderTotal: amountText,
  insertedAt: timestamp,
  updatedAt: timestamp,
  shippingText: optionalText,
  /** sandbox extension: Flxpoint documents no payment status */
  paymentStatus: optionalText,
  fulfillmentRequests: z
    .array(fulfillmentRequestSchema)
    .nullable()
    .optional()
    .transform((value) => value ?? []),
});
export type FlxpointOrder = z.output<typeof flxpointOrderSchema>;

export const flxpointOrderListSchema = z.array(flxpointOrderSchema);

export const flxpointShipmentSchema = z.looseObject({
  id: flxpointId,
  trackingNumber: optionalText,
  carrier: optionalText,
  trackingUrl: optionalText,
  shippedAt: optionalText,
  syncError: optionalText,
  suppressed: z
    .boolean()
    .nullable()
    .optional()
    .transform((value) => value ?? false),
  syncedToChannel: z
    .boolean()
    .nullable()
    .optional()
    .transform((value) => value ?? null),
});
export type FlxpointShipment = z.output<typeof flxpointShipmentSchema>;

export const flxpointShipmentListSchema = z.array(flxpointShipmentSchema);
