/**
 * @module Type-checked translation of the `catalog` section of the message catalogs. Its keys are kept out of i18next's shared
 * key type (see i18n/i18next.d.ts: that type's cost grows with the square of the key count), so they get their
 * own small key union here: `ct('catalog.products.title')` compiles, a misspelt key does not.
 */
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type CatalogKey = AreaKey<'catalog'>;

/** Translates a catalog key in the current language. */
export const ct = areaTranslator<'catalog'>();

/** `ct` for components: re-renders them when the language changes. */
export function useCatalogT(): { t: typeof ct } {
  return { t: useAreaTranslation(ct) };
}
