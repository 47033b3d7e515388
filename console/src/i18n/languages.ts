/**
 * @module The console's languages. Each is named in its own language (an endonym), the way language
 * pickers do, so a reader finds theirs whatever the current language is.
 */
import type { Locale } from '../api/types';

export const LANGUAGES: { code: Locale; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'es', label: 'Español' },
  { code: 'ru', label: 'Русский' },
];

export const DEFAULT_LANGUAGE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return LANGUAGES.some((language) => language.code === value);
}
