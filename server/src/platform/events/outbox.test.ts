/**
 * @module The outbox and its dispatcher: an event exists exactly when its change committed, and every durable
 * consumer gets every event at least once, in outbox order, resuming where it stopped — even after a failure,
 * a restart, or many writers at once.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { createChannelsService } from '../../modules/channels';
import { recordAudit } from '../audit/audit';
import { systemActor } from '../auth/principal';
import { decodeJson } from '../db/codecs';
import { inTransaction } from '../db/transaction';
import { newId } from '../ids';
import { createDispatcher, type EventConsumer } from './dispatcher';
import type { DomainEvent } from './envelope';
import type { EventBus } from './outbox';

/** A durable consumer that remembers every batch it committed (and every batch it was handed). */
function recordingConsumer(name: string, options: { failOn?: (event: DomainEvent) => boolean } = {}) {
  const handed: DomainEvent[][] = [];
  const committed: DomainEvent[][] = [];
  const consumer: EventConsumer = {
    name,
    mode: 'durable',
    async handle(events) {
      handed.push(events);
      if (options.failOn && events.some(options.failOn)) throw new Error('downstream is unavailable');
      committed.push(events);
    },
  };
  return { consumer, handed, committed, seen: () => committed.flat() };
}

function dispatcherFor(t: TestContext, consumer: EventConsumer) {
  return createDispatcher({
    db: t.omnis.database.db,
    consumers: [consumer],
    pollMs: 50,
    log: t.omnis.app.log,
  });
}

const consumerName = () => `test-${newId('c').toLowerCase()}`;

const channelInput = (name: string) => ({ kind: 'web' as const, name });

describeEachDialect('outbox and dispatcher', (t) => {
  const db = () => t().omnis.database.db;

  const outboxIds = async () =>
    (await db().selectFrom('outbox_events').select('id').orderBy('position', 'asc').execute()).map(
      (r) => r.id,
    );

  const consumerRow = (name: string) =>
    db().selectFrom('event_consumers').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

  const positionsOf = (events: DomainEvent[]) => events.map((e) => Number(e.position));

  const expectStrictlyIncreasing = (positions: number[]) => {
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
  };

  it('writes a change and its event together, or neither when the transaction fails', async () => {
    const { events } = t().omnis.services;
    let wakes = 0;
    events.onAppended(() => (wakes += 1));

    const write = (id: string, fail: boolean) =>
      inTransaction(db(), async (trx) => {
        const now = Date.now();
        await trx
          .insertInto('channels')
          .values({
            id,
            kind: 'web',
            name: 'Pop-up shop',
            active: 1,
            config: '{}',
            secrets: '{}',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await events.append(trx, {
          type: 'channel.created',
          aggregate: { type: 'channel', id },
          channelId: id,
          actor: systemActor,
          data: { id },
        });
        if (fail) throw new Error('the next step of the request failed');
      });

    const failed = newId('cha');
    await expect(write(failed, true)).rejects.toThrow('the next step of the request failed');
    expect(
      await db().selectFrom('channels').select('id').where('id', '=', failed).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await db()
        .selectFrom('outbox_events')
        .select('id')
        .where('aggregate_id', '=', failed)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(wakes).toBe(0); // nothing to dispatch, so the dispatcher is not woken

    const kept = newId('cha');
    await write(kept, false);
    expect(
      await db().selectFrom('channels').select('id').where('id', '=', kept).executeTakeFirst(),
    ).toBeDefined();
    const event = await db()
      .selectFrom('outbox_events')
      .select(['type', 'channel_id'])
      .where('aggregate_id', '=', kept)
      .executeTakeFirst();
    expect(event).toEqual({ type: 'channel.created', channel_id: kept });
    expect(wakes).toBe(1);
  });

  it('does not register a channel whose event cannot be written', async () => {
    const brokenOutbox: EventBus = {
      append: () => Promise.reject(new Error('outbox unavailable')),
      onAppended: () => undefined,
    };
    const channels = createChannelsService({ db: db(), events: brokenOutbox });
    await expect(channels.createChannel(channelInput('Half-written shop'), systemActor)).rejects.toThrow(
      'outbox unavailable',
    );
    expect(
      await db().selectFrom('channels').select('id').where('name', '=', 'Half-written shop').execute(),
    ).toEqual([]);
  });

  it('refuses to append an event outside a transaction', async () => {
    const { events } = t().omnis.services;
    const notATransaction = db() as unknown as Parameters<typeof events.append>[0];
    await expect(
      events.append(notATransaction, {
        type: 'channel.created',
        aggregate: { type: 'channel', id: 'cha_x' },
        actor: systemActor,
        data: {},
      }),
    ).rejects.toThrow('inside a transaction');
  });

  it('delivers every event in outbox order and resumes after a restart without redelivering', async () => {
    const { channels } = t().omnis.services;
    const name = consumerName();
    for (const n of ['North', 'South', 'East'])
      await channels.createChannel(channelInput(`Store ${n}`), systemActor);

    const first = recordingConsumer(name);
    const before = dispatcherFor(t(), first.consumer);
    await before.drain();
    await before.stop(); // a process shutting down hands its lease back

    const seen = first.seen();
    expect(seen.map((e) => e.id)).toEqual(await outboxIds());
    expect(
      seen.filter((e) => e.type === 'channel.created').map((e) => (e.data as { name: string }).name),
    ).toEqual(expect.arrayContaining(['Store North', 'Store South', 'Store East']));
    expectStrictlyIncreasing(positionsOf(seen));
    expect(Number((await consumerRow(name)).position)).toBe(seen[seen.length - 1]!.position);

    const west = await channels.createChannel(channelInput('Store West'), systemActor);
    const second = recordingConsumer(name);
    const after = dispatcherFor(t(), second.consumer);
    await after.drain();
    await after.stop();

    expect(second.seen().map((e) => e.aggregate.id)).toEqual([west.id]);
    expect(second.seen()[0]!.position).toBeGreaterThan(seen[seen.length - 1]!.position);
  });

  it('retries a failed batch from the same position, skipping nothing', async () => {
    const { channels } = t().omnis.services;
    const name = consumerName();
    await channels.createChannel(channelInput('Warehouse A'), systemActor);
    const poison = await channels.createChannel(channelInput('Warehouse B'), systemActor);
    await channels.createChannel(channelInput('Warehouse C'), systemActor);

    let outage = true;
    const recorder = recordingConsumer(name, { failOn: (e) => outage && e.aggregate.id === poison.id });
    const dispatcher = dispatcherFor(t(), recorder.consumer);

    await dispatcher.drain();
    const failedBatch = recorder.handed.at(-1)!;
    expect(failedBatch.map((e) => e.aggregate.id)).toContain(poison.id);
    expect(recorder.seen().map((e) => e.aggregate.id)).not.toContain(poison.id);
    const stuck = await consumerRow(name);
    expect(stuck.last_error).toBe('downstream is unavailable');
    expect(Number(stuck.position)).toBeLessThan(failedBatch[0]!.position);

    outage = false;
    await dispatcher.drain();
    await dispatcher.stop();

    const retried = recorder.handed[recorder.handed.indexOf(failedBatch) + 1]!;
    expect(retried[0]!.id).toBe(failedBatch[0]!.id);
    expect(recorder.seen().map((e) => e.id)).toEqual(await outboxIds());
    expectStrictlyIncreasing(positionsOf(recorder.seen()));
    expect((await consumerRow(name)).last_error).toBeNull();
  });

  it('keeps no work from a batch finished after another process took the consumer over', async () => {
    const { channels } = t().omnis.services;
    const name = consumerName();
    await channels.createChannel(channelInput('Outlet'), systemActor);
    const action = `projection.${name}`;
    let paused = true;
    const projection: EventConsumer = {
      name,
      mode: 'durable',
      async handle(events, trx) {
        if (paused) {
          paused = false;
          // Stands in for a long pause: the lease expired and another process claimed the consumer meanwhile.
          await trx
            .updateTable('event_consumers')
            .set({ lease_owner: 'node_elsewhere', lease_expires_at: Date.now() + 60_000 })
            .where('name', '=', name)
            .execute();
        }
        await recordAudit(trx, { actor: systemActor, action, data: { count: events.length } });
      },
    };
    /** How many events the projection's committed work covers. */
    const written = async () =>
      (await db().selectFrom('audit_log').select('data').where('action', '=', action).execute())
        .map((row) => decodeJson<{ count: number }>(row.data).count)
        .reduce((sum, n) => sum + n, 0);
    const dispatcher = dispatcherFor(t(), projection);

    await dispatcher.drain();
    expect(await written()).toBe(0); // the batch belongs to the other process now: nothing of it is kept
    expect(Number((await consumerRow(name)).position)).toBe(0);

    await dispatcher.drain();
    await dispatcher.stop();
    expect(await written()).toBe((await outboxIds()).length); // every event's work, once
    expect(Number((await consumerRow(name)).position)).toBe(
      Number(
        (
          await db()
            .selectFrom('outbox_events')
            .select((eb) => eb.fn.max('position').as('max'))
            .executeTakeFirstOrThrow()
        ).max,
      ),
    );
  });

  it('does not skip an event whose transaction commits after a later one was already read', async () => {
    const { events } = t().omnis.services;
    const recorder = recordingConsumer(consumerName());
    const dispatcher = dispatcherFor(t(), recorder.consumer);
    await dispatcher.drain();
    const alreadySeen = recorder.seen().length;

    const appendIn = (id: string, hold?: Promise<void>, appended?: () => void) =>
      inTransaction(db(), async (trx) => {
        await events.append(trx, {
          type: 'channel.updated',
          aggregate: { type: 'channel', id },
          actor: systemActor,
          data: { id, fields: ['name'] },
        });
        appended?.();
        await hold; // a slow step after the event, before commit
      });

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstAppended!: () => void;
    const appended = new Promise<void>((resolve) => (firstAppended = resolve));
    const slowId = newId('cha');
    const fastId = newId('cha');
    const slow = appendIn(slowId, held, firstAppended);
    await appended;
    let fastCommitted = false;
    const fast = appendIn(fastId).then(() => (fastCommitted = true));
    // Give the second writer the chance to commit first; a reader then runs between the two commits.
    await Promise.race([fast, new Promise((resolve) => setTimeout(resolve, 100))]);
    if (fastCommitted) await dispatcher.drain();
    release();
    await Promise.all([slow, fast]);
    await dispatcher.drain();
    await dispatcher.stop();

    // Both arrive exactly once. Their order is commit order: events are written as a transaction's last step, so
    // on PostgreSQL the fast writer commits (and is numbered) first; SQLite's single writer runs them in turn.
    const seen = recorder
      .seen()
      .slice(alreadySeen)
      .map((e) => e.aggregate.id);
    expect([...seen].sort()).toEqual([slowId, fastId].sort());
  });

  it('sees each of 50 channels created at once exactly once, in increasing positions', async () => {
    const { channels } = t().omnis.services;
    const recorder = recordingConsumer(consumerName());
    const dispatcher = dispatcherFor(t(), recorder.consumer);

    // The dispatcher reads while writers commit: a position committed after a larger one would be skipped.
    let writing = true;
    const reading = (async () => {
      while (writing) await dispatcher.drain();
    })();
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        channels.createChannel(channelInput(`Kiosk ${i + 1}`), systemActor),
      ),
    ).finally(() => (writing = false));
    await reading;
    await dispatcher.drain();
    await dispatcher.stop();

    const seen = recorder.seen();
    expectStrictlyIncreasing(positionsOf(seen));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seen.map((e) => e.id)).toEqual(await outboxIds());
    const kiosks = seen.filter(
      (e) => e.type === 'channel.created' && created.some((c) => c.id === e.aggregate.id),
    );
    expect(kiosks).toHaveLength(50);
  });

  it('on PostgreSQL a writer draws its outbox positions only once it holds the outbox lock', async () => {
    if (t().dialect !== 'postgres') return; // SQLite has one writer: positions need no lock
    const { events } = t().omnis.services;
    /** The last position the sequence handed out (0 before the first). */
    const lastPosition = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select case when is_called then last_value else 0 end as n from outbox_events_position_seq`.execute(
            db(),
          )
        ).rows[0]!.n,
      );
    // Another transaction holds the outbox lock, as a writer about to commit does.
    await db()
      .connection()
      .execute(async (holder) => {
        await sql`begin`.execute(holder);
        await sql`select pg_advisory_xact_lock(${7_366_290_112})`.execute(holder);
        const before = await lastPosition();
        const id = newId('cha');
        const writing = inTransaction(db(), (trx) =>
          events.append(trx, {
            type: 'channel.updated',
            aggregate: { type: 'channel', id },
            actor: systemActor,
            data: { id, fields: ['name'] },
          }),
        );
        // Wait (without a clock) until the writer is queued behind the lock …
        for (;;) {
          const waiting = await sql<{ n: string }>`select count(*) as n from pg_locks
            where locktype = 'advisory' and not granted`.execute(db());
          if (Number(waiting.rows[0]!.n) > 0) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        // … and it has drawn no position yet: a reader can never see a later position commit before it.
        expect(await lastPosition()).toBe(before);
        await sql`commit`.execute(holder);
        await writing;
        const row = await db()
          .selectFrom('outbox_events')
          .select('position')
          .where('aggregate_id', '=', id)
          .executeTakeFirstOrThrow();
        expect(Number(row.position)).toBeGreaterThan(before);
      });
  });

  it('a consumer stuck on one batch does not hold back the others: the live push still goes out, in order', async () => {
    const { channels } = t().omnis.services;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSaw: DomainEvent[] = [];
    const liveSaw: DomainEvent[] = [];
    // A consumer waiting on a slow downstream (outside any transaction, as transient ones run).
    const slow: EventConsumer = {
      name: consumerName(),
      mode: 'transient',
      async handle(events) {
        slowSaw.push(...events);
        await gate;
      },
    };
    const live: EventConsumer = {
      name: consumerName(),
      mode: 'transient',
      async handle(events) {
        liveSaw.push(...events);
      },
    };
    const dispatcher = createDispatcher({
      db: db(),
      consumers: [slow, live],
      pollMs: 60_000, // only wakes move it: nothing here waits for a poll
      log: t().omnis.app.log,
    });
    dispatcher.start();
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(done()).toBe(true);
    };
    const ids = (events: DomainEvent[]) =>
      events.filter((e) => e.type === 'channel.created').map((e) => e.aggregate.id);

    const first = await channels.createChannel(channelInput('Pop-up Valencia'), systemActor);
    dispatcher.wake();
    await until(() => ids(slowSaw).includes(first.id) && ids(liveSaw).includes(first.id));
    const second = await channels.createChannel(channelInput('Pop-up Bilbao'), systemActor);
    dispatcher.wake();
    await until(() => ids(liveSaw).includes(second.id));
    expect(ids(slowSaw)).toEqual([first.id]); // still on its first batch

    release();
    await until(() => ids(slowSaw).includes(second.id));
    await dispatcher.stop();
    expect(ids(slowSaw)).toEqual([first.id, second.id]);
    expect(ids(liveSaw)).toEqual([first.id, second.id]);
  });
});
