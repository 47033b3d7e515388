/**
 * @module The full-text match — the one place where the search differs by dialect — and the category subtree
 * expansion used by the category filter.
 */
import { sql, type SqlBool } from 'kysely';
import type { Dialect } from '../../platform/db/columns';
import type { DbOrTrx } from '../../platform/db/transaction';

/**
 * The full-text condition on `p.id`, and the ranked hits table for ordering.
 * SQLite: FTS5 MATCH with a prefix query per word; bm25 weighs title 10, codes 6, attributes 3, description 1
 * (bm25 is smaller for better hits, so the score is its negation).
 * PostgreSQL: tsquery `word:* & …` against the weighted tsvector under GIN; ts_rank weighs A (title) highest.
 */
export function textMatch(dialect: Dialect, words: string[]) {
  if (dialect === 'sqlite') {
    const match = words.map((w) => `"${w}"*`).join(' ');
    return {
      ids: sql<string>`(select s.product_id from catalog_search_fts join catalog_search s on s.doc_id = catalog_search_fts.rowid where catalog_search_fts match ${match})`,
      hits: sql<{
        product_id: string;
        score: number;
      }>`(select s.product_id, -bm25(catalog_search_fts, 10.0, 6.0, 3.0, 1.0) as score from catalog_search_fts join catalog_search s on s.doc_id = catalog_search_fts.rowid where catalog_search_fts match ${match})`,
    };
  }
  const query = words.map((w) => `${w}:*`).join(' & ');
  return {
    ids: sql<string>`(select product_id from catalog_search where document @@ to_tsquery('simple', ${query}))`,
    hits: sql<{
      product_id: string;
      score: number;
    }>`(select product_id, ts_rank(document, to_tsquery('simple', ${query})) as score from catalog_search where document @@ to_tsquery('simple', ${query}))`,
  };
}

/** Every category id at or below the given ones (one indexed prefix range per category on the path column). */
export async function subtreeIds(db: DbOrTrx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const roots = await db.selectFrom('catalog_categories').select('path').where('id', 'in', ids).execute();
  if (roots.length === 0) return [];
  const rows = await db
    .selectFrom('catalog_categories')
    .select('id')
    .where((eb) =>
      eb.or(
        // Ids hold `_`, a LIKE wildcard: escape it so the prefix is taken literally.
        roots.map((r) => sql<SqlBool>`path like ${r.path.replace(/[\\%_]/g, '\\$&') + '%'} escape '\\'`),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}
