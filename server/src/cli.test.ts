/**
 * @module The `omnis` command as a user meets it: each test spawns the real CLI (`node --import tsx
 * server/src/cli.ts …`) in a child process with its own temporary data directory and config path, and checks
 * what the user sees — output, exit codes, one-line errors — and that what it printed actually works.
 * SQLite only: these tests are about the command, not the dialects; the integration suites cover PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roles } from './platform/auth/permissions';
import { demoStaff } from './demo/demo-data';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The caller's environment without anything that would point the CLI elsewhere or change its output. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'PORT',
    'HOST',
    'DATABASE_URL',
    'OMNIS_DATA_DIR',
    'OMNIS_PUBLIC_URL',
    'OMNIS_DEBUG',
    'LOG_LEVEL',
  ])
    delete env[name];
  return { ...env, ...extra };
}

/** A running `omnis …` process whose output is collected as it arrives. */
class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv = userEnv()) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const listener of this.listeners) listener();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        for (const listener of this.listeners) listener();
        resolve(code);
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in stdout; fails if the process exits or time runs out first. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.stdout.match(pattern);
        if (match) return done(() => resolve(match));
        if (!this.running)
          done(() => reject(new Error(`omnis exited before printing ${pattern}:\n${this.transcript()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.transcript()}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with the exit code; kills the process and fails if it has not exited within `timeoutMs`. */
  async finished(timeoutMs = 60_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`omnis did not exit within ${timeoutMs} ms:\n${this.transcript()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` (as a service manager would) and resolves with the exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.finished(timeoutMs);
  }

  /** Last resort for `finally`: never leave a process behind. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  transcript(): string {
    return `--- stdout\n${this.stdout}--- stderr\n${this.stderr}`;
  }
}

/** Runs `omnis …` to completion (bounded) and returns what the user saw. */
async function omnis(args: string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000) {
  const cli = new CliProcess(args, env);
  try {
    const code = await cli.finished(timeoutMs);
    return { code, stdout: cli.stdout, stderr: cli.stderr };
  } finally {
    cli.kill();
  }
}

/** Expects the failure a user should see: exit 1 and one `omnis: …` line, without a stack trace. */
function expectOneLineFailure(result: { code: number | null; stderr: string }): string {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^omnis: /);
  expect(result.stderr).not.toMatch(/^\s{4}at /m);
  return lines[0]!;
}

async function signIn(port: number, email: string, password: string) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: (await res.json()) as { token?: string; user?: { role: string } } };
}

const RUNNING = /Omnis is running at http:\/\/localhost:(\d+)/;

// Each spawn compiles the CLI with tsx and hashes passwords with scrypt: seconds each on a busy machine.
describe('omnis CLI [sqlite]', { timeout: 120_000 }, () => {
  let dir: string;
  /** Flags that keep every run inside the test's own directory, whatever the cwd holds. */
  let local: string[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'omnis-cli-'));
    const config = path.join(dir, 'omnis.config.json');
    writeFileSync(config, '{}\n'); // an empty config: defaults, then the flags below
    local = ['--data-dir', dir, '--config', config];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists its commands, and start explains its options', async () => {
    const help = await omnis(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'user', 'apikey'])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));

    const start = await omnis(['start', '--help']);
    expect(start.code).toBe(0);
    for (const flag of ['--port', '--data-dir', '--demo']) expect(start.stdout).toContain(flag);
  });

  describe('a bad config file stops it with one line naming the problem', () => {
    const cases = [
      { what: 'invalid JSON', content: '{ "port": 8080,', says: /omnis\.config\.json is not valid JSON/ },
      {
        what: 'an unknown key',
        content: '{ "colour": "blue" }',
        says: /Unknown configuration key "colour" in \S+omnis\.config\.json/,
      },
      { what: 'a port that is not a number', content: '{ "port": "abc" }', says: /"port" must be integer/ },
    ];
    for (const { what, content, says } of cases) {
      it(what, async () => {
        writeFileSync(path.join(dir, 'omnis.config.json'), content);
        expect(expectOneLineFailure(await omnis(['migrate', ...local]))).toMatch(says);
        expect(existsSync(path.join(dir, 'omnis.db'))).toBe(false);
      });
    }

    it('a config file named on the command line that does not exist', async () => {
      const missing = path.join(dir, 'omnis.prod.json');
      const line = expectOneLineFailure(await omnis(['migrate', '--data-dir', dir, '--config', missing]));
      expect(line).toContain(`${missing} does not exist`);
      expect(existsSync(path.join(dir, 'omnis.db'))).toBe(false);
    });
  });

  it('reports an unreachable PostgreSQL in one line, with the password masked', async () => {
    const result = await omnis(
      ['migrate', ...local],
      userEnv({ DATABASE_URL: 'postgres://omnis:s3cret@127.0.0.1:1/nowhere' }),
    );
    const line = expectOneLineFailure(result);
    expect(line).toContain('PostgreSQL');
    expect(line).toContain('***');
    expect(result.stderr + result.stdout).not.toContain('s3cret');
  });

  it('migrates a fresh data directory, then finds it up to date', async () => {
    const first = await omnis(['migrate', ...local]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied [1-9]\d* migration\(s\)/);
    expect(existsSync(path.join(dir, 'omnis.db'))).toBe(true);

    // The same directory through the environment instead of the flag.
    const again = await omnis(
      ['migrate', '--config', path.join(dir, 'omnis.config.json')],
      userEnv({ OMNIS_DATA_DIR: dir }),
    );
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/applied/);
    expect(again.stdout).toContain('Schema is up to date');
    expect(again.stdout).toContain(path.join(dir, 'omnis.db'));
  });

  it('creates a staff user with a generated password, and refuses a duplicate email or an unknown role', async () => {
    const create = [
      'user',
      'create',
      '--email',
      'ana@shop.example',
      '--name',
      'Ana',
      '--role',
      'agent',
      ...local,
    ];
    const created = await omnis(create);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created agent ana@shop\.example \(usr_\w+\)/);
    expect(created.stdout).toMatch(/^\s+password \S{10,}$/m);

    const duplicate = expectOneLineFailure(await omnis(create));
    expect(duplicate).toContain('ana@shop.example');
    expect(duplicate).toMatch(/already/);

    const wizard = await omnis([
      'user',
      'create',
      '--email',
      'bo@shop.example',
      '--name',
      'Bo',
      '--role',
      'wizard',
      ...local,
    ]);
    expect(wizard.code).toBe(1);
    expect(wizard.stderr).toContain("'wizard' is invalid");
    for (const role of roles) expect(wizard.stderr).toContain(role);
    expect(wizard.stderr).not.toMatch(/^\s{4}at /m);
  });

  it('prints a new secret key once, and asks for a channel for a publishable key', async () => {
    const secret = await omnis(['apikey', 'create', '--name', 'ERP sync', '--role', 'admin', ...local]);
    expect(secret.code).toBe(0);
    expect(secret.stdout.match(/sk_[\w-]{20,}/g)).toHaveLength(1);
    expect(secret.stdout).toMatch(/shown only now/);

    const publishable = expectOneLineFailure(
      await omnis(['apikey', 'create', '--name', 'Web shop', '--publishable', ...local]),
    );
    expect(publishable).toMatch(/channel/);
  });

  it('starts on a fresh directory with working owner credentials, stops on SIGTERM, and keeps its data', async () => {
    const start = ['start', '--port', '0', '--host', '127.0.0.1', ...local];
    const first = new CliProcess(start);
    let owner: { email: string; password: string };
    try {
      const port = Number((await first.waitFor(RUNNING))[1]);
      const email = (await first.waitFor(/^\s+login\s+(\S+)$/m))[1]!;
      const password = (await first.waitFor(/^\s+password\s+(\S+)$/m))[1]!;
      await first.waitFor(/^\s+API key\s+sk_\S+$/m);
      expect(first.stdout).toContain(`console   http://localhost:${port}/`);
      owner = { email, password };

      const login = await signIn(port, email, password);
      expect(login.status).toBe(200);
      expect(login.body.user?.role).toBe('owner');

      expect(await first.stop('SIGTERM')).toBe(0);
    } finally {
      first.kill();
    }

    const second = new CliProcess(start);
    try {
      const port = Number((await second.waitFor(RUNNING))[1]);
      const login = await signIn(port, owner.email, owner.password);
      expect(login.status).toBe(200);
      expect(await second.stop('SIGTERM')).toBe(0);
      expect(second.stdout).not.toMatch(/First run|password|sk_/);
      expect(second.stdout).not.toContain(owner.password);
    } finally {
      second.kill();
    }
  }, 180_000);

  it('starts with the demo retailer: staff to sign in as and a publishable key for the web shop', async () => {
    const cli = new CliProcess(['start', '--demo', '--port', '0', '--host', '127.0.0.1', ...local]);
    try {
      const port = Number((await cli.waitFor(RUNNING, 120_000))[1]);
      const pk = (await cli.waitFor(/web shop publishable key (pk_\S+)/))[1]!;
      const staffPassword = (await cli.waitFor(/^\s+password\s+(\S+) \(all demo staff\)$/m))[1]!;
      for (const person of demoStaff) expect(cli.stdout).toContain(person.email);

      const agent = demoStaff.find((s) => s.role === 'agent')!;
      expect((await signIn(port, agent.email, staffPassword)).status).toBe(200);

      const res = await fetch(`http://127.0.0.1:${port}/store/v1/channel`, {
        headers: { authorization: `Bearer ${pk}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ kind: 'web', name: 'Web shop' });

      expect(await cli.stop('SIGTERM')).toBe(0);
    } finally {
      cli.kill();
    }
  }, 180_000);
});
