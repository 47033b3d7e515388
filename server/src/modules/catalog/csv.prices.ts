/**
 * @module Prices as CSV: `sku, currency, price, price_list, tax_inclusive` — the price a decimal in the currency's
 * units (`29.95`), `price_list` a list's name (blank: the base price). Import creates or changes each price, all
 * or nothing, through the prices service's batch upsert.
 */
import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../platform/auth/principal';
import { decodeBool } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import {
  invalidFile,
  minorUnits,
  parseCsv,
  problem,
  rowsToWrite,
  type ImportOptions,
  type ImportProblem,
  type ImportSummary,
} from './csv.import';
import { feedPrice } from './feed.google';
import { isCurrency } from './price.money';
import type { PriceInput, PricesService } from './price.service';
import { variantsBySku } from './variant.repository';

export interface PricesCsvDeps {
  db: Db;
  prices: PricesService;
}

/**
 * Every stored price as CSV, ordered by SKU, currency and list (base first).
 * @example const csv = await exportPricesCsv({ db, prices })
 */
export async function exportPricesCsv(deps: PricesCsvDeps): Promise<string> {
  const rows = await deps.db
    .selectFrom('catalog_prices as p')
    .innerJoin('catalog_variants as v', 'v.id', 'p.variant_id')
    .leftJoin('catalog_price_lists as l', 'l.id', 'p.price_list_id')
    .select(['v.sku', 'p.currency', 'p.amount', 'p.tax_inclusive', 'l.name as list'])
    .execute();
  // Sorted here, not in SQL: the two dialects collate text differently, and an export must read the same on both.
  rows.sort((a, b) =>
    a.sku !== b.sku
      ? a.sku < b.sku
        ? -1
        : 1
      : a.currency !== b.currency
        ? a.currency < b.currency
          ? -1
          : 1
        : (a.list ?? '') < (b.list ?? '')
          ? -1
          : 1,
  );
  return stringify([
    ['sku', 'currency', 'price', 'price_list', 'tax_inclusive'],
    ...rows.map((r) => [
      r.sku,
      r.currency,
      feedPrice(Number(r.amount), r.currency).split(' ')[0],
      r.list ?? '',
      decodeBool(r.tax_inclusive) ? 'true' : 'false',
    ]),
  ]);
}

/**
 * Checks every row (known SKU and list, ISO-4217 currency, a non-negative amount with the currency's decimals),
 * then writes all prices in one transaction; a bad row → 422 naming row and column, nothing written.
 * @example await importPricesCsv(deps, 'sku,currency,price\nTEE-M,EUR,19.95\n', actor)
 */
export async function importPricesCsv(
  deps: PricesCsvDeps,
  text: string,
  actor: Actor,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { rows } = parseCsv(text, ['sku', 'currency', 'price']);
  const errors: ImportProblem[] = [];
  const variants = new Map<string, string>();
  const skus = [...new Set(rows.map((r) => r.sku!))];
  for (let i = 0; i < skus.length; i += 500)
    for (const v of await variantsBySku(deps.db, skus.slice(i, i + 500))) variants.set(v.sku, v.id);
  const lists = new Map<string, string[]>();
  for (const l of await deps.db.selectFrom('catalog_price_lists').select(['id', 'name']).execute())
    lists.set(l.name, [...(lists.get(l.name) ?? []), l.id]);
  const seen = new Map<string, number>();
  const inputs = new Map<number, PriceInput>();
  rows.forEach((row, i) => {
    const at = row.__row;
    const variantId = variants.get(row.sku!);
    if (!variantId) errors.push(problem(at, 'sku', `${row.sku || '(blank)'} is not a known SKU`));
    const currency = row.currency!.toUpperCase();
    const currencyOk = isCurrency(currency);
    if (!currencyOk) errors.push(problem(at, 'currency', 'is not an ISO-4217 currency code'));
    const amount = currencyOk ? minorUnits(row.price!, currency) : null;
    if (currencyOk && amount === null)
      errors.push(
        problem(
          at,
          'price',
          `must be a non-negative amount with at most the decimals ${currency} has (29.95)`,
        ),
      );
    const listIds = row.price_list ? lists.get(row.price_list) : undefined;
    if (row.price_list && !listIds)
      errors.push(problem(at, 'price_list', `${row.price_list} is not a known price list`));
    else if (listIds && listIds.length > 1)
      errors.push(problem(at, 'price_list', `${listIds.length} price lists are called ${row.price_list}`));
    const tax = (row.tax_inclusive ?? '').toLowerCase();
    if (tax && tax !== 'true' && tax !== 'false')
      errors.push(problem(at, 'tax_inclusive', 'must be true, false or blank'));
    const key = `${row.sku}|${currency}|${row.price_list ?? ''}`;
    if (seen.has(key)) errors.push(problem(at, 'sku', `repeats the price of row ${seen.get(key)}`));
    seen.set(key, at);
    if (variantId && amount !== null)
      inputs.set(at, {
        variant_id: variantId,
        currency,
        amount,
        price_list_id: listIds?.[0] ?? null,
        ...(tax ? { tax_inclusive: tax === 'true' } : {}),
      });
    options.progress?.('validating', i + 1, rows.length);
  });
  const good = rowsToWrite(rows, errors, options);
  const batch = good.map((r) => inputs.get(r.__row)!);
  try {
    await deps.prices.upsertPrices(batch, actor);
  } catch (err) {
    // The service's own checks (one tax flag per variant and currency) name `body.prices.N.field`: give them rows.
    if (!(err instanceof AppError) || !err.details.errors) throw err;
    throw invalidFile(
      err.details.errors.map((e) => {
        const m = /^body\.prices\.(\d+)\.(\w+)/.exec(e.field);
        const row = m ? good[Number(m[1])]!.__row : 1;
        return problem(row, m?.[2] === 'variant_id' ? 'sku' : (m?.[2] ?? 'file'), e.message);
      }),
    );
  }
  options.progress?.('writing', batch.length, batch.length);
  return {
    kind: 'prices',
    rows: rows.length,
    written: batch.length,
    skipped: rows.length - good.length,
    errors,
  };
}
