/**
 * @module The shop's language: the shopper's choice on this device, else the browser's, else English. Kept apart
 * from the console's own setting (which belongs to staff), like the preference centre's.
 */
import i18n, { currentLanguage } from '../../i18n';
import { DEFAULT_LANGUAGE, isLocale } from '../../i18n/languages';
import type { Locale } from '../../api/types';

const STORAGE_KEY = 'omnis.shop.locale';

function browserLanguage(): Locale | null {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

export function initialShopLanguage(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage disabled: fall through to the browser's language.
  }
  return browserLanguage() ?? DEFAULT_LANGUAGE;
}

export function showShopLanguage(language: Locale): void {
  if (language !== currentLanguage()) void i18n.changeLanguage(language);
}

/** The shopper's switch: shown now and remembered on this device. */
export function chooseShopLanguage(language: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
  showShopLanguage(language);
}
