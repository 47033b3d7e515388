/** @module The domain events of carts, tax rates and shipping rates (registered in index.ts). */
import type { EventTypeDefinition } from '../../platform/events/envelope';

const read = 'orders:read' as const;

export const cartEventTypes: EventTypeDefinition[] = [
  {
    type: 'cart.created',
    description: 'A cart was started in a channel (by a customer or an anonymous visitor)',
    permission: read,
  },
  {
    type: 'cart.updated',
    description: 'A cart changed: lines added, changed or removed, or its details (data.change says which)',
    permission: read,
  },
  {
    type: 'cart.claimed',
    description: 'An anonymous cart became a customer’s when they identified',
    permission: read,
  },
  {
    type: 'cart.merged',
    description: 'A claimed cart was merged into the customer’s open cart (data.into)',
    permission: read,
  },
  {
    type: 'cart.expired',
    description:
      'An anonymous cart untouched for cartExpiryDays was deleted; stock it still held was released',
    permission: read,
  },
  {
    type: 'cart.resume_link_created',
    description: 'A resume link and code were made for a customer’s cart',
    permission: read,
  },
  { type: 'tax_rate.created', description: 'A tax rate was added', permission: read },
  { type: 'tax_rate.updated', description: 'A tax rate changed', permission: read },
  { type: 'tax_rate.deleted', description: 'A tax rate was deleted', permission: read },
  { type: 'shipping_rate.created', description: 'A shipping rate was added', permission: read },
  { type: 'shipping_rate.updated', description: 'A shipping rate changed', permission: read },
  { type: 'shipping_rate.deleted', description: 'A shipping rate was deleted', permission: read },
];
