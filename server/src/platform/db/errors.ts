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

/** Thrown by a unit of work that found its inputs changed by a concurrent transaction: run it again. */
export class ConcurrentChangeError extends Error {}

/**
 * Whether a failed transaction raced another and would succeed if run again: a unique index refusing a row the
 * other just wrote, a PostgreSQL deadlock (40P01) or serialization failure (40001), or ConcurrentChangeError.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    error instanceof ConcurrentChangeError || isUniqueViolation(error) || code === '40P01' || code === '40001'
  );
}
