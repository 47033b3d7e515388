/**
 * @module What every CSV import shares: parsing with csv-parse, the validation report (row, column, reason),
 * progress callbacks for the CLI's bar, and the rule that a file with a bad row writes nothing — unless the caller
 * asked to skip invalid rows, and then only the good ones are written, in one transaction.
 */
import { parse } from 'csv-parse/sync';
import { AppError, type FieldError } from '../../platform/errors';

/** A problem with one cell: `row` counts as a spreadsheet does (the header is row 1). */
export interface ImportProblem extends FieldError {
  row: number;
  column: string;
  reason: string;
}

export interface ImportOptions {
  /** Write the valid rows and report the others, instead of writing nothing. */
  skipInvalid?: boolean | undefined;
  /** `phase` is `validating` or `writing`; `done` of `total` rows. */
  progress?: ((phase: 'validating' | 'writing', done: number, total: number) => void) | undefined;
}

export interface ImportSummary {
  kind: string;
  /** Data rows in the file. */
  rows: number;
  /** Rows written. */
  written: number;
  /** Rows left out (only with skipInvalid). */
  skipped: number;
  errors: ImportProblem[];
  /** Products import: products made new, and existing products the file named (changed where it differs). */
  created?: number;
  updated?: number;
}

export type CsvRow = Record<string, string> & { __row: number };

export const problem = (row: number, column: string, reason: string): ImportProblem => ({
  field: `row ${row}.${column}`,
  message: reason,
  row,
  column,
  reason,
});

/**
 * Parses CSV text with a header row; every value a trimmed string. Rows that are entirely empty are skipped.
 * A file that is not CSV (an unclosed quote, a row with more cells than the header) is one problem at its line.
 */
export function parseCsv(text: string, required: string[]): { rows: CsvRow[]; columns: string[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count_less: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    throw invalidFile([problem(line, 'file', `is not valid CSV: ${(err as Error).message}`)]);
  }
  const [header, ...data] = records;
  if (!header) throw invalidFile([problem(1, 'file', 'is empty: a header row is required')]);
  const columns = header.map((h) => h.toLowerCase());
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0)
    throw invalidFile(missing.map((c) => problem(1, c, 'is a required column missing from the header')));
  const rows = data.map((cells, i) => {
    const row = { __row: i + 2 } as CsvRow;
    columns.forEach((c, j) => (row[c] = cells[j] ?? ''));
    return row;
  });
  return { rows, columns };
}

/** 422 with every problem: what the HTTP route answers and the CLI prints. */
export function invalidFile(errors: ImportProblem[]): AppError {
  const shown = errors
    .slice(0, 5)
    .map((e) => `row ${e.row} ${e.column}: ${e.reason}`)
    .join('; ');
  return new AppError(
    'unprocessable',
    `The file has ${errors.length} problem(s); nothing was written. ${shown}${errors.length > 5 ? '; …' : ''}`,
    { errors },
  );
}

/**
 * The rows to write: all of them when none is bad; the good ones when skipping; else a 422 listing everything.
 * Problems are reported in file order.
 */
export function rowsToWrite<T extends { __row: number }>(
  rows: T[],
  errors: ImportProblem[],
  options: ImportOptions,
): T[] {
  errors.sort((a, b) => a.row - b.row);
  if (errors.length > 0 && !options.skipInvalid) throw invalidFile(errors);
  const bad = new Set(errors.map((e) => e.row));
  return rows.filter((r) => !bad.has(r.__row));
}

/** `a|b|c` → ['a', 'b', 'c'], blanks dropped. */
export const listCell = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A decimal amount in a currency's minor units, or null when it is not one: `29.95` EUR → 2995; `29.955` → null.
 * @example minorUnits('29.9', 'EUR') // 2990
 */
export function minorUnits(text: string, currency: string): number | null {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits!;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}
