// Zod schemas for the BigCommerce bodies onboard reads. They accept what BigCommerce really sends: integer
// ids (a digit string is tolerated), money as 4-decimal strings ("69.8400"; a JSON number is tolerated and
// read through its shortest round-trip text), RFC 2822 dates ("Tue, 05 Mar 2019 21:40:11 +0000"),
// `date_shipped: ""` on an unshipped order, sub-resources as `{url, resource}` links instead of inline data,
// nulls where the vendor's example has them, and unknown fields (loose objects).
// v2 (orders, store) answers bare arrays or objects; v3 (catalog) wraps them in `{data, meta}`.
import { z } from 'zod';

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/** BigCommerce ids are JSON integers; a digit string is tolerated. Kept as a number. */
export const bcId = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/).transform(Number)]);

/** Money: decimal text with four decimals ("12.3400"); a JSON number is tolerated (v3 catalog prices are numbers). */
export const bcMoney = z.union([z.string().trim().regex(DECIMAL_TEXT, 'expected decimal text'), z.number().finite()]);

/** A date BigCommerce sends: RFC 2822 in v2 ("Tue, 05 Mar 2019 21:40:11 +0000"), ISO 8601 in v3. */
export const bcDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected a date (RFC 2822 or ISO 8601)');

const optionalText = z
  .string()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** Text that some payloads send as a number (a zip, a phone): kept as text. */
const textOrNumber = z
  .union([z.string(), z.number().finite()])
  .nullable()
  .optional()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

/** A sub-resource reference: `{"url": "https://api.bigcommerce.com/stores/{hash}/v2/orders/218/products", "resource": "/orders/218/products"}`. */
export const resourceLinkSchema = z.looseObject({
  url: z.string().optional(),
  resource: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------------------
// v2 store and orders

/** GET /v2/store */
export const storeSchema = z.looseObject({
  id: z.string().nullable().optional(),
  name: optionalText,
  domain: optionalText,
  secure_url: optionalText,
  currency: optionalText,
});

/**
 * One order (GET /v2/orders/{id}, or an entry of GET /v2/orders), validated in the fields onboard reads only:
 * the rest passes as the store sent it, so one odd value from an app never fails a listing. Not validated,
 * because nothing reads them: customer_id, shipping_address_count, date_modified, date_shipped,
 * custom_status, total_ex_tax, shipping_cost_inc_tax, billing_address and the products / shipping_addresses /
 * coupons links (the adapter GETs the documented sub-resource paths itself).
 */
export const bcOrderSchema = z.looseObject({
  id: bcId,
  date_created: bcDate,
  status_id: z.number().int(),
  status: optionalText,
  total_inc_tax: bcMoney,
  currency_code: z.string().trim().min(1),
  staff_notes: optionalText,
});
export type BcOrder = z.output<typeof bcOrderSchema>;

/** GET /v2/orders (a 204 with no body, read as null, is no orders). */
export const bcOrderListSchema = z.array(bcOrderSchema);

/**
 * One entry of GET /v2/orders/{id}/shipping_addresses: onboard reads its shipping method, zip and phone (the
 * rest of the address, its id, cost and quotes link pass unvalidated).
 */
export const bcShippingAddressSchema = z.looseObject({
  zip: textOrNumber,
  phone: textOrNumber,
  /** the shipping method title exactly as the store shows it (what Order Manager must map); "None" when none */
  shipping_method: optionalText,
});
export type BcShippingAddress = z.output<typeof bcShippingAddressSchema>;
export const bcShippingAddressListSchema = z.array(bcShippingAddressSchema);

/** One entry of GET /v2/orders/{id}/shipments (204 when the order has none): its tracking is what is read. */
export const bcShipmentSchema = z.looseObject({
  tracking_number: textOrNumber,
  shipping_provider: optionalText,
  shipping_provider_display_name: optionalText,
  tracking_carrier: optionalText,
  tracking_link: optionalText,
  generated_tracking_link: optionalText,
});
export type BcShipment = z.output<typeof bcShipmentSchema>;
export const bcShipmentListSchema = z.array(bcShipmentSchema);

/** One entry of GET /v2/orders/{id}/products (read only to check the vendor payloads; onboard needs no line items yet). */
export const bcOrderProductSchema = z.looseObject({
  id: bcId,
  order_id: bcId.optional(),
  product_id: bcId,
  order_address_id: bcId.optional(),
  name: z.string(),
  sku: optionalText,
  quantity: z.number().int(),
  price_inc_tax: bcMoney.optional(),
  total_inc_tax: bcMoney.optional(),
  parent_order_product_id: bcId.nullable().optional(),
  product_options: z.array(z.looseObject({ option_id: bcId.optional(), product_option_id: bcId.optional(), value: textOrNumber })).optional(),
});
export const bcOrderProductListSchema = z.array(bcOrderProductSchema);

/** GET /v2/order_statuses: the id that means Cancelled is 5. */
export const bcOrderStatusListSchema = z.array(z.looseObject({ id: z.number().int(), name: z.string(), custom_label: optionalText }));

// ---------------------------------------------------------------------------------------------------------
// v3 catalog

const v3Meta = z.looseObject({}).nullable().optional();

export const bcVariantSchema = z.looseObject({
  id: bcId,
  product_id: bcId,
  sku: optionalText,
  /** null: the variant inherits the product's price */
  price: bcMoney.nullable().optional(),
  calculated_price: bcMoney.nullable().optional(),
  sale_price: bcMoney.nullable().optional(),
  purchasing_disabled: z.boolean().nullable().optional(),
  inventory_level: z.number().nullable().optional(),
  option_values: z
    .array(
      z.looseObject({
        id: bcId,
        option_id: bcId,
        label: optionalText,
        option_display_name: optionalText,
      }),
    )
    .nullable()
    .optional(),
});
export type BcVariant = z.output<typeof bcVariantSchema>;

export const bcProductSchema = z.looseObject({
  id: bcId,
  name: z.string(),
  type: optionalText,
  sku: optionalText,
  price: bcMoney,
  calculated_price: bcMoney.nullable().optional(),
  sale_price: bcMoney.nullable().optional(),
  brand_id: bcId.nullable().optional(),
  is_visible: z.boolean().nullable().optional(),
  is_price_hidden: z.boolean().nullable().optional(),
  availability: optionalText,
  /** "none", "product" or "variant" */
  inventory_tracking: optionalText,
  inventory_level: z.number().nullable().optional(),
  base_variant_id: bcId.nullable().optional(),
  variants: z.array(bcVariantSchema).nullable().optional(),
});
export type BcProduct = z.output<typeof bcProductSchema>;

export const bcProductPageSchema = z.looseObject({ data: z.array(bcProductSchema), meta: v3Meta });
export const bcVariantEnvelopeSchema = z.looseObject({ data: bcVariantSchema, meta: v3Meta });
export const bcBrandPageSchema = z.looseObject({
  data: z.array(z.looseObject({ id: bcId, name: z.string() })),
  meta: v3Meta,
});

// ---------------------------------------------------------------------------------------------------------
// Errors

/** v2: a JSON array `[{"status": 404, "message": "The requested resource was not found."}]`. */
export const bcV2ErrorBodySchema = z.array(
  z.looseObject({
    status: z.union([z.number(), z.string()]).optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
);

/** v3: `{"status": 422, "title": "…", "type": "…", "detail"?: "…", "errors"?: {field: message}}`. */
export const bcV3ErrorBodySchema = z.looseObject({
  status: z.union([z.number(), z.string()]).optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.record(z.string(), z.unknown()).nullable().optional(),
});
