/**
 * @module What a product must satisfy before it is written, checked without the database: options and the
 * variants that choose them, SKUs and GTINs unique within the request, GTIN check digits, typed attributes. Each
 * problem names its field (`body.variants.2.gtin`) so one answer lists everything to fix.
 */
import type { FieldError } from '../../platform/errors';
import { checkGtin } from './gtin';
import type { LocalizedText, Media } from './localized';
import type { Attribute, ProductOption, ProductStatus } from './product.repository';

export interface VariantInput {
  sku: string;
  gtin?: string | null | undefined;
  title?: LocalizedText | null | undefined;
  /** `{ size: 'M', colour: 'navy' }`: one value for each of the product's options. */
  options?: Record<string, string> | undefined;
  media?: Media[] | undefined;
}

export interface ProductInput {
  /** URL-safe unique name; made from the title when absent. */
  handle?: string | undefined;
  status?: ProductStatus | undefined;
  brand?: string | null | undefined;
  title: LocalizedText;
  description?: LocalizedText | undefined;
  options?: ProductOption[] | undefined;
  media?: Media[] | undefined;
  category_ids?: string[] | undefined;
  collection_ids?: string[] | undefined;
  tags?: string[] | undefined;
  attributes?: Attribute[] | undefined;
  size_chart_id?: string | null | undefined;
  variants?: VariantInput[] | undefined;
}

export type ProductPatch = Partial<Omit<ProductInput, 'variants' | 'title'>> & {
  title?: LocalizedText | undefined;
};

export type VariantPatch = Partial<VariantInput> & { position?: number | undefined };

/** Tags compare case-insensitively and facet as one: stored trimmed and lower-cased. */
export const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

export function checkLocalized(
  text: LocalizedText | undefined | null,
  field: string,
  errors: FieldError[],
): void {
  if (!text) return;
  for (const [locale, value] of Object.entries(text)) {
    if (value.trim() === '') errors.push({ field: `${field}.${locale}`, message: 'must not be blank' });
  }
}

export function checkOptions(options: ProductOption[], field: string, errors: FieldError[]): void {
  const names = new Set<string>();
  options.forEach((option, i) => {
    if (names.has(option.name)) errors.push({ field: `${field}.${i}.name`, message: 'is repeated' });
    names.add(option.name);
    const values = new Set<string>();
    option.values.forEach((value, j) => {
      if (values.has(value)) errors.push({ field: `${field}.${i}.values.${j}`, message: 'is repeated' });
      values.add(value);
    });
  });
}

/**
 * A variant's options against its product's: one value for each option, each a value the option offers.
 * Returns the canonical key of the combination (to find two variants with the same one).
 */
export function checkVariantOptions(
  chosen: Record<string, string> | undefined,
  options: ProductOption[],
  field: string,
  errors: FieldError[],
): string {
  const given = chosen ?? {};
  for (const key of Object.keys(given)) {
    if (!options.some((o) => o.name === key))
      errors.push({ field: `${field}.${key}`, message: 'is not an option of this product' });
  }
  for (const option of options) {
    const value = given[option.name];
    if (value === undefined) errors.push({ field: `${field}.${option.name}`, message: 'is required' });
    else if (!option.values.includes(value))
      errors.push({
        field: `${field}.${option.name}`,
        message: `must be one of ${option.values.join(', ')}`,
      });
  }
  return JSON.stringify(options.map((o) => given[o.name] ?? null));
}

/** A GTIN's 14-digit form, or null after recording why it is not a valid GTIN. */
export function checkGtinField(gtin: string, field: string, errors: FieldError[]): string | null {
  const check = checkGtin(gtin);
  if (check.ok) return check.gtin14;
  errors.push({ field, message: check.message });
  return null;
}

export function checkAttributes(attributes: Attribute[], field: string, errors: FieldError[]): void {
  const keys = new Set<string>();
  attributes.forEach((a, i) => {
    if (keys.has(a.key)) errors.push({ field: `${field}.${i}.key`, message: 'is repeated' });
    keys.add(a.key);
    const ok =
      (a.type === 'text' && typeof a.value === 'string' && a.value.trim() !== '') ||
      (a.type === 'number' && typeof a.value === 'number' && Number.isFinite(a.value)) ||
      (a.type === 'boolean' && typeof a.value === 'boolean');
    if (!ok)
      errors.push({
        field: `${field}.${i}.value`,
        message: `must be a ${a.type === 'text' ? 'non-blank string' : a.type}`,
      });
  });
}

/** Checks a whole new product; `field` is where it sits in the request (`body`, `body.products.3`). */
export function checkProductInput(input: ProductInput, field: string, errors: FieldError[]): void {
  checkLocalized(input.title, `${field}.title`, errors);
  checkLocalized(input.description, `${field}.description`, errors);
  const options = input.options ?? [];
  checkOptions(options, `${field}.options`, errors);
  checkAttributes(input.attributes ?? [], `${field}.attributes`, errors);
  const variants = input.variants ?? [];
  if (options.length === 0 && variants.length > 1)
    errors.push({ field: `${field}.variants`, message: 'a product without options has at most one variant' });
  const combos = new Map<string, number>();
  variants.forEach((variant, i) => {
    const at = `${field}.variants.${i}`;
    const combo = checkVariantOptions(variant.options, options, `${at}.options`, errors);
    if (options.length > 0) {
      const first = combos.get(combo);
      if (first !== undefined)
        errors.push({ field: `${at}.options`, message: `repeats the options of variant ${first}` });
      else combos.set(combo, i);
    }
    if (variant.gtin) checkGtinField(variant.gtin, `${at}.gtin`, errors);
    checkLocalized(variant.title, `${at}.title`, errors);
  });
}

/** Options that change must still fit every existing variant. */
export function checkOptionsFitVariants(
  options: ProductOption[],
  variants: Array<{ options: Record<string, string> }>,
  field: string,
  errors: FieldError[],
): void {
  const combos = new Set<string>();
  variants.forEach((v, i) => {
    const local: FieldError[] = [];
    const combo = checkVariantOptions(v.options, options, `${field}`, local);
    if (local.length > 0 || combos.has(combo)) {
      errors.push({
        field,
        message: `variant ${i + 1} (${JSON.stringify(v.options)}) would no longer fit these options`,
      });
    }
    combos.add(combo);
  });
}

/** A handle made from a title: folded ASCII words joined by dashes (`Camisa de lino` → `camisa-de-lino`). */
export function handleFrom(title: LocalizedText): string {
  const text = title.en ?? Object.values(title)[0] ?? '';
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}
