/**
 * @module Checkout's own write: the cart's conversion (attaching the payments is the payments service's
 * `attachToOrder`).
 */
import type { Trx } from '../../platform/db/transaction';
import { updateOpenCart } from './cart.repository';

/** The cart became an order: it no longer changes. False when it was not open any more (a concurrent checkout). */
export const convertCart = (trx: Trx, cartId: string) =>
  updateOpenCart(trx, cartId, { status: 'converted', updated_at: Date.now() });
