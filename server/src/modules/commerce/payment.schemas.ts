/** @module TypeBox schemas of the payment, gift card and store credit routes. */
import { Type } from 'typebox';
import { Nullable } from '../../platform/http/schemas';
import { paymentStatuses } from './payment.repository';

/** Largest amount accepted (10^12 minor units), as for prices. */
const MAX_AMOUNT = 1_000_000_000_000;

export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO-4217 code (EUR)' });
export const PositiveAmount = Type.Integer({
  minimum: 1,
  maximum: MAX_AMOUNT,
  description: 'Minor units (cents)',
});
export const MoneyInput = Type.Object(
  { amount: PositiveAmount, currency: Currency },
  { additionalProperties: false },
);
export const MoneySchema = Type.Object(
  { amount: Type.Integer(), currency: Type.String() },
  { title: 'Money' },
);
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Reason = Type.String({ minLength: 1, maxLength: 500 });

export const PaymentMethodSchema = Type.Object(
  {
    tendered: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'cash: handed over' }),
    ),
    approval_code: Type.Optional(Type.String({ maxLength: 64, description: 'card_terminal: approval code' })),
    last4: Type.Optional(Type.String({ maxLength: 4, description: 'card_terminal: last 4 digits' })),
    brand: Type.Optional(Type.String({ maxLength: 20, description: 'card_terminal: card brand' })),
    token: Type.Optional(
      Type.String({ maxLength: 64, description: 'test: processor card token (tok_visa)' }),
    ),
    code: Type.Optional(Type.String({ maxLength: 64, description: 'gift_card: the code on the card' })),
    return_url: Type.Optional(
      Type.String({
        pattern: '^https?://',
        maxLength: 2000,
        description: "test: where the processor's approval page sends the shopper back",
      }),
    ),
    note: Type.Optional(
      Type.String({ maxLength: 200, description: 'manual: invoice or transfer reference' }),
    ),
  },
  { additionalProperties: false, description: 'Provider-specific fields; never a card number' },
);

export const PaymentSchema = Type.Object(
  {
    id: Type.String(),
    order_id: Nullable(Type.String()),
    cart_id: Nullable(Type.String()),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    provider: Type.String(),
    amount: MoneySchema,
    status: Type.Enum([...paymentStatuses]),
    amount_authorized: MoneySchema,
    amount_captured: MoneySchema,
    amount_refunded: MoneySchema,
    provider_reference: Nullable(Type.String()),
    details: Type.Record(
      Type.String(),
      Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
    ),
    failure_code: Nullable(Type.String()),
    failure_message: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'Payment' },
);

export const RefundSchema = Type.Object(
  {
    id: Type.String(),
    payment_id: Type.String(),
    amount: MoneySchema,
    status: Type.Enum(['pending', 'succeeded', 'failed']),
    reason: Type.String(),
    provider_reference: Nullable(Type.String()),
    failure_code: Nullable(Type.String()),
    created_at: Type.String(),
  },
  { title: 'Refund' },
);

export const GiftCardSchema = Type.Object(
  {
    id: Type.String(),
    last4: Type.String(),
    initial_amount: MoneySchema,
    balance: MoneySchema,
    status: Type.Enum(['active', 'disabled', 'expired']),
    expires_at: Nullable(Type.String()),
    customer_id: Nullable(Type.String()),
    channel_id: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'GiftCard' },
);

export const GiftCardMovementSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  amount: MoneySchema,
  balance_after: MoneySchema,
  payment_id: Nullable(Type.String()),
  occurred_at: Type.String(),
});

export const StoreCreditMovementSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Enum(['credit', 'debit']),
    amount: MoneySchema,
    balance_after: MoneySchema,
    reason: Type.String(),
    payment_id: Nullable(Type.String()),
    reference: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
    occurred_at: Type.String(),
  },
  { title: 'StoreCreditMovement' },
);
