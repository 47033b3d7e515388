/**
 * @module Type-checked translation of the storefront's `shop` section of the message catalogs. Like inventory's,
 * its keys stay out of i18next's shared key type (see i18n/i18next.d.ts) and get their own small union here:
 * `ts('shop.search.title')` compiles, a misspelt key does not.
 */
import i18n from '../../i18n';
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type ShopKey = AreaKey<'shop'>;

/** Translates a shop key in the current language. */
export const ts = areaTranslator<'shop'>();

/** `ts` for components: re-renders them when the language changes. */
export function useShopT(): { t: typeof ts } {
  return { t: useAreaTranslation(ts) };
}

/** A colour option's name in the shop's language; an unknown colour shows as the catalog has it. */
export function colourName(value: string): string {
  const key = `shop.colours.${value}`;
  return i18n.exists(key) ? ts(key as ShopKey) : value.replace(/^./, (c) => c.toUpperCase());
}

/** An attribute value the demo catalog keeps as a code (`material: linen`), in words when the shop knows it. */
export function attributeValue(key: string, value: string | number | boolean): string {
  const path = `shop.attributeValues.${key}.${String(value)}`;
  return i18n.exists(path) ? ts(path as ShopKey) : String(value);
}

/** A product tag (`bestseller`, `summer`) in words when the shop knows it. */
export function tagName(tag: string): string {
  const key = `shop.tags.${tag}`;
  return i18n.exists(key) ? ts(key as ShopKey) : tag;
}
