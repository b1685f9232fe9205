// Zod schemas for the Shopify Admin REST bodies onboard reads. They accept what Shopify really sends:
// unknown fields are kept aside (loose objects), API-created orders have null addresses and empty
// shipping_lines, and a number is accepted where a string is documented (ids, money).
// Orders are validated only in the fields onboard reads; the rest passes as Shopify sent it, so one odd value
// from another app never fails a listing or the look-before-create scan. Not validated, because nothing reads
// them: fulfillments[].id, and the names and values of note_attributes other than onboard's own (the scan
// compares each entry's name itself and skips what is not a name).
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
    currency: optionalText,
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

/** The fields findOrderByNumber asks for while it scans (created_at: the scan stops at the window's edge). */
export const LOOKUP_FIELDS = 'id,name,order_number,created_at';
export const shopifyOrderLookupSchema = shopifyOrderSchema.pick({ id: true, name: true, order_number: true, created_at: true });
export const orderLookupsEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderLookupSchema) });

/**
 * The fields findFirstOrderSince asks for on its first page: everything toChannelOrder reads, so the usual case
 * (one new order after the run began) is one request, without line items, customer or tax detail.
 */
export const DETAIL_FIELDS = 'id,name,order_number,created_at,total_price,currency,cancelled_at,shipping_lines,shipping_address,fulfillments';

/** The fields of later pages while looking for the oldest order of a window: just enough to compare. */
export const REF_FIELDS = 'id,created_at';
export const shopifyOrderRefSchema = shopifyOrderSchema.pick({ id: true, created_at: true });
export const orderRefsEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderRefSchema) });

/** The fields findCreatedOrder asks for: the markers createOrder puts on an order. */
export const MARKER_FIELDS = 'id,tags,note_attributes,created_at';
export const shopifyOrderMarkersSchema = z.looseObject({
  id: shopifyId,
  created_at: timestamp,
  tags: z.string().nullable().optional(),
  /** entries of any shape: other apps write here too, and only onboard's own entry is read */
  note_attributes: z.array(z.unknown()).nullable().optional(),
});
export const orderMarkersEnvelopeSchema = z.looseObject({ orders: z.array(shopifyOrderMarkersSchema) });

/** A listing's envelope with its orders unread: each is read on its own (listing.ts readEach). */
export const rawOrdersEnvelopeSchema = z.looseObject({ orders: z.array(z.unknown()) });
/** A product listing's envelope with its products unread (they are read page by page). */
export const rawProductsEnvelopeSchema = z.looseObject({ products: z.array(z.unknown()) });

/** The body of POST orders.json as createOrder sends it. */
export interface ShopifyAddressInput {
  first_name: string;
  last_name: string;
  address1: string;
  city: string;
  province: string;
  zip: string;
  country_code: string;
  phone: string;
}
export interface ShopifyOrderCreateBody {
  order: {
    line_items: { variant_id: number | string; quantity: number }[];
    email: string;
    shipping_address: ShopifyAddressInput;
    billing_address: ShopifyAddressInput;
    shipping_lines: { title: string; price: string; code: string }[];
    financial_status: 'paid';
    tags: string;
    note_attributes: { name: string; value: string }[];
    send_receipt: false;
    send_fulfillment_receipt: false;
    inventory_behaviour: 'bypass';
  };
}

/** The fields suggestItems asks for (`fields=` on products.json). */
export const PRODUCT_FIELDS = 'id,title,vendor,variants';
const variantSchema = z.looseObject({
  id: shopifyId,
  title: optionalText,
  price: shopifyMoney.nullable().optional(),
  sku: optionalText,
  inventory_quantity: z.number().nullable().optional(),
  inventory_management: optionalText,
  inventory_policy: optionalText,
});
export const shopifyProductSchema = z.looseObject({
  id: shopifyId,
  title: z.string(),
  vendor: optionalText,
  variants: z.array(variantSchema).nullable().optional(),
});
export type ShopifyProduct = z.output<typeof shopifyProductSchema>;
export const productsEnvelopeSchema = z.looseObject({ products: z.array(shopifyProductSchema) });

/** Shopify error bodies: always `{"errors": string | object | array}` (plus sometimes `error_reference`). */
export const shopifyErrorBodySchema = z.looseObject({
  errors: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});
