/**
 * @module Resume links: a way back into a customer's cart from any channel. A link carries a token signed with
 * the server's HMAC key (cart, customer, expiry: forged or altered tokens fail before any lookup) and comes with
 * a short code (8 Crockford base32 characters) that an associate types or scans at the POS. Both expire; both
 * name one customer: a token opened with another customer's X-Customer-Token is refused. The database keeps the
 * link (so it can be listed and erased) and only the sha256 of its code.
 */
import type { Actor } from '../../platform/auth/principal';
import { hashToken } from '../../platform/auth/secrets';
import type { Db } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import { inTransaction } from '../../platform/db/transaction';
import { AppError, notFound } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import { findCartRow } from './cart.repository';
import type { CartsService } from './cart.service';
import { newResumeCode, normalizeResumeCode, type CartSigner } from './resume.keys';

/** How long a resume link works unless asked otherwise: long enough for a customer to walk into a store. */
export const RESUME_TTL_MS = 72 * 3_600_000; // 72 hours
/** Where the storefront opens a resume link (console/src/pages/shop). */
export const RESUME_PATH = '/shop/cart';

export interface ResumeLink {
  id: string;
  cart_id: string;
  customer_id: string;
  /** Shown once: put it in the message. */
  url: string;
  token: string;
  /** Shown once: for the associate to type or scan. */
  code: string;
  expires_at: string;
}

const refused = (field: string, message: string, reason: 'invalid' | 'expired') =>
  new AppError(reason === 'invalid' ? 'validation_failed' : 'unprocessable', `${field} ${message}`, {
    reason,
    errors: [{ field, message }],
  });

export function createResumeService(deps: {
  db: Db;
  events: EventBus;
  signer: CartSigner;
  carts: CartsService;
  publicUrl: () => string;
}) {
  const { db, signer, carts } = deps;

  /** Opens the cart for a channel: records the touch, returns the cart. */
  async function open(cartId: string, channelId: string) {
    await inTransaction(db, (trx) => carts.touchCart(trx, cartId, channelId));
    return carts.retrieveCart(cartId);
  }

  async function liveLink(id: string, field: string) {
    const row = await db
      .selectFrom('commerce_cart_resumes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw refused(field, 'is not a valid resume link (revoked or unknown)', 'invalid');
    if (Number(row.expires_at) <= Date.now())
      throw refused(field, `expired at ${new Date(Number(row.expires_at)).toISOString()}`, 'expired');
    return row;
  }

  return {
    /**
     * Makes a resume link and code for a customer's open cart.
     * @example const { url, code } = await resume.createResumeLink('crt_…', { ttl_minutes: 60 }, actor)
     */
    async createResumeLink(
      cartId: string,
      input: { ttl_minutes?: number | undefined },
      actor: Actor,
    ): Promise<ResumeLink> {
      const cart = await findCartRow(db, cartId);
      if (!cart) throw notFound('cart', cartId);
      if (cart.status !== 'open')
        throw new AppError('conflict', `The cart is ${cart.status}.`, { merged_into: cart.merged_into });
      if (!cart.customer_id)
        throw new AppError(
          'unprocessable',
          'A resume link is for one customer: claim the cart for a customer first.',
          {
            errors: [{ field: 'cart.customer_id', message: 'is not set' }],
          },
        );
      const now = Date.now();
      const expires = now + (input.ttl_minutes ? input.ttl_minutes * 60_000 : RESUME_TTL_MS);
      const id = newId('crs');
      // 40 random bits: a clash with a live code is rare, and the unique index turns it into another draw.
      for (let attempt = 0; ; attempt++) {
        const code = newResumeCode();
        try {
          await inTransaction(db, async (trx) => {
            await trx
              .insertInto('commerce_cart_resumes')
              .values({
                id,
                cart_id: cartId,
                customer_id: cart.customer_id!,
                code_hash: hashToken(code),
                expires_at: expires,
                created_at: now,
              })
              .execute();
            await deps.events.append(trx, {
              type: 'cart.resume_link_created',
              aggregate: { type: 'cart', id: cartId },
              customerId: cart.customer_id,
              actor,
              data: { id: cartId, resume_link_id: id, expires_at: new Date(expires).toISOString() },
            });
          });
          const token = await signer.signResume({ r: id, c: cartId, u: cart.customer_id!, e: expires });
          const path = `${RESUME_PATH}?resume=${encodeURIComponent(token)}`;
          return {
            id,
            cart_id: cartId,
            customer_id: cart.customer_id!,
            url: `${deps.publicUrl().replace(/\/$/, '')}${path}`,
            token,
            code,
            expires_at: new Date(expires).toISOString(),
          };
        } catch (err) {
          if (attempt < 3 && isUniqueViolation(err)) continue;
          throw err;
        }
      }
    },

    /**
     * Opens the cart of a resume token for the caller's channel. `customerId` is the caller's proven customer
     * (X-Customer-Token), when there is one: a link for another customer is refused.
     */
    async openByToken(token: string, channelId: string, customerId: string | null, field = 'body.token') {
      const payload = await signer.verifyResume(token);
      if (!payload) throw refused(field, 'is not a valid resume link (forged or damaged)', 'invalid');
      if (payload.e <= Date.now())
        throw refused(field, `expired at ${new Date(payload.e).toISOString()}`, 'expired');
      const link = await liveLink(payload.r, field);
      if (customerId !== null && customerId !== link.customer_id)
        throw new AppError('forbidden', 'This resume link is for another customer.');
      return {
        cart: await open(link.cart_id, channelId),
        cart_id: link.cart_id,
        customer_id: link.customer_id,
      };
    },

    /** Opens the cart of a code typed or scanned by staff, for their channel. */
    async openByCode(code: string, channelId: string, field = 'body.code') {
      const canonical = normalizeResumeCode(code);
      if (!canonical)
        throw refused(field, 'is not a resume code (8 characters, letters and digits)', 'invalid');
      const row = await db
        .selectFrom('commerce_cart_resumes')
        .select('id')
        .where('code_hash', '=', hashToken(canonical))
        .executeTakeFirst();
      if (!row) throw refused(field, 'is not a known resume code', 'invalid');
      const link = await liveLink(row.id, field);
      return {
        cart: await open(link.cart_id, channelId),
        cart_id: link.cart_id,
        customer_id: link.customer_id,
      };
    },
  };
}

export type ResumeService = ReturnType<typeof createResumeService>;
