/** @module Row types of payments, refunds, inbound provider webhook receipts, gift cards and store credit. */

export interface PaymentRow {
  /** `pay_…` */
  id: string;
  order_id: string | null;
  cart_id: string | null;
  channel_id: string;
  customer_id: string | null;
  provider: string;
  currency: string;
  /** Minor units asked for. */
  amount: number;
  status: string;
  amount_authorized: number;
  amount_captured: number;
  amount_refunded: number;
  provider_reference: string | null;
  /** JSON: card brand and last 4, cash tendered and change, gift card last 4. */
  details: unknown;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentRefundRow {
  /** `refund_…` */
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  /** `pending` | `succeeded` | `failed`. */
  status: string;
  reason: string;
  provider_reference: string | null;
  failure_code: string | null;
  actor_type: string;
  actor_id: string | null;
  created_at: number;
  updated_at: number;
  /** The caller's key (e.g. `return:ret_…`), unique per payment: a retried refund finds the first one. */
  idempotency_key: string | null;
}

export interface PaymentWebhookReceiptRow {
  provider: string;
  webhook_id: string;
  event_type: string;
  payment_id: string | null;
  received_at: number;
}

export interface GiftCardRow {
  /** `gcd_…` */
  id: string;
  code_hash: string;
  last4: string;
  currency: string;
  initial_amount: number;
  balance: number;
  /** `active` | `disabled`. */
  status: string;
  expires_at: number | null;
  customer_id: string | null;
  channel_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface GiftCardMovementRow {
  /** `gcm_…` */
  id: string;
  gift_card_id: string;
  kind: string;
  amount: number;
  balance_after: number;
  payment_id: string | null;
  actor_type: string;
  actor_id: string | null;
  occurred_at: number;
}

export interface StoreCreditAccountRow {
  /** `sca_…` */
  id: string;
  customer_id: string | null;
  currency: string;
  balance: number;
  created_at: number;
  updated_at: number;
}

export interface StoreCreditMovementRow {
  /** `scm_…` */
  id: string;
  account_id: string;
  kind: string;
  amount: number;
  balance_after: number;
  reason: string;
  payment_id: string | null;
  reference_type: string | null;
  reference_id: string | null;
  actor_type: string;
  actor_id: string | null;
  occurred_at: number;
}

export interface PaymentTables {
  payments: PaymentRow;
  payment_refunds: PaymentRefundRow;
  payment_webhook_receipts: PaymentWebhookReceiptRow;
  gift_cards: GiftCardRow;
  gift_card_movements: GiftCardMovementRow;
  store_credit_accounts: StoreCreditAccountRow;
  store_credit_movements: StoreCreditMovementRow;
}
