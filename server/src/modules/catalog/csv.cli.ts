/**
 * @module What `omnis import` and `omnis export` show a person: a progress bar on stderr (redrawn in place on a
 * terminal, one line per tenth when piped into a log) and the validation report (row, column, reason), printed and
 * optionally written to a CSV file.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { ImportOptions, ImportProblem } from './csv.import';

const WIDTH = 30;

/**
 * A progress callback drawing `label validating [#####-----] 50% 1000/2000` on `stream`.
 * @example const progress = progressBar('products', process.stderr); progress('writing', 10, 20)
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream,
): NonNullable<ImportOptions['progress']> & { end(): void } {
  let lastPhase = '';
  let lastTenth = -1;
  let drawn = false;
  const draw = (phase: string, done: number, total: number) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * WIDTH);
    const line = `${label} ${phase.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`;
    if (stream.isTTY) {
      stream.write(`\r${line}`);
      drawn = true;
      return;
    }
    // Piped output gets whole lines, not carriage returns: one per phase per tenth.
    const tenth = Math.floor(ratio * 10);
    if (phase !== lastPhase) lastTenth = -1;
    if (tenth !== lastTenth) {
      stream.write(`${line}\n`);
      lastTenth = tenth;
    }
    lastPhase = phase;
  };
  return Object.assign(draw, {
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  });
}

/** Report lines a terminal shows before pointing at --report for the rest. */
const SHOWN = 50;

/** `row 3, gtin: has a wrong check digit (expected 1)` lines, the first 50 and how many more there are. */
export function reportLines(errors: ImportProblem[]): string[] {
  const lines = errors.slice(0, SHOWN).map((e) => `row ${e.row}, ${e.column}: ${e.reason}`);
  if (errors.length > SHOWN)
    lines.push(`… and ${errors.length - SHOWN} more (--report <file> writes them all)`);
  return lines;
}

/** The report as CSV (`row,column,reason`), for a spreadsheet next to the file it describes. */
export function writeReport(file: string, errors: ImportProblem[]): void {
  writeFileSync(
    file,
    stringify([['row', 'column', 'reason'], ...errors.map((e) => [e.row, e.column, e.reason])]),
  );
}
