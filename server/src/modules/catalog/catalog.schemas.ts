/** @module TypeBox schemas shared by the catalog's routes: localized texts, media, products, variants, views. */
import { Type, type TSchema } from 'typebox';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { LOCALE_PATTERN } from './localized';
import { attributeTypes, channelStatuses, overrideFields, productStatuses } from './product.repository';
import { sizeUnits } from './size-chart.repository';

const localized = (maxLength: number, minProperties: number) =>
  Type.Record(Type.String({ pattern: LOCALE_PATTERN }), Type.String({ maxLength }), {
    additionalProperties: false,
    minProperties,
    description: 'Text per locale: { "en": "…", "es": "…", "ru": "…" }',
  });

/** A title: at least one locale. */
export const LocalizedTitle = localized(300, 1);
/** A description: may be empty. */
export const LocalizedDescription = localized(20_000, 0);

export const Handle = Type.String({
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  maxLength: 100,
  description: 'URL-safe unique name (linen-shirt)',
});
export const Sku = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$',
  maxLength: 64,
  description: 'Stock keeping unit: letters, digits, . _ / -',
});
export const Gtin = Type.String({
  maxLength: 14,
  description: 'GTIN/EAN/UPC: 8, 12, 13 or 14 digits, check digit verified',
});
const Key = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 40 });
const IdRef = Type.String({ minLength: 1, maxLength: 64 });

export const MediaSchema = strictObject({
  url: Type.String({ format: 'uri', maxLength: 2000 }),
  alt: Type.Optional(LocalizedDescription),
});
export const MediaList = Type.Array(MediaSchema, { maxItems: 50 });

export const OptionSchema = strictObject({
  name: Key,
  label: Type.Optional(LocalizedTitle),
  values: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 100 }),
});

export const AttributeSchema = strictObject({
  key: Key,
  type: Type.Enum(attributeTypes),
  value: Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]),
});

export const VariantOptions = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
  Type.String({ maxLength: 60 }),
  {
    additionalProperties: false,
  },
);

export const VariantInputSchema = strictObject({
  sku: Sku,
  gtin: Type.Optional(Nullable(Gtin)),
  title: Type.Optional(Nullable(LocalizedTitle)),
  options: Type.Optional(VariantOptions),
  media: Type.Optional(MediaList),
});

const productFields = {
  handle: Type.Optional(Handle),
  status: Type.Optional(Type.Enum(productStatuses)),
  brand: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  description: Type.Optional(LocalizedDescription),
  options: Type.Optional(Type.Array(OptionSchema, { maxItems: 5 })),
  media: Type.Optional(MediaList),
  category_ids: Type.Optional(Type.Array(IdRef, { maxItems: 20 })),
  collection_ids: Type.Optional(Type.Array(IdRef, { maxItems: 50 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
  attributes: Type.Optional(Type.Array(AttributeSchema, { maxItems: 100 })),
  size_chart_id: Type.Optional(Nullable(IdRef)),
};

export const ProductInputSchema = strictObject({
  ...productFields,
  title: LocalizedTitle,
  variants: Type.Optional(Type.Array(VariantInputSchema, { maxItems: 250 })),
});

export const ProductPatchSchema = strictObject({ ...productFields, title: Type.Optional(LocalizedTitle) });

export const VariantPatchSchema = strictObject({
  sku: Type.Optional(Sku),
  gtin: Type.Optional(Nullable(Gtin)),
  title: Type.Optional(Nullable(LocalizedTitle)),
  options: Type.Optional(VariantOptions),
  media: Type.Optional(MediaList),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});

const Text = Type.Record(Type.String(), Type.String());
const MediaOut = Type.Array(Type.Object({ url: Type.String(), alt: Type.Optional(Text) }));

export const VariantSchema = Type.Object(
  {
    id: Type.String(),
    product_id: Type.String(),
    sku: Type.String(),
    gtin: Nullable(Type.String()),
    title: Nullable(Text),
    options: Type.Record(Type.String(), Type.String()),
    media: MediaOut,
    position: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Variant' },
);

const Measurement = Type.Union([Type.Number(), Type.Tuple([Type.Number(), Type.Number()])]);

export const SizeChartInputFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  brand: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  category_id: Type.Optional(Nullable(IdRef)),
  unit: Type.Enum(sizeUnits),
  columns: Type.Array(strictObject({ key: Key, label: Type.Optional(LocalizedTitle) }), {
    minItems: 1,
    maxItems: 20,
  }),
  rows: Type.Array(
    strictObject({
      size: Type.String({ minLength: 1, maxLength: 20 }),
      values: Type.Record(Type.String(), Measurement),
    }),
    { minItems: 1, maxItems: 60 },
  ),
  fit_notes: Type.Optional(LocalizedDescription),
};

const sizeChartOut = {
  id: Type.String(),
  name: Type.String(),
  brand: Nullable(Type.String()),
  category_id: Nullable(Type.String()),
  unit: Type.String(),
  columns: Type.Array(Type.Object({ key: Type.String(), label: Type.Optional(Text) })),
  rows: Type.Array(Type.Object({ size: Type.String(), values: Type.Record(Type.String(), Measurement) })),
  fit_notes: Text,
  created_at: IsoTime,
  updated_at: IsoTime,
};
export const SizeChartSchema = Type.Object(sizeChartOut, { title: 'SizeChart' });

const Overrides = Type.Object({
  title: Type.Optional(Text),
  description: Type.Optional(Text),
  media: Type.Optional(MediaOut),
  status: Type.Optional(Type.String()),
});
const Differs = Type.Array(Type.Enum(overrideFields), {
  description: 'The fields this channel shows differently from the default product',
});

export const ProductSchema = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    status: Type.Enum(productStatuses),
    brand: Nullable(Type.String()),
    title: Text,
    description: Text,
    options: Type.Array(
      Type.Object({ name: Type.String(), label: Type.Optional(Text), values: Type.Array(Type.String()) }),
    ),
    media: MediaOut,
    category_ids: Type.Array(Type.String()),
    collection_ids: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    attributes: Type.Array(
      Type.Object({
        key: Type.String(),
        type: Type.String(),
        value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
      }),
    ),
    variants: Type.Array(VariantSchema),
    size_chart: Nullable(
      Type.Object(
        { ...sizeChartOut, source: Type.Enum(['product', 'category', 'brand']) },
        {
          description: 'Attached to the product, or inherited from a category or the brand (source)',
        },
      ),
    ),
    channels: Type.Array(
      Type.Object({
        channel_id: Type.String(),
        published: Type.Boolean(),
        published_at: Nullable(IsoTime),
        overrides: Overrides,
        differs: Differs,
      }),
    ),
    localized: Type.Optional(
      Type.Object(
        { locale: Type.String(), title: Type.String(), description: Type.String() },
        { description: 'With ?locale=: the texts in the best-matching locale' },
      ),
    ),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Product' },
);

export const ChannelViewSchema = Type.Object(
  {
    product_id: Type.String(),
    channel_id: Type.String(),
    published: Type.Boolean(),
    published_at: Nullable(IsoTime),
    status: Type.Enum(productStatuses),
    visible: Type.Boolean(),
    title: Text,
    description: Text,
    media: MediaOut,
    overrides: Overrides,
    differs: Differs,
  },
  { title: 'ProductChannelView' },
);

export const OverridesPatchSchema = strictObject({
  title: Type.Optional(Nullable(LocalizedTitle)),
  description: Type.Optional(Nullable(LocalizedDescription)),
  media: Type.Optional(Nullable(MediaList)),
  status: Type.Optional(Nullable(Type.Enum(channelStatuses))),
});

const FacetValues = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));
const MoneySchema = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const facetsSchema = <T extends TSchema>(categoryName: T) =>
  Type.Object({
    total: Type.Integer(),
    categories: Type.Array(
      Type.Object({ id: Type.String(), handle: Type.String(), name: categoryName, count: Type.Integer() }),
    ),
    brands: FacetValues,
    tags: FacetValues,
    attributes: Type.Array(Type.Object({ key: Type.String(), values: FacetValues })),
    price: Nullable(Type.Object({ min: MoneySchema, max: MoneySchema })),
  });

export const StaffFacets = facetsSchema(Text);
export const StoreFacets = facetsSchema(Type.String());

export const LocaleQuery = Type.Optional(
  Type.String({
    pattern: LOCALE_PATTERN,
    description: 'Texts in this locale, falling back to its language, then en',
  }),
);

/** `?attr=material:linen&attr=fit:slim` */
export const AttrQuery = Type.Optional(
  Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*:.+$', maxLength: 200 }), {
    description: 'key:value attribute filters; values of one key are alternatives, keys must all match',
  }),
);

/** The query filters shared by staff and storefront lists. */
export const productListFilters = {
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Full text: titles, descriptions, attributes, tags, SKUs, GTINs',
    }),
  ),
  category_id: Type.Optional(
    Type.Array(IdRef, { description: 'Products in these categories or below them' }),
  ),
  collection_id: Type.Optional(Type.Array(IdRef)),
  brand: Type.Optional(Type.Array(Type.String({ maxLength: 100 }))),
  tag: Type.Optional(Type.Array(Type.String({ maxLength: 60 }))),
  attr: AttrQuery,
  price_min: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Only products with a variant priced at least this (minor units) in the channel',
    }),
  ),
  price_max: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Only products with a variant priced at most this (minor units) in the channel',
    }),
  ),
  price_currency: Type.Optional(
    Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217 code of price_min/max; default: the currency of the price facet',
    }),
  ),
  facets: Type.Optional(Type.Boolean({ description: 'Include facet counts (always on with q)' })),
  locale: LocaleQuery,
};

/** `['material:linen', 'material:cotton', 'fit:slim']` → `{ material: ['linen', 'cotton'], fit: ['slim'] }`. */
export function parseAttr(attr: string[] | undefined): Record<string, string[]> | undefined {
  if (!attr?.length) return undefined;
  const out: Record<string, string[]> = {};
  for (const pair of attr) {
    const at = pair.indexOf(':');
    const key = pair.slice(0, at);
    (out[key] ??= []).push(pair.slice(at + 1));
  }
  return out;
}
