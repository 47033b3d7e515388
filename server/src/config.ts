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
  consoleDir: path.resolve(serverRoot, '../console/dist'),
};

export class ConfigError extends UserFacingError {}

/** Reads an integer environment variable, failing with the variable's name when it is not one. */
function envInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a whole number, got "${value}".`);
  return Number(value);
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
