/**
 * @module Keyset pagination over time-sortable ids: newest first, `?limit=` (default 50, max 200) and an opaque
 * `?cursor=` → `{ data, next_cursor }`.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { AppError } from '../errors';

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ id: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof parsed.id === 'string') return parsed.id;
  } catch {
    // fall through to the error below: a cursor we did not make
  }
  throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
    errors: [{ field: 'query.cursor', message: 'is not a valid cursor' }],
  });
}

/**
 * Fetches one page, newest first, from a query over a table with a time-sortable `id`.
 * @example await paginate(db.selectFrom('channels').selectAll(), 'id', page, channelFromRow)
 */
export async function paginate<DB, TB extends keyof DB, Row, T>(
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  page: PageRequest,
  map: (row: Row) => T,
): Promise<Page<T>> {
  const limit = Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  // The id column is named by the caller as a string; Kysely cannot type-check a dynamic reference.
  const id = sql.ref(idColumn);
  let q = query;
  if (page.cursor) q = q.where(id, '<', decodeCursor(page.cursor));
  const rows = await q
    .orderBy(id, 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1] as Record<string, unknown> | undefined;
  const lastId = last?.[idColumn.split('.').pop() ?? idColumn];
  return {
    data: pageRows.map(map),
    next_cursor: more && typeof lastId === 'string' ? encodeCursor(lastId) : null,
  };
}
