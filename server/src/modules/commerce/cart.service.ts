/**
 * @module Carts that follow the customer: started in any channel by a customer or an anonymous visitor, changed
 * from any channel (each write records the channel that touched it), pulled up by staff for a customer. Every
 * write checks its whole input first and then changes the cart and appends its event in one transaction.
 * Claiming and merging are cart.merge.ts; what a cart costs is pricing.ts.
 */
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import {
  addLineUnits,
  deleteLineRow,
  findCartRow,
  findOpenCartOf,
  insertCart,
  isDuplicateOpenCart,
  linesOf,
  listCartRows,
  loadCart,
  updateLineRow,
  updateOpenCart,
  type Cart,
  type CartAddress,
  type CartStatus,
  type LineDeliveryMode,
  type ShippingMethod,
} from './cart.repository';
import {
  createCartChecks,
  invalid,
  type CartChecksDeps,
  type CheckedLine,
  type LineInput,
} from './cart.checks';
import type { CartRow } from './cart.table';

/** Who is writing, and through which channel: the channel is recorded as the cart's last touch. */
export interface CartContext {
  channelId: string;
  actor: Actor;
}

export interface CreateCartInput {
  customer_id?: string | null | undefined;
  anonymous_id?: string | null | undefined;
  email?: string | null | undefined;
  shipping_address?: CartAddress | null | undefined;
  shipping_method?: ShippingMethod | undefined;
  promotion_codes?: string[] | undefined;
  lines?: LineInput[] | undefined;
}

export interface CartPatch {
  email?: string | null | undefined;
  shipping_address?: CartAddress | null | undefined;
  shipping_method?: ShippingMethod | undefined;
  promotion_codes?: string[] | undefined;
}

export interface LinePatch {
  quantity?: number | undefined;
  delivery_mode?: LineDeliveryMode | undefined;
  location_id?: string | null | undefined;
}

export interface CartDeps extends CartChecksDeps {
  db: Db;
  events: EventBus;
}

/** Codes compare case-insensitively, as the promotions service stores them. */
const normalizeCodes = (codes: string[]) => [...new Set(codes.map((c) => c.trim().toUpperCase()))];

export function createCartsService(deps: CartDeps) {
  const { db, events } = deps;
  const checks = createCartChecks(deps);

  /** The cart's own row in a transaction, open, or the reason it cannot change. */
  async function openRow(trx: Trx, id: string) {
    const row = await findCartRow(trx, id);
    if (!row) throw notFound('cart', id);
    if (row.status !== 'open')
      throw new AppError('conflict', `The cart is ${row.status}; it no longer changes.`, {
        status_now: row.status,
        merged_into: row.merged_into,
      });
    return row;
  }

  /** Records the channel of this write as the last touch (and among the channels that touched the cart). */
  function touch(row: Pick<CartRow, 'channel_ids'>, channelId: string, now: number) {
    const seen = decodeJson<string[]>(row.channel_ids);
    return {
      last_channel_id: channelId,
      channel_ids: encodeJson(seen.includes(channelId) ? seen : [...seen, channelId]),
      updated_at: now,
    };
  }

  async function appendEvent(
    trx: Trx,
    type: 'cart.created' | 'cart.updated',
    cartId: string,
    customerId: string | null,
    ctx: CartContext,
    data: Record<string, unknown>,
  ) {
    await events.append(trx, {
      type,
      aggregate: { type: 'cart', id: cartId },
      customerId,
      channelId: ctx.channelId,
      actor: ctx.actor,
      data: { id: cartId, ...data },
    });
  }

  async function insertLines(trx: Trx, cartId: string, lines: CheckedLine[], now: number) {
    for (const l of lines)
      await addLineUnits(trx, { id: newId('cli'), cart_id: cartId, ...l, created_at: now, updated_at: now });
  }

  const lineSummary = (lines: CheckedLine[]) =>
    lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity }));

  async function retrieveCart(id: string): Promise<Cart> {
    const cart = await loadCart(db, id);
    if (!cart) throw notFound('cart', id);
    return cart;
  }

  /**
   * Adds lines to an open cart (more of a variant already there adds to its line), through a channel.
   * @example await carts.addLines('crt_…', [{ sku: 'TEE-M', quantity: 2 }], { channelId: 'cha_web', actor })
   */
  async function addLines(
    id: string,
    lines: LineInput[],
    ctx: CartContext,
    prefix = 'body.lines',
  ): Promise<Cart> {
    const errors: FieldError[] = [];
    const checked = await checks.lines(lines, ctx.channelId, (i, f) => `${prefix}.${i}.${f}`, errors);
    if (errors.length) throw invalid(errors);
    await inTransaction(db, async (trx) => {
      const row = await openRow(trx, id);
      const now = Date.now();
      await insertLines(trx, id, checked, now);
      await updateOpenCart(trx, id, touch(row, ctx.channelId, now));
      await appendEvent(trx, 'cart.updated', id, row.customer_id, ctx, {
        change: 'lines_added',
        lines: lineSummary(checked),
      });
    });
    return retrieveCart(id);
  }

  return {
    retrieveCart,
    addLines,

    /** Carts newest first; staff pull up a customer's open cart with `customer_id` and `status: open`. */
    async listCarts(
      filter: PageRequest & {
        customer_id?: string | undefined;
        status?: CartStatus | undefined;
        channel_id?: string | undefined;
      },
    ): Promise<Page<Cart>> {
      return listCartRows(db, filter);
    },

    /** The customer's open cart (following a merged-away id to its survivor), or null. */
    async openCartOf(customerId: string): Promise<Cart | null> {
      const errors: FieldError[] = [];
      const survivor = await checks.customer(customerId, 'customer_id', errors);
      if (!survivor) return null;
      const row = await findOpenCartOf(db, survivor);
      return row ? retrieveCart(row.id) : null;
    },

    /**
     * Starts a cart in the context's channel, in that channel's currency. For a customer who already has an open
     * cart, that cart is continued instead (the lines are added to it): `created` says which.
     * @example await carts.createCart({ customer_id: 'cus_…', lines: [{ sku: 'TEE-M', quantity: 1 }] }, { channelId, actor })
     */
    async createCart(input: CreateCartInput, ctx: CartContext): Promise<{ cart: Cart; created: boolean }> {
      const errors: FieldError[] = [];
      const currency = await checks.channelCurrency(ctx.channelId, 'body.channel_id', errors);
      const customerId = input.customer_id
        ? await checks.customer(input.customer_id, 'body.customer_id', errors)
        : null;
      const lines = await checks.lines(
        input.lines ?? [],
        ctx.channelId,
        (i, f) => `body.lines.${i}.${f}`,
        errors,
      );
      if (errors.length) throw invalid(errors);
      for (let attempt = 0; ; attempt++) {
        try {
          const done = await inTransaction(db, async (trx) => {
            const existing = customerId ? await findOpenCartOf(trx, customerId) : undefined;
            const now = Date.now();
            if (existing) {
              await insertLines(trx, existing.id, lines, now);
              await updateOpenCart(trx, existing.id, touch(existing, ctx.channelId, now));
              await appendEvent(trx, 'cart.updated', existing.id, customerId, ctx, {
                change: 'lines_added',
                lines: lineSummary(lines),
              });
              return { id: existing.id, created: false };
            }
            const id = newId('crt');
            await insertCart(trx, {
              id,
              status: 'open',
              currency: currency!,
              channel_id: ctx.channelId,
              last_channel_id: ctx.channelId,
              channel_ids: encodeJson([ctx.channelId]),
              customer_id: customerId,
              anonymous_id: input.anonymous_id ?? null,
              email: input.email ?? null,
              shipping_address: encodeJson(input.shipping_address ?? null),
              shipping_method: input.shipping_method ?? 'standard',
              promotion_codes: encodeJson(normalizeCodes(input.promotion_codes ?? [])),
              merged_into: null,
              created_at: now,
              updated_at: now,
            });
            await insertLines(trx, id, lines, now);
            await appendEvent(trx, 'cart.created', id, customerId, ctx, {
              channel_id: ctx.channelId,
              anonymous: customerId === null,
              lines: lineSummary(lines),
            });
            return { id, created: true };
          });
          return { cart: await retrieveCart(done.id), created: done.created };
        } catch (err) {
          // Another request opened this customer's cart first: continue that one.
          if (attempt === 0 && isDuplicateOpenCart(err)) continue;
          throw err;
        }
      }
    },

    /** Changes the cart's email, shipping address or method, or promotion codes (the list given replaces it). */
    async updateCart(id: string, patch: CartPatch, ctx: CartContext): Promise<Cart> {
      const errors: FieldError[] = [];
      await checks.channelCurrency(ctx.channelId, 'channel_id', errors);
      if (errors.length) throw invalid(errors);
      await inTransaction(db, async (trx) => {
        const row = await openRow(trx, id);
        const now = Date.now();
        await updateOpenCart(trx, id, {
          ...(patch.email !== undefined ? { email: patch.email } : {}),
          ...(patch.shipping_address !== undefined
            ? { shipping_address: encodeJson(patch.shipping_address) }
            : {}),
          ...(patch.shipping_method !== undefined ? { shipping_method: patch.shipping_method } : {}),
          ...(patch.promotion_codes !== undefined
            ? { promotion_codes: encodeJson(normalizeCodes(patch.promotion_codes)) }
            : {}),
          ...touch(row, ctx.channelId, now),
        });
        // Ids and field names only: the address and email stay out of the event log.
        await appendEvent(trx, 'cart.updated', id, row.customer_id, ctx, {
          change: 'details',
          fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined),
        });
      });
      return retrieveCart(id);
    },

    /** Changes a line's quantity or delivery choice. */
    async updateLine(id: string, lineId: string, patch: LinePatch, ctx: CartContext): Promise<Cart> {
      const errors: FieldError[] = [];
      if (patch.location_id) await checks.location(patch.location_id, 'body.location_id', errors);
      if (errors.length) throw invalid(errors);
      await inTransaction(db, async (trx) => {
        const row = await openRow(trx, id);
        const line = (await linesOf(trx, id)).find((l) => l.id === lineId);
        if (!line) throw notFound('cart line', lineId);
        const mode = patch.delivery_mode ?? line.delivery_mode;
        const location = patch.location_id !== undefined ? patch.location_id : line.location_id;
        if (mode === 'pickup' && !location)
          throw invalid([{ field: 'body.location_id', message: 'is required for pickup' }]);
        const now = Date.now();
        await updateLineRow(trx, id, lineId, {
          ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}),
          delivery_mode: mode,
          location_id: location,
          updated_at: now,
        });
        await updateOpenCart(trx, id, touch(row, ctx.channelId, now));
        await appendEvent(trx, 'cart.updated', id, row.customer_id, ctx, {
          change: 'line_changed',
          line_id: lineId,
          variant_id: line.variant_id,
          ...patch,
        });
      });
      return retrieveCart(id);
    },

    async removeLine(id: string, lineId: string, ctx: CartContext): Promise<Cart> {
      await inTransaction(db, async (trx) => {
        const row = await openRow(trx, id);
        if (!(await deleteLineRow(trx, id, lineId))) throw notFound('cart line', lineId);
        await updateOpenCart(trx, id, touch(row, ctx.channelId, Date.now()));
        await appendEvent(trx, 'cart.updated', id, row.customer_id, ctx, {
          change: 'line_removed',
          line_id: lineId,
        });
      });
      return retrieveCart(id);
    },

    /** Records that a channel opened the cart (a resume link or code): its last touch, no other change. */
    async touchCart(trx: Trx, id: string, channelId: string): Promise<void> {
      const row = await findCartRow(trx, id);
      if (row?.status === 'open') await updateOpenCart(trx, id, touch(row, channelId, Date.now()));
    },

    touchFields: touch,
  };
}

export type CartsService = ReturnType<typeof createCartsService>;
