/**
 * @module Dates, numbers and money in the console's current language, through Intl. Formatters are cached
 * per language and options because creating them is slow.
 */
import { currentLanguage } from '../i18n';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${currentLanguage()}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(currentLanguage(), options);
    cache.set(key, format);
  }
  return format;
}

function dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${currentLanguage()}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(currentLanguage(), options);
    cache.set(key, format);
  }
  return format;
}

/**
 * A moment as the reader's date and time, e.g. `formatDateTime('2025-03-01T14:05:00Z')` → "Mar 1, 2025, 3:05 PM"
 * in English at UTC+1. Returns the input unchanged if it is not a valid date.
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Like formatDateTime, with seconds: for logs where order within a minute matters. */
export function formatDateTimePrecise(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat({ dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** `formatNumber(12345.6)` → "12,345.6" in English, "12 345,6" in Russian. */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(options).format(n);
}

/** A duration in milliseconds with a localized unit: "125 ms", "125 мс". */
export function formatDurationMs(ms: number): string {
  return numberFormat({ style: 'unit', unit: 'millisecond', unitDisplay: 'short' }).format(ms);
}

export interface Money {
  /** Integer minor units (cents): 1999 = 19.99 EUR. */
  amount: number;
  /** ISO-4217 code. */
  currency: string;
}

/** Minor-unit digits of a currency per ISO 4217 as Intl knows them: EUR 2, JPY 0, KWD 3. */
function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** `formatMoney({ amount: 1999, currency: 'EUR' })` → "€19.99" in English, "19,99 €" in Spanish. */
export function formatMoney({ amount, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  return numberFormat({ style: 'currency', currency }).format(amount / 10 ** digits);
}
