/**
 * @module The preference page's language: `?lang=` when the link carries it, else the customer's own language
 * (their profile's locale), else the browser's. A choice made on the page becomes the customer's language, and
 * is kept out of the console's per-device setting, which belongs to staff.
 */
import i18n, { currentLanguage } from '../../i18n';
import { isLocale } from '../../i18n/languages';
import type { Locale } from '../../api/types';

/** The language the link asks for, read once on arrival. */
export function languageFromLink(): Locale | null {
  const lang = new URL(window.location.href).searchParams.get('lang')?.toLowerCase().split('-')[0];
  return isLocale(lang) ? lang : null;
}

/** The base language of a profile locale such as `es-ES`, when the page speaks it. */
export function languageOfLocale(locale: string | null | undefined): Locale | null {
  const base = locale?.toLowerCase().split('-')[0];
  return isLocale(base) ? base : null;
}

export function showLanguage(language: Locale): void {
  if (language !== currentLanguage()) void i18n.changeLanguage(language);
}

/** "22 November 2026" in the page's language. */
export function formatLongDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'long' }).format(date);
}
