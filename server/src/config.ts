/**
 * @module Config: one frozen, validated object built from typed defaults, an optional omnis.config.json and the
 * environment (in rising priority). A bad value is reported as one clear sentence through ConfigError.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { UserFacingError } from './platform/errors';

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    host: Type.String({ minLength: 1 }),
    /** Public base URL used in printed links; defaults to http://localhost:<port>. */
    publicUrl: Type.Optional(Type.String({ minLength: 1 })),
    dataDir: Type.String({ minLength: 1 }),
    /** postgres://… selects PostgreSQL; empty means SQLite in <dataDir>/omnis.db. */
    databaseUrl: Type.Optional(Type.String()),
    logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    bodyLimitBytes: Type.Integer({ minimum: 1024 }),
    sessionTtlMs: Type.Integer({ minimum: 60_000 }),
    loginMaxFailures: Type.Integer({ minimum: 1 }),
    loginWindowMs: Type.Integer({ minimum: 1000 }),
    idempotencyTtlMs: Type.Integer({ minimum: 60_000 }),
    dispatcherPollMs: Type.Integer({ minimum: 10 }),
    realtimeRecheckMs: Type.Integer({ minimum: 10 }),
    trackingEventRetentionMs: Type.Integer({ minimum: 86_400_000 }),
    anonymousProfileRetentionMs: Type.Integer({ minimum: 86_400_000 }),
    webhookTimeoutMs: Type.Integer({ minimum: 100 }),
    /** How long a double opt-in confirmation link stays valid. */
    consentConfirmationTtlMs: Type.Integer({ minimum: 60_000 }),
    /** How long a customer's self-service link (preference centre token) opens their page. */
    customerTokenTtlMs: Type.Integer({ minimum: 60_000 }),
    /** Allow webhook URLs on loopback and private networks (off: a key cannot probe the internal network). */
    webhookAllowPrivateTargets: Type.Boolean(),
    /** Delay before each retry of a failed webhook delivery; its length is the number of retries. */
    webhookRetryScheduleMs: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 0 }),
    /** How long a stock reservation holds its units unless confirmed (a request may ask for another TTL). */
    reservationTtlMs: Type.Integer({ minimum: 1000 }),
    /** Most reservations of one SKU at one location written in one transaction when they arrive together; 1 turns coalescing off. */
    reservationBatchMax: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** How often the job releasing expired reservations runs. */
    reservationExpiryEveryMs: Type.Integer({ minimum: 100 }),
    /** Calendar days a parcel takes from dispatch to delivery, for ship promise dates. */
    shipTransitDays: Type.Integer({ minimum: 0, maximum: 60 }),
    /** Hours a transfer takes from the sending location to a store: the promise of a pickup the store lacks. */
    transferLeadHours: Type.Integer({ minimum: 0, maximum: 24 * 60 }),
    /** How long a click-and-collect order waits at the store once ready before it expires and its stock returns. */
    pickupHoldMs: Type.Integer({ minimum: 60_000 }),
    /** How often the job expiring uncollected pickups runs. */
    pickupExpiryEveryMs: Type.Integer({ minimum: 100 }),
    /** How long units reserved to try in store wait there (no payment online) before they go back on sale. */
    reserveInStoreHoldMs: Type.Integer({ minimum: 60_000 }),
    /** Days without activity after which an anonymous cart (no customer) is deleted; customers' carts are kept. */
    cartExpiryDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** How often the job deleting idle anonymous carts runs. */
    cartExpiryEveryMs: Type.Integer({ minimum: 100 }),
    /** ISO-4217 currency of carts in channels that have none of their own (chat, email, phone): an agent's cart. */
    defaultCurrency: Type.String({ pattern: '^[A-Z]{3}$' }),
    /** Base URL of the test card processor; unset: one is started in-process on loopback with the app. */
    paymentsTestProcessorUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    /** Standard Webhooks secret the test processor signs with (whsec_…); unset: generated per process. */
    paymentsTestWebhookSecret: Type.Optional(Type.String({ pattern: '^whsec_' })),
    /** Contact centre: one continuous conversation per customer across channels, or one per customer and channel. */
    conversationThreading: Type.Enum(['customer', 'channel']),
    /** Largest attachment a message may carry, inbound or outbound. */
    attachmentMaxBytes: Type.Integer({ minimum: 1024 }),
    /** MIME types attachments may have (`image/*` matches every image type); others are refused. */
    attachmentTypes: Type.Array(Type.String({ minLength: 3 }), { minItems: 1 }),
    /** How often the job retrying inbound messages whose processing failed runs. */
    inboundRetryEveryMs: Type.Integer({ minimum: 100 }),
    /** Start the built-in SMTP listener for inbound email with the server's workers. */
    smtpEnabled: Type.Boolean(),
    smtpHost: Type.String({ minLength: 1 }),
    smtpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
    /** Largest inbound email (SMTP or POST /hooks/email), headers and attachments included. */
    emailMaxBytes: Type.Integer({ minimum: 1024 }),
    /** Outbound mail relay (smtp://user:pass@host:port or smtps://…); an email channel's `relay_url` overrides it. */
    emailRelayUrl: Type.Optional(Type.String({ pattern: '^smtps?://' })),
    /** Base URL of Twilio's REST API (tests point it at a loopback peer). */
    twilioApiBaseUrl: Type.String({ pattern: '^https?://' }),
    /** Base URL of Meta's Graph API (Messenger, Instagram, WhatsApp Cloud; tests point it at a loopback peer). */
    metaGraphApiBaseUrl: Type.String({ pattern: '^https?://' }),
    /** Graph API version in every Meta call's path. */
    metaGraphApiVersion: Type.String({ pattern: '^v\\d+\\.\\d+$' }),
    /** Base URL of Telegram's Bot API (tests point it at a loopback peer). */
    telegramBotApiBaseUrl: Type.String({ pattern: '^https?://' }),
    /** How long after a staff user's last console socket closes she is set offline (a reload keeps her online). */
    presenceGraceMs: Type.Integer({ minimum: 0 }),
    /** Directory of the built console; served at / when it exists. */
    consoleDir: Type.String(),
  },
  { additionalProperties: false },
);

export type Config = Readonly<Static<typeof ConfigSchema>>;

const serverRoot = path.resolve(import.meta.dirname, '..');

export const defaultConfig: Static<typeof ConfigSchema> = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: path.resolve(process.cwd(), 'data'),
  logLevel: 'info',
  bodyLimitBytes: 1024 * 1024, // 1 MiB
  sessionTtlMs: 7 * 24 * 3_600_000, // 7 days, sliding
  loginMaxFailures: 5, // per email and per IP …
  loginWindowMs: 15 * 60_000, // … within 15 minutes
  idempotencyTtlMs: 24 * 3_600_000, // 24 hours
  dispatcherPollMs: 250,
  trackingEventRetentionMs: 395 * 86_400_000, // 13 months: a year of comparisons plus a month
  anonymousProfileRetentionMs: 180 * 86_400_000, // 6 months since an anonymous visitor was last seen
  realtimeRecheckMs: 30_000, // how soon a signed-out user's open console stops receiving events
  webhookTimeoutMs: 10_000,
  consentConfirmationTtlMs: 7 * 24 * 3_600_000, // 7 days
  // 30 days: a link in a newsletter should still work when it is read weeks later; revocable at any time.
  customerTokenTtlMs: 30 * 24 * 3_600_000,
  webhookAllowPrivateTargets: false,
  // 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h: about 10 hours of retries, like Standard Webhooks suggests.
  webhookRetryScheduleMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000],
  reservationTtlMs: 15 * 60_000, // 15 minutes: a cart's hold on stock
  reservationBatchMax: 256, // reservations per transaction on a hot SKU (group commit)
  reservationExpiryEveryMs: 10_000, // 10 s: expired units return to sale within seconds
  shipTransitDays: 2, // days in transit after dispatch
  transferLeadHours: 48, // hours from a warehouse (or another store) to the pickup store
  pickupHoldMs: 7 * 86_400_000, // 7 days at the store's desk, then the units go back on sale
  pickupExpiryEveryMs: 60_000, // 1 min: a pickup expires within a minute of its hold ending
  reserveInStoreHoldMs: 48 * 3_600_000, // 48 h: reserved to try in store, then released by the pickup expiry job
  cartExpiryDays: 30, // days: an anonymous visitor's untouched cart, then it is deleted
  cartExpiryEveryMs: 3_600_000, // 1 h: idle anonymous carts go within the hour after their 30 days
  defaultCurrency: 'EUR', // the business's own currency: carts built in channels that sell in none
  conversationThreading: 'customer', // one continuous conversation per customer across channels
  attachmentMaxBytes: 10 * 1024 * 1024, // 10 MiB per attachment
  attachmentTypes: ['image/*', 'audio/*', 'video/*', 'text/plain', 'text/csv', 'application/pdf'],
  inboundRetryEveryMs: 5_000, // 5 s: a failed inbound message is retried within seconds of its backoff ending
  smtpEnabled: true,
  smtpHost: '0.0.0.0',
  smtpPort: 2525, // unprivileged; a relay or port forward brings port 25 here
  emailMaxBytes: 25 * 1024 * 1024, // 25 MiB, what common mail providers accept
  twilioApiBaseUrl: 'https://api.twilio.com',
  metaGraphApiBaseUrl: 'https://graph.facebook.com',
  metaGraphApiVersion: 'v21.0',
  telegramBotApiBaseUrl: 'https://api.telegram.org',
  presenceGraceMs: 30_000, // 30 s: a reload or a brief network drop does not take an agent offline
  consoleDir: path.resolve(serverRoot, '../console/dist'),
};

export class ConfigError extends UserFacingError {}

/** Reads an integer environment variable, failing with the variable's name when it is not one. */
function envInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a whole number, got "${value}".`);
  return Number(value);
}

/** Reads a true/false environment variable (also 1/0), failing with the variable's name otherwise. */
function envBoolean(name: string, value: string): boolean {
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}".`);
}

/** Collects overrides from the environment; only variables that are set count. */
function fromEnv(env: NodeJS.ProcessEnv): Partial<Static<typeof ConfigSchema>> {
  const out: Partial<Static<typeof ConfigSchema>> = {};
  if (env.PORT) out.port = envInteger('PORT', env.PORT);
  if (env.HOST) out.host = env.HOST;
  if (env.OMNIS_PUBLIC_URL) out.publicUrl = env.OMNIS_PUBLIC_URL;
  if (env.OMNIS_DATA_DIR) out.dataDir = path.resolve(env.OMNIS_DATA_DIR);
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL;
  if (env.LOG_LEVEL) out.logLevel = env.LOG_LEVEL as Config['logLevel'];
  // Contact-centre providers: an e2e or staging server points these at loopback peers or sandboxes.
  if (env.OMNIS_SMTP_ENABLED) out.smtpEnabled = envBoolean('OMNIS_SMTP_ENABLED', env.OMNIS_SMTP_ENABLED);
  if (env.OMNIS_SMTP_HOST) out.smtpHost = env.OMNIS_SMTP_HOST;
  if (env.OMNIS_SMTP_PORT) out.smtpPort = envInteger('OMNIS_SMTP_PORT', env.OMNIS_SMTP_PORT);
  if (env.OMNIS_EMAIL_RELAY_URL) out.emailRelayUrl = env.OMNIS_EMAIL_RELAY_URL;
  if (env.OMNIS_TWILIO_API_BASE_URL) out.twilioApiBaseUrl = env.OMNIS_TWILIO_API_BASE_URL;
  if (env.OMNIS_META_GRAPH_API_BASE_URL) out.metaGraphApiBaseUrl = env.OMNIS_META_GRAPH_API_BASE_URL;
  if (env.OMNIS_TELEGRAM_BOT_API_BASE_URL) out.telegramBotApiBaseUrl = env.OMNIS_TELEGRAM_BOT_API_BASE_URL;
  if (env.OMNIS_CART_EXPIRY_DAYS)
    out.cartExpiryDays = envInteger('OMNIS_CART_EXPIRY_DAYS', env.OMNIS_CART_EXPIRY_DAYS);
  if (env.OMNIS_PRESENCE_GRACE_MS)
    out.presenceGraceMs = envInteger('OMNIS_PRESENCE_GRACE_MS', env.OMNIS_PRESENCE_GRACE_MS);
  return out;
}

function fromFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${file} must hold a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of the optional config file; defaults to ./omnis.config.json. */
  file?: string;
  /** Highest-priority overrides, e.g. from CLI flags. */
  overrides?: Partial<Static<typeof ConfigSchema>>;
}

/**
 * Builds the validated Config.
 * @example loadConfig({ overrides: { port: 9090 } }).port // 9090
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const file = options.file ?? path.resolve(process.cwd(), 'omnis.config.json');
  const merged = {
    ...defaultConfig,
    ...fromFile(file),
    ...fromEnv(options.env ?? process.env),
    ...stripUndefined(options.overrides ?? {}),
  };
  const errors = Value.Errors(ConfigSchema, merged);
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const keys = (unknown.params as { additionalProperties: string[] }).additionalProperties;
    throw new ConfigError(`Unknown configuration key ${keys.map((k) => `"${k}"`).join(', ')} in ${file}.`);
  }
  const firstError = errors.find((e) => e.keyword !== 'boolean');
  if (firstError) {
    const key = firstError.instancePath.replace(/^\//, '').replace(/\//g, '.');
    throw new ConfigError(`Configuration value "${key}" ${firstError.message}.`);
  }
  if (merged.databaseUrl && !/^postgres(ql)?:\/\//.test(merged.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset to use SQLite).');
  }
  return Object.freeze(merged);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Hides the password in a connection URL before it is printed or logged. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
