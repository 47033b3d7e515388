/** @module TypeBox schemas of the order and fulfilment routes: inputs in minor units, read models with Money. */
import { Type } from 'typebox';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { fulfilmentStatuses } from './fulfilment.repository';
import {
  capturePolicies,
  lineDeliveryModes,
  orderedDeliveryModes,
  orderSources,
  orderStatuses,
} from './order.repository';

const MoneySchema = Type.Object({ amount: Type.Integer(), currency: Type.String() }, { title: 'Money' });
const Amount = Type.Integer({ minimum: 0, description: 'Minor units of the order currency' });
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$', maxLength: 64 });
export const AddressSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  description: 'name, line1, line2, postal_code, city, region, country, phone…',
});

export const OrderLineInput = strictObject({
  sku: Sku,
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  unit_price: Amount,
  discount: Type.Optional(Amount),
  tax: Type.Optional(Amount),
  total: Type.Optional(Amount),
  delivery: strictObject({ mode: Type.Enum(orderedDeliveryModes), location_id: Id }),
  reservation_ids: Type.Optional(Type.Array(Id, { maxItems: 8 })),
});

export const CreateOrderBody = strictObject({
  channel_id: Id,
  customer_id: Type.Optional(Nullable(Id)),
  source: Type.Optional(Type.Enum(['phone', 'chat', 'pos', 'checkout'] as const)),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 200 }),
  shipping: Type.Optional(Amount),
  capture_policy: Type.Optional(Type.Enum(capturePolicies)),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
  shipping_address: Type.Optional(AddressSchema),
  billing_address: Type.Optional(AddressSchema),
});

const LineSchema = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  variant_id: Nullable(Type.String()),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  unit_price: MoneySchema,
  discount: MoneySchema,
  tax: MoneySchema,
  total: MoneySchema,
  delivery: Type.Object({ mode: Type.Enum(lineDeliveryModes), location_id: Type.String() }),
  reservation_ids: Type.Array(Type.String()),
  fulfilment_id: Nullable(Type.String()),
});

export const FulfilmentSchema = Type.Object(
  {
    id: Type.String(),
    order_id: Type.String(),
    location_id: Type.String(),
    mode: Type.Enum(lineDeliveryModes),
    status: Type.Enum(fulfilmentStatuses),
    source_location_id: Nullable(
      Type.String({ description: 'Pickup after transfer: the location the units come from' }),
    ),
    transfer_id: Nullable(Type.String({ description: 'Pickup after transfer: the transfer bringing them' })),
    carrier: Nullable(Type.String()),
    tracking_number: Nullable(Type.String()),
    tracking_url: Nullable(Type.String()),
    pickup_attempts: Type.Integer(),
    hold_until: Nullable(IsoTime),
    picked_at: Nullable(IsoTime),
    packed_at: Nullable(IsoTime),
    shipped_at: Nullable(IsoTime),
    ready_at: Nullable(IsoTime),
    collected_at: Nullable(IsoTime),
    out_for_delivery_at: Nullable(IsoTime),
    delivered_at: Nullable(IsoTime),
    expired_at: Nullable(IsoTime),
    cancelled_at: Nullable(IsoTime),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Fulfilment' },
);

const orderFields = {
  id: Type.String(),
  number: Type.Integer(),
  display_number: Type.String(),
  channel_id: Type.String(),
  customer_id: Nullable(Type.String()),
  source: Type.Enum(orderSources),
  status: Type.Enum(orderStatuses),
  currency: Type.String(),
  totals: Type.Object({
    subtotal: MoneySchema,
    discount: MoneySchema,
    shipping: MoneySchema,
    tax: MoneySchema,
    total: MoneySchema,
  }),
  capture_policy: Type.Enum(capturePolicies),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  shipping_address: Nullable(AddressSchema),
  billing_address: Nullable(AddressSchema),
  external_id: Nullable(Type.String()),
  placed_at: IsoTime,
  paid_at: Nullable(IsoTime),
  cancelled_at: Nullable(IsoTime),
  completed_at: Nullable(IsoTime),
  created_at: IsoTime,
  updated_at: IsoTime,
};

export const OrderSummarySchema = Type.Object(orderFields, { title: 'OrderSummary' });

export const OrderSchema = Type.Object(
  {
    ...orderFields,
    lines: Type.Array(LineSchema),
    fulfilments: Type.Array(FulfilmentSchema),
    payments: Type.Object({
      authorized: MoneySchema,
      captured: MoneySchema,
      refunded: MoneySchema,
      balance_due: MoneySchema,
    }),
    edits: Type.Array(
      Type.Object({
        id: Type.String(),
        previous_total: MoneySchema,
        new_total: MoneySchema,
        balance_due: MoneySchema,
        created_at: IsoTime,
      }),
    ),
  },
  { title: 'Order' },
);

/** Where a line is collected or shipped from, named for the shopper (the pickup store's name and address). */
const StoreLocation = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    address: Type.Object({
      line1: Type.String(),
      line2: Type.Optional(Type.String()),
      postal_code: Type.String(),
      city: Type.String(),
      region: Type.Optional(Type.String()),
      country: Type.String(),
    }),
  },
  { title: 'StoreLocation' },
);

/** The order as its customer sees it on the status page: no internal reservation ids. */
export const StoreOrderSchema = Type.Object(
  {
    id: Type.String(),
    display_number: Type.String(),
    status: Type.Enum(orderStatuses),
    totals: orderFields.totals,
    placed_at: IsoTime,
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        title: Type.String(),
        quantity: Type.Integer(),
        total: MoneySchema,
        delivery: Type.Object({
          mode: Type.Enum(lineDeliveryModes),
          location_id: Type.String(),
          location: Nullable(StoreLocation),
        }),
      }),
    ),
    fulfilments: Type.Array(
      Type.Object({
        id: Type.String(),
        mode: Type.Enum(lineDeliveryModes),
        status: Type.Enum(fulfilmentStatuses),
        location_id: Type.String(),
        location: Nullable(StoreLocation),
        carrier: Nullable(Type.String()),
        tracking_number: Nullable(Type.String()),
        tracking_url: Nullable(Type.String()),
        hold_until: Nullable(IsoTime),
      }),
    ),
  },
  { title: 'StoreOrder' },
);

/** `GET /v1/orders/stats`: every local day of the range, zeros included. */
export const OrderStatsSchema = Type.Object(
  {
    tz: Type.String(),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    days: Type.Array(
      Type.Object({
        date: Type.String({ format: 'date' }),
        orders: Type.Integer(),
        revenue: Type.Array(MoneySchema, { description: 'Sum of order totals, one entry per currency' }),
        channels: Type.Array(Type.Object({ channel_id: Type.String(), orders: Type.Integer() })),
      }),
    ),
    totals: Type.Object({ orders: Type.Integer(), revenue: Type.Array(MoneySchema) }),
  },
  { title: 'OrderStats' },
);
