/**
 * @module Column types per dialect, so one migration set creates equivalent tables on SQLite and PostgreSQL.
 * Conventions (ARCHITECTURE.md §3): text ids, integer minor-unit money, epoch-ms int8 times, jsonb/text JSON,
 * booleans stored as boolean/0-1.
 */
import { sql, type ColumnDataType, type Expression, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface ColumnTypes {
  id: ColumnDataType;
  text: ColumnDataType;
  /** Money in minor units, counters, quantities. */
  integer: ColumnDataType;
  /** Epoch milliseconds. */
  time: ColumnDataType;
  json: ColumnDataType | Expression<unknown>;
  bool: ColumnDataType;
  /** Auto-incrementing 64-bit sequence, for the outbox position. */
  serial: ColumnDataType;
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  // SQLite has dynamic types: "integer" is 64-bit there, and JSON lives in text.
  return dialect === 'postgres'
    ? {
        id: 'text',
        text: 'text',
        integer: 'bigint',
        time: 'bigint',
        json: 'jsonb',
        bool: 'boolean',
        serial: 'bigserial',
      }
    : {
        id: 'text',
        text: 'text',
        integer: 'integer',
        time: 'integer',
        json: 'text',
        bool: 'integer',
        serial: 'integer',
      };
}

/** Detects the dialect of a Kysely instance (migrations receive Kysely<any> without our wrapper). */
export function dialectOf(db: Kysely<unknown>): Dialect {
  const adapter = db.getExecutor().adapter.constructor.name;
  return adapter.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}

export const nowMs = () => Date.now();
export { sql };
