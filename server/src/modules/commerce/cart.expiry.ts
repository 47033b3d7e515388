/**
 * @module Idle anonymous carts expire: an open cart with no customer that nobody touched for `cartExpiryDays`
 * (default 30) is deleted with its lines by a durable job, and any stock it still holds is released. A customer's
 * cart is kept whatever its age: it follows the customer across channels and is their saved bag (erasure of the
 * customer deletes it). Converted carts (a checkout became an order) and carts merged into a customer's are not
 * anonymous open carts and are left alone.
 *
 * Several processes may run the job together: each batch is claimed by one guarded UPDATE (status `open` →
 * `expired`, only while still anonymous and idle), so a cart touched or claimed meanwhile is not taken, and a
 * writer waiting on the row finds it gone. The claim, the deletes and the `cart.expired` events share one
 * transaction; the reservations are released after it (each release is its own guarded change; one that the
 * reservation expiry job won is fine), so a crash in between leaves holds that expire by their own TTL.
 *
 * The same job also deletes SMS receipt links long expired (receipt.expiry.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import { systemActor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import type { ReservationsService } from '../inventory';
import { releaseAll } from './order.stock';
import { purgeExpiredReceiptLinks } from './receipt.expiry';

/** Carts claimed per transaction: short transactions, so SQLite's single writer is never held long. */
const BATCH = 200;

export function createCartExpiry(deps: {
  db: Db;
  events: EventBus;
  reservations: ReservationsService;
  /** config.cartExpiryDays */
  expiryDays: number;
}) {
  const { db, events, reservations } = deps;

  /**
   * Deletes every anonymous open cart idle since before `now − expiryDays`; returns the carts deleted and the
   * reservations released.
   * @example await expiry.expireIdleCarts() // → { carts: 3, released: 1 }
   */
  async function expireIdleCarts(now = Date.now()): Promise<{ carts: number; released: number }> {
    const cutoff = now - deps.expiryDays * 86_400_000;
    let carts = 0;
    let released = 0;
    for (;;) {
      const candidates = await db
        .selectFrom('commerce_carts')
        .select('id')
        .where('status', '=', 'open')
        .where('customer_id', 'is', null)
        .where('updated_at', '<', cutoff)
        .orderBy('updated_at')
        .limit(BATCH)
        .execute();
      if (candidates.length === 0) break;
      const gone = await inTransaction(db, async (trx) => {
        // The claim: only carts still anonymous, open and idle (a shopper's add or a sign-in meanwhile wins).
        const claimed = await trx
          .updateTable('commerce_carts')
          .set({ status: 'expired' })
          .where(
            'id',
            'in',
            candidates.map((c) => c.id),
          )
          .where('status', '=', 'open')
          .where('customer_id', 'is', null)
          .where('updated_at', '<', cutoff)
          .returning(['id', 'channel_id', 'updated_at'])
          .execute();
        if (claimed.length === 0) return [];
        const ids = claimed.map((c) => c.id);
        await trx.deleteFrom('commerce_cart_lines').where('cart_id', 'in', ids).execute();
        await trx.deleteFrom('commerce_cart_resumes').where('cart_id', 'in', ids).execute();
        await trx.deleteFrom('commerce_carts').where('id', 'in', ids).execute();
        for (const c of claimed)
          await events.append(trx, {
            type: 'cart.expired',
            aggregate: { type: 'cart', id: c.id },
            customerId: null,
            channelId: c.channel_id,
            actor: systemActor,
            data: { id: c.id, idle_since: new Date(Number(c.updated_at)).toISOString() },
          });
        return ids;
      });
      carts += gone.length;
      for (const id of gone) {
        const held = await reservations.listReservations({ reference_id: id, status: 'active', limit: 200 });
        await releaseAll(
          reservations,
          held.data.map((r) => r.id),
          systemActor,
          'cart expired',
        );
        released += held.data.length;
      }
      // Everything claimable in this batch was handled; those not claimed were touched meanwhile.
      if (candidates.length < BATCH) break;
    }
    return { carts, released };
  }

  return {
    expireIdleCarts,
    /** Starts the expiry job (which also deletes long-expired SMS receipt links); returns its stop function. */
    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      return startHousekeeping(
        [async () => void (await expireIdleCarts()), async () => void (await purgeExpiredReceiptLinks(db))],
        everyMs,
        log,
      );
    },
  };
}

export type CartExpiry = ReturnType<typeof createCartExpiry>;
