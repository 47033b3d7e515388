/**
 * @module Type-checked translation of the `segments` catalog section. Its keys are kept out of i18next's shared
 * key type (see i18n/i18next.d.ts: that type's cost grows with the square of the key count), so they get their
 * own small key union here: `st('segments.live.title')` compiles, a misspelt key does not.
 */
import { areaTranslator, useAreaTranslation, type AreaKey } from '../../i18n/area-translation';

export type SegmentsKey = AreaKey<'segments'>;

/** Translates a segments key in the current language. */
export const st = areaTranslator<'segments'>();

/** `st` for components: re-renders them when the language changes. */
export function useSegmentsT(): { t: typeof st } {
  return { t: useAreaTranslation(st) };
}
