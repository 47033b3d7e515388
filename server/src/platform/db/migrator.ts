/**
 * @module Migrations runner: one ordered set of migrations for both dialects, gathered from the platform and
 * every module. Kysely runs SQLite migrations without a transaction, so each one is wrapped here to be atomic on
 * both dialects.
 */
import {
  Migrator,
  type DatabaseIntrospector,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from './columns';
import { platformMigrations } from '../migrations';
import { channelsMigrations } from '../../modules/channels';
import { inventoryMigrations } from '../../modules/inventory';
import { customersMigrations } from '../../modules/customers';
import { catalogMigrations } from '../../modules/catalog';
import { commerceMigrations } from '../../modules/commerce';
import { conversationsMigrations } from '../../modules/conversations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

export type NamedMigrations = Record<string, Migration>;

/** Every migration of the application, keyed by sortable name. Frozen once landed: add, never edit. */
export function allMigrations(): NamedMigrations {
  const sets: NamedMigrations[] = [
    platformMigrations,
    channelsMigrations,
    inventoryMigrations,
    customersMigrations,
    catalogMigrations,
    commerceMigrations,
    conversationsMigrations,
  ];
  const all: NamedMigrations = {};
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set)) {
      if (all[name]) throw new Error(`Two migrations are named ${name}`);
      all[name] = atomic(migration);
    }
  }
  return all;
}

function atomic(migration: Migration): Migration {
  const wrap = (fn: (db: AnyDb) => Promise<void>) => async (db: AnyDb) =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  return { up: wrap(migration.up), ...(migration.down ? { down: wrap(migration.down) } : {}) };
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return allMigrations();
  }
}

/**
 * The database as Kysely's migrator sees it on PostgreSQL: it finds its bookkeeping tables by introspecting every
 * column of every schema (`pg_get_serial_sequence` per column), which fails with "column … does not exist" when
 * another schema of the database is dropped at that moment — test files drop theirs all the time, and a staging
 * schema may sit beside production. It only needs the names of the current schema's tables, so that is all this
 * view's introspection reads; everything else is the database itself.
 */
function currentSchemaOnly(db: AnyDb, schema: string): AnyDb {
  const getTables = async () =>
    (
      await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${schema}`.execute(db)
    ).rows.map((r) => ({ name: r.name, schema, isView: false, columns: [] }));
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      // Kysely's methods read private fields: call them on the real instance, not on the proxy.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function migratorFor(db: AnyDb): Promise<Migrator> {
  // PostgreSQL: Kysely looks for its bookkeeping tables in every schema unless told which one. Name the current
  // schema, so a database holding several Omnis schemas (tests, staging beside production) never mixes them up.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: schema ? currentSchemaOnly(db, schema) : db,
    provider: new StaticProvider(),
    migrationTableName: 'omnis_migrations',
    migrationLockTableName: 'omnis_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Applies every pending migration; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  const { error, results } = await (await migratorFor(db)).migrateToLatest();
  return unwrap(error, results);
}

/** Names of migrations not yet applied (empty when the schema is current); used by /readyz. */
export async function pendingMigrations(db: AnyDb): Promise<string[]> {
  const migrations = await (await migratorFor(db)).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}

function unwrap(error: unknown, results: MigrationResultSet['results']): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed ? `Migration ${failed.migrationName} failed: ${reason}` : `Migrations failed: ${reason}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
