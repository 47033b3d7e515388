/**
 * @module A fresh database for a benchmark's Omnis side: a SQLite file in a temp dir, or a new PostgreSQL schema
 * (dropped afterwards) when a URL is given.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { maskUrl } from '../server/src/config';
import { openDatabase, type DatabaseHandle } from '../server/src/platform/db/database';

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** Which database it is, password masked, for the printed report. */
  description: string;
  dispose(): Promise<void>;
}

export async function freshDatabase(
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<BenchDatabase> {
  if (!databaseUrl) {
    const handle = await openDatabase({ dataDir });
    return { handle, description: `SQLite, ${handle.location}`, dispose: () => handle.close() };
  }
  const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`Cannot prepare a schema on PostgreSQL at ${maskUrl(databaseUrl)} (${reason}).`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const handle = await openDatabase({ databaseUrl, dataDir, pgSchema: schema });
  return {
    handle,
    description: `PostgreSQL, ${maskUrl(databaseUrl)} (schema ${schema})`,
    async dispose() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
