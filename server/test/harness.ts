/**
 * @module Test harness: every integration test runs on each configured dialect — SQLite always, PostgreSQL when
 * OMNIS_TEST_DATABASE_URL is set — each test file on a fresh database (a new SQLite file, a new PostgreSQL
 * schema that is dropped afterwards). Apps are built with workers off; tests drive dispatch explicitly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp, type OmnisApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database';
import { migrateToLatest } from '../src/platform/db/migrator';
import type { Dialect } from '../src/platform/db/columns';
import type { Role } from '../src/platform/auth/permissions';
import { systemActor } from '../src/platform/auth/principal';

export const dialects: Dialect[] = process.env.OMNIS_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  handle: DatabaseHandle;
  dispose(): Promise<void>;
}

/** A fresh, migrated database of the given dialect. */
export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'omnis-test-'));
    const handle = await openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    return {
      handle,
      async dispose() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.OMNIS_TEST_DATABASE_URL!;
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openDatabase({
    databaseUrl: url,
    dataDir: tmpdir(),
    pgSchema: schema,
    pgPoolSize: 12,
  });
  await migrateToLatest(handle.db);
  return {
    handle,
    async dispose() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({
    env: {},
    file: '/nonexistent/omnis.config.json',
    overrides: {
      dataDir: tmpdir(),
      logLevel: 'silent',
      consoleDir: '/nonexistent',
      webhookRetryScheduleMs: [50, 100],
      // Test receivers listen on loopback.
      webhookAllowPrivateTargets: true,
      realtimeRecheckMs: 100,
      ...overrides,
    },
  });
}

export interface TestContext {
  dialect: Dialect;
  omnis: OmnisApp;
  /** Creates a staff user with the role and returns a session token for them. */
  tokenFor(role: Role): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for a role (cached per role). */
  as(role: Role): Promise<{ authorization: string }>;
}

let userCounter = 0;

/** Builds a test app on a fresh database; returns the context and a closer. */
export async function createTestContext(dialect: Dialect, configOverrides: Partial<Config> = {}) {
  const database = await freshDatabase(dialect);
  const omnis = await buildApp(testConfig(configOverrides), {
    database: database.handle,
    logger: false,
    workers: false,
  });
  await omnis.app.ready();
  const cache = new Map<Role, string>();
  const tokenFor = async (role: Role) => {
    userCounter += 1;
    const email = `${role}-${userCounter}-${Date.now()}@test.example`;
    const password = 'correct horse battery';
    await omnis.services.users.createUser({ email, name: `Test ${role}`, role, password }, null, systemActor);
    const res = await omnis.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
    });
    return (res.json() as { token: string }).token;
  };
  const ctx: TestContext = {
    dialect,
    omnis,
    tokenFor,
    async as(role) {
      let token = cache.get(role);
      if (!token) {
        token = await tokenFor(role);
        cache.set(role, token);
      }
      return { authorization: `Bearer ${token}` };
    },
  };
  return {
    ctx,
    async close() {
      await omnis.app.close();
      await database.dispose();
    },
  };
}

/**
 * Declares a suite once per dialect, with a fresh app and database for each.
 * @example describeEachDialect('channels', (t) => { it('…', async () => { t().omnis … }) })
 */
export function describeEachDialect(
  name: string,
  body: (ctx: () => TestContext) => void,
  configOverrides: Partial<Config> = {},
): void {
  for (const dialect of dialects) {
    describe(`${name} [${dialect}]`, () => {
      let context: TestContext | undefined;
      let close: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const created = await createTestContext(dialect, configOverrides);
        context = created.ctx;
        close = created.close;
      });
      afterAll(async () => close?.());
      body(() => {
        if (!context) throw new Error('test context not ready');
        return context;
      });
    });
  }
}
