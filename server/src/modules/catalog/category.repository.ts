/** @module Category and collection queries and row mappers. */
import type { Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { LocalizedText } from './localized';
import type { CatalogCategoryRow, CatalogCollectionRow } from './product.table';

export interface Category {
  id: string;
  parent_id: string | null;
  /** From the root down to the parent. */
  ancestor_ids: string[];
  handle: string;
  name: LocalizedText;
  description: LocalizedText;
  position: number;
  created_at: string;
  updated_at: string;
}

export type CategoryNode = Category & { children: CategoryNode[] };

export interface Collection {
  id: string;
  handle: string;
  title: LocalizedText;
  description: LocalizedText;
  product_count: number;
  created_at: string;
  updated_at: string;
}

/** `/cat_a/cat_b/` → `['cat_a', 'cat_b']`. */
export const pathIds = (path: string): string[] => path.split('/').filter(Boolean);

export function categoryFromRow(row: Selectable<CatalogCategoryRow>): Category {
  return {
    id: row.id,
    parent_id: row.parent_id,
    ancestor_ids: pathIds(row.path).slice(0, -1),
    handle: row.handle,
    name: decodeJson<LocalizedText>(row.name),
    description: decodeJson<LocalizedText>(row.description),
    position: Number(row.position),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function collectionFromRow(row: Selectable<CatalogCollectionRow>, productCount: number): Collection {
  return {
    id: row.id,
    handle: row.handle,
    title: decodeJson<LocalizedText>(row.title),
    description: decodeJson<LocalizedText>(row.description),
    product_count: productCount,
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export const isDuplicateCategoryHandle = (error: unknown): boolean =>
  isUniqueViolation(error, {
    constraint: 'catalog_categories_handle_uq',
    column: 'catalog_categories.handle',
  });

export const isDuplicateCollectionHandle = (error: unknown): boolean =>
  isUniqueViolation(error, {
    constraint: 'catalog_collections_handle_uq',
    column: 'catalog_collections.handle',
  });

export async function findCategoryRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogCategoryRow> | undefined> {
  return db.selectFrom('catalog_categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCollectionRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogCollectionRow> | undefined> {
  return db.selectFrom('catalog_collections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Product counts of collections, in one query. */
export async function collectionCounts(db: DbOrTrx, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog_collection_products')
    .select(['collection_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('collection_id', 'in', ids)
    .groupBy('collection_id')
    .execute();
  return new Map(rows.map((r) => [r.collection_id, Number(r.n)]));
}

/** The whole tree, children ordered by position then handle. Category trees are small (hundreds, not millions). */
export async function categoryTree(db: DbOrTrx): Promise<CategoryNode[]> {
  const rows = await db
    .selectFrom('catalog_categories')
    .selectAll()
    .orderBy('position')
    .orderBy('handle')
    .execute();
  const nodes = new Map(rows.map((r) => [r.id, { ...categoryFromRow(r), children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
