/** @module Customer and identifier queries and row mappers; every function takes the database or a transaction first. */
import type { SelectQueryBuilder, Selectable } from 'kysely';
import { decodeBool, decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Database } from '../../platform/db/schema';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { CustomerIdentifierRow, CustomerRow } from './customer.table';

export interface CustomerIdentifier {
  id: string;
  type: string;
  value: string;
  verified: boolean;
  source_channel_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface Customer {
  id: string;
  status: 'active' | 'merged' | 'erased';
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: string[];
  identifiers: CustomerIdentifier[];
  locale: string | null;
  timezone: string | null;
  addresses: Array<Record<string, unknown>>;
  traits: Record<string, unknown>;
  channels: string[];
  restricted: boolean;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
}

/**
 * Folds text for name search the same way on every dialect: decomposed (NFD), combining marks dropped, lower
 * case, runs of spaces made one. "ÁLVARO" → "alvaro", "Иванов" → "иванов", "Йоханнес" → "иоханнес". Done here
 * rather than in SQL because SQLite's lower() folds ASCII only and neither database strips accents by default.
 * @example foldForSearch('  Ana  María ') // 'ana maria'
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The search key columns for a profile with these names: "first last" and "last first", folded, so a prefix
 * of either name (or of both, in either order) reaches the profile through an index. Every write of a name
 * writes these with it.
 * @example nameSearchColumns('Álvaro', 'García') // { search_name: 'alvaro garcia', search_name_reversed: 'garcia alvaro' }
 */
export function nameSearchColumns(
  firstName: string | null | undefined,
  lastName: string | null | undefined,
): Pick<CustomerRow, 'search_name' | 'search_name_reversed'> {
  const first = firstName ? foldForSearch(firstName) : '';
  const last = lastName ? foldForSearch(lastName) : '';
  const key = (a: string, b: string) => [a, b].filter(Boolean).join(' ') || null;
  return { search_name: key(first, last), search_name_reversed: key(last, first) };
}

export function identifierFromRow(row: Selectable<CustomerIdentifierRow>): CustomerIdentifier {
  return {
    id: row.id,
    type: row.type,
    value: row.value,
    verified: decodeBool(row.verified),
    source_channel_id: row.source_channel_id,
    first_seen_at: toIsoRequired(row.first_seen_at),
    last_seen_at: toIsoRequired(row.last_seen_at),
  };
}

export function customerFromRow(
  row: Selectable<CustomerRow>,
  identifiers: Array<Selectable<CustomerIdentifierRow>>,
): Customer {
  const ids = identifiers.map(identifierFromRow);
  return {
    id: row.id,
    status: row.status as Customer['status'],
    first_name: row.first_name,
    last_name: row.last_name,
    emails: ids.filter((i) => i.type === 'email').map((i) => i.value),
    phones: ids.filter((i) => i.type === 'phone').map((i) => i.value),
    identifiers: ids,
    locale: row.locale,
    timezone: row.timezone,
    addresses: decodeJson<Array<Record<string, unknown>>>(row.addresses) ?? [],
    traits: decodeJson<Record<string, unknown>>(row.traits) ?? {},
    channels: decodeJson<string[]>(row.channels) ?? [],
    restricted: decodeBool(row.restricted),
    first_seen_at: toIsoRequired(row.first_seen_at),
    last_seen_at: toIsoRequired(row.last_seen_at),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export async function findCustomerRow(db: DbOrTrx, id: string): Promise<Selectable<CustomerRow> | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads profiles for an update. PostgreSQL locks them (in id order, so two merges never deadlock); SQLite
 * already runs one write transaction at a time.
 */
export async function lockCustomerRows(
  db: DbOrTrx,
  dialect: Dialect,
  ids: string[],
): Promise<Array<Selectable<CustomerRow>>> {
  if (ids.length === 0) return [];
  const q = db
    .selectFrom('customers')
    .selectAll()
    .where('id', 'in', [...ids].sort())
    .orderBy('id');
  return dialect === 'postgres' ? q.forUpdate().execute() : q.execute();
}

export async function identifiersOf(
  db: DbOrTrx,
  customerIds: string[],
): Promise<Array<Selectable<CustomerIdentifierRow>>> {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('customer_identifiers')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('id')
    .execute();
}

/** Follows merged_into to the profile that answers for `id` today (a merged-away id leads to its survivor). */
export async function survivorOf(db: DbOrTrx, id: string): Promise<Selectable<CustomerRow> | undefined> {
  let row = await findCustomerRow(db, id);
  for (let hops = 0; row && row.status === 'merged' && row.merged_into && hops < 32; hops++) {
    row = await findCustomerRow(db, row.merged_into);
  }
  return row;
}

/** Every profile id that was merged (directly or through others) into `survivorId`, and the survivor itself. */
export async function mergedFamily(db: DbOrTrx, survivorId: string): Promise<string[]> {
  const family = [survivorId];
  for (let i = 0; i < family.length && family.length < 10_000; i++) {
    const children = await db
      .selectFrom('customers')
      .select('id')
      .where('merged_into', '=', family[i]!)
      .where('status', '=', 'merged')
      .execute();
    family.push(...children.map((c) => c.id));
  }
  return family;
}

/**
 * Ids of profiles whose first or last name (or "first last", "last first") starts with `text`, folded like the
 * stored keys. Each key has its own index and each side of the union is a range scan over one of them.
 */
export function idsByNamePrefix(
  db: DbOrTrx,
  dialect: Dialect,
  text: string,
): SelectQueryBuilder<Database, 'customers', { id: string }> | null {
  const key = foldForSearch(text);
  if (!key) return null;
  const startingWith = (column: 'search_name' | 'search_name_reversed') => {
    const ids = db.selectFrom('customers').select('id');
    return dialect === 'postgres'
      ? // text_pattern_ops on the index lets LIKE 'prefix%' range-scan it whatever the database collation.
        ids.where(column, 'like', `${key.replace(/[%_\\]/g, '\\$&')}%`)
      : // SQLite uses an index for LIKE only under NOCASE; a range in BINARY (code point) order needs none.
        // U+10FFFF sorts after every character, so the range holds exactly the keys that start with `key`.
        ids.where(column, '>=', key).where(column, '<', `${key}\u{10FFFF}`);
  };
  return startingWith('search_name').union(startingWith('search_name_reversed'));
}
