/**
 * @module Factories for inventory tests: a channel, a location, an allocation, stock — each made through the
 * services as a user would through the API, each call with its own codes and SKUs so tests never share state.
 */
import type { TestContext } from '../../../test/harness';
import type { Actor } from '../../platform/auth/principal';

export const testActor: Actor = { type: 'system', id: null, label: 'test' };

let serial = 0;
/** A fresh suffix for codes and SKUs. */
export const unique = (prefix: string) =>
  `${prefix}${(++serial).toString(36).toUpperCase()}${Date.now().toString(36).slice(-4).toUpperCase()}`;

const allWeek = (intervals: Array<[string, string]>) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
  sat: intervals,
  sun: intervals,
});
export const openEveryDay = (open = '10:00', close = '21:00') => allWeek([[open, close]]);

export async function aChannel(t: TestContext, kind: 'web' | 'store' | 'app' = 'web') {
  return t.omnis.services.channels.createChannel({ kind, name: unique(`${kind} `) }, testActor);
}

export async function aLocation(
  t: TestContext,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; code: string }> {
  return t.omnis.services.locations.createLocation(
    {
      kind: 'store',
      name: unique('Store '),
      code: unique('L'),
      address: { line1: 'Calle Mayor 1', postal_code: '28013', city: 'Madrid', country: 'ES' },
      latitude: 40.4168,
      longitude: -3.7038,
      timezone: 'Europe/Madrid',
      ...overrides,
    } as Parameters<TestContext['omnis']['services']['locations']['createLocation']>[0],
    testActor,
  );
}

export async function allocate(
  t: TestContext,
  channelId: string,
  locations: Array<{ location_id: string; priority?: number; holdback?: number }>,
) {
  return t.omnis.services.allocations.updateAllocation(
    channelId,
    { locations: locations.map((l, i) => ({ priority: i + 1, ...l })) },
    testActor,
  );
}

export async function receive(
  t: TestContext,
  lines: Array<{ sku: string; location_id: string; quantity: number }>,
) {
  return t.omnis.services.stock.receiveStock({ lines, reason: 'test stock' }, testActor);
}

/** Reads a level straight from the table (what a test checks against the ledger). */
export async function levelOf(t: TestContext, sku: string, locationId: string) {
  return t.omnis.database.db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .executeTakeFirstOrThrow();
}

/** For every level: on hand, reserved and incoming as the ledger sums them, next to the stored figures. */
export async function ledgerVersusLevels(t: TestContext) {
  const { db } = t.omnis.database;
  const levels = await db.selectFrom('stock_levels').selectAll().execute();
  const sums = await db
    .selectFrom('stock_movements')
    .select((eb) => [
      'sku',
      'location_id',
      eb.fn.sum<number>('on_hand_delta').as('on_hand'),
      eb.fn.sum<number>('reserved_delta').as('reserved'),
      eb.fn.sum<number>('incoming_delta').as('incoming'),
    ])
    .groupBy(['sku', 'location_id'])
    .execute();
  const byKey = new Map(sums.map((s) => [`${s.location_id}/${s.sku}`, s]));
  return levels.map((l) => {
    const s = byKey.get(`${l.location_id}/${l.sku}`);
    return {
      level: `${l.location_id}/${l.sku}`,
      stored: [Number(l.on_hand), Number(l.reserved), Number(l.incoming)],
      ledger: [Number(s?.on_hand ?? 0), Number(s?.reserved ?? 0), Number(s?.incoming ?? 0)],
    };
  });
}
