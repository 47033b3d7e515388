/**
 * @module End-to-end support: a real Omnis server started through the CLI exactly as a user would (fresh data
 * directory, first-run credentials read from its output), a real Chromium driven by playwright-core, and a real
 * HTTP receiver on loopback for webhooks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const screenshotDir = path.join(root, 'e2e', 'screenshots');

export interface RunningServer {
  url: string;
  email: string;
  password: string;
  apiKey: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `omnis start --port 0` on a fresh data directory and waits for the first-run credentials. */
export async function startServer(extraArgs: string[] = []): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnis-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/src/cli.ts',
      'start',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/API key\s+sk_\S+/.test(output)) {
    if (child.exitCode !== null) throw new Error(`omnis start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`omnis start did not print its first-run credentials in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pick = (re: RegExp) => re.exec(output)?.[1] ?? '';
  return {
    url: pick(/Omnis is running at (\S+)/),
    email: pick(/login\s+(\S+)/),
    password: pick(/password\s+(\S+)/),
    apiKey: pick(/API key\s+(sk_\S+)/),
    output: () => output,
    async stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot under e2e/screenshots/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

export interface WebhookReceiver {
  url: string;
  received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on loopback that answers 200 and keeps what it received. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/omnis-hook`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
