/**
 * @module Localized text: `{ "en": "Linen shirt", "es": "Camisa de lino", "ru": "Льняная рубашка" }` maps, the
 * best-match rule every read with `?locale=` uses, and the folding (case, accents) search relies on.
 */

/** Text per locale tag (`en`, `es`, `pt-BR`). */
export type LocalizedText = Record<string, string>;

export interface Media {
  url: string;
  alt?: LocalizedText | undefined;
}

/** The locale a catalog falls back to when neither the asked locale nor its language has a text. */
export const DEFAULT_LOCALE = 'en';

/** A locale tag: language, optionally a region (`es`, `es-MX`, `pt-BR`). */
export const LOCALE_PATTERN = '^[a-z]{2,3}(-[A-Z]{2})?$';

/**
 * The locale of `text` that best serves `wanted`: the exact tag, then its language (`es-MX` → `es`), then another
 * region of that language (`es` → `es-ES`), then the default locale, then the first locale present. Returns null
 * for an empty map.
 * @example bestLocale({ en: 'Shirt', es: 'Camisa' }, 'es-MX') // → 'es'
 */
export function bestLocale(text: LocalizedText, wanted: string | undefined): string | null {
  const keys = Object.keys(text).filter((k) => text[k] !== '');
  if (keys.length === 0) return null;
  if (wanted) {
    const exact = keys.find((k) => k.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const language = wanted.split('-')[0]!.toLowerCase();
    const sameLanguage =
      keys.find((k) => k.toLowerCase() === language) ?? keys.find((k) => k.split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  if (keys.includes(DEFAULT_LOCALE)) return DEFAULT_LOCALE;
  return keys[0]!;
}

/** The text for `wanted` with fallback, or '' when the map is empty. */
export function localize(text: LocalizedText | null | undefined, wanted: string | undefined): string {
  if (!text) return '';
  const locale = bestLocale(text, wanted);
  return locale ? text[locale]! : '';
}

/**
 * Lower case without accents, for search: "Camisetá" → "camiseta", "Ёлка" → "елка". Both search engines index
 * and query this form, so matching is accent- and case-insensitive in every language alike.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Search tokens: folded runs of letters and digits. */
export function tokens(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}
