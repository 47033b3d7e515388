#!/usr/bin/env node
// The whole suite, as README's `npm test` promises: lint, typecheck, unit + integration (SQLite, and PostgreSQL
// when OMNIS_TEST_DATABASE_URL is set), then browser end-to-end tests when a Chromium is found. Parts that
// cannot run here are skipped with one line each — except on CI (CI=true), where they are mandatory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ci = process.env.CI === 'true';
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function run(title, command, args, env = {}) {
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stdout.write(`\n✖ ${title} failed\n`);
    process.exit(result.status ?? 1);
  }
}

run('lint (ESLint + Prettier)', 'npm', ['run', '--silent', 'lint']);
run('typecheck (tsc, strict)', 'npm', ['run', '--silent', 'typecheck']);

const projects = ['--project', 'server'];
if (!process.env.OMNIS_TEST_DATABASE_URL) {
  if (ci) {
    process.stdout.write(
      '✖ CI=true but OMNIS_TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory on CI.\n',
    );
    process.exit(1);
  }
  process.stdout.write(
    'PostgreSQL tests skipped: set OMNIS_TEST_DATABASE_URL=postgres://… to run them too.\n',
  );
}
if (existsSync(chromium)) {
  run('build console', 'npm', ['run', '--silent', 'build']);
  projects.push('--project', 'e2e');
} else if (ci) {
  process.stdout.write(`✖ CI=true but no Chromium at ${chromium}: browser tests are mandatory on CI.\n`);
  process.exit(1);
} else {
  process.stdout.write(
    `Browser tests skipped: no Chromium at ${chromium} (install chromium or set CHROMIUM_PATH).\n`,
  );
}

const report = path.join(mkdtempSync(path.join(tmpdir(), 'omnis-vitest-')), 'report.json');
process.stdout.write('\n▶ unit, integration and end-to-end tests\n');
const tests = spawnSync(
  'npx',
  ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  {
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: chromium },
  },
);
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  process.stdout.write(
    `\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
  );
}
process.exit(tests.status ?? 1);
