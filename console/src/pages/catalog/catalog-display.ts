/**
 * @module Small helpers the catalog screens share: a localized text in the reader's language, money typed by
 * people (major units) to and from the API's minor units, and the colour of a status.
 */
import type { Localized, ProductStatus } from '../../api/catalog';
import { currentLanguage } from '../../i18n';

/** The text in the console's language, else English, else any: `{ en: 'Shirt', es: 'Camisa' }` → "Camisa" in es. */
export function pickText(text: Localized | null | undefined): string {
  if (!text) return '';
  const language = currentLanguage().split('-')[0] ?? 'en';
  return text[language] ?? text.en ?? Object.values(text)[0] ?? '';
}

/** Minor-unit digits of a currency as Intl knows them (EUR 2, JPY 0). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** `toMinor(29.99, 'EUR')` → 2999; rounds what a number input may carry past the currency's digits. */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

/** `toMajor(2999, 'EUR')` → 29.99, for number inputs. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

export const STATUS_COLOR: Record<ProductStatus | 'archived', string> = {
  active: 'teal',
  draft: 'gray',
  archived: 'red',
};

export const LOCALES = ['en', 'es', 'ru'] as const;

/** Drops empty locales: the server wants at least one title and no blank strings in maps. */
export function compactText(text: Localized): Localized {
  return Object.fromEntries(Object.entries(text).filter(([, value]) => value.trim() !== ''));
}
