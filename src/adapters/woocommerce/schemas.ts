// Zod schemas for the WooCommerce REST v3 bodies onboard reads. They accept what WooCommerce really sends
// (channel-apis.md §2): integer ids, `number` as a string (a number from some plugins), money as 2-decimal
// strings but `line_items[].price` as a JSON number, dates without a timezone (the `_gmt` twin is UTC), blank
// fields as "" or null rather than omitted, and unknown fields kept aside (loose objects).
// An order is validated only in the fields onboard reads (what toChannelOrder, the summaries and the look-ups
// use); the rest passes as the store sent it, so one odd value from a plugin never fails a listing. Not
// validated, because nothing reads them: shipping_lines[].total/id/method_id, line_items, date_created (the
// `_gmt` twin is read), and the address's company, address_2, state and email.
import { z } from 'zod';

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/** WooCommerce ids are JSON integers; a digit string is tolerated. */
export const wooId = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/)]).transform(String);

/** Money: decimal text ("29.35"); a JSON number (line_items[].price) is read later through its shortest text. */
export const wooMoney = z.union([z.string().trim().regex(DECIMAL_TEXT, 'expected decimal text'), z.number().finite()]);

/**
 * ISO 8601 as WooCommerce writes it: "2017-03-22T19:28:02", no offset (the `_gmt` field is UTC, the other is
 * site-local). An offset or Z, if a plugin adds one, is accepted too.
 */
export const wooDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i, 'expected an ISO 8601 date-time');

const text = z.string().nullable().optional();

/** `number`: a string ("727"); sequential-number plugins may send "WC-1001"; a JSON number is tolerated. */
const orderNumber = z.union([z.string(), z.number().int()]).transform((value) => String(value).trim());

/** The address fields onboard reads: whether there is one, its postcode and phone. */
const addressSchema = z.looseObject({
  first_name: text,
  last_name: text,
  address_1: text,
  city: text,
  postcode: text,
  country: text,
  /** shipping.phone exists from WooCommerce 5.6; billing.phone always */
  phone: text,
});
export type WooAddress = z.output<typeof addressSchema>;

const metaSchema = z.looseObject({
  id: wooId.optional(),
  key: z.string(),
  value: z.unknown(),
});

/** Only the title is read (what Order Manager must map). */
const shippingLineSchema = z.looseObject({
  method_title: text,
});

/** A line item as WooCommerce sends it; not part of an order's validation (onboard reads no line items). */
export const wooLineItemSchema = z.looseObject({
  id: wooId.optional(),
  name: text,
  product_id: wooId.nullable().optional(),
  variation_id: wooId.nullable().optional(),
  quantity: z.number().optional(),
  total: wooMoney.nullable().optional(),
  /** a JSON number in real bodies (the docs' table says string) */
  price: wooMoney.nullable().optional(),
  sku: text,
});

/** One order (GET orders/{id}, a list entry, or the POST orders answer). */
export const wooOrderSchema = z.looseObject({
  id: wooId,
  number: orderNumber,
  status: z.string(),
  currency: z.string().min(1),
  date_created_gmt: wooDateTime,
  total: wooMoney,
  billing: addressSchema.nullable().optional(),
  shipping: addressSchema.nullable().optional(),
  shipping_lines: z.array(shippingLineSchema).nullable().optional(),
  meta_data: z.array(metaSchema).nullable().optional(),
});
export type WooOrder = z.output<typeof wooOrderSchema>;
export const wooOrdersSchema = z.array(wooOrderSchema);

/** What listOrders asks for with `_fields` (a server that ignores `_fields` sends whole orders: also fine). */
export const SUMMARY_FIELDS = 'id,number,status,date_created_gmt,total,currency,shipping_lines';
export const wooOrderSummarySchema = wooOrderSchema
  .pick({ id: true, number: true, date_created_gmt: true, total: true, currency: true, shipping_lines: true })
  .extend({ status: z.string().optional() });
export const wooOrderSummariesSchema = z.array(wooOrderSummarySchema);

/** What findFirstOrderSince / findCreatedOrder / the number search need to pick one order. */
export const LOOKUP_FIELDS = 'id,number,status,date_created_gmt,meta_data';
export const wooOrderLookupSchema = wooOrderSchema
  .pick({ id: true, number: true, date_created_gmt: true, meta_data: true })
  .extend({ status: z.string().optional() });
export const wooOrderLookupsSchema = z.array(wooOrderLookupSchema);

/** GET orders/{id}/notes → [{id, author, date_created, date_created_gmt, note, customer_note}] */
export const wooNoteSchema = z.looseObject({
  id: wooId,
  author: text,
  date_created: wooDateTime.nullable().optional(),
  date_created_gmt: wooDateTime.nullable().optional(),
  note: z.string().nullable(),
  customer_note: z.boolean().nullable().optional(),
});
export const wooNotesSchema = z.array(wooNoteSchema);

/** The Shipment Tracking extension's item (wc-shipment-tracking/v3 …/shipment-trackings). */
export const wooShipmentTrackingSchema = z.looseObject({
  tracking_id: z.union([z.string(), z.number()]).transform(String).optional(),
  tracking_provider: text,
  custom_tracking_provider: text,
  tracking_link: text,
  custom_tracking_link: text,
  tracking_number: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
  /** the site's date_format, not necessarily ISO */
  date_shipped: z.union([z.string(), z.number()]).nullable().optional(),
});
export type WooShipmentTracking = z.output<typeof wooShipmentTrackingSchema>;
export const wooShipmentTrackingsSchema = z.array(wooShipmentTrackingSchema);

const attributeSchema = z.looseObject({ name: text, option: text });

/** GET products (and products/{id}/variations: the same fields that matter here). */
export const wooProductSchema = z.looseObject({
  id: wooId,
  name: text,
  type: text,
  status: text,
  sku: text,
  /** "" when the product has no price (then it is not purchasable) */
  price: z.union([z.string(), z.number()]).nullable().optional(),
  purchasable: z.boolean().nullable().optional(),
  stock_status: text,
  /** WooCommerce 9.6+ (the Brands taxonomy): the closest thing core has to a vendor */
  brands: z
    .array(z.looseObject({ name: text }))
    .nullable()
    .optional(),
  attributes: z.array(attributeSchema).nullable().optional(),
});
export type WooProduct = z.output<typeof wooProductSchema>;
export const wooProductsSchema = z.array(wooProductSchema);

/** GET data/currencies/current → {code, name, symbol} */
export const wooCurrencySchema = z.looseObject({ code: z.string().min(1) });

/** WooCommerce / WP REST error body: {code, message, data: {status, params?}} */
export const wooErrorBodySchema = z.looseObject({
  code: z.string(),
  message: z.string().nullable().optional(),
  data: z
    .looseObject({
      status: z.number().optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .nullable()
    .optional(),
});
export type WooErrorBody = z.output<typeof wooErrorBodySchema>;
