/** @module TypeBox schemas of the return and return-policy routes: inputs in minor units, read models with Money. */
import { Type } from 'typebox';
import { IsoTime, Nullable, NullableIsoTime, strictObject } from '../../platform/http/schemas';
import { AddressSchema } from './cart.schemas';
import { orderedDeliveryModes } from './order.repository';
import { Id, MoneySchema, PaymentMethodSchema, PositiveAmount } from './payment.schemas';
import {
  inspectionOutcomes,
  refundMethods,
  returnMethods,
  returnReasons,
  returnStatuses,
} from './return.repository';

const Note = Type.String({ minLength: 1, maxLength: 1000 });

export const ReturnLineInput = strictObject({
  order_line_id: Id,
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  reason: Type.Enum(returnReasons),
  note: Type.Optional(Note),
});

export const CreateReturnBody = strictObject({
  order_id: Id,
  method: Type.Enum(returnMethods, { description: 'in_store: brought to a location; mail: sent back (RMA)' }),
  lines: Type.Array(ReturnLineInput, { minItems: 1, maxItems: 200 }),
  note: Type.Optional(Note),
  override: Type.Optional(
    strictObject(
      { reason: Type.String({ minLength: 3, maxLength: 500 }) },
      { description: 'Take the return although the policy refuses it (audited)' },
    ),
  ),
});

export const StoreReturnBody = strictObject({
  order_id: Id,
  lines: Type.Array(ReturnLineInput, { minItems: 1, maxItems: 200 }),
  note: Type.Optional(Note),
});

export const InspectBody = strictObject({
  lines: Type.Array(strictObject({ return_line_id: Id, outcome: Type.Enum(inspectionOutcomes) }), {
    minItems: 1,
    maxItems: 200,
  }),
});

export const RefundBody = strictObject({
  method: Type.Enum(refundMethods),
  allocations: Type.Optional(
    Type.Array(strictObject({ payment_id: Id, amount: PositiveAmount }), { minItems: 1, maxItems: 20 }),
  ),
});

const ExchangeLines = Type.Array(
  strictObject({
    return_line_id: Id,
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    unit_price: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Optional: the unit price the till showed (minor units); refused when priceCart gives another now',
      }),
    ),
    delivery: strictObject({ mode: Type.Enum(orderedDeliveryModes), location_id: Id }),
  }),
  { minItems: 1, maxItems: 50 },
);

/** The exchange without its tenders: what `/v1/returns/:id/exchange/preview` prices. */
/** Where lines with delivery mode `ship` go; default: the original order's shipping address. */
const ExchangeShippingAddress = Type.Optional(AddressSchema);

export const ExchangePreviewBody = strictObject({
  lines: ExchangeLines,
  shipping_address: ExchangeShippingAddress,
});

export const ExchangeBody = strictObject({
  lines: ExchangeLines,
  shipping_address: ExchangeShippingAddress,
  tenders: Type.Optional(
    Type.Array(
      strictObject({
        provider: Type.String({ minLength: 1, maxLength: 32 }),
        amount: PositiveAmount,
        method: Type.Optional(PaymentMethodSchema),
      }),
      { maxItems: 5 },
    ),
  ),
});

export const ExchangePreviewSchema = Type.Object(
  {
    return_id: Type.String(),
    channel_id: Type.String({ description: 'Where the replacement is priced and placed' }),
    lines: Type.Array(
      Type.Object({
        return_line_id: Type.String(),
        returned_sku: Type.String(),
        returned_value: MoneySchema,
        sku: Type.String(),
        quantity: Type.Integer(),
        unit_price: MoneySchema,
        discount: MoneySchema,
        tax: MoneySchema,
        total: MoneySchema,
        delivery: Type.Object({ mode: Type.Enum(orderedDeliveryModes), location_id: Type.String() }),
      }),
    ),
    returned_value: MoneySchema,
    replacement_total: MoneySchema,
    covered_by_return: MoneySchema,
    /** What the customer adds; the exchange's tenders must add up to it. */
    to_pay: MoneySchema,
    /** What stays on the return, refunded by /refund. */
    to_refund: MoneySchema,
  },
  { title: 'ExchangePreview' },
);

export const ReturnSchema = Type.Object(
  {
    id: Type.String(),
    order_id: Type.String(),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    method: Type.Enum(returnMethods),
    status: Type.Enum(returnStatuses),
    location_id: Nullable(Type.String()),
    refund_total: MoneySchema,
    refunded: MoneySchema,
    refund_method: Nullable(Type.Enum(refundMethods)),
    note: Nullable(Type.String()),
    override: Nullable(Type.Object({ reason: Type.String(), actor_id: Nullable(Type.String()) })),
    exchange_order_id: Nullable(Type.String()),
    order_display_number: Type.Optional(
      Type.String({ description: 'On list rows: the order’s number (#1042), as the customer knows it' }),
    ),
    requested_at: IsoTime,
    received_at: NullableIsoTime,
    inspected_at: NullableIsoTime,
    refunded_at: NullableIsoTime,
    completed_at: NullableIsoTime,
    created_at: IsoTime,
    updated_at: IsoTime,
    lines: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          order_line_id: Type.String(),
          sku: Type.String(),
          quantity: Type.Integer(),
          reason: Type.Enum(returnReasons),
          note: Nullable(Type.String()),
          outcome: Nullable(Type.Enum(inspectionOutcomes)),
          amount: MoneySchema,
          exchanged: Type.Boolean(),
          inspected_at: NullableIsoTime,
        }),
      ),
    ),
  },
  { title: 'Return' },
);

export const PolicyBody = strictObject({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  channel_id: Type.Optional(Nullable(Id)),
  category_id: Type.Optional(Nullable(Id)),
  tag: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  window_days: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
  final_sale: Type.Optional(Type.Boolean()),
});

export const PolicySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    channel_id: Nullable(Type.String()),
    category_id: Nullable(Type.String()),
    tag: Nullable(Type.String()),
    window_days: Nullable(Type.Integer()),
    final_sale: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'ReturnPolicy' },
);
