/**
 * @module The downloadable form of a customer export (right of access, "CSV where tabular"): one ZIP holding the
 * JSON archive as it is, plus one CSV file per table of rows, so a person or a spreadsheet can read each table
 * without a JSON tool. The CSVs are derived from the JSON and say nothing it does not.
 */
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync, type Zippable } from 'fflate';

/** What exportCustomer returns: sections per module, arrays of rows per table. */
export interface CustomerExport {
  customer_id: string;
  merged_profiles: string[];
  exported_at: string;
  data: Record<string, Record<string, unknown[]>>;
}

/**
 * How a JSON value is written in a CSV cell: text as it is, numbers and booleans as JSON writes them, objects and
 * arrays as JSON text, and null as an empty cell.
 * @example csvCell({ city: 'Málaga' }) // '{"city":"Málaga"}'
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const isRow = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One table as CSV (RFC 4180: CRLF, fields with commas, quotes or line breaks quoted), with a UTF-8 byte order
 * mark so spreadsheet programs read accents and Cyrillic right. Columns are every key any row has, in the order
 * they first appear. Null for a table whose rows are not objects (it stays in the JSON only).
 */
export function tableCsv(rows: unknown[]): string | null {
  if (rows.length === 0 || !rows.every(isRow)) return null;
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  return stringify(
    rows.map((row) => columns.map((c) => csvCell(row[c]))),
    { header: true, columns, bom: true, record_delimiter: 'windows' },
  );
}

const README = `This archive holds everything Omnis keeps about one person.

export.json   the complete export: one section per part of the system, one list of rows per table.
<section>/<table>.csv   the same rows, one CSV file per table that has any (UTF-8, comma-separated).

In the CSV files an empty cell means no value; values that are themselves lists or records (an address,
the properties of an event) are written as JSON text. Times are ISO-8601 in UTC.
`;

/** Names inside the ZIP: letters, digits, dot, dash and underscore only. */
const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The ZIP of an export: `export.json`, `README.txt` and `<section>/<table>.csv` for every table with rows.
 * @example reply.type('application/zip').send(Buffer.from(exportZip(await privacy.exportCustomer(id))))
 */
export function exportZip(archive: CustomerExport): Uint8Array {
  const mtime = new Date(archive.exported_at);
  const files: Zippable = {
    'export.json': strToU8(`${JSON.stringify(archive, null, 2)}\n`),
    'README.txt': strToU8(README),
  };
  for (const [section, tables] of Object.entries(archive.data)) {
    for (const [table, rows] of Object.entries(tables)) {
      const csv = tableCsv(rows);
      if (csv !== null) files[`${safe(section)}/${safe(table)}.csv`] = strToU8(csv);
    }
  }
  return zipSync(files, { level: 6, mtime });
}
