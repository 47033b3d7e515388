/**
 * @module Recognising constraint violations on both drivers. A unique index, not a read before the write, is
 * what keeps values unique under concurrent requests; these helpers let a service turn its refusal into a clear
 * answer (409) or a retry.
 */

export interface UniqueTarget {
  /** PostgreSQL reports the index or constraint name. */
  constraint: string;
  /** SQLite reports `table.column` instead (the first column of the index is enough). */
  column: string;
}

/** Whether `error` is a unique index refusing a duplicate — any index, or the one given. */
export function isUniqueViolation(error: unknown, target?: UniqueTarget): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return !target || e.constraint === target.constraint; // pg: unique_violation
  if (e.code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
  return !target || (typeof e.message === 'string' && e.message.includes(target.column));
}
