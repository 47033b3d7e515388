/**
 * @module The catalog's product tables: products and their variants (SKU, GTIN), categories (a tree), collections,
 * tags, typed attributes, size charts, channel publication with explicit per-channel overrides, and the full-text
 * search index. Prices and promotions live in their own migrations (0420–0439) and read `catalog_variants`.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const t = columnTypes(dialect);

  await db.schema
    .createTable('catalog_products')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('handle', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('brand', t.text)
    // Localized texts are `{ "en": "…", "es": "…" }` maps; the locale match happens in the mapper's callers.
    .addColumn('title', t.json, (c) => c.notNull())
    .addColumn('description', t.json, (c) => c.notNull())
    .addColumn('options', t.json, (c) => c.notNull())
    .addColumn('media', t.json, (c) => c.notNull())
    // An explicitly attached chart; otherwise one is inherited from the categories or the brand.
    .addColumn('size_chart_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_products_handle_uq')
    .on('catalog_products')
    .column('handle')
    .unique()
    .execute();
  await db.schema
    .createIndex('catalog_products_status_idx')
    .on('catalog_products')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('catalog_products_brand_idx')
    .on('catalog_products')
    .columns(['brand', 'id'])
    .execute();

  await db.schema
    .createTable('catalog_variants')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('sku', t.text, (c) => c.notNull())
    // The GTIN as entered (8, 12, 13 or 14 digits) and zero-padded to 14, which is what makes a UPC-A scan find
    // the EAN-13 of the same item, and what uniqueness is decided on.
    .addColumn('gtin', t.text)
    .addColumn('gtin14', t.text)
    .addColumn('title', t.json)
    .addColumn('options', t.json, (c) => c.notNull())
    .addColumn('media', t.json, (c) => c.notNull())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // Named so the repository can tell a duplicate SKU or GTIN from any other constraint failure.
  await db.schema
    .createIndex('catalog_variants_sku_uq')
    .on('catalog_variants')
    .column('sku')
    .unique()
    .execute();
  await db.schema
    .createIndex('catalog_variants_gtin14_uq')
    .on('catalog_variants')
    .column('gtin14')
    .unique()
    .execute();
  await db.schema
    .createIndex('catalog_variants_product_idx')
    .on('catalog_variants')
    .columns(['product_id', 'position'])
    .execute();

  await db.schema
    .createTable('catalog_categories')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('parent_id', t.id, (c) => c.references('catalog_categories.id'))
    // Materialized path `/cat_a/cat_b/`: a subtree is one prefix range, so "shoes and everything under it" is a
    // single indexed LIKE rather than a recursive query.
    .addColumn('path', t.text, (c) => c.notNull())
    .addColumn('handle', t.text, (c) => c.notNull())
    .addColumn('name', t.json, (c) => c.notNull())
    .addColumn('description', t.json, (c) => c.notNull())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_categories_handle_uq')
    .on('catalog_categories')
    .column('handle')
    .unique()
    .execute();
  await db.schema
    .createIndex('catalog_categories_parent_idx')
    .on('catalog_categories')
    .column('parent_id')
    .execute();
  const pathOps = dialect === 'postgres' ? sql` text_pattern_ops` : sql``;
  await db.schema
    .createIndex('catalog_categories_path_idx')
    .on('catalog_categories')
    .expression(sql`path${pathOps}`)
    .execute();

  await db.schema
    .createTable('catalog_product_categories')
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('category_id', t.id, (c) => c.notNull().references('catalog_categories.id'))
    .addColumn('position', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_product_categories_pk', ['product_id', 'category_id'])
    .execute();
  await db.schema
    .createIndex('catalog_product_categories_category_idx')
    .on('catalog_product_categories')
    .columns(['category_id', 'product_id'])
    .execute();

  await db.schema
    .createTable('catalog_collections')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('handle', t.text, (c) => c.notNull())
    .addColumn('title', t.json, (c) => c.notNull())
    .addColumn('description', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_collections_handle_uq')
    .on('catalog_collections')
    .column('handle')
    .unique()
    .execute();

  await db.schema
    .createTable('catalog_collection_products')
    .addColumn('collection_id', t.id, (c) =>
      c.notNull().references('catalog_collections.id').onDelete('cascade'),
    )
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('position', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_collection_products_pk', ['collection_id', 'product_id'])
    .execute();
  await db.schema
    .createIndex('catalog_collection_products_product_idx')
    .on('catalog_collection_products')
    .column('product_id')
    .execute();

  await db.schema
    .createTable('catalog_product_tags')
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('tag', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_product_tags_pk', ['product_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('catalog_product_tags_tag_idx')
    .on('catalog_product_tags')
    .columns(['tag', 'product_id'])
    .execute();

  await db.schema
    .createTable('catalog_product_attributes')
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    // The value in canonical text form (`42`, `true`, `cotton`): one column both filters and facets compare on.
    .addColumn('value', t.text, (c) => c.notNull())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_product_attributes_pk', ['product_id', 'key'])
    .execute();
  await db.schema
    .createIndex('catalog_product_attributes_kv_idx')
    .on('catalog_product_attributes')
    .columns(['key', 'value', 'product_id'])
    .execute();

  await db.schema
    .createTable('catalog_size_charts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('brand', t.text)
    .addColumn('category_id', t.id, (c) => c.references('catalog_categories.id'))
    // `brand:<b>|category:<id>` when the chart is the default of a brand and/or category; null for a chart that
    // is only attached explicitly. Unique, so one brand/category has one default chart.
    .addColumn('scope', t.text)
    .addColumn('unit', t.text, (c) => c.notNull())
    .addColumn('measurements', t.json, (c) => c.notNull())
    .addColumn('fit_notes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_size_charts_scope_uq')
    .on('catalog_size_charts')
    .column('scope')
    .unique()
    .execute();

  await db.schema
    .createTable('catalog_publications')
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('published_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_publications_pk', ['product_id', 'channel_id'])
    .execute();
  await db.schema
    .createIndex('catalog_publications_channel_idx')
    .on('catalog_publications')
    .columns(['channel_id', 'product_id'])
    .execute();

  // One row per overridden field, so "this channel differs from the default: title" is a fact in the database.
  await db.schema
    .createTable('catalog_channel_overrides')
    .addColumn('product_id', t.id, (c) => c.notNull().references('catalog_products.id').onDelete('cascade'))
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('field', t.text, (c) => c.notNull())
    .addColumn('value', t.json, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_channel_overrides_pk', ['product_id', 'channel_id', 'field'])
    .execute();

  // Full-text search. The text is folded (lower case, accents removed) in application code before it is stored,
  // so both engines see the same tokens and "Camiseta", "camisetá" and "CAMISETA" match alike.
  if (dialect === 'postgres') {
    // PostgreSQL: one weighted tsvector per product (A title, B SKUs/GTINs, C attributes and tags, D description)
    // under a GIN index.
    await sql`create table catalog_search (
      product_id text primary key references catalog_products(id) on delete cascade,
      document tsvector not null
    )`.execute(db);
    await sql`create index catalog_search_document_idx on catalog_search using gin (document)`.execute(db);
  } else {
    // SQLite: an FTS5 index over an ordinary content table. The integer doc_id is FTS5's rowid: an explicit
    // INTEGER PRIMARY KEY, because VACUUM may renumber implicit rowids. Triggers keep the index in step.
    await sql`create table catalog_search (
      doc_id integer primary key,
      product_id text not null unique references catalog_products(id) on delete cascade,
      title text not null,
      codes text not null,
      attributes text not null,
      description text not null
    )`.execute(db);
    await sql`create virtual table catalog_search_fts using fts5(
      title, codes, attributes, description,
      content = 'catalog_search', content_rowid = 'doc_id',
      tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
    )`.execute(db);
    await sql`create trigger catalog_search_ai after insert on catalog_search begin
      insert into catalog_search_fts(rowid, title, codes, attributes, description)
      values (new.doc_id, new.title, new.codes, new.attributes, new.description);
    end`.execute(db);
    await sql`create trigger catalog_search_ad after delete on catalog_search begin
      insert into catalog_search_fts(catalog_search_fts, rowid, title, codes, attributes, description)
      values ('delete', old.doc_id, old.title, old.codes, old.attributes, old.description);
    end`.execute(db);
    await sql`create trigger catalog_search_au after update on catalog_search begin
      insert into catalog_search_fts(catalog_search_fts, rowid, title, codes, attributes, description)
      values ('delete', old.doc_id, old.title, old.codes, old.attributes, old.description);
      insert into catalog_search_fts(rowid, title, codes, attributes, description)
      values (new.doc_id, new.title, new.codes, new.attributes, new.description);
    end`.execute(db);
  }
}
