/**
 * @module Stock as CSV: `sku, location, on_hand` (plus `reserved`, `safety_stock`, `available` on export, which
 * import ignores). Import sets on hand as a cycle count per location — the variance goes to the ledger like any
 * count — for every row in one transaction; a bad row (unknown SKU or location code, a fractional or negative
 * quantity) → 422 naming row and column, nothing written.
 */
import { stringify } from 'csv-stringify/sync';
import {
  parseCsv,
  problem,
  rowsToWrite,
  type ImportOptions,
  type ImportProblem,
  type ImportSummary,
} from '../catalog';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { createStockService } from './stock.service';

export interface StockCsvDeps {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
  /** The SKUs among these that the catalog knows (inventory never reads catalog tables itself). */
  knownSkus: (skus: string[]) => Promise<Set<string>>;
}

/** Levels per import transaction step: progress moves in these steps. */
const STEP = 250;

/**
 * Every stock level as CSV, by SKU then location code.
 * @example const csv = await exportStockCsv(deps)
 */
export async function exportStockCsv(deps: Pick<StockCsvDeps, 'db'>): Promise<string> {
  const rows = await deps.db
    .selectFrom('stock_levels as s')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .select(['s.sku', 'l.code', 's.on_hand', 's.reserved', 's.safety_stock'])
    .execute();
  rows.sort((a, b) => (a.sku !== b.sku ? (a.sku < b.sku ? -1 : 1) : a.code < b.code ? -1 : 1));
  return stringify([
    ['sku', 'location', 'on_hand', 'reserved', 'safety_stock', 'available'],
    ...rows.map((r) => {
      const [onHand, reserved, safety] = [r.on_hand, r.reserved, r.safety_stock].map(Number) as [
        number,
        number,
        number,
      ];
      return [r.sku, r.code, onHand, reserved, safety, Math.max(0, onHand - reserved - safety)];
    }),
  ]);
}

/**
 * Checks every row, then sets on hand of each level as counted, all in one transaction.
 * @example await importStockCsv(deps, 'sku,location,on_hand\nTEE-M,MAD01,7\n', actor)
 */
export async function importStockCsv(
  deps: StockCsvDeps,
  text: string,
  actor: Actor,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { rows } = parseCsv(text, ['sku', 'location', 'on_hand']);
  const errors: ImportProblem[] = [];
  const locations = new Map(
    (await deps.db.selectFrom('locations').select(['id', 'code']).execute()).map((l) => [l.code, l.id]),
  );
  const known = new Set<string>();
  const skus = [...new Set(rows.map((r) => r.sku!))];
  for (let i = 0; i < skus.length; i += 500)
    for (const sku of await deps.knownSkus(skus.slice(i, i + 500))) known.add(sku);
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const at = row.__row;
    if (!known.has(row.sku!)) errors.push(problem(at, 'sku', `${row.sku || '(blank)'} is not a known SKU`));
    if (!locations.has(row.location!))
      errors.push(problem(at, 'location', `${row.location || '(blank)'} is not a known location code`));
    if (!/^\d+$/.test(row.on_hand!) || !Number.isSafeInteger(Number(row.on_hand)))
      errors.push(problem(at, 'on_hand', 'must be a whole number of units, 0 or more'));
    const key = `${row.sku}|${row.location}`;
    if (seen.has(key)) errors.push(problem(at, 'sku', `repeats the level of row ${seen.get(key)}`));
    seen.set(key, at);
    options.progress?.('validating', i + 1, rows.length);
  });
  const good = rowsToWrite(rows, errors, options);
  const byLocation = new Map<string, Array<{ sku: string; counted: number }>>();
  for (const row of good) {
    const id = locations.get(row.location!)!;
    byLocation.set(id, [...(byLocation.get(id) ?? []), { sku: row.sku!, counted: Number(row.on_hand) }]);
  }
  let written = 0;
  await inTransaction(deps.db, async (trx) => {
    // Bound to the one transaction, so a failure at any location undoes every count before it.
    const stock = createStockService({
      db: trx as unknown as Db,
      events: deps.events,
      channelExists: deps.channelExists,
    });
    for (const [locationId, lines] of byLocation) {
      for (let i = 0; i < lines.length; i += STEP) {
        await stock.countStock(
          { location_id: locationId, lines: lines.slice(i, i + STEP), reason: 'CSV import' },
          actor,
        );
        written += Math.min(STEP, lines.length - i);
        options.progress?.('writing', written, good.length);
      }
    }
  });
  return { kind: 'stock', rows: rows.length, written, skipped: rows.length - good.length, errors };
}
