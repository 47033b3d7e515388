/**
 * @module Shipping rates by method (standard, express, same_day; pickup is always free) and zone (a list of
 * countries), in one currency each, optionally free from a goods subtotal up. The rate a cart pays for a method
 * is the cheapest active one whose zone holds the delivery country, in the cart's currency.
 */
import type { Selectable } from 'kysely';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { decodeBool, decodeJson, encodeBool, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { notFound } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { ShippingRateRow } from './tax.table';

export const shippingRateMethods = ['standard', 'express', 'same_day'] as const;
export type ShippingRateMethod = (typeof shippingRateMethods)[number];

export interface ShippingRate {
  id: string;
  name: string;
  method: ShippingRateMethod;
  countries: string[];
  currency: string;
  amount: number;
  free_over: number | null;
  tax_inclusive: boolean;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface ShippingRateInput {
  name: string;
  method: ShippingRateMethod;
  countries: string[];
  currency: string;
  amount: number;
  free_over?: number | null | undefined;
  tax_inclusive?: boolean | undefined;
  active?: boolean | undefined;
}

const fromRow = (r: Selectable<ShippingRateRow>): ShippingRate => ({
  id: r.id,
  name: r.name,
  method: r.method as ShippingRateMethod,
  countries: decodeJson<string[]>(r.countries),
  currency: r.currency,
  amount: Number(r.amount),
  free_over: r.free_over == null ? null : Number(r.free_over),
  tax_inclusive: decodeBool(r.tax_inclusive),
  active: decodeBool(r.active),
  created_at: toIsoRequired(Number(r.created_at)),
  updated_at: toIsoRequired(Number(r.updated_at)),
});

export function createShippingService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;
  const find = (id: string) =>
    db.selectFrom('commerce_shipping_rates').selectAll().where('id', '=', id).executeTakeFirst();

  async function event(trx: Trx, type: string, rate: ShippingRate, actor: Actor) {
    await events.append(trx, {
      type,
      aggregate: { type: 'shipping_rate', id: rate.id },
      actor,
      data: {
        id: rate.id,
        method: rate.method,
        countries: rate.countries,
        amount: { amount: rate.amount, currency: rate.currency },
      },
    });
  }

  return {
    async listShippingRates(
      filter: PageRequest & { method?: ShippingRateMethod | undefined },
    ): Promise<Page<ShippingRate>> {
      let q = db.selectFrom('commerce_shipping_rates').selectAll();
      if (filter.method) q = q.where('method', '=', filter.method);
      return paginate(q, 'id', filter, fromRow);
    },

    async retrieveShippingRate(id: string): Promise<ShippingRate> {
      const row = await find(id);
      if (!row) throw notFound('shipping rate', id);
      return fromRow(row);
    },

    /** @example await shipping.createShippingRate({ name: 'Envío estándar', method: 'standard', countries: ['ES'], currency: 'EUR', amount: 495, free_over: 5000 }, actor) */
    async createShippingRate(input: ShippingRateInput, actor: Actor): Promise<ShippingRate> {
      const now = Date.now();
      const row = {
        id: newId('shr'),
        name: input.name,
        method: input.method,
        countries: encodeJson([...new Set(input.countries)]),
        currency: input.currency,
        amount: input.amount,
        free_over: input.free_over ?? null,
        tax_inclusive: encodeBool(input.tax_inclusive ?? true),
        active: encodeBool(input.active ?? true),
        created_at: now,
        updated_at: now,
      };
      const rate = fromRow(row);
      await inTransaction(db, async (trx) => {
        await trx.insertInto('commerce_shipping_rates').values(row).execute();
        await event(trx, 'shipping_rate.created', rate, actor);
      });
      return rate;
    },

    async updateShippingRate(
      id: string,
      patch: Partial<ShippingRateInput>,
      actor: Actor,
    ): Promise<ShippingRate> {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('commerce_shipping_rates')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) throw notFound('shipping rate', id);
        const set = {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.method !== undefined ? { method: patch.method } : {}),
          ...(patch.countries !== undefined ? { countries: encodeJson([...new Set(patch.countries)]) } : {}),
          ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
          ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
          ...(patch.free_over !== undefined ? { free_over: patch.free_over } : {}),
          ...(patch.tax_inclusive !== undefined ? { tax_inclusive: encodeBool(patch.tax_inclusive) } : {}),
          ...(patch.active !== undefined ? { active: encodeBool(patch.active) } : {}),
          updated_at: Date.now(),
        };
        await trx.updateTable('commerce_shipping_rates').set(set).where('id', '=', id).execute();
        const rate = fromRow({ ...row, ...set });
        await event(trx, 'shipping_rate.updated', rate, actor);
        return rate;
      });
    },

    async deleteShippingRate(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('commerce_shipping_rates')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) throw notFound('shipping rate', id);
        await trx.deleteFrom('commerce_shipping_rates').where('id', '=', id).execute();
        await event(trx, 'shipping_rate.deleted', fromRow(row), actor);
      });
    },

    /** The cheapest active rate of a method for a country in a currency, or null when none serves it. */
    async rateFor(
      method: ShippingRateMethod,
      country: string,
      currency: string,
    ): Promise<ShippingRate | null> {
      const rows = await db
        .selectFrom('commerce_shipping_rates')
        .selectAll()
        .where('method', '=', method)
        .where('currency', '=', currency)
        .where('active', '=', encodeBool(true))
        .orderBy('amount')
        .orderBy('id')
        .execute();
      return rows.map(fromRow).find((r) => r.countries.includes(country)) ?? null;
    },
  };
}

export type ShippingService = ReturnType<typeof createShippingService>;
