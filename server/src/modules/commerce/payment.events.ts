/** @module Event types of payments, gift cards and store credit, and their tables that hold no customer data. */
import type { EventTypeDefinition } from '../../platform/events/envelope';

const read = 'orders:read' as const;

export const paymentEventTypes: EventTypeDefinition[] = [
  {
    type: 'payment.authorized',
    description: 'A payment was authorized (not captured yet)',
    permission: read,
  },
  {
    type: 'payment.captured',
    description: 'Money was taken: a payment was captured (in full or in part)',
    permission: read,
  },
  {
    type: 'payment.action_required',
    description: 'A card payment waits for the customer to authenticate (3-D Secure); a webhook settles it',
    permission: read,
  },
  {
    type: 'payment.refunded',
    description: 'Part or all of a captured payment was refunded (data.refund_id, data.refund_amount)',
    permission: read,
  },
  { type: 'payment.voided', description: 'An uncaptured authorization was released', permission: read },
  {
    type: 'payment.failed',
    description: 'A payment was declined or failed (data.failure_code says why)',
    permission: read,
  },
  { type: 'gift_card.issued', description: 'A gift card was issued', permission: read },
  {
    type: 'gift_card.disabled',
    description: 'A gift card was disabled and can no longer be spent',
    permission: read,
  },
  {
    type: 'store_credit.credited',
    description: 'Store credit was added to a customer’s balance',
    permission: read,
  },
  {
    type: 'store_credit.debited',
    description: 'Store credit was spent or taken off a balance',
    permission: read,
  },
];

export const paymentNoCustomerData = {
  payment_webhook_receipts:
    'ids of inbound provider webhooks already applied, and the payment id they concerned',
  gift_card_movements: 'the gift card ledger: amounts, payment ids and staff or system actors',
};
