// The flags that describe the order `test-order --create` places, by the option key the command reads. One list
// for the command that reads them, the wizard's questions, the check that they come with --create, and the resume
// line (which leaves them out: they would start another run).
export const CREATE_FLAGS = {
  variant: '--variant',
  quantity: '--quantity',
  email: '--email',
  shipName: '--ship-name',
  shipAddress1: '--ship-address1',
  shipCity: '--ship-city',
  shipProvince: '--ship-province',
  shipZip: '--ship-zip',
  shipCountry: '--ship-country',
  shipPhone: '--ship-phone',
  shippingTitle: '--shipping-title',
  shippingPrice: '--shipping-price',
  vendor: '--vendor',
} as const;

export type CreateOrderFlags = { -readonly [K in keyof typeof CREATE_FLAGS]?: string };
