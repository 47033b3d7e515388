/**
 * @module Test run set-up: says once which dialects run. On CI (CI=true) PostgreSQL is mandatory: a missing
 * OMNIS_TEST_DATABASE_URL or an unreachable server fails the run instead of skipping.
 */
import pg from 'pg';

export default async function setup(): Promise<void> {
  const url = process.env.OMNIS_TEST_DATABASE_URL;
  const ci = process.env.CI === 'true';
  if (!url) {
    if (ci)
      throw new Error(
        'CI=true but OMNIS_TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory on CI.',
      );
    console.log(
      'PostgreSQL tests skipped: set OMNIS_TEST_DATABASE_URL=postgres://… to run every integration test on PostgreSQL too.',
    );
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `OMNIS_TEST_DATABASE_URL is set but PostgreSQL does not answer: ${(err as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  console.log('Integration tests run on SQLite and PostgreSQL.');
}
