/**
 * @module i18next set-up. The language comes from, in order: the choice saved on this device, the
 * signed-in user's locale (applied by the auth provider once /v1/me loads), the browser, then English.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types';
import en from './en.json';
import es from './es.json';
import ru from './ru.json';
import { DEFAULT_LANGUAGE, isLocale, LANGUAGES } from './languages';

const STORAGE_KEY = 'omnis.locale';

export const resources = {
  en: { translation: en },
  es: { translation: es },
  ru: { translation: ru },
} as const;

function storedLanguage(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

function browserLanguage(): Locale | null {
  const candidates = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of candidates) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

export function detectLanguage(): Locale {
  return storedLanguage() ?? browserLanguage() ?? DEFAULT_LANGUAGE;
}

export function currentLanguage(): Locale {
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLocale(language) ? language : DEFAULT_LANGUAGE;
}

/** Switches the console's language and remembers it on this device. */
export function setLanguage(language: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
  void i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES.map((language) => language.code),
  interpolation: { escapeValue: false }, // React escapes already.
  returnNull: false,
});

export default i18n;
