// Zod schemas for the Shopify Admin REST bodies onboard reads. They accept what Shopify really sends:
// unknown fields are kept aside (loose objects), API-created orders have null addresses and empty
// shipping_lines, and a number is accepted where a string is documented (ids, money).
import { z } from 'zod';

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/** Shopify ids are JSON integers (13 digits on real shops); a string form is tolerated. */
export const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/** Money is decimal text ("598.94"); a JSON number is tolerated and read through its shortest text later. */
export const shopifyMoney = z.union([z.string().trim().regex(DECIMAL_TEXT, 'expected decimal text'), z.number().finite()]);

const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected a date-time');

const optionalText = z.string().nullable().optional();

export const shopSchema = z.looseObject({
  shop: z.looseObject({
    name: optionalText,
    myshopify_domain: optionalText,
    domain: optionalText,
  }),
});

const shippingLineSchema = z.looseObject({
  title: optionalText,
});

const shippingAddressSchema = z.looseObject({
  zip: optionalText,
  phone: optionalText,
});

const fulfillmentSchema = z.looseObject({
  id: shopifyId.optional(),
  status: optionalText,
  tracking_company: optionalText,
  tracking_number: optionalText,
  tracking_numbers: z.array(z.string().nullable()).nullable().optional(),
  tracking_url: optionalText,
  tracking_urls: z.array(z.string().nullable()).nullable().optional(),
});

/** One order with the fields onboard reads (orders/{id}.json, or a list entry without `fields`). */
export const shopifyOrderSchema = z.looseObject({
  id: shopifyId,
  name: z.string(),
  order_number: z.union([z.number().int(), z.string()]).transform(String),
  created_at: timestamp,
  total_price: shopifyMoney,
  currency: z.string().min(1),
  cancelled_at: z.string().nullable().optional(),
  shipping_lines: z.array(shippingLineSchema).nullable().optional(),
  shipping_address: shippingAddressSchema.nullable().optional(),
  fulfillments: z.array(fulfillmentSchema).nullable().optional(),
});
export type ShopifyOrder = z.output<typeof shopifyOrderSchema>;

export const orderEnvelopeSchema = z.looseObject({ order: shopifyOrderSchema });
export const ordersEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderSchema) });

/** The fields listOrders asks for (`fields=` below); enough for an order summary. */
export const SUMMARY_FIELDS = 'id,name,order_number,created_at,total_price,currency,shipping_lines';
export const shopifyOrderSummarySchema = shopifyOrderSchema.pick({
  id: true,
  name: true,
  order_number: true,
  created_at: true,
  total_price: true,
  currency: true,
  shipping_lines: true,
});
export const orderSummariesEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderSummarySchema) });

/** The fields findOrderByNumber asks for while it scans. */
export const LOOKUP_FIELDS = 'id,name,order_number';
export const shopifyOrderLookupSchema = shopifyOrderSchema.pick({ id: true, name: true, order_number: true });
export const orderLookupsEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderLookupSchema) });

/** Shopify error bodies: always `{"errors": string | object | array}` (plus sometimes `error_reference`). */
export const shopifyErrorBodySchema = z.looseObject({
  errors: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});
