/**
 * @module How the storefront writes money, distances, dates and measurements: Intl in the shop's language, so
 * 4199 GBP reads "£41.99" in English and "41,99 £" in Spanish, and a promise date reads like a person wrote it.
 */
import type { Measurement, Money } from '../../api/store';

/** Minor units to a localized price; the currency's own number of decimals (JPY has none). */
export function formatMoney(money: Money, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

/** "1.2 km" / "850 m". */
export function formatDistance(km: number, locale: string): string {
  if (km < 1)
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'meter' }).format(Math.round(km * 100) * 10);
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'kilometer',
    maximumFractionDigits: km < 10 ? 1 : 0,
  }).format(km);
}

/** "Tue 24 Nov, 12:30" in the shop's language and the browser's time zone. */
export function formatWhen(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** A delivery date (`2026-11-24`) as "Tue 24 Nov". */
export function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short' }).format(
    new Date(`${date}T12:00:00`),
  );
}

/** A size chart cell: one value or a range ("88–94"). */
export function formatMeasurement(value: Measurement | undefined, locale: string): string {
  if (value === undefined) return '—';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return Array.isArray(value)
    ? `${number.format(value[0])}–${number.format(value[1])}`
    : number.format(value);
}

/** Percentage off, rounded, when a price is below the price it is compared with. */
export function percentOff(price: Money, was: Money): number | null {
  if (price.currency !== was.currency || was.amount <= price.amount || was.amount <= 0) return null;
  return Math.round((1 - price.amount / was.amount) * 100);
}
