/** @module The domain events of checkout and POS sales (registered in index.ts). */
import type { EventTypeDefinition } from '../../platform/events/envelope';

export const checkoutEventTypes: EventTypeDefinition[] = [
  {
    type: 'checkout.completed',
    description:
      'A cart (or a POS sale) became an order: data.order_id, data.cart_id (null for a sale rung up at the till), the payments and the total',
    permission: 'orders:read',
  },
];
