/**
 * @module Type-checked translation of the `customerActions` catalog section (privacy requests, the erasure banner,
 * preference links, the merge preview). Like `segments`, its keys stay out of i18next's shared key type, whose
 * cost grows with the square of the key count (see i18n/i18next.d.ts): `ct('customerActions.link.open')`
 * compiles, a misspelt key does not.
 */
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type CustomerActionsKey = AreaKey<'customerActions'>;

/** Translates a customerActions key in the current language. */
export const ct = areaTranslator<'customerActions'>();

/** `ct` for components: re-renders them when the language changes. */
export function useCustomerActionsT(): { ct: typeof ct } {
  return { ct: useAreaTranslation(ct) };
}
