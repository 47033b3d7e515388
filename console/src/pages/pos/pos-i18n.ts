/**
 * @module Type-checked translation of the `pos` section (the till, pickup handover, receipts and the returns
 * desk): like the other large areas its keys stay out of i18next's shared key type and get their own union here.
 */
import i18n from '../../i18n';
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type PosKey = AreaKey<'pos'>;

/** Translates a pos key in the current language. */
export const tp = areaTranslator<'pos'>();

/** `tp` for components: re-renders them when the language changes. */
export function usePosT(): { t: typeof tp } {
  return { t: useAreaTranslation(tp) };
}

/** A translated label for a value of one of the API's closed sets; the raw value when none exists. */
export function posLabel(
  set: 'tenders' | 'reasons' | 'returnStatuses' | 'outcomes' | 'refundMethods',
  value: string,
) {
  const key = `pos.${set}.${value}`;
  return i18n.exists(key) ? tp(key as PosKey) : value;
}
