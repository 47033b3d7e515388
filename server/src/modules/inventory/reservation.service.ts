/**
 * @module Reservations: units of a SKU held at a location for a cart or an order, for a TTL. Reserving is one
 * guarded UPDATE (enough units beyond reserved, safety stock and the channel's holdback), so concurrent carts can
 * never oversell; concurrent reservations of the same level are coalesced into one transaction (reservation.batch).
 * A line without a location is sourced. The same key on a line returns the same reservation. Confirm (order
 * placed), release (cart emptied, order cancelled), fulfil (the goods leave: a sale) and expiry (a job) follow.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Selectable } from 'kysely';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import type { Point } from './geo';
import type { DeliveryMode } from './promise';
import { coalesce } from './reservation.batch';
import {
  findReservationRow,
  findReservationRowsByKeys,
  listReservationRows,
  reservationFromRow,
  reserveUnits,
  type Reservation,
  type ReservationStatus,
} from './reservation.repository';
import { diagnoseRefusal, insufficient } from './reservation.refusal';
import { sourceLines } from './reservation.sourced';
import { recordReservations, replayKey, type Claim } from './reservation.write';
import { endReservation, expireDue } from './reservation.transitions';
import type { SourcingService } from './sourcing.service';
import type { StockLevelRow } from './stock.table';

export interface ReserveLine {
  sku: string;
  quantity: number;
  /** Omitted: sourcing chooses (and may split the line over locations). */
  location_id?: string | undefined;
  /** Per cart line: the same key returns the same reservation instead of reserving again. */
  key?: string | undefined;
}

export interface ReserveInput {
  channel_id: string;
  reference: { type: string; id: string };
  lines: ReserveLine[];
  /** Default: the configured reservation TTL. */
  ttl_seconds?: number | undefined;
  /** For lines without a location: how the order will be delivered (default ship) and where. */
  delivery_mode?: DeliveryMode | undefined;
  near?: Point | undefined;
}

export interface ReserveResult {
  reservations: Reservation[];
  /** True when every line was already reserved under its key (nothing new was reserved). */
  replayed: boolean;
}

/** A piece a line may be split into when sourcing chooses; the first piece keeps the key as is. */
const pieceKey = (key: string, piece: number) => (piece === 0 ? key : `${key}/${piece + 1}`);
const MAX_PIECES = 8;

/** Thrown inside a reserving transaction to roll it back when a guarded update found too little. */
class Refused extends Error {
  constructor(
    readonly claim: Claim,
    readonly field: string,
    readonly sourced: boolean,
  ) {
    super('refused');
  }
}

export function createReservationsService(deps: {
  db: Db;
  events: EventBus;
  sourcing: SourcingService;
  channelExists: (id: string) => Promise<boolean>;
  /** Default TTL of a reservation. */
  ttlMs: number;
  /** Most claims of one level per transaction (1: no coalescing). */
  batchMax?: number | undefined;
}) {
  const { db, events } = deps;

  /** Reserves a batch of claims on one level in one transaction; each claim gets its reservation or error. */
  async function reserveBatch(claims: Claim[]): Promise<Array<ReserveResult | Error>> {
    const results: Array<ReserveResult | Error | undefined> = new Array(claims.length);
    const { channelId, sku, locationId } = claims[0]!;
    const refusedAll: number[] = [];
    await inTransaction(db, async (trx) => {
      const keys = claims.flatMap((c) => (c.key ? [c.key] : []));
      const existing = new Map(
        (await findReservationRowsByKeys(trx, channelId, keys)).map((r) => [r.key!, r]),
      );
      const firstWithKey = new Map<string, number>();
      const pending: number[] = [];
      claims.forEach((c, i) => {
        const line = { sku: c.sku, quantity: c.quantity, location_id: c.locationId };
        const found = c.key ? existing.get(c.key) : undefined;
        if (found) {
          try {
            results[i] = { reservations: replayKey(line, [found], 'body.lines.0'), replayed: true };
          } catch (err) {
            results[i] = err as Error;
          }
        } else if (c.key && firstWithKey.has(c.key)) {
          return; // settled below, from the first claim with the key
        } else {
          if (c.key) firstWithKey.set(c.key, i);
          pending.push(i);
        }
      });
      const granted: number[] = [];
      const refused: number[] = [];
      let after: Selectable<StockLevelRow> | undefined;
      if (pending.length > 0) {
        const total = pending.reduce((n, i) => n + claims[i]!.quantity, 0);
        after = await reserveUnits(trx, {
          sku,
          location_id: locationId,
          channel_id: channelId,
          quantity: total,
        });
        if (after) granted.push(...pending);
        else {
          // Not enough for all: each claim on its own guarded update, in arrival order, until stock runs out.
          for (const i of pending) {
            const one = await reserveUnits(trx, {
              sku,
              location_id: locationId,
              channel_id: channelId,
              quantity: claims[i]!.quantity,
            });
            if (one) {
              after = one;
              granted.push(i);
            } else refused.push(i);
          }
        }
      }
      if (granted.length > 0) {
        const reservations = await recordReservations(
          trx,
          events,
          granted.map((i) => claims[i]!),
          after!,
        );
        granted.forEach((i, n) => (results[i] = { reservations: [reservations[n]!], replayed: false }));
      }
      refusedAll.push(...refused);
    });
    if (refusedAll.length > 0) {
      // Told after the commit: the diagnosis asks the channels service, which must not wait for this transaction
      // (on SQLite it would wait for ever: there is one connection).
      // Past the commit nothing may throw: the coalescer would retry the batch and reserve its units twice.
      const diagnosis = await diagnoseRefusal(db, claims[refusedAll[0]!]!, deps.channelExists).catch(
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
      for (const i of refusedAll)
        results[i] =
          diagnosis instanceof Error
            ? diagnosis
            : insufficient(claims[i]!, diagnosis.available, 'body.lines.0');
    }
    // Later claims with a key already in this batch answer like the first one (a replay when it was granted).
    claims.forEach((c, i) => {
      if (results[i] !== undefined) return;
      const first = results[firstIndex(claims, c.key!)]!;
      if (first instanceof Error) results[i] = first;
      else {
        const r = first.reservations[0]!;
        results[i] =
          r.sku === c.sku && r.quantity === c.quantity
            ? { reservations: first.reservations, replayed: true }
            : new AppError('conflict', 'This key was used for another reservation.', {
                errors: [
                  { field: 'body.lines.0.key', message: 'was already used for a different SKU or quantity' },
                ],
              });
      }
    });
    return results as Array<ReserveResult | Error>;
  }

  const firstIndex = (claims: Claim[], key: string) => claims.findIndex((c) => c.key === key);

  /**
   * A batch that failed as a whole (a key taken meanwhile by another process, a deadlock) is retried claim by
   * claim on the general path, which retries lost races and then finds the winner's reservation.
   */
  const reserveOne = coalesce<Claim, ReserveResult>(
    async (claims) => {
      try {
        return await reserveBatch(claims);
      } catch {
        const out: Array<ReserveResult | Error> = [];
        for (const c of claims) {
          try {
            out.push(
              await reserveLines(
                {
                  channel_id: c.channelId,
                  reference: c.reference,
                  lines: [
                    { sku: c.sku, quantity: c.quantity, location_id: c.locationId, key: c.key ?? undefined },
                  ],
                },
                c.expiresAt,
                c.actor,
              ),
            );
          } catch (err) {
            out.push(err as Error);
          }
        }
        return out;
      }
    },
    (c) => `${c.channelId}\u0000${c.locationId}\u0000${c.sku}`,
    deps.batchMax ?? 256,
  );

  /** The general path: several lines, sourced lines, all or nothing in one transaction. */
  async function reserveLines(input: ReserveInput, expiresAt: number, actor: Actor): Promise<ReserveResult> {
    for (let attempt = 1; ; attempt++) {
      const sourced = input.lines.some((l) => !l.location_id)
        ? await sourceLines(deps.sourcing, input)
        : new Map<number, Array<{ location_id: string; quantity: number }>>();
      try {
        return await inTransactionWithRetry(db, async (trx) => {
          const keys = input.lines.flatMap((l) =>
            l.key ? Array.from({ length: MAX_PIECES }, (_, p) => pieceKey(l.key!, p)) : [],
          );
          const existing = await findReservationRowsByKeys(trx, input.channel_id, keys);
          const reservations: Reservation[] = [];
          const claims: Array<{ claim: Claim; field: string; sourced: boolean }> = [];
          input.lines.forEach((line, i) => {
            const field = `body.lines.${i}`;
            const found = line.key
              ? existing.filter((r) => r.key === line.key || r.key!.startsWith(`${line.key}/`))
              : [];
            if (found.length > 0) {
              reservations.push(...replayKey(line, found, field));
              return;
            }
            const pieces = line.location_id
              ? [{ location_id: line.location_id, quantity: line.quantity }]
              : sourced.get(i)!;
            pieces.forEach((p, n) =>
              claims.push({
                field,
                sourced: !line.location_id,
                claim: {
                  channelId: input.channel_id,
                  sku: line.sku,
                  locationId: p.location_id,
                  quantity: p.quantity,
                  key: line.key ? pieceKey(line.key, n) : null,
                  reference: input.reference,
                  expiresAt,
                  actor,
                },
              }),
            );
          });
          // Levels in one global order, so two multi-line reservations never wait on each other in a cycle.
          claims.sort((a, b) =>
            a.claim.locationId === b.claim.locationId
              ? a.claim.sku < b.claim.sku
                ? -1
                : 1
              : a.claim.locationId < b.claim.locationId
                ? -1
                : 1,
          );
          for (const { claim, field, sourced: wasSourced } of claims) {
            const after = await reserveUnits(trx, {
              sku: claim.sku,
              location_id: claim.locationId,
              channel_id: claim.channelId,
              quantity: claim.quantity,
            });
            if (!after) throw new Refused(claim, field, wasSourced);
            reservations.push(...(await recordReservations(trx, events, [claim], after)));
          }
          return { reservations, replayed: claims.length === 0 };
        });
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        // Sourced stock taken by someone else since the plan: plan again on what is left.
        if (err.sourced && attempt < 3) continue;
        const diagnosis = await diagnoseRefusal(db, err.claim, deps.channelExists);
        throw diagnosis instanceof AppError
          ? diagnosis
          : insufficient(err.claim, diagnosis.available, err.field);
      }
    }
  }

  return {
    /**
     * Reserves every line or none. One line at a named location takes the coalesced fast path.
     * @example await reservations.reserve({ channel_id: 'cha_web', reference: { type: 'cart', id: 'cart_1' },
     *   lines: [{ sku: 'TEE-M', quantity: 1, location_id: 'loc_…', key: 'cart_1:line_1' }] }, actor)
     */
    async reserve(input: ReserveInput, actor: Actor): Promise<ReserveResult> {
      const errors: FieldError[] = [];
      const keys = new Set<string>();
      input.lines.forEach((l, i) => {
        if (!l.key) return;
        if (keys.has(l.key))
          errors.push({ field: `body.lines.${i}.key`, message: 'is used by another line' });
        keys.add(l.key);
      });
      if (
        input.near === undefined &&
        input.delivery_mode === 'same_day' &&
        input.lines.some((l) => !l.location_id)
      )
        errors.push({ field: 'body.near', message: 'is required to source same-day lines' });
      if (errors.length > 0)
        throw new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
          errors,
        });
      const expiresAt =
        Date.now() + (input.ttl_seconds !== undefined ? input.ttl_seconds * 1000 : deps.ttlMs);
      const only = input.lines.length === 1 ? input.lines[0]! : undefined;
      // Coalescing off (batchMax 1): every reservation is its own transaction, racing the others on the row lock.
      if (only?.location_id && (deps.batchMax ?? 256) > 1)
        return reserveOne({
          channelId: input.channel_id,
          sku: only.sku,
          locationId: only.location_id,
          quantity: only.quantity,
          key: only.key ?? null,
          reference: input.reference,
          expiresAt,
          actor,
        });
      return reserveLines(input, expiresAt, actor);
    },

    async retrieveReservation(id: string): Promise<Reservation> {
      const row = await findReservationRow(db, id);
      if (!row) throw notFound('reservation', id);
      return reservationFromRow(row);
    },

    async listReservations(
      filter: PageRequest & {
        reference_id?: string | undefined;
        sku?: string | undefined;
        location_id?: string | undefined;
        channel_id?: string | undefined;
        status?: ReservationStatus | undefined;
      },
    ): Promise<Page<Reservation>> {
      return listReservationRows(db, filter);
    },

    /**
     * The order was placed: the reservation no longer expires. Given `trx`, it confirms inside the caller's
     * transaction (checkout: with the order it belongs to). @example await reservations.confirm('res_…', actor)
     */
    confirm: (id: string, actor: Actor, trx?: Trx) => endReservation(trx ?? db, events, id, 'confirm', actor),
    /** The cart was emptied or the order cancelled: the units are free again. */
    release: (id: string, actor: Actor, reason?: string) =>
      endReservation(db, events, id, 'release', actor, reason),
    /** The goods left the location: on hand and reserved both fall (a `sale` movement). */
    fulfil: (id: string, actor: Actor) => endReservation(db, events, id, 'fulfil', actor),

    /** Expires every active reservation past its TTL (the job's task; safe to run in several processes). */
    expireDue: (now = Date.now()) => expireDue(db, events, now),

    /** Starts the expiry job; returns its stop function. */
    startJobs(log: FastifyBaseLogger, everyMs: number): () => void {
      return startHousekeeping([async () => void (await expireDue(db, events, Date.now()))], everyMs, log);
    },
  };
}

export type ReservationsService = ReturnType<typeof createReservationsService>;
