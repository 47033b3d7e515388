/**
 * @module The `omnis` command: start the server, apply migrations, load demo data, create users and API keys.
 * Failures print one clear line (credentials masked) and exit with code 1 — never a stack trace.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { OmnisApp } from './app';
import type { ImportProblem } from './modules/catalog';
import { ConfigError, loadConfig, type Config } from './config';
import type { DatabaseHandle } from './platform/db/database';
import { AppError, UserFacingError } from './platform/errors';
import { roles } from './platform/auth/permissions';

// The app and its drivers load only inside the commands that need them, so `--help` and config errors answer
// at once.
const lazy = {
  app: () => import('./app'),
  bootstrap: () => import('./bootstrap'),
  seed: () => import('./demo/seed'),
  database: () => import('./platform/db/database'),
  migrator: () => import('./platform/db/migrator'),
  principal: () => import('./platform/auth/principal'),
  secrets: () => import('./platform/auth/secrets'),
  catalog: () => import('./modules/catalog'),
};

const out = (line = '') => process.stdout.write(`${line}\n`);

interface CommonFlags {
  dataDir?: string;
  databaseUrl?: string;
  config?: string;
}

const parsePort = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number (0–65535).');
  return port;
};

function configFrom(flags: CommonFlags & { port?: number; host?: string }): Config {
  // Only the default ./omnis.config.json is optional: a file named on the command line must exist, or a typo
  // would silently start on defaults (SQLite, port 8080) instead of the intended settings.
  if (flags.config && !existsSync(flags.config))
    throw new ConfigError(`Config file ${path.resolve(flags.config)} does not exist.`);
  return loadConfig({
    ...(flags.config ? { file: flags.config } : {}),
    overrides: { port: flags.port, host: flags.host, dataDir: flags.dataDir, databaseUrl: flags.databaseUrl },
  });
}

async function openAndMigrate(config: Config): Promise<DatabaseHandle> {
  const { openDatabase } = await lazy.database();
  const { migrateToLatest } = await lazy.migrator();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) out(`✔ Database ${database.location}: applied ${applied.length} migration(s)`);
  return database;
}

/** Runs `fn` with the services of an app that serves nothing, then closes everything. */
async function withServices<T>(flags: CommonFlags, fn: (omnis: OmnisApp) => Promise<T>): Promise<T> {
  const config = configFrom(flags);
  const database = await openAndMigrate(config);
  const { buildApp } = await lazy.app();
  const omnis = await buildApp(config, { database, logger: false, workers: false });
  try {
    return await fn(omnis);
  } finally {
    await omnis.app.close();
    await database.close();
  }
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'where the SQLite database lives (env OMNIS_DATA_DIR; default ./data)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)')
    .option('--config <file>', 'configuration file (default ./omnis.config.json, optional)');
}

async function start(flags: CommonFlags & { port?: number; host?: string; demo?: boolean }): Promise<void> {
  const config = configFrom(flags);
  const database = await openAndMigrate(config);
  // People watching a terminal get readable logs; services and log shippers get JSON lines.
  const logger = process.stdout.isTTY
    ? {
        level: config.logLevel,
        transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
      }
    : { level: config.logLevel };
  const [{ buildApp }, { bootstrapOwner }, { seedDemo, DemoNotEmptyError }] = await Promise.all([
    lazy.app(),
    lazy.bootstrap(),
    lazy.seed(),
  ]);
  const omnis = await buildApp(config, { database, logger });
  const firstRun = await bootstrapOwner(omnis.services);
  let demo: Awaited<ReturnType<typeof seedDemo>> | null = null;
  if (flags.demo) {
    try {
      demo = await seedDemo(omnis.services, (line) => out(`  demo ${line}`));
    } catch (err) {
      if (!(err instanceof DemoNotEmptyError)) throw err;
      out(`ℹ ${err.message}`);
    }
  }
  try {
    await omnis.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await omnis.app.close();
    await database.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`Port ${config.port} is already in use; pick another with --port or PORT.`);
    throw err;
  }
  const address = omnis.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  out('');
  out(`Omnis is running at ${url}`);
  out(`  console   ${url}/`);
  out(`  API docs  ${url}/docs`);
  out(`  database  ${database.location}`);
  if (firstRun) {
    out('');
    out('First run: an owner account and an API key were created. They are shown only now — keep them safe.');
    out(`  login     ${firstRun.email}`);
    out(`  password  ${firstRun.password}`);
    out(`  API key   ${firstRun.apiKey}`);
  }
  if (demo) {
    out('');
    out(
      `Demo data loaded: Alba Home & Style, ${demo.channels} channels, ${demo.locations} locations, ${demo.staff.length} staff users, ${demo.customers.profiles} customer profiles (${demo.customers.merges} merged by identity resolution, ${demo.customers.conflicts} refused).`,
    );
    out(
      `  catalog: ${demo.catalog.products} products, ${demo.catalog.skus} SKUs, ${demo.catalog.units} units in stock; promotion code ${demo.catalog.promotionCodes.join(', ')}`,
    );
    for (const s of demo.staff) out(`  ${s.role.padEnd(9)} ${s.email}`);
    out(`  password  ${demo.staffPassword} (all demo staff)`);
    out(`  web shop publishable key ${demo.webPublishableKey}`);
    for (const shop of demo.shops.slice(1))
      out(`  ${shop.name} (${shop.currency}) publishable key ${shop.key}`);
    out(`  storefront ${url}/shop?${demo.shops.map((s) => `key=${s.key}`).join('&')}`);
  }
  out('');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    omnis.app.log.info({ signal }, 'shutting down: finishing requests in flight');
    omnis.app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export function buildCli(): Command {
  const program = new Command('omnis')
    .description(
      'Omnis — one backend for every channel: stores, web, app, email, chat, SMS, WhatsApp and social.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  omnis start --demo            start on :8080 with demo data\n  omnis user create --email ana@shop.example --name Ana --role agent\n  omnis apikey create --name "ERP sync" --role admin\n\nEnvironment: PORT, OMNIS_DATA_DIR, DATABASE_URL, LOG_LEVEL, OMNIS_PUBLIC_URL',
    );

  addCommonOptions(
    program
      .command('start')
      .description('apply migrations, create the first owner on first run, and serve the API and console')
      .option('-p, --port <port>', 'port to listen on (env PORT; default 8080)', parsePort)
      .option('--host <host>', 'interface to bind (default 0.0.0.0)')
      .option('--demo', 'load the demo retailer into an empty database'),
  ).action(start);

  addCommonOptions(
    program.command('migrate').description('apply pending database migrations and exit'),
  ).action(async (flags: CommonFlags) => {
    const config = configFrom(flags);
    const database = await openAndMigrate(config);
    out(`✔ Schema is up to date (${database.location}).`);
    await database.close();
  });

  addCommonOptions(
    program
      .command('seed')
      .description('load demo data into an empty database')
      .requiredOption('--demo', 'the demo retailer (the only data set so far)'),
  ).action(async (flags: CommonFlags) =>
    withServices(flags, async ({ services }) => {
      const { seedDemo } = await lazy.seed();
      const result = await seedDemo(services, (line) => out(`  ${line}`));
      out(
        `✔ Demo data loaded: ${result.channels} channels, ${result.locations} locations, ${result.staff.length} staff users, ${result.customers.profiles} customer profiles (${result.customers.merges} merged by identity resolution, ${result.customers.conflicts} refused).`,
      );
      out(
        `  catalog: ${result.catalog.products} products, ${result.catalog.skus} SKUs, ${result.catalog.units} units in stock; promotion code ${result.catalog.promotionCodes.join(', ')}`,
      );
      out(`  password for all demo staff: ${result.staffPassword}`);
      out(`  web shop publishable key: ${result.webPublishableKey}`);
      for (const shop of result.shops.slice(1))
        out(`  ${shop.name} (${shop.currency}) publishable key: ${shop.key}`);
    }),
  );

  addCsvCommands(program);

  const user = program.command('user').description('manage staff users');
  addCommonOptions(
    user
      .command('create')
      .description('create a staff user (prints a generated password unless --password is given)')
      .requiredOption('--email <email>', 'sign-in email')
      .requiredOption('--name <name>', 'display name')
      .addOption(new Option('--role <role>', 'role').choices([...roles]).makeOptionMandatory())
      .option('--password <password>', 'initial password (at least 10 characters)')
      .addOption(
        new Option('--locale <locale>', 'console language').choices(['en', 'es', 'ru']).default('en'),
      ),
  ).action(
    async (
      flags: CommonFlags & { email: string; name: string; role: string; password?: string; locale: string },
    ) =>
      withServices(flags, async ({ services }) => {
        const [{ generatePassword }, { systemActor }] = await Promise.all([lazy.secrets(), lazy.principal()]);
        const password = flags.password ?? generatePassword();
        const created = await services.users.createUser(
          { email: flags.email, name: flags.name, role: flags.role, password, locale: flags.locale },
          null,
          systemActor,
        );
        out(`✔ Created ${created.role} ${created.email} (${created.id})`);
        if (!flags.password) out(`  password ${password}`);
      }),
  );

  const apikey = program.command('apikey').description('manage API keys');
  addCommonOptions(
    apikey
      .command('create')
      .description(
        'create a secret key (--role) or a publishable key (--publishable --channel <id>); printed once',
      )
      .requiredOption('--name <name>', 'what the key is for')
      .addOption(new Option('--role <role>', 'role of a secret key').choices([...roles]))
      .option('--publishable', 'create a publishable pk_… key for a channel')
      .option('--channel <id>', 'channel of a publishable key'),
  ).action(
    async (flags: CommonFlags & { name: string; role?: string; publishable?: boolean; channel?: string }) => {
      if (flags.publishable && !flags.channel)
        throw new ConfigError('--publishable needs --channel <channel id>.');
      if (flags.publishable && flags.role)
        throw new ConfigError('Publishable keys have no role; drop --role.');
      if (!flags.publishable && !flags.role)
        throw new ConfigError('A secret key needs --role (or use --publishable --channel <id>).');
      return withServices(flags, async ({ services }) => {
        const { systemActor } = await lazy.principal();
        const key = await services.apiKeys.createApiKey(
          flags.publishable
            ? { kind: 'publishable', name: flags.name, channel_id: flags.channel }
            : { kind: 'secret', name: flags.name, role: flags.role },
          systemActor,
        );
        out(`✔ Created ${key.kind} key "${key.name}" (${key.id}). It is shown only now:`);
        out(key.key);
      });
    },
  );

  return program;
}

const csvKindChoices = ['products', 'prices', 'stock'];

/** `omnis import <kind> <file>` and `omnis export <kind> [file]`: the HTTP routes' functions, from a terminal. */
function addCsvCommands(program: Command): void {
  addCommonOptions(
    program
      .command('import')
      .description(
        'import products, prices or stock from a CSV file: every row is checked before anything is written',
      )
      .addArgument(new Argument('<kind>', 'what the file holds').choices(csvKindChoices))
      .argument('<file>', 'CSV file with a header row')
      .option(
        '--skip-invalid',
        'write the valid rows and report the others (default: write nothing if any is bad)',
      )
      .option('--report <file>', 'also write the validation report (row, column, reason) to this CSV file'),
  ).action(
    async (
      kind: 'products' | 'prices' | 'stock',
      file: string,
      flags: CommonFlags & { skipInvalid?: boolean; report?: string },
    ) => {
      if (!existsSync(file)) throw new ConfigError(`File ${path.resolve(file)} does not exist.`);
      const text = readFileSync(file, 'utf8');
      return withServices(flags, async ({ services }) => {
        const [{ progressBar, reportLines, writeReport }, { systemActor }] = await Promise.all([
          lazy.catalog(),
          lazy.principal(),
        ]);
        const bar = progressBar(kind, process.stderr);
        let summary;
        try {
          summary = await services.csv[kind].import(text, systemActor, {
            skipInvalid: flags.skipInvalid,
            progress: bar,
          });
        } catch (err) {
          bar.end();
          // Only a file's validation report (problems carrying a row) is printed as a report.
          const errors = (err instanceof AppError ? (err.details.errors ?? []) : []) as ImportProblem[];
          if (errors.length === 0 || typeof errors[0]!.row !== 'number') throw err;
          for (const line of reportLines(errors)) process.stderr.write(`  ${line}\n`);
          if (flags.report) writeReport(flags.report, errors);
          throw new UserFacingError(
            `${errors.length} problem(s) in ${file}; nothing was written${flags.report ? ` (report in ${flags.report})` : ''}.`,
          );
        }
        bar.end();
        for (const line of reportLines(summary.errors)) process.stderr.write(`  ${line}\n`);
        if (flags.report) writeReport(flags.report, summary.errors);
        out(
          `✔ Imported ${summary.written} of ${summary.rows} ${kind} row(s)${summary.skipped ? `; skipped ${summary.skipped} invalid row(s)` : ''}.`,
        );
      });
    },
  );

  addCommonOptions(
    program
      .command('export')
      .description('export products, prices or stock as CSV (the layout import takes)')
      .addArgument(new Argument('<kind>', 'what to export').choices(csvKindChoices))
      .argument('[file]', 'where to write (default: standard output)'),
  ).action(async (kind: 'products' | 'prices' | 'stock', file: string | undefined, flags: CommonFlags) =>
    withServices(flags, async ({ services }) => {
      const csv = await services.csv[kind].export();
      if (!file) return void process.stdout.write(csv);
      writeFileSync(file, csv);
      process.stderr.write(
        `✔ Exported ${Math.max(0, csv.split('\n').length - 2)} ${kind} row(s) to ${file}\n`,
      );
    }),
  );
}

/** One line for the user; the stack only with OMNIS_DEBUG=1. */
export function describeFailure(err: unknown): string {
  if (err instanceof UserFacingError) return err.message;
  if (err instanceof AppError)
    return err.details.errors?.length
      ? `${err.message} (${err.details.errors.map((e) => `${e.field.replace(/^body\./, '')} ${e.message}`).join('; ')})`
      : err.message;
  return err instanceof Error ? err.message : String(err);
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1]);
if (isMain) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`omnis: ${describeFailure(err)}\n`);
      if (process.env.OMNIS_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
      process.exit(1);
    });
}
