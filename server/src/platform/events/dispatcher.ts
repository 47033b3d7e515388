/**
 * @module Event dispatcher: delivers every outbox event at least once, in outbox order, to each consumer.
 * Durable consumers keep their offset in `event_consumers` and hold a lease there, so with several server
 * processes exactly one of them feeds a given consumer at a time. Transient consumers (the realtime hub) start
 * from the newest event when the process starts.
 *
 * Each consumer runs its own loop, woken as soon as a transaction that appended events commits (and by a poll for
 * other processes' events): a slow consumer (SLA timers, routing) falls behind on its own instead of holding back
 * the realtime push to agents. Consumers at the same position share one read of the outbox.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database';
import { inTransaction, type DbOrTrx } from '../db/transaction';
import { newId } from '../ids';
import type { DomainEvent } from './envelope';
import { lastEventPosition, readEventsAfter } from './outbox';

export interface EventConsumer {
  name: string;
  /**
   * durable: offset persisted; the handler gets a transaction that also commits the new offset, so a
   * handler that only writes to the database sees each event exactly once.
   * transient: in-memory offset starting at the newest event (best for pushing to live connections).
   */
  mode: 'durable' | 'transient';
  handle(events: DomainEvent[], db: DbOrTrx): Promise<void>;
}

export interface Dispatcher {
  start(): void;
  /** Wakes the loop now (called after a transaction appended events). */
  wake(): void;
  /** Stops after the batch in flight; releases leases. */
  stop(): Promise<void>;
  /** Runs one pass over every consumer until all are caught up (tests and CLI). */
  drain(): Promise<void>;
  /** Events appended but not yet handled by the slowest durable consumer. */
  lag(): Promise<number>;
}

const BATCH = 500;
const LEASE_MS = 30_000;

export function createDispatcher(options: {
  db: Db;
  consumers: EventConsumer[];
  pollMs: number;
  log: FastifyBaseLogger;
}): Dispatcher {
  const { db, consumers, pollMs, log } = options;
  const owner = newId('node');
  const durableNames = consumers.filter((c) => c.mode === 'durable').map((c) => c.name);
  const transientOffsets = new Map<string, number>();
  const failures = new Map<string, { count: number; retryAt: number }>();
  /**
   * Leases this process holds, with the consumer's position: while a lease has more than half its time left
   * nobody else can take it, so the position known here is the stored one and no claim is needed. Each batch's
   * commit renews the lease, so a busy consumer costs one write per batch, not two.
   */
  const held = new Map<string, { position: number; expiresAt: number }>();
  /** One loop per consumer: the batch in flight, whether to go again at once, the next poll. */
  const loops = new Map(
    consumers.map((c) => [
      c.name,
      {
        consumer: c,
        running: false,
        rerun: false,
        timer: null as NodeJS.Timeout | null,
        /** The timer is for now (woken), not for the next poll. */
        soon: false,
        current: Promise.resolve(),
      },
    ]),
  );
  let stopped = true;
  /**
   * Outbox reads in flight by starting position, shared by the consumers woken together at the same position.
   * An entry lives until its read settles and one turn more, and a wake (a new commit) drops them all: a read
   * from before a commit may miss that commit's events. Even a stale read is a correct prefix of the outbox
   * (positions commit in order), so at worst a consumer goes round once more.
   */
  const reads = new Map<number, Promise<DomainEvent[]>>();

  function eventsAfter(position: number): Promise<DomainEvent[]> {
    const shared = reads.get(position);
    if (shared) return shared;
    const events = readEventsAfter(db, position, BATCH);
    reads.set(position, events);
    const forget = () => setImmediate(() => reads.get(position) === events && reads.delete(position));
    events.then(forget, forget);
    return events;
  }

  async function ensureRows(): Promise<void> {
    const now = Date.now();
    for (const c of consumers.filter((c) => c.mode === 'durable')) {
      await db
        .insertInto('event_consumers')
        .values({
          name: c.name,
          position: 0,
          lease_owner: null,
          lease_expires_at: null,
          last_error: null,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
    const last = await lastEventPosition(db);
    for (const c of consumers.filter((c) => c.mode === 'transient')) transientOffsets.set(c.name, last);
  }

  /** Takes or renews the lease; returns the consumer's position, or null when another process holds it. */
  async function claim(name: string): Promise<number | null> {
    const now = Date.now();
    const lease = held.get(name);
    if (lease && lease.expiresAt - now > LEASE_MS / 2) return lease.position;
    held.delete(name);
    const updated = await db
      .updateTable('event_consumers')
      .set({ lease_owner: owner, lease_expires_at: now + LEASE_MS })
      .where('name', '=', name)
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', owner),
          eb('lease_expires_at', '<', now),
        ]),
      )
      .returning('position')
      .executeTakeFirst();
    if (!updated) return null;
    held.set(name, { position: Number(updated.position), expiresAt: now + LEASE_MS });
    return Number(updated.position);
  }

  /** Handles one batch for one consumer; returns true when it may have more. */
  async function step(consumer: EventConsumer): Promise<boolean> {
    const failure = failures.get(consumer.name);
    if (failure && failure.retryAt > Date.now()) return false;
    try {
      if (consumer.mode === 'transient') {
        const from = transientOffsets.get(consumer.name) ?? 0;
        const events = await eventsAfter(from);
        if (events.length === 0) return false;
        transientOffsets.set(consumer.name, events[events.length - 1]!.position);
        await consumer.handle(events, db);
        return events.length === BATCH;
      }
      const position = await claim(consumer.name);
      if (position === null) return false;
      const events = await eventsAfter(position);
      if (events.length === 0) return false;
      const last = events[events.length - 1]!.position;
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await consumer.handle(events, trx);
        const moved = await trx
          .updateTable('event_consumers')
          .set({ position: last, lease_expires_at: now + LEASE_MS, last_error: null, updated_at: now })
          .where('name', '=', consumer.name)
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        // The lease expired and another process took the consumer over: it handles these events, so roll back
        // this batch's work rather than commit it without the offset (which would apply it twice).
        if (Number(moved.numUpdatedRows) === 0)
          throw new Error(`lost the lease on consumer ${consumer.name}`);
      });
      held.set(consumer.name, { position: last, expiresAt: now + LEASE_MS });
      failures.delete(consumer.name);
      return events.length === BATCH;
    } catch (err) {
      held.delete(consumer.name); // claim again: the lease may be lost
      // The offset did not move: the same events come again after a backoff (at-least-once, order kept).
      const count = (failure?.count ?? 0) + 1;
      const delay = Math.min(60_000, 500 * 2 ** count);
      failures.set(consumer.name, { count, retryAt: Date.now() + delay });
      log.error({ err, consumer: consumer.name, retryInMs: delay }, 'event consumer failed');
      await db
        .updateTable('event_consumers')
        .set({ last_error: (err as Error).message.slice(0, 500), updated_at: Date.now() })
        .where('name', '=', consumer.name)
        .execute()
        .catch(() => undefined);
      return false;
    }
  }

  /** Every consumer in turn until all are caught up (drain). */
  async function pass(): Promise<void> {
    let more = true;
    while (more) {
      more = false;
      for (const consumer of consumers) {
        if (await step(consumer)) more = true;
      }
    }
  }

  type Loop = NonNullable<ReturnType<typeof loops.get>>;

  function schedule(loop: Loop, delay: number): void {
    if (stopped) return;
    if (loop.timer) clearTimeout(loop.timer);
    loop.soon = delay === 0;
    loop.timer = setTimeout(() => run(loop), delay);
  }

  /** One consumer's batches until it is caught up; again at once when woken meanwhile, else at the next poll. */
  function run(loop: Loop): void {
    loop.timer = null;
    loop.soon = false;
    if (loop.running) {
      loop.rerun = true;
      return;
    }
    loop.running = true;
    loop.current = (async () => {
      while (!stopped && (await step(loop.consumer)));
    })()
      .catch((err: unknown) => log.error({ err, consumer: loop.consumer.name }, 'dispatcher pass failed'))
      .finally(() => {
        loop.running = false;
        const again = loop.rerun;
        loop.rerun = false;
        schedule(loop, again ? 0 : pollMs);
      });
  }

  const allCurrent = () => Promise.all([...loops.values()].map((l) => l.current));

  const ready = ensureRows();
  // An app built and closed without starting its workers (tests, CLI commands) never awaits `ready`; its failure
  // (the database closed under it) is reported by start() and drain(), not as an unhandled rejection.
  ready.catch(() => undefined);

  return {
    start() {
      stopped = false;
      ready.then(
        () => loops.forEach((loop) => run(loop)),
        (err: unknown) => log.error({ err }, 'dispatcher could not start'),
      );
    },
    wake() {
      reads.clear();
      if (stopped) return;
      for (const loop of loops.values()) {
        if (loop.running) loop.rerun = true;
        // Already due at once: moving the timer again under a stream of wakes could put it off indefinitely.
        else if (!loop.soon) schedule(loop, 0);
      }
    },
    async stop() {
      stopped = true;
      for (const loop of loops.values()) if (loop.timer) clearTimeout(loop.timer);
      await ready.catch(() => undefined);
      await allCurrent();
      held.clear();
      await db
        .updateTable('event_consumers')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('lease_owner', '=', owner)
        .execute()
        .catch(() => undefined);
    },
    async drain() {
      await ready;
      await allCurrent();
      failures.clear();
      await pass();
    },
    async lag() {
      const last = await lastEventPosition(db);
      const slowest = await db
        .selectFrom('event_consumers')
        .select((eb) => eb.fn.min('position').as('min'))
        // A consumer retired from the code keeps its row; it must not make the lag grow forever.
        .where('name', 'in', durableNames.length ? durableNames : [''])
        .executeTakeFirst();
      return slowest?.min == null ? 0 : Math.max(0, last - Number(slowest.min));
    },
  };
}
