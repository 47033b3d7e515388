/**
 * @module What every orders screen shares: status colours, "my store" remembered on this device, order numbers
 * as the API accepts them, and the customer of an order named as the customers area names them.
 */
import { useEffect, useState } from 'react';
import type { FulfilmentStatus, OrderStatus, PaymentStatus } from '../../api/orders';

export const ORDER_STATUS_COLOURS: Record<OrderStatus, string> = {
  pending_payment: 'orange',
  paid: 'blue',
  fulfilling: 'indigo',
  partially_fulfilled: 'violet',
  completed: 'teal',
  cancelled: 'gray',
};

export const FULFILMENT_STATUS_COLOURS: Record<FulfilmentStatus, string> = {
  in_transit: 'cyan',
  pending: 'orange',
  picked: 'blue',
  packed: 'indigo',
  shipped: 'teal',
  ready_for_pickup: 'grape',
  collected: 'teal',
  out_for_delivery: 'cyan',
  delivered: 'teal',
  handed_over: 'teal',
  held: 'grape',
  expired: 'red',
  cancelled: 'gray',
};

export const PAYMENT_STATUS_COLOURS: Record<PaymentStatus, string> = {
  pending: 'gray',
  requires_action: 'orange',
  authorized: 'blue',
  captured: 'teal',
  partially_refunded: 'violet',
  refunded: 'grape',
  voided: 'gray',
  failed: 'red',
};

/** The order number the list filter accepts: up to 12 digits, with or without the leading "#". */
export const ORDER_NUMBER_PATTERN = /^#?[0-9]{1,12}$/;

const MY_STORE_KEY = 'omnis.orders.location';

/**
 * The location this device works for (a store's desk, a warehouse's packing bench): one choice remembered in
 * localStorage, since staff accounts carry no location and one device stays at one place.
 */
export function useMyLocation(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(() => {
    try {
      return localStorage.getItem(MY_STORE_KEY);
    } catch {
      return null;
    }
  });
  useEffect(() => {
    try {
      if (id) localStorage.setItem(MY_STORE_KEY, id);
      else localStorage.removeItem(MY_STORE_KEY);
    } catch {
      // Storage unavailable: the choice lasts for this page only.
    }
  }, [id]);
  return [id, setId];
}

/** "2 h 05 min", "3 d": how long something has waited, coarse enough for a queue. */
export function waited(sinceIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d`;
}
