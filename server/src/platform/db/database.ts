/**
 * @module Database: opens Kysely over better-sqlite3 (default, a WAL file in the data dir) or pg
 * (`DATABASE_URL`), checks that it answers, and reports an unreachable database in one masked sentence.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { maskUrl } from '../../config';
import { UserFacingError } from '../errors';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './checkpointer';
import type { Dialect } from './columns';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, password masked: for logs and messages. */
  location: string;
  /** SQLite files only: the worker that checkpoints the write-ahead log. */
  checkpointer?: Checkpointer | undefined;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends UserFacingError {}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** SQLite only: a file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  /** PostgreSQL only: schema to use as search_path (tests use one schema per file). */
  pgSchema?: string;
  pgPoolSize?: number;
  /** SQLite only: page cache per connection in KiB (default SQLITE_CACHE_KIB). */
  sqliteCacheKib?: number;
  /** SQLite only: how much of the file may be read through a memory map, in bytes (default SQLITE_MMAP_BYTES; 0 off). */
  sqliteMmapBytes?: number;
}

/**
 * SQLite's default page cache is 2 MB: an availability answer reads ~550 stock levels scattered over a table of
 * millions, so with 2 MB nearly every page comes from the file again and the slowest answers wait on it (p99 6×
 * the median). 64 MiB keeps the upper levels of the indexes and the hot leaves in memory.
 */
export const SQLITE_CACHE_KIB = 64 * 1024;
/**
 * Reading through a memory map skips a copy from the OS page cache into SQLite's for every page read, and lets
 * pages that fall out of the cache above come back from the OS without a system call. It is an upper bound on the
 * mapping, not memory taken; writes still go through the WAL, so it changes nothing about durability.
 */
export const SQLITE_MMAP_BYTES = 1024 * 1024 * 1024; // 1 GiB

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Opens the configured database and verifies it answers. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options);
}

function openSqlite(options: OpenDatabaseOptions): DatabaseHandle {
  const file = options.sqliteFile ?? 'omnis.db';
  const filePath = file === ':memory:' ? file : path.join(options.dataDir, file);
  if (file !== ':memory:') mkdirSync(options.dataDir, { recursive: true });
  let raw: SQLite.Database;
  try {
    raw = new SQLite(filePath);
  } catch (err) {
    throw new DatabaseUnavailableError(
      `Cannot open the SQLite database at ${filePath}: ${(err as Error).message}`,
    );
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL'); // safe with WAL: a crash loses at most the last transactions, never corrupts
  raw.pragma('busy_timeout = 5000'); // another process (e.g. `omnis user create`) may hold the write lock briefly
  raw.pragma('foreign_keys = ON');
  // A negative cache_size is in KiB, a positive one in pages: KiB says what it costs whatever the page size.
  raw.pragma(`cache_size = -${Math.max(0, Math.round(options.sqliteCacheKib ?? SQLITE_CACHE_KIB))}`);
  // An in-memory database has no file to map and no log to checkpoint.
  let checkpointer: Checkpointer | undefined;
  if (file !== ':memory:') {
    raw.pragma(`mmap_size = ${Math.max(0, Math.round(options.sqliteMmapBytes ?? SQLITE_MMAP_BYTES))}`);
    // Checkpoints run in a worker thread, off the event loop; ours only restarts a busy log (see checkpointer.ts).
    raw.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(filePath);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return {
    db,
    dialect: 'sqlite',
    location: filePath,
    checkpointer,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares a new better-sqlite3 statement for every query, which costs more than running most of our
 * queries. Statements are reusable (Kysely only calls all/run/iterate on them), so keep the most recent ones by
 * SQL text; the SQL of a query builder is stable, so hits are the norm.
 */
function withStatementCache(raw: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(raw, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        let statement = cache.get(source);
        if (statement) {
          cache.delete(source); // re-insert: the Map's order doubles as least-recently-used
        } else {
          statement = target.prepare(source);
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        }
        cache.set(source, statement);
        return statement;
      };
    },
  });
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    // int8 (times, money, sequence numbers) as JS numbers: all our values stay below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${maskUrl(url)} (${reason}).`);
  }
  return { db, dialect: 'postgres', location: maskUrl(url), close: () => db.destroy() };
}
