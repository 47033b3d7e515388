/** @module TypeBox schemas of the cart, pricing, resume link, tax rate and shipping rate APIs (staff and store). */
import { Type } from 'typebox';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { cartStatuses, deliveryModes, shippingMethods } from './cart.repository';
import { shippingRateMethods } from './shipping.service';

export const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() }, { title: 'Money' });
const Id = Type.String({ minLength: 1, maxLength: 64 });
export const ChannelId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The channel asking (its prices and currency)',
});
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO-3166-1 alpha-2' });
const Region = Type.String({
  pattern: '^[A-Z0-9]{1,3}$',
  description: 'ISO-3166-2 subdivision without the country',
});
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const AddressSchema = strictObject({
  name: Type.Optional(Text(200)),
  line1: Text(200),
  line2: Type.Optional(Type.String({ maxLength: 200 })),
  postal_code: Text(20),
  city: Text(100),
  region: Type.Optional(Region),
  country: Country,
  phone: Type.Optional(Text(40)),
});

export const LineInputSchema = strictObject({
  sku: Type.Optional(Text(100)),
  variant_id: Type.Optional(Id),
  quantity: Type.Integer({ minimum: 1, maximum: 999 }),
  delivery_mode: Type.Optional(Type.Enum(deliveryModes, { description: 'Default ship; checkout validates' })),
  location_id: Type.Optional(Nullable(Id)),
});
export const LinesBody = Type.Array(LineInputSchema, { minItems: 1, maxItems: 100 });

const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 });
const Email = Type.String({ format: 'email', maxLength: 254 });

/** Details shared by creating and changing a cart. */
export const CartDetails = {
  email: Type.Optional(Nullable(Email)),
  shipping_address: Type.Optional(Nullable(AddressSchema)),
  shipping_method: Type.Optional(Type.Enum(shippingMethods)),
  promotion_codes: Type.Optional(Codes),
};

export const LinePatchBody = {
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  delivery_mode: Type.Optional(Type.Enum(deliveryModes)),
  location_id: Type.Optional(Nullable(Id)),
};

const LineSchema = Type.Object({
  id: Type.String(),
  variant_id: Type.String(),
  sku: Type.String(),
  quantity: Type.Integer(),
  delivery_mode: Type.String(),
  location_id: Nullable(Type.String()),
  created_at: IsoTime,
  updated_at: IsoTime,
});

const CartFields = {
  id: Type.String(),
  status: Type.Enum(cartStatuses),
  currency: Type.String(),
  channel_id: Type.String({ description: 'Where the cart was started' }),
  last_channel_id: Type.String({ description: 'The channel of the last change or opening' }),
  channel_ids: Type.Array(Type.String(), { description: 'Every channel that touched the cart' }),
  customer_id: Nullable(Type.String()),
  anonymous_id: Nullable(Type.String()),
  email: Nullable(Type.String()),
  shipping_address: Nullable(Type.Object({}, { additionalProperties: true })),
  shipping_method: Type.String(),
  promotion_codes: Type.Array(Type.String()),
  merged_into: Nullable(Type.String()),
  lines: Type.Array(LineSchema),
  created_at: IsoTime,
  updated_at: IsoTime,
};
export const CartSchema = Type.Object(CartFields, { title: 'Cart' });

export const PricingSchema = Type.Object(
  {
    cart_id: Type.String(),
    channel_id: Type.String(),
    currency: Type.String(),
    customer_id: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        variant_id: Type.String(),
        sku: Type.String(),
        quantity: Type.Integer(),
        delivery_mode: Type.String(),
        unit_price: Money,
        subtotal: Money,
        discount: Money,
        tax: Money,
        tax_rate_bp: Type.Integer({ description: 'Basis points: 2100 = 21 %' }),
        tax_inclusive: Type.Boolean(),
        total: Money,
      }),
    ),
    shipping: Type.Array(
      Type.Object({
        method: Type.String(),
        rate_id: Type.String(),
        name: Type.String(),
        amount: Money,
        discount: Money,
        tax: Money,
        total: Money,
        free_over_reached: Type.Boolean(),
      }),
    ),
    subtotal: Money,
    discount_total: Money,
    shipping_total: Money,
    tax_total: Money,
    grand_total: Money,
    applied_promotions: Type.Array(
      Type.Object({
        promotion_id: Type.String(),
        code: Nullable(Type.String()),
        name: Type.String(),
        amount: Money,
        free_shipping: Type.Boolean(),
        description: Type.String(),
      }),
    ),
    not_applied_promotions: Type.Array(
      Type.Object({
        code: Nullable(Type.String()),
        name: Nullable(Type.String()),
        reason: Type.String(),
        detail: Type.String(),
      }),
    ),
    issues: Type.Array(
      Type.Object({ line_id: Nullable(Type.String()), reason: Type.String(), detail: Type.String() }),
    ),
    at: IsoTime,
  },
  { title: 'CartPricing' },
);

/** A cart with what it costs in the asking channel. */
export const PricedCartSchema = Type.Object(
  { ...CartFields, pricing: PricingSchema },
  { title: 'PricedCart' },
);
/** The storefront's view, with the secret that opens the cart (X-Cart-Secret). */
export const StoreCartSchema = Type.Object(
  { ...CartFields, pricing: PricingSchema, secret: Type.String({ description: 'Send as X-Cart-Secret' }) },
  { title: 'StoreCart' },
);

export const ResumeLinkSchema = Type.Object(
  {
    id: Type.String(),
    cart_id: Type.String(),
    customer_id: Type.String(),
    url: Type.String(),
    token: Type.String(),
    code: Type.String({ description: '8 Crockford base32 characters, for the POS' }),
    expires_at: IsoTime,
  },
  { title: 'CartResumeLink' },
);

export const TaxRateSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    country: Type.String(),
    region: Nullable(Type.String()),
    category_id: Nullable(Type.String()),
    rate_bp: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'TaxRate' },
);
export const TaxRateBody = {
  name: Text(100),
  country: Country,
  region: Type.Optional(Nullable(Region)),
  category_id: Type.Optional(Nullable(Id)),
  rate_bp: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points: 2100 = 21 %' }),
};

const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });
export const ShippingRateSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    method: Type.Enum(shippingRateMethods),
    countries: Type.Array(Type.String()),
    currency: Type.String(),
    amount: Type.Integer(),
    free_over: Nullable(Type.Integer()),
    tax_inclusive: Type.Boolean(),
    active: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'ShippingRate' },
);
export const ShippingRateBody = {
  name: Text(100),
  method: Type.Enum(shippingRateMethods),
  countries: Type.Array(Country, { minItems: 1, maxItems: 300 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  amount: Amount,
  free_over: Type.Optional(Nullable(Amount)),
  tax_inclusive: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
};
