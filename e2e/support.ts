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

/** The demo's shared staff password and the EUR web shop's publishable key, as `omnis start --demo` prints them. */
export function demoCredentials(server: RunningServer): { staffPassword: string; webShopKey: string } {
  const output = server.output();
  return {
    staffPassword: /password\s+(\S+) \(all demo staff\)/.exec(output)?.[1] ?? '',
    webShopKey: /web shop publishable key (pk_\S+)/.exec(output)?.[1] ?? '',
  };
}

export type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** A JSON client of the server with one key (secret `sk_…` or publishable `pk_…`); a non-2xx answer throws. */
export function apiClient(server: RunningServer, key = server.apiKey): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Signs a staff user in to the console and waits for the landing page. */
export async function signIn(
  page: Page,
  server: RunningServer,
  email = server.email,
  password = server.password,
) {
  await page.goto(server.url);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL(/\/customers$/);
}

/** A product of the /shop catalog and the variant (SKU and its option values) a shopper picks. */
export interface ShopPick {
  product: { handle: string; title: string };
  sku: string;
  options: Record<string, string>;
}

interface ShopProduct {
  handle: string;
  title: string;
  variants: Array<{ sku: string; options: Record<string, string> }>;
}

/**
 * Variants of `count` different products that the location with this code has at least `units` of, found through
 * the storefront API (publishable key) the way the shop itself finds them.
 */
export async function shopPicksAt(
  store: Api,
  locationCode: string,
  count: number,
  units = 2,
): Promise<ShopPick[]> {
  const list = await store<{ data: ShopProduct[] }>('GET', '/store/v1/products?limit=60&locale=en');
  const picks: ShopPick[] = [];
  for (const product of list.data) {
    const skus = product.variants.map((v) => v.sku).join(',');
    const where = await store<{
      skus: Array<{ sku: string; locations: Array<{ code: string; available: number }> }>;
    }>('GET', `/store/v1/availability?skus=${skus}`);
    const held = where.skus.find((s) =>
      s.locations.some((l) => l.code === locationCode && l.available >= units),
    );
    if (held)
      picks.push({
        product,
        sku: held.sku,
        options: product.variants.find((v) => v.sku === held.sku)!.options,
      });
    if (picks.length === count) return picks;
  }
  throw new Error(`the demo has no ${count} products with ${units} units at ${locationCode}`);
}

/** On the shop's product page: chooses the variant's options and adds it to the bag. */
export async function addToBag(page: Page, server: RunningServer, pick: ShopPick): Promise<void> {
  await page.goto(`${server.url}/shop/p/${pick.product.handle}`);
  await page.getByTestId('shop-product').waitFor();
  for (const [name, value] of Object.entries(pick.options)) {
    const testId = name === 'colour' ? 'shop-colour' : 'shop-size';
    await page.locator(`[data-testid="${testId}"][data-value="${value}"]`).click();
  }
  await page.getByTestId('shop-variant-sku').getByText(`Ref. ${pick.sku}`, { exact: true }).waitFor();
  await page.getByTestId('shop-add-to-bag').click();
  await page.getByTestId('shop-added').waitFor();
}
