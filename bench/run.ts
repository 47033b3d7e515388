/**
 * @module Benchmark runner: `npm run bench -- <name> [flags]` runs one named benchmark and prints its figures
 * next to a baseline measured in the same run. No name prints the usage; an unknown name or flag fails.
 */
import { parseArgs } from 'node:util';
import { checkoutBenchmark } from './checkout';
import { httpBenchmark, type HttpBenchOptions } from './http';
import { ingestBenchmark } from './ingest';
import { inventoryBenchmark } from './inventory';
import { messagesBenchmark } from './messages';
import { searchBenchmark, type SearchBenchOptions } from './search';

interface Benchmark {
  description: string;
  /** Concurrent connections when --connections is not given (default 50). */
  defaultConnections?: number;
  run(options: HttpBenchOptions & Partial<SearchBenchOptions>): Promise<void>;
}

const benchmarks: Record<string, Benchmark> = {
  checkout: checkoutBenchmark,
  http: httpBenchmark,
  ingest: ingestBenchmark,
  inventory: inventoryBenchmark,
  messages: messagesBenchmark,
  search: searchBenchmark,
};

const usage = `Usage: npm run bench -- <name> [flags]

Benchmarks:
${Object.entries(benchmarks)
  .map(([name, b]) => `  ${name.padEnd(8)} ${b.description}`)
  .join('\n')}

Flags:
  --duration <s>        seconds measured per target (default 10)
  --warmup <s>          seconds of discarded load before each measurement (default 2)
  --connections <n>     concurrent connections (default 50; ingest: 4; inventory: 64 reserving clients;
                        checkout: 16 shoppers; messages: 32 webhook senders)
  --database-url <url>  run Omnis on PostgreSQL, in a fresh schema dropped afterwards
                        (env OMNIS_BENCH_DATABASE_URL; default SQLite in a temporary directory)
  --profiles <n>        search: customer profiles loaded before measuring (default 1000000)
`;

/** Reads a positive whole number flag, failing with the flag's name. */
function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(`--${name} must be a whole number of at least 1, got "${value}".`);
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        'database-url': { type: 'string' },
        profiles: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${usage}`);
    return 1;
  }
  const [name, ...extra] = parsed.positionals;
  if (name === undefined || parsed.values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const benchmark = Object.hasOwn(benchmarks, name) ? benchmarks[name] : undefined;
  if (!benchmark || extra.length > 0) {
    const what = benchmark ? `unexpected argument "${extra[0]}"` : `unknown benchmark "${name}"`;
    process.stderr.write(`bench: ${what}.\n\n${usage}`);
    return 1;
  }
  let options: HttpBenchOptions & Partial<SearchBenchOptions>;
  try {
    options = {
      durationS: positiveInteger('duration', parsed.values.duration, 10),
      warmupS: positiveInteger('warmup', parsed.values.warmup, 2),
      connections: positiveInteger(
        'connections',
        parsed.values.connections,
        benchmark.defaultConnections ?? 50,
      ),
      databaseUrl: parsed.values['database-url'] || process.env.OMNIS_BENCH_DATABASE_URL || undefined,
      profiles: positiveInteger('profiles', parsed.values.profiles, 1_000_000),
    };
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    return 1;
  }
  await benchmark.run(options);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // The stack only with OMNIS_DEBUG=1, as for the omnis command.
    const detail = err instanceof Error ? (process.env.OMNIS_DEBUG ? err.stack : err.message) : String(err);
    process.stderr.write(`bench: ${detail}\n`);
    process.exit(1);
  },
);
