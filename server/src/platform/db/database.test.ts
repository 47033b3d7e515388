/**
 * An operator starts Omnis on SQLite with a large catalogue: the database opens with a page cache and a memory map
 * big enough for the hot part of the stock table (SQLite's 2 MB default made availability answers wait on the
 * file), and a deployment can still choose smaller ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES, openDatabase, type DatabaseHandle } from './database';

describe('opening the SQLite database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnis-db-'));
  const opened: DatabaseHandle[] = [];
  afterAll(async () => {
    for (const handle of opened) await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The value of a pragma as the connection the app uses reports it. */
  async function pragma(handle: DatabaseHandle, name: string): Promise<number> {
    const { rows } = await sql.raw<Record<string, number>>(`pragma ${name}`).execute(handle.db);
    return Number(Object.values(rows[0]!)[0]);
  }

  it('uses a 64 MiB page cache and maps the file, not the 2 MB default', async () => {
    const handle = await openDatabase({ dataDir, sqliteFile: 'default.db' });
    opened.push(handle);
    expect(SQLITE_CACHE_KIB).toBe(64 * 1024);
    expect(await pragma(handle, 'cache_size')).toBe(-SQLITE_CACHE_KIB);
    expect(await pragma(handle, 'mmap_size')).toBe(SQLITE_MMAP_BYTES);
  });

  it('takes smaller sizes when a deployment asks, and no map at all with 0', async () => {
    const handle = await openDatabase({
      dataDir,
      sqliteFile: 'small.db',
      sqliteCacheKib: 8 * 1024,
      sqliteMmapBytes: 0,
    });
    opened.push(handle);
    expect(await pragma(handle, 'cache_size')).toBe(-8 * 1024);
    expect(await pragma(handle, 'mmap_size')).toBe(0);
  });
});
