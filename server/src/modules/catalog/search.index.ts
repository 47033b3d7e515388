/**
 * @module Keeps the full-text index in step with products: after any change to a product (or to a category name
 * it carries), its document is rebuilt in the same transaction. Text is folded here (lower case, no accents) so
 * SQLite FTS5 and PostgreSQL tsvector see the same tokens.
 */
import { sql } from 'kysely';
import { decodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { DbOrTrx } from '../../platform/db/transaction';
import { tokens, type LocalizedText } from './localized';
import { overrideValue } from './product.repository';

interface Document {
  product_id: string;
  /** Titles in every locale, and every channel's title override. */
  title: string;
  /** SKUs (as tokens and run together), GTINs in both forms, the handle. */
  codes: string;
  /** Brand, tags, attribute values, option values, category names. */
  attributes: string;
  /** Descriptions in every locale, and channel overrides of them. */
  description: string;
}

const texts = (value: unknown): string[] => Object.values(decodeJson<LocalizedText>(value) ?? {});
const join = (parts: string[]): string => tokens(parts.join(' ')).join(' ');

async function documents(db: DbOrTrx, ids: string[]): Promise<Document[]> {
  const [products, variants, tags, attributes, categories, overrides] = await Promise.all([
    db
      .selectFrom('catalog_products')
      .select(['id', 'handle', 'brand', 'title', 'description', 'options'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('catalog_variants')
      .select(['product_id', 'sku', 'gtin', 'gtin14', 'title'])
      .where('product_id', 'in', ids)
      .execute(),
    db.selectFrom('catalog_product_tags').selectAll().where('product_id', 'in', ids).execute(),
    db
      .selectFrom('catalog_product_attributes')
      .select(['product_id', 'type', 'value'])
      .where('product_id', 'in', ids)
      .execute(),
    db
      .selectFrom('catalog_product_categories as pc')
      .innerJoin('catalog_categories as c', 'c.id', 'pc.category_id')
      .select(['pc.product_id', 'c.name'])
      .where('pc.product_id', 'in', ids)
      .execute(),
    db
      .selectFrom('catalog_channel_overrides')
      .select(['product_id', 'field', 'value'])
      .where('product_id', 'in', ids)
      .where('field', 'in', ['title', 'description'])
      .execute(),
  ]);
  const docs = new Map<
    string,
    { title: string[]; codes: string[]; attributes: string[]; description: string[] }
  >();
  for (const p of products) {
    const options = decodeJson<Array<{ values: string[]; label?: LocalizedText }>>(p.options);
    docs.set(p.id, {
      title: texts(p.title),
      codes: [p.handle],
      attributes: [p.brand ?? '', ...options.flatMap((o) => o.values)],
      description: texts(p.description),
    });
  }
  for (const v of variants) {
    const d = docs.get(v.product_id)!;
    // The SKU as tokens finds `TEE NAVY`; run together it finds a scanned or typed `TEENAVYM`.
    d.codes.push(v.sku, tokens(v.sku).join(''));
    if (v.gtin) d.codes.push(v.gtin, v.gtin14 ?? '');
    if (v.title != null) d.title.push(...texts(v.title));
  }
  for (const t of tags) docs.get(t.product_id)!.attributes.push(t.tag);
  // Numbers and booleans are poor search terms ("true", "42"): only text attributes are indexed.
  for (const a of attributes) if (a.type === 'text') docs.get(a.product_id)!.attributes.push(a.value);
  for (const c of categories) docs.get(c.product_id)!.attributes.push(...texts(c.name));
  for (const o of overrides) {
    const d = docs.get(o.product_id)!;
    (o.field === 'title' ? d.title : d.description).push(
      ...Object.values((overrideValue(o.value) ?? {}) as LocalizedText),
    );
  }
  return [...docs.entries()].map(([product_id, d]) => ({
    product_id,
    title: join(d.title),
    codes: join(d.codes),
    attributes: join(d.attributes),
    description: join(d.description),
  }));
}

/**
 * Rebuilds the search documents of these products (inside the caller's transaction). Deleted products need
 * nothing: their documents go with them (foreign key cascade).
 * @example await reindexProducts(trx, 'sqlite', ['prd_01J…'])
 */
export async function reindexProducts(db: DbOrTrx, dialect: Dialect, productIds: string[]): Promise<void> {
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const docs = await documents(db, chunk);
    if (docs.length === 0) continue;
    if (dialect === 'postgres') {
      // PostgreSQL: the weights A–D make ts_rank prefer a title hit over a code, attribute or description hit.
      const values = docs.map(
        (d) => sql`(${d.product_id},
          setweight(to_tsvector('simple', ${d.title}), 'A') ||
          setweight(to_tsvector('simple', ${d.codes}), 'B') ||
          setweight(to_tsvector('simple', ${d.attributes}), 'C') ||
          setweight(to_tsvector('simple', ${d.description}), 'D'))`,
      );
      await sql`insert into catalog_search (product_id, document) values ${sql.join(values)}
        on conflict (product_id) do update set document = excluded.document`.execute(db);
    } else {
      // SQLite: the content table's triggers update the FTS5 index; the upsert keeps doc_id, so an update is
      // one delete and one insert in the index.
      const values = docs.map(
        (d) => sql`(${d.product_id}, ${d.title}, ${d.codes}, ${d.attributes}, ${d.description})`,
      );
      await sql`insert into catalog_search (product_id, title, codes, attributes, description)
        values ${sql.join(values)}
        on conflict (product_id) do update set title = excluded.title, codes = excluded.codes,
          attributes = excluded.attributes, description = excluded.description`.execute(db);
    }
  }
}
