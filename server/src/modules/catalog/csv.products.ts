/**
 * @module Products as CSV, one row per variant (the layout shops and spreadsheets know): product columns on each
 * row of a handle, texts per locale (`title_en`, `title_es`…), categories, collections and tags as `a|b`, up to
 * three options as name/value pairs, then `sku` and `gtin`. Import creates the products whose handle is new and
 * updates those whose handle exists (csv.products.update.ts), all or nothing.
 */
import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import type { FieldError } from '../../platform/errors';
import { inTransaction } from '../../platform/db/transaction';
import { createCatalogService, type CatalogDeps } from './catalog.service';
import type { CategoryNode } from './category.repository';
import {
  invalidFile,
  listCell,
  parseCsv,
  problem,
  rowsToWrite,
  type CsvRow,
  type ImportOptions,
  type ImportProblem,
  type ImportSummary,
} from './csv.import';
import { existingCatalog, updatePlanFor, writeUpdate, type UpdatePlan } from './csv.products.update';
import { checkGtin } from './gtin';
import type { LocalizedText } from './localized';
import { productStatuses, type Product, type ProductStatus } from './product.repository';
import { checkProductInput, type ProductInput } from './product.rules';

const OPTIONS = 3;
const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
/** Products per createProducts call inside the one import transaction: progress moves in these steps. */
const CHUNK = 100;

async function handlesById(deps: CatalogDeps) {
  const catalog = createCatalogService(deps);
  const categories = new Map<string, string>();
  const walk = (nodes: CategoryNode[]) =>
    nodes.forEach((n) => {
      categories.set(n.id, n.handle);
      walk(n.children);
    });
  walk(await catalog.categories.retrieveCategoryTree());
  const collections = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await catalog.collections.listCollections({ limit: 200, cursor });
    for (const c of page.data) collections.set(c.id, c.handle);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { categories, collections };
}

/**
 * Every product as CSV, by handle, variants in their order.
 * @example const csv = await exportProductsCsv(deps)
 */
export async function exportProductsCsv(deps: CatalogDeps): Promise<string> {
  const catalog = createCatalogService(deps);
  const products: Product[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.products.listProducts({ limit: 200, cursor });
    products.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  products.sort((a, b) => (a.handle < b.handle ? -1 : 1));
  const { categories, collections } = await handlesById(deps);
  const locales = [
    ...new Set(products.flatMap((p) => [...Object.keys(p.title), ...Object.keys(p.description)])),
  ].sort();
  const header = [
    'handle',
    'status',
    'brand',
    ...locales.map((l) => `title_${l}`),
    ...locales.map((l) => `description_${l}`),
    'categories',
    'collections',
    'tags',
    ...Array.from({ length: OPTIONS }, (_, i) => [`option${i + 1}_name`, `option${i + 1}_value`]).flat(),
    'sku',
    'gtin',
  ];
  const rows = products.flatMap((p) =>
    (p.variants.length > 0 ? p.variants : [null]).map((v) => [
      p.handle,
      p.status,
      p.brand ?? '',
      ...locales.map((l) => p.title[l] ?? ''),
      ...locales.map((l) => p.description[l] ?? ''),
      p.category_ids.map((id) => categories.get(id)).join('|'),
      p.collection_ids.map((id) => collections.get(id)).join('|'),
      p.tags.join('|'),
      ...Array.from({ length: OPTIONS }, (_, i) => {
        const option = p.options[i];
        return option ? [option.name, v?.options[option.name] ?? ''] : ['', ''];
      }).flat(),
      v?.sku ?? '',
      v?.gtin ?? '',
    ]),
  );
  return stringify([header, ...rows]);
}

function localized(row: CsvRow, columns: string[], prefix: string): LocalizedText {
  const text: LocalizedText = {};
  for (const c of columns) if (c.startsWith(prefix) && row[c]) text[c.slice(prefix.length)] = row[c]!;
  return text;
}

function productFrom(
  handle: string,
  group: CsvRow[],
  columns: string[],
  categoryIds: Map<string, string>,
  collectionIds: Map<string, string>,
): ProductInput {
  const first = group[0]!;
  const optionNames = Array.from({ length: OPTIONS }, (_, i) => first[`option${i + 1}_name`]).filter(
    (n): n is string => Boolean(n),
  );
  return {
    handle,
    status: (first.status || 'draft') as ProductStatus,
    brand: first.brand || null,
    title: localized(first, columns, 'title_'),
    description: localized(first, columns, 'description_'),
    category_ids: listCell(first.categories).flatMap((h) => categoryIds.get(h) ?? []),
    collection_ids: listCell(first.collections).flatMap((h) => collectionIds.get(h) ?? []),
    tags: listCell(first.tags),
    options: optionNames.map((name, i) => ({
      name,
      values: [...new Set(group.map((r) => r[`option${i + 1}_value`]!).filter(Boolean))],
    })),
    variants: group.map((r) => ({
      sku: r.sku!,
      gtin: r.gtin || null,
      options: Object.fromEntries(
        optionNames.flatMap((name, i) =>
          r[`option${i + 1}_value`] ? [[name, r[`option${i + 1}_value`]!]] : [],
        ),
      ),
    })),
  };
}

/**
 * Checks every row, then creates the products in one transaction — or, when any row is bad, writes nothing and
 * throws a 422 listing row, column and reason (with `skipInvalid`, the products of bad rows are left out).
 * @example const summary = await importProductsCsv(deps, csvText, actor, { progress: (phase, done, total) => … })
 */
export async function importProductsCsv(
  deps: CatalogDeps,
  text: string,
  actor: Actor,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { rows, columns } = parseCsv(text, ['handle', 'sku']);
  const errors: ImportProblem[] = [];
  const { categories, collections } = await handlesById(deps);
  const categoryIds = new Map([...categories].map(([id, handle]) => [handle, id]));
  const collectionIds = new Map([...collections].map(([id, handle]) => [handle, id]));
  const db: Db = deps.db;
  const gtin14 = (row: CsvRow) => {
    const check = checkGtin(row.gtin ?? '');
    return check.ok ? check.gtin14 : null;
  };
  const existing = await existingCatalog(db, createCatalogService(deps), rows, gtin14);

  const seenSku = new Map<string, number>();
  const seenGtin = new Map<string, number>();
  const groups = new Map<string, CsvRow[]>();
  rows.forEach((row, i) => {
    const at = row.__row;
    const handle = row.handle!;
    if (!HANDLE.test(handle))
      errors.push(problem(at, 'handle', 'must be lower-case letters, digits and dashes'));
    const sku = row.sku!;
    // A SKU may be in the file again only for its own product (an update); another product's is refused.
    const owner = existing.skuOwner.get(sku);
    if (!SKU.test(sku))
      errors.push(
        problem(at, 'sku', 'must be 1–64 letters, digits, . _ / - (starting with a letter or digit)'),
      );
    else if (owner !== undefined && owner !== handle)
      errors.push(problem(at, 'sku', `${sku} is already the SKU of a variant of ${owner}`));
    else if (seenSku.has(sku)) errors.push(problem(at, 'sku', `repeats the SKU of row ${seenSku.get(sku)}`));
    seenSku.set(sku, at);
    if (row.gtin) {
      const check = checkGtin(row.gtin);
      if (!check.ok) errors.push(problem(at, 'gtin', check.message));
      else if (existing.gtinOwner.has(check.gtin14) && existing.gtinOwner.get(check.gtin14) !== sku)
        errors.push(problem(at, 'gtin', `${row.gtin} is already a variant’s GTIN`));
      else if (seenGtin.has(check.gtin14))
        errors.push(problem(at, 'gtin', `repeats the GTIN of row ${seenGtin.get(check.gtin14)}`));
      if (check.ok) seenGtin.set(check.gtin14, at);
    }
    if (row.status && !productStatuses.includes(row.status as ProductStatus))
      errors.push(problem(at, 'status', `must be one of ${productStatuses.join(', ')}`));
    for (const h of listCell(row.categories))
      if (!categoryIds.has(h)) errors.push(problem(at, 'categories', `${h} is not a known category handle`));
    for (const h of listCell(row.collections))
      if (!collectionIds.has(h))
        errors.push(problem(at, 'collections', `${h} is not a known collection handle`));
    for (let o = 1; o <= OPTIONS; o++)
      if (Boolean(row[`option${o}_name`]) !== Boolean(row[`option${o}_value`]))
        errors.push(problem(at, `option${o}_value`, `needs option${o}_name and option${o}_value together`));
    const group = groups.get(handle) ?? [];
    // An existing product keeps its title when the file has none for it (checked with the plan below).
    if (
      group.length === 0 &&
      !existing.products.has(handle) &&
      Object.keys(localized(row, columns, 'title_')).length === 0
    )
      errors.push(
        problem(
          at,
          columns.find((c) => c.startsWith('title_')) ?? 'title_en',
          'the first row of a product needs a title',
        ),
      );
    group.push(row);
    groups.set(handle, group);
    options.progress?.('validating', i + 1, rows.length);
  });
  const inputs = new Map<string, ProductInput>();
  const updates = new Map<string, UpdatePlan>();
  for (const [handle, group] of groups) {
    const current = existing.products.get(handle);
    const plan = current ? updatePlanFor(current, group, columns, { categoryIds, collectionIds }) : null;
    if (plan) updates.set(handle, plan);
    if (plan && Object.keys(plan.after.title).length === 0)
      errors.push(
        problem(
          group[0]!.__row,
          columns.find((c) => c.startsWith('title_'))!,
          'would leave the product without a title',
        ),
      );
    // An update is checked as the product it leaves: file rows first, then the variants the file leaves alone.
    const input = plan ? plan.after : productFrom(handle, group, columns, categoryIds, collectionIds);
    if (!plan) inputs.set(handle, input);
    // The product rules the service applies (option combinations, repeated values…), named by row and column.
    const found: FieldError[] = [];
    checkProductInput(input, 'p', found);
    for (const e of found) {
      const m = /^p\.variants\.(\d+)\.(\w+)/.exec(e.field);
      const row = (m ? group[Number(m[1])] : undefined) ?? group[0]!;
      const column = m?.[2] === 'options' ? 'option1_value' : (m?.[2] ?? e.field.split('.')[1] ?? 'handle');
      if (!errors.some((x) => x.row === row.__row)) errors.push(problem(row.__row, column, e.message));
    }
  }
  // A bad row spoils its whole product: a product is written with all its variants or not at all.
  const badHandles = new Set(errors.map((e) => rows.find((r) => r.__row === e.row)?.handle));
  for (const [handle, group] of groups)
    if (badHandles.has(handle))
      for (const row of group)
        if (!errors.some((e) => e.row === row.__row))
          errors.push(problem(row.__row, 'handle', `product ${handle} has an invalid row`));
  const good = rowsToWrite(rows, errors, options);
  const goodHandles = [...new Set(good.map((r) => r.handle!))];
  const toCreate = goodHandles.flatMap((h) => inputs.get(h) ?? []);
  const toUpdate = goodHandles.flatMap((h) => updates.get(h) ?? []);

  let written = 0;
  await inTransaction(deps.db, async (trx) => {
    // The services join this one transaction: a refusal half-way rolls back every product before it.
    const catalog = createCatalogService({ ...deps, db: trx as unknown as Db });
    for (let i = 0; i < toCreate.length; i += CHUNK) {
      const chunk = toCreate.slice(i, i + CHUNK);
      await catalog.products.createProducts(chunk, actor, 'rows');
      written += chunk.reduce((n, p) => n + p.variants!.length, 0);
      options.progress?.('writing', written, good.length);
    }
    for (const plan of toUpdate) {
      const { problems } = await writeUpdate(catalog, plan, actor);
      // What the checks above could not foresee (a race, a rule only the database knows): nothing is kept.
      if (problems.length > 0) throw invalidFile(problems);
      written += plan.variants.length;
      options.progress?.('writing', written, good.length);
    }
  });
  return {
    kind: 'products',
    rows: rows.length,
    written,
    skipped: rows.length - good.length,
    errors,
    created: toCreate.length,
    updated: toUpdate.length,
  };
}
