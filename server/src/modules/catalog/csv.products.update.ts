/**
 * @module Product CSV rows for products that already exist: a row whose handle is a product's changes that
 * product, and a row whose SKU is one of its variants changes that variant (a new SKU adds a variant). Only what
 * the file has columns for changes — a title locale, the brand, the tags… — and variants the file leaves out are
 * kept, so an export edited in a spreadsheet imports back to exactly the edit.
 */
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import type { CatalogService } from './catalog.service';
import { listCell, problem, type CsvRow, type ImportProblem } from './csv.import';
import type { LocalizedText } from './localized';
import type { Product, ProductOption, ProductStatus } from './product.repository';
import type { ProductInput, ProductPatch, VariantInput } from './product.rules';

const OPTIONS = 3;

/** What the catalog already holds of a file's handles, SKUs and GTINs. */
export interface ExistingCatalog {
  /** Products by handle, whole (variants included). */
  products: Map<string, Product>;
  /** For a SKU of the file that exists: the handle of its product. */
  skuOwner: Map<string, string>;
  /** For a GTIN (GTIN-14) of the file that exists: the SKU of its variant. */
  gtinOwner: Map<string, string>;
}

/** Looks up, 500 rows at a time, the products, SKUs and GTINs of the file that the catalog already has. */
export async function existingCatalog(
  db: Db,
  catalog: CatalogService,
  rows: CsvRow[],
  gtin14Of: (row: CsvRow) => string | null,
): Promise<ExistingCatalog> {
  const found: ExistingCatalog = { products: new Map(), skuOwner: new Map(), gtinOwner: new Map() };
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const skus = chunk.map((r) => r.sku!).filter(Boolean);
    const gtins = chunk.map(gtin14Of).filter((g): g is string => g !== null);
    const handles = chunk.map((r) => r.handle!).filter(Boolean);
    if (skus.length)
      for (const r of await db
        .selectFrom('catalog_variants as v')
        .innerJoin('catalog_products as p', 'p.id', 'v.product_id')
        .select(['v.sku', 'p.handle'])
        .where('v.sku', 'in', skus)
        .execute())
        found.skuOwner.set(r.sku, r.handle);
    if (gtins.length)
      for (const r of await db
        .selectFrom('catalog_variants')
        .select(['gtin14', 'sku'])
        .where('gtin14', 'in', gtins)
        .execute())
        found.gtinOwner.set(r.gtin14!, r.sku);
    if (handles.length) {
      const ids = await db
        .selectFrom('catalog_products')
        .select('id')
        .where('handle', 'in', handles)
        .execute();
      for (const p of await catalog.products.retrieveProducts(ids.map((r) => r.id)))
        found.products.set(p.handle, p);
    }
  }
  return found;
}

/** One existing product's change: the patch, each row's variant (existing or new), and the product after it. */
export interface UpdatePlan {
  product: Product;
  patch: ProductPatch;
  variants: Array<{ row: CsvRow; id: string | null; input: VariantInput; changed: boolean }>;
  /** Every option value any variant has before or after: the product's options while variants change. */
  between: ProductOption[] | null;
  /** The product as it will be, for the same checks a new product gets. */
  after: ProductInput;
}

/** A product's texts with the file's locale columns applied: a filled cell sets that locale, an empty one drops it. */
function mergeLocales(current: LocalizedText, row: CsvRow, columns: string[], prefix: string): LocalizedText {
  const text: LocalizedText = { ...current };
  for (const c of columns)
    if (c.startsWith(prefix)) {
      const locale = c.slice(prefix.length);
      if (row[c]) text[locale] = row[c]!;
      else delete text[locale];
    }
  return text;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the rows of one existing product change, worked out before anything is written. */
export function updatePlanFor(
  product: Product,
  group: CsvRow[],
  columns: string[],
  refs: { categoryIds: Map<string, string>; collectionIds: Map<string, string> },
): UpdatePlan {
  const first = group[0]!;
  const has = (column: string) => columns.includes(column);
  const optionColumns = columns.some((c) => /^option\d_name$/.test(c));
  const optionNames = Array.from({ length: OPTIONS }, (_, i) => first[`option${i + 1}_name`]).filter(
    (n): n is string => Boolean(n),
  );
  const optionsOf = (row: CsvRow): Record<string, string> =>
    Object.fromEntries(
      optionNames.flatMap((name, i) =>
        row[`option${i + 1}_value`] ? [[name, row[`option${i + 1}_value`]!]] : [],
      ),
    );
  const bySku = new Map(product.variants.map((v) => [v.sku, v]));
  const variants = group.map((row) => {
    const current = bySku.get(row.sku!) ?? null;
    const input: VariantInput = {
      sku: row.sku!,
      gtin: has('gtin') ? row.gtin || null : (current?.gtin ?? null),
      options: optionColumns ? optionsOf(row) : (current?.options ?? {}),
    };
    const changed = !current || current.gtin !== input.gtin || !same(current.options, input.options);
    return { row, id: current?.id ?? null, input, changed };
  });
  const inFile = new Set(group.map((r) => r.sku));
  const untouched = product.variants.filter((v) => !inFile.has(v.sku));

  // Option values keep the product's order (S, M, L); values new in the file follow in file order.
  const valuesOf = (name: string, from: Array<{ options?: Record<string, string> | undefined }>) => {
    const used = new Set(from.map((v) => v.options?.[name]).filter((v): v is string => Boolean(v)));
    const before = product.options.find((o) => o.name === name)?.values ?? [];
    return [...new Set([...before.filter((v) => used.has(v)), ...used])];
  };
  const optionsFrom = (from: Array<{ options?: Record<string, string> | undefined }>): ProductOption[] =>
    optionNames.map((name) => {
      const label = product.options.find((o) => o.name === name)?.label;
      return { name, ...(label ? { label } : {}), values: valuesOf(name, from) };
    });
  const finalVariants = [...variants.map((v) => v.input), ...untouched];
  const options = optionColumns ? optionsFrom(finalVariants) : product.options;

  const patch: ProductPatch = {
    title: mergeLocales(product.title, first, columns, 'title_'),
    description: mergeLocales(product.description, first, columns, 'description_'),
    ...(first.status ? { status: first.status as ProductStatus } : {}),
    ...(has('brand') ? { brand: first.brand || null } : {}),
    ...(has('categories')
      ? { category_ids: listCell(first.categories).flatMap((h) => refs.categoryIds.get(h) ?? []) }
      : {}),
    ...(has('collections')
      ? { collection_ids: listCell(first.collections).flatMap((h) => refs.collectionIds.get(h) ?? []) }
      : {}),
    ...(has('tags') ? { tags: listCell(first.tags) } : {}),
    ...(optionColumns ? { options } : {}),
  };
  return {
    product,
    patch,
    variants,
    // While variants move from old values to new ones, the product must accept both.
    between: optionColumns ? optionsFrom([...product.variants, ...finalVariants]) : null,
    after: {
      handle: product.handle,
      status: patch.status ?? product.status,
      title: patch.title!,
      description: patch.description,
      options,
      variants: finalVariants.map((v) => ({ sku: v.sku, gtin: v.gtin ?? null, options: v.options ?? {} })),
    },
  };
}

/** Whether the plan changes the product's own fields (a row repeated unchanged writes nothing, announces nothing). */
function productChanges(plan: UpdatePlan): boolean {
  const { product, patch } = plan;
  // Lists stored as sets (tags, categories, collections) come back in their own order: compare them sorted.
  const comparable = (k: string, v: unknown) =>
    ['tags', 'category_ids', 'collection_ids'].includes(k) && Array.isArray(v)
      ? [...(v as string[])].sort()
      : v;
  return (Object.keys(patch) as Array<keyof ProductPatch>).some(
    (k) => !same(comparable(k, patch[k]), comparable(k, (product as unknown as Record<string, unknown>)[k])),
  );
}

/** The CSV column a service's refusal is about, for the report. */
function columnOf(field: string): string {
  if (/\.(gtin)$/.test(field)) return 'gtin';
  if (/\.(sku)$/.test(field)) return 'sku';
  if (/options/.test(field)) return 'option1_value';
  return 'handle';
}

/**
 * Writes one plan inside the import's transaction: the product (with options wide enough for old and new
 * values), its variants, then the final options. A refusal becomes problems at the product's rows; the caller
 * rolls the whole file back.
 */
export async function writeUpdate(
  catalog: CatalogService,
  plan: UpdatePlan,
  actor: Actor,
): Promise<{ problems: ImportProblem[] }> {
  const id = plan.product.id;
  const firstRow = plan.variants[0]!.row.__row;
  try {
    if (productChanges(plan))
      await catalog.products.updateProduct(
        id,
        plan.between ? { ...plan.patch, options: plan.between } : plan.patch,
        actor,
      );
    for (const v of plan.variants) {
      if (!v.changed) continue;
      if (v.id)
        await catalog.variants.updateVariant(
          id,
          v.id,
          { gtin: v.input.gtin, options: v.input.options },
          actor,
        );
      else await catalog.variants.createVariant(id, v.input, actor);
    }
    if (plan.between && !same(plan.between, plan.patch.options))
      await catalog.products.updateProduct(id, { options: plan.patch.options }, actor);
    return { problems: [] };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const fields = err.details.errors ?? [{ field: 'handle', message: err.message }];
    return { problems: fields.map((f) => problem(firstRow, columnOf(f.field), f.message)) };
  }
}
