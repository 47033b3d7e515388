/**
 * Omnis writes a lot to SQLite (a Segment batch, a burst of webhooks): the write-ahead log is copied back into
 * the database file by a worker thread, not by the request that commits, and the app's own connection only
 * checkpoints as a safety net once the log is far larger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer';
import { openDatabase } from './database';

describe('WAL checkpoints on SQLite', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnis-ckpt-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('copies committed pages into the database file from the worker, the app connection leaving it alone', async () => {
    const handle = await openDatabase({ dataDir, sqliteFile: 'wal.db' });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
        handle.db,
      );
      expect(rows[0]!.wal_autocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);

      await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
      await handle.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 50; i++)
          await sql`insert into notes (body) values (${'x'.repeat(2000)})`.execute(trx);
      });
      const result = await handle.checkpointer!.checkpoint();
      // The log holds the transaction's pages (or was already copied by the worker's own round and started over).
      expect(result.checkpointedPages).toBe(result.logPages);

      // Data written before and after a checkpoint reads back whole through the app's connection.
      await sql`insert into notes (body) values ('after')`.execute(handle.db);
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(handle.db);
      expect(Number(count.rows[0]!.n)).toBe(51);
    } finally {
      await handle.close();
    }
    // Stopped with the handle: a checkpoint asked for afterwards is refused, not left hanging.
    await expect(handle.checkpointer!.checkpoint()).rejects.toThrow(/stopped/);
  });

  it('lets the app keep committing while the worker checkpoints, losing nothing', async () => {
    const handle = await openDatabase({ dataDir, sqliteFile: 'concurrent.db' });
    try {
      await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
      const checkpoints: Array<Promise<unknown>> = [];
      for (let t = 0; t < 40; t++) {
        // Each transaction's pages are still being written when the worker is asked to copy the log.
        checkpoints.push(handle.checkpointer!.checkpoint());
        await handle.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 25; i++)
            await sql`insert into notes (body) values (${`${t}:${i}:${'y'.repeat(500)}`})`.execute(trx);
        });
      }
      await Promise.all(checkpoints);
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(handle.db);
      expect(Number(count.rows[0]!.n)).toBe(40 * 25);
      const last = await handle.checkpointer!.checkpoint();
      expect(last.checkpointedPages).toBe(last.logPages);
    } finally {
      await handle.close();
    }
  });

  it('reopens a file written and checkpointed before, with every row', async () => {
    const first = await openDatabase({ dataDir, sqliteFile: 'reopen.db' });
    await sql`create table notes (id integer primary key, body text not null)`.execute(first.db);
    await first.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 200; i++) await sql`insert into notes (body) values (${`note ${i}`})`.execute(trx);
    });
    const done = await first.checkpointer!.checkpoint();
    expect(done.checkpointedPages).toBe(done.logPages);
    await first.close();

    const second = await openDatabase({ dataDir, sqliteFile: 'reopen.db' });
    try {
      const count = await sql<{ n: number }>`select count(*) as n from notes`.execute(second.db);
      expect(Number(count.rows[0]!.n)).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('has no worker for an in-memory database', async () => {
    const handle = await openDatabase({ dataDir, sqliteFile: ':memory:' });
    expect(handle.checkpointer).toBeUndefined();
    await handle.close();
  });
});
