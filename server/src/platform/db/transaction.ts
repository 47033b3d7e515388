/**
 * @module Transaction helper: the one way services run a unit of work. Callbacks registered with
 * `afterCommit` run only once the transaction committed (e.g. waking the event dispatcher), never on rollback.
 */
import type { Transaction } from 'kysely';
import type { Db } from './database';
import type { Database } from './schema';
import { isRetryableConflict } from './errors';

export type Trx = Transaction<Database>;
/** Repository functions accept either the database or an open transaction. */
export type DbOrTrx = Db | Trx;

const afterCommitHooks = new WeakMap<Trx, Array<() => void>>();
const beforeCommitHooks = new WeakMap<Trx, Array<() => Promise<void>>>();

/**
 * Runs `fn` in a transaction; it commits when `fn` resolves and rolls back when it throws.
 * Keep it short and never await network I/O inside: SQLite serializes all transactions of the process.
 * @example await inTransaction(db, (trx) => createChannel(trx, input))
 */
export async function inTransaction<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx); // nested: join the outer unit of work
  const hooks: Array<() => void> = [];
  const result = await db.transaction().execute(async (trx) => {
    const before: Array<() => Promise<void>> = [];
    afterCommitHooks.set(trx, hooks);
    beforeCommitHooks.set(trx, before);
    const value = await fn(trx);
    for (const hook of before) await hook();
    return value;
  });
  for (const hook of hooks) hook();
  return result;
}

/** Schedules `fn` after the surrounding transaction commits (immediately when there is none). */
export function afterCommit(db: DbOrTrx, fn: () => void): void {
  const hooks = db.isTransaction ? afterCommitHooks.get(db as Trx) : undefined;
  if (hooks) hooks.push(fn);
  else if (db.isTransaction) {
    // A transaction not opened by inTransaction: run after the current tick, when it has most likely committed.
    setImmediate(fn);
  } else fn();
}

/**
 * Schedules `fn` as the last step inside the surrounding transaction, just before it commits. Returns false
 * when the transaction was not opened by inTransaction (the caller then does the work right away).
 */
export function beforeCommit(db: DbOrTrx, fn: () => Promise<void>): boolean {
  const hooks = db.isTransaction ? beforeCommitHooks.get(db as Trx) : undefined;
  if (!hooks) return false;
  hooks.push(fn);
  return true;
}

/**
 * inTransaction, run again (up to `attempts` times in all) when it lost a race with a concurrent transaction:
 * the retry rolls back whole and finds what the winner stored.
 */
export async function inTransactionWithRetry<T>(
  db: Db,
  fn: (trx: Trx) => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, fn);
    } catch (err) {
      if (attempt < attempts && isRetryableConflict(err)) continue;
      throw err;
    }
  }
}
