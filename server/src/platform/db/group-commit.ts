/**
 * @module Group commit: work submitted by concurrent callers is queued and run together in one transaction, so
 * the requests that arrive while a transaction runs share the next one — one commit, one round of lookups —
 * instead of each waiting for its own. Every caller still gets its own result and its own error: when a shared
 * transaction fails, its members run again one by one, so one caller's bad data never fails another's request.
 *
 * There is no timer. Before each transaction the writer yields one turn of the event loop: on SQLite a
 * transaction runs start to end without yielding (the driver is synchronous), so requests parsed in the same
 * turn would otherwise never meet in a queue. A lone caller waits only that turn; grouping appears under load,
 * which is exactly when it pays.
 */
import type { Db } from './database';
import { inTransactionWithRetry, type Trx } from './transaction';

export interface GroupCommitOptions<Item, Result> {
  db: Db;
  /** Only items with the same key share a transaction (e.g. the same channel and actor). */
  keyOf: (item: Item) => string;
  /** How much an item weighs towards `maxWeight` (e.g. its number of events). */
  weightOf: (item: Item) => number;
  /** A transaction takes items until their weights reach this; a heavier single item still runs alone. */
  maxWeight: number;
  /** Does the items' work in the given transaction and returns one result per item, in the same order. */
  run: (trx: Trx, items: Item[]) => Promise<Result[]>;
  /** Attempts per transaction when it loses a race with a concurrent one (see inTransactionWithRetry). */
  attempts: number;
}

interface Queued<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (err: unknown) => void;
}

/**
 * @example
 * const writer = createGroupCommit({ db, keyOf: (r) => r.channelId, weightOf: (r) => r.events.length,
 *   maxWeight: 2000, attempts: 4, run: (trx, requests) => storeAll(trx, requests) });
 * const accepted = await writer.submit(request);
 */
export function createGroupCommit<Item, Result>(options: GroupCommitOptions<Item, Result>) {
  const queue: Array<Queued<Item, Result>> = [];
  let writing = false;

  /** The oldest waiting item and every later one with its key that still fits, removed from the queue. */
  function nextGroup(): Array<Queued<Item, Result>> {
    const key = options.keyOf(queue[0]!.item);
    const group: Array<Queued<Item, Result>> = [];
    let weight = 0;
    for (let i = 0; i < queue.length;) {
      const entry = queue[i]!;
      const w = options.weightOf(entry.item);
      if (options.keyOf(entry.item) === key && (group.length === 0 || weight + w <= options.maxWeight)) {
        group.push(entry);
        weight += w;
        queue.splice(i, 1);
      } else i++;
    }
    return group;
  }

  async function runGroup(group: Array<Queued<Item, Result>>): Promise<void> {
    try {
      const results = await inTransactionWithRetry(
        options.db,
        (trx) =>
          options.run(
            trx,
            group.map((g) => g.item),
          ),
        options.attempts,
      );
      group.forEach((g, i) => g.resolve(results[i]!));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
        return;
      }
      // Someone's items made the shared transaction fail: find out whose by running each on its own.
      for (const g of group) await runGroup([g]);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await runGroup(nextGroup());
      }
    } finally {
      writing = false;
    }
  }

  return {
    /** Queues the item; resolves with its result once the transaction that carried it has committed. */
    submit(item: Item): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

export type GroupCommit<Item, Result> = ReturnType<typeof createGroupCommit<Item, Result>>;
