/**
 * @module Erasure suppression: when an erased person asks not to be re-created by a later import, their
 * identifiers are kept only as salted hashes (HMAC-SHA256 with a random per-installation salt), so the list
 * cannot be read back into emails or phones, yet a re-imported identifier is recognised and refused.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../../platform/db/transaction';

const SALT_NAME = 'suppression_salt';

async function salt(db: DbOrTrx): Promise<string> {
  // First use creates it; concurrent first uses agree through the primary key.
  await db
    .insertInto('installation_secrets')
    .values({ name: SALT_NAME, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('installation_secrets')
    .select('value')
    .where('name', '=', SALT_NAME)
    .executeTakeFirstOrThrow();
  return row.value;
}

/**
 * Transactions that already found the suppression list empty: ingestion resolves hundreds of people in one
 * transaction, and each would otherwise ask again. Only transactions are remembered (a list can only grow in a
 * transaction that suppresses, which forgets it); the database itself is asked every time.
 */
const knownEmptyIn = new WeakSet<DbOrTrx>();

const hashWith = (key: string, type: string, value: string) =>
  createHmac('sha256', key).update(`${type}\u0000${value}`).digest('hex');

/** Adds identifiers (already normalized) to the suppression list. */
export async function suppressIdentifiers(
  db: DbOrTrx,
  identifiers: Array<{ type: string; value: string }>,
): Promise<void> {
  if (identifiers.length === 0) return;
  knownEmptyIn.delete(db);
  const key = await salt(db);
  await db
    .insertInto('privacy_suppressions')
    .values(identifiers.map((i) => ({ hash: hashWith(key, i.type, i.value), created_at: Date.now() })))
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
}

/** Which of the given (normalized) identifiers belong to someone erased with suppression. */
export async function suppressedAmong<T extends { type: string; value: string }>(
  db: DbOrTrx,
  identifiers: T[],
): Promise<T[]> {
  if (identifiers.length === 0 || knownEmptyIn.has(db)) return [];
  const any = await db.selectFrom('privacy_suppressions').select('hash').limit(1).executeTakeFirst();
  if (!any) {
    if (db.isTransaction) knownEmptyIn.add(db);
    return []; // the common case: nobody asked for suppression, so skip hashing
  }
  const key = await salt(db);
  const hashes = new Map(identifiers.map((i) => [hashWith(key, i.type, i.value), i]));
  const found = await db
    .selectFrom('privacy_suppressions')
    .select('hash')
    .where('hash', 'in', [...hashes.keys()])
    .execute();
  return found.map((f) => hashes.get(f.hash)!);
}
