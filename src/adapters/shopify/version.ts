/** The one Shopify Admin REST version onboard speaks (shown by `onboard doctor`); the sandbox answers it too. */
export const SHOPIFY_API_VERSION = '2026-07';
