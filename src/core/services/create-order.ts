// `test-order --create`: the order placed by API. Every answer comes from a flag, or on a terminal from a
// question; without a terminal every missing flag is named at once, before any state is touched.
import type { Context, Systems } from '../context.js';
import { CREATE_FLAGS, type CreateOrderFlags } from '../create-flags.js';
import { BadInputError, InputRequiredError, UsageError } from '../errors.js';
import { parseAmount } from '../inputs.js';
import { formatMoney, type Money } from '../money.js';
import type { ChannelOrder, CreateOrderInput, ItemSuggestion } from '../ports.js';

interface Field {
  /** an option of CREATE_FLAGS, whose flag answers the question */
  key: Exclude<keyof CreateOrderFlags, 'vendor'>;
  question: string;
  validate: (value: string) => string | true;
  default?: string;
}

/** Every channel's variant ids: digits, or PRODUCT:VARIANT digits (WooCommerce, BigCommerce). */
const VARIANT_ID = /^\d+(:\d+)?$/;

const nonEmpty = (what: string) => (value: string) => (value.trim() !== '' ? true : `${what} is required`);

const FIELDS: Field[] = [
  {
    key: 'variant',
    question: 'Variant id of a small, low-dollar item',
    validate: (v) =>
      VARIANT_ID.test(v.trim()) ? true : 'a variant id: digits such as 44012345678901, or PRODUCT:VARIANT such as 123:456 on WooCommerce and BigCommerce',
  },
  {
    key: 'quantity',
    question: 'Quantity',
    default: '1',
    validate: (v) => (/^[1-9]\d{0,2}$/.test(v.trim()) ? true : 'a whole number from 1 to 999'),
  },
  { key: 'email', question: 'Customer email', validate: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? true : 'an email address') },
  { key: 'shipName', question: 'Ship to (name)', validate: nonEmpty('a name') },
  { key: 'shipAddress1', question: 'Street address', validate: nonEmpty('a street address') },
  { key: 'shipCity', question: 'City', validate: nonEmpty('a city') },
  { key: 'shipProvince', question: 'State or province', validate: nonEmpty('a state or province') },
  { key: 'shipZip', question: 'ZIP or postal code', validate: nonEmpty('a ZIP or postal code (Order Manager holds orders without one)') },
  {
    key: 'shipCountry',
    question: 'Country (two letters, e.g. US)',
    validate: (v) => (/^[A-Za-z]{2}$/.test(v.trim()) ? true : 'an ISO 3166 two-letter code such as US'),
  },
  {
    key: 'shipPhone',
    question: 'Phone',
    validate: (v) => (/\d{5,}/.test(v.replace(/\D/g, '')) ? true : 'a phone number (Order Manager holds orders without one)'),
  },
  { key: 'shippingTitle', question: 'Shipping method title (as your store names it)', validate: nonEmpty('a shipping title') },
  {
    key: 'shippingPrice',
    question: 'Shipping price',
    default: '0.01',
    validate: (v) => {
      try {
        parseAmount(v, '--shipping-price');
        return true;
      } catch (e) {
        return (e as Error).message;
      }
    },
  },
];

/** The sandbox store's test customer: under --sandbox every detail has a default, so --create needs no flags. */
const SANDBOX_CUSTOMER: Partial<Record<keyof CreateOrderFlags, string>> = {
  email: 'test.customer@example.com',
  shipName: 'Sam Sandbox',
  shipAddress1: '100 Test Street',
  shipCity: 'Austin',
  shipProvince: 'TX',
  shipZip: '78701',
  shipCountry: 'US',
  shipPhone: '+1 512 555 0100',
  shippingTitle: 'Standard Shipping',
};

function defaultFor(ctx: Context, field: Field): string | undefined {
  return field.default ?? (ctx.sandbox ? SANDBOX_CUSTOMER[field.key] : undefined);
}

/** Validates the given flags and, without a terminal, names every missing one. Touches nothing. */
export function preflightCreate(ctx: Context, flags: CreateOrderFlags): void {
  for (const field of FIELDS) {
    const value = flags[field.key];
    if (value === undefined) continue;
    const verdict = field.validate(value);
    // a verdict that already names the flag (an amount's parser) is the message as it is
    if (verdict !== true)
      throw new BadInputError(verdict.startsWith(`${CREATE_FLAGS[field.key]}:`) ? verdict : `${CREATE_FLAGS[field.key]}: "${value}" is not valid (${verdict})`);
  }
  if (ctx.interactive) return;
  // The variant can come from the store's cheapest item under --sandbox; elsewhere it must be named.
  const missing = FIELDS.filter((f) => flags[f.key] === undefined && defaultFor(ctx, f) === undefined && !(ctx.sandbox && f.key === 'variant')).map(
    (f) => CREATE_FLAGS[f.key],
  );
  if (missing.length > 0) {
    throw new InputRequiredError('Placing the order by API needs its details', missing, {
      all: true,
      hint: 'Run it in a terminal without --json or --no-input to be asked instead; --quantity (1) and --shipping-price (0.01) have defaults.',
    });
  }
}

/** Fills what the flags left open: asks on a terminal (with cheap items suggested), else takes defaults. */
export async function collectCreateInput(ctx: Context, systems: Systems, flags: CreateOrderFlags, idempotencyKey: string): Promise<CreateOrderInput> {
  const channel = systems.channel;
  if (!channel?.createOrder || !channel.capabilities.createOrder) {
    throw new UsageError(`--create is not available for ${channel?.system ?? 'this sales channel'}`, {
      hint: 'Place the order on your store as a customer would, or pass --order with its number.',
    });
  }
  // the credential may lack the permission to create orders (Shopify: write_orders): say so before asking anything
  await channel.checkCanCreate?.();
  const answers: Record<string, string> = {};
  if (flags.variant === undefined && (ctx.interactive || ctx.sandbox) && channel.suggestItems && channel.capabilities.suggestItems) {
    const chosen = await chooseItem(ctx, await channel.suggestItems({ limit: SUGGESTIONS_SEARCHED }).catch(() => [] as ItemSuggestion[]), flags.vendor);
    if (chosen !== undefined) answers.variant = chosen;
  }
  for (const field of FIELDS) {
    const given = flags[field.key];
    if (given !== undefined) {
      answers[field.key] = given.trim();
      continue;
    }
    if (answers[field.key] !== undefined) continue;
    const fallback = defaultFor(ctx, field);
    // On the sandbox the test customer's details need no questions; elsewhere a terminal asks.
    const answer =
      ctx.interactive && !(ctx.sandbox && fallback !== undefined)
        ? (await ctx.prompter.input({ message: `${field.question}:`, default: fallback, flag: CREATE_FLAGS[field.key], validate: field.validate })).trim()
        : fallback;
    if (answer === undefined) throw new InputRequiredError(field.question, [CREATE_FLAGS[field.key]]);
    answers[field.key] = answer;
  }
  const shippingPrice: Money = parseAmount(answers.shippingPrice, '--shipping-price');
  return {
    variantId: answers.variant,
    quantity: Number(answers.quantity),
    email: answers.email,
    shipping: {
      name: answers.shipName,
      address1: answers.shipAddress1,
      city: answers.shipCity,
      province: answers.shipProvince,
      zip: answers.shipZip,
      country: answers.shipCountry.toUpperCase(),
      phone: answers.shipPhone,
    },
    shippingTitle: answers.shippingTitle,
    shippingPrice,
    idempotencyKey,
  };
}

/** How many of the store's cheapest items are looked through for a vendor; how many are offered. */
const SUGGESTIONS_SEARCHED = 50;
const SUGGESTIONS_SHOWN = 5;

/**
 * The item to order: the store's cheapest items (those of a vendor whose name contains --vendor, any case)
 * listed with a number; on a terminal the person picks one (a bad answer is asked again), otherwise the
 * cheapest is taken. A --vendor that matches nothing is said, not silently ignored.
 */
async function chooseItem(ctx: Context, suggestions: ItemSuggestion[], vendor: string | undefined): Promise<string | undefined> {
  const wanted = vendor?.trim().toLowerCase() ?? '';
  let items = wanted ? suggestions.filter((i) => i.vendor?.toLowerCase().includes(wanted)) : suggestions;
  if (wanted && items.length === 0) {
    const vendors = [...new Set(suggestions.map((i) => i.vendor).filter((v): v is string => Boolean(v)))];
    const known = vendors.length > 0 ? ` Vendors with cheap items on the store: ${vendors.join(', ')}.` : '';
    if (!ctx.interactive)
      throw new BadInputError(`--vendor: no item on the store comes from a vendor matching "${vendor}"`, {
        hint: `${known.trim()} Or give the item with --variant ID.`.trim(),
      });
    ctx.reporter.warn(`No item on the store comes from a vendor matching "${vendor}".${known} Showing the cheapest items of every vendor.`);
    items = suggestions;
  }
  items = items.slice(0, SUGGESTIONS_SHOWN);
  if (items.length === 0) return undefined;
  ctx.reporter.info('Cheap items you could order:');
  ctx.reporter.block(
    items.map((i, n) => `${n + 1}. ${i.title}${i.vendor ? ` (${i.vendor})` : ''} · ${formatMoney(i.price)} ${i.price.currency} · variant ${i.variantId}`),
  );
  if (!ctx.interactive) return items[0].variantId;
  const answer = await ctx.prompter.input({
    message: `Which item? (1-${items.length}, or a variant id):`,
    default: '1',
    flag: CREATE_FLAGS.variant,
    validate: (value) => {
      const text = value.trim();
      if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= items.length) return true;
      // a short number is a pick from the list, not a variant id
      if (VARIANT_ID.test(text) && !/^\d{1,2}$/.test(text)) return true;
      return `Type a number from 1 to ${items.length}, or a variant id such as ${items[0].variantId}`;
    },
  });
  const text = answer.trim();
  return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= items.length ? items[Number(text) - 1].variantId : text;
}

/** Places the order, or finds the one an interrupted earlier attempt of this run placed. */
export async function createOrFindOrder(systems: Systems, input: CreateOrderInput, createdAtMin: string): Promise<ChannelOrder> {
  const channel = systems.channel!;
  const earlier = channel.findCreatedOrder ? await channel.findCreatedOrder(input.idempotencyKey, createdAtMin) : null;
  if (earlier) return earlier;
  return channel.createOrder!(input);
}
