/** @module The event types of orders and fulfilments; each carries the order's customer_id (their timeline). */
import type { EventTypeDefinition } from '../../platform/events/envelope';

const read = 'orders:read' as const;

export const orderEventTypes: EventTypeDefinition[] = [
  { type: 'order.placed', description: 'An order was placed (any channel: data.source)', permission: read },
  { type: 'order.paid', description: 'Payments cover the order total', permission: read },
  {
    type: 'order.cancelled',
    description: 'An order was cancelled (data.reason); its stock was released',
    permission: read,
  },
  {
    type: 'order.edited',
    description:
      'The lines of an order changed before fulfilment; data.balance_due is the payment difference',
    permission: read,
  },
  {
    type: 'fulfilment.created',
    description: 'Lines of an order to leave one location by one mode',
    permission: read,
  },
  {
    type: 'fulfilment.in_transit',
    description:
      'A pickup at a store that lacks the units: they travel from data.source_location_id by data.transfer_id',
    permission: read,
  },
  {
    type: 'fulfilment.transfer_received',
    description: "The store received a pickup's transfer: its units are held there, it can be made ready",
    permission: read,
  },
  { type: 'fulfilment.picked', description: 'A fulfilment was picked from the shelves', permission: read },
  { type: 'fulfilment.packed', description: 'A fulfilment was packed', permission: read },
  {
    type: 'fulfilment.shipped',
    description: 'A fulfilment left with the carrier (data.tracking_number)',
    permission: read,
  },
  {
    type: 'fulfilment.ready_for_pickup',
    description: 'A click-and-collect order waits at the store until data.hold_until',
    permission: read,
  },
  {
    type: 'fulfilment.collected',
    description: 'The customer collected a pickup with its code',
    permission: read,
  },
  {
    type: 'fulfilment.pickup_expired',
    description: 'A pickup was not collected in time; its units are back on sale',
    permission: read,
  },
  {
    type: 'fulfilment.out_for_delivery',
    description: 'A same-day delivery left the store',
    permission: read,
  },
  { type: 'fulfilment.delivered', description: 'A same-day delivery reached the customer', permission: read },
  { type: 'fulfilment.handed_over', description: 'A POS sale was handed over at the till', permission: read },
];
