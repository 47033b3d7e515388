// @module Test projects: `server` (unit + integration on every configured dialect) and `e2e` (real browser).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Files run in parallel workers; each gets its own SQLite database and PostgreSQL schema.
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Screens load their data after they render; a loaded CI machine may take seconds.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
