/**
 * @module Claiming: when a visitor identifies, their anonymous cart becomes their customer's. When the customer
 * already has an open cart, the anonymous cart is merged into it: the same variant's quantities add up, codes
 * are joined, an empty email or address is filled, and the merged-away cart is marked `merged` (pointing at the
 * survivor) — all in one transaction, guarded so two claims racing end with one merge.
 */
import type { Db } from '../../platform/db/database';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import { ConcurrentChangeError } from '../../platform/db/errors';
import { inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import {
  addLineUnits,
  findCartRow,
  findOpenCartOf,
  linesOf,
  updateOpenCart,
  type Cart,
} from './cart.repository';
import { invalid, type CartChecks } from './cart.checks';
import type { CartContext, CartsService } from './cart.service';
import type { IdentityService } from '../customers';

export interface ClaimResult {
  cart: Cart;
  /** The cart merged into `cart`, or null when the claimed cart itself became the customer's. */
  merged_from: string | null;
}

export function createCartClaims(deps: {
  db: Db;
  events: EventBus;
  carts: CartsService;
  checks: CartChecks;
  identity: Pick<IdentityService, 'resolve'>;
}) {
  const { db, events, carts } = deps;

  async function claimIn(
    trx: Trx,
    cartId: string,
    customerId: string,
    ctx: CartContext,
  ): Promise<ClaimResult['merged_from'] | 'same'> {
    const row = await findCartRow(trx, cartId);
    if (!row) throw notFound('cart', cartId);
    if (row.customer_id === customerId && row.status === 'open') return 'same';
    if (row.status !== 'open')
      throw new AppError('conflict', `The cart is ${row.status}; it cannot be claimed.`, {
        merged_into: row.merged_into,
      });
    if (row.customer_id !== null)
      throw new AppError('conflict', 'The cart belongs to another customer.', {
        errors: [{ field: 'cart_id', message: 'belongs to another customer' }],
      });
    const now = Date.now();
    const base = {
      aggregate: { type: 'cart', id: cartId },
      customerId,
      channelId: ctx.channelId,
      actor: ctx.actor,
    };
    const target = await findOpenCartOf(trx, customerId);
    if (!target) {
      // The unique index on open carts per customer refuses a concurrent second claim: the retry then merges.
      const claimed = await trx
        .updateTable('commerce_carts')
        .set({ customer_id: customerId, ...carts.touchFields(row, ctx.channelId, now) })
        .where('id', '=', cartId)
        .where('status', '=', 'open')
        .where('customer_id', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) throw new ConcurrentChangeError();
      await events.append(trx, {
        ...base,
        type: 'cart.claimed',
        data: { id: cartId, customer_id: customerId, merged_into: null },
      });
      return null;
    }
    // Guarded: only an open, unclaimed cart is merged, so a concurrent claim of the same cart cannot merge it twice.
    const merged = await trx
      .updateTable('commerce_carts')
      .set({ status: 'merged', merged_into: target.id, customer_id: customerId, updated_at: now })
      .where('id', '=', cartId)
      .where('status', '=', 'open')
      .where('customer_id', 'is', null)
      .executeTakeFirst();
    if (Number(merged.numUpdatedRows) === 0) throw new ConcurrentChangeError();
    const lines = await linesOf(trx, cartId);
    for (const l of lines)
      await addLineUnits(trx, {
        id: newId('cli'),
        cart_id: target.id,
        variant_id: l.variant_id,
        sku: l.sku,
        quantity: Number(l.quantity),
        delivery_mode: l.delivery_mode,
        location_id: l.location_id,
        created_at: now,
        updated_at: now,
      });
    const codes = [
      ...new Set([
        ...decodeJson<string[]>(target.promotion_codes),
        ...decodeJson<string[]>(row.promotion_codes),
      ]),
    ];
    await updateOpenCart(trx, target.id, {
      promotion_codes: encodeJson(codes),
      email: target.email ?? row.email,
      shipping_address: encodeJson(
        decodeJson(target.shipping_address) ?? decodeJson(row.shipping_address) ?? null,
      ),
      ...carts.touchFields(target, ctx.channelId, now),
    });
    await events.append(trx, {
      ...base,
      type: 'cart.claimed',
      data: { id: cartId, customer_id: customerId, merged_into: target.id },
    });
    await events.append(trx, {
      ...base,
      type: 'cart.merged',
      data: {
        id: cartId,
        into: target.id,
        customer_id: customerId,
        lines: lines.map((l) => ({ variant_id: l.variant_id, quantity: Number(l.quantity) })),
      },
    });
    return cartId;
  }

  return {
    /**
     * Gives an anonymous cart to a customer; when they already have an open cart, merges it into that one and
     * returns the survivor. Claiming one's own cart again changes nothing.
     * @example const { cart, merged_from } = await claims.claimCart('crt_anon', 'cus_…', { channelId, actor })
     */
    async claimCart(cartId: string, customerId: string, ctx: CartContext): Promise<ClaimResult> {
      const errors: FieldError[] = [];
      const survivor = await deps.checks.customer(customerId, 'customer_id', errors);
      if (!survivor) throw invalid(errors);
      const outcome = await inTransactionWithRetry(db, (trx) => claimIn(trx, cartId, survivor, ctx));
      if (outcome === 'same' || outcome === null)
        return { cart: await carts.retrieveCart(cartId), merged_from: null };
      const open = await carts.openCartOf(survivor);
      return { cart: open ?? (await carts.retrieveCart(cartId)), merged_from: outcome };
    },

    /** Staff identify the shopper by identifiers (email, phone, loyalty card): found, created or merged by identity. */
    async customerFor(
      identifiers: Array<{ type: string; value: string }>,
      ctx: CartContext,
    ): Promise<string> {
      const r = await deps.identity.resolve({
        identifiers,
        channelId: ctx.channelId,
        actor: ctx.actor,
        reason: 'cart claim',
      });
      return r.customerId;
    },
  };
}

export type CartClaims = ReturnType<typeof createCartClaims>;
