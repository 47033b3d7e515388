/**
 * @module Money arithmetic for prices and promotions: ISO-4217 codes, and the integer rounding and allocation
 * rules every discount follows. Amounts are minor units (cents) in safe integers; products of two amounts go
 * through BigInt so nothing is ever rounded by floating point.
 */

/** `{ amount: 1999, currency: 'EUR' }` — minor units and an ISO-4217 code, as everywhere in the API. */
export interface Money {
  amount: number;
  currency: string;
}

/** Largest amount accepted anywhere (10^12 minor units): products with percentages stay exact. */
export const MAX_AMOUNT = 1_000_000_000_000;

const currencies = new Set(Intl.supportedValuesOf('currency'));

/**
 * Whether `code` is an ISO-4217 currency the runtime knows (`EUR`, `JPY`), not merely three capitals (`XYZ`).
 * @example isCurrency('EUR') // true
 */
export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code) && currencies.has(code);

export const money = (amount: number, currency: string): Money => ({ amount, currency });

/**
 * `numerator / denominator` rounded half up, for non-negative integers (1.5 → 2, 2.5 → 3).
 * @example roundHalfUp(1999 * 15, 100) // 300 (15 % of 19.99 is 2.9985)
 */
export function roundHalfUp(numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d));
}

/**
 * Splits `total` over `weights` in proportion, in whole minor units, so that the parts add up to exactly
 * `total` (largest-remainder method): each part is first rounded toward zero, and the units left over go one each
 * to the parts with the largest remainders, ties to the earlier part. Deterministic (same input, same parts), exact
 * (BigInt products, so no float rounding) and sign-symmetric (`allocate(-t, w)` is `allocate(t, w)` negated). No part
 * exceeds its weight when `0 <= total <= sum(weights)`.
 *
 * This is the one cent-splitter: promotion discounts over lines (weights = line amounts), an order line's discount,
 * tax and total over the locations it ships from (weights = quantities, `shareOut`), and a returned line's refund
 * (weights = one per unit bought, `lineShare`) all use it.
 * @example allocate(100, [1, 1, 1]) // [34, 33, 33]
 * @example allocate(-100, [1, 1, 1]) // [-34, -33, -33]
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total))
    throw new RangeError(`allocate: ${total} is not a whole number of minor units`);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0))
    throw new RangeError('allocate: weights must be non-negative whole numbers');
  if (total < 0) return allocate(-total, weights).map((p) => (p === 0 ? 0 : -p));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  if (sum === 0) throw new RangeError(`allocate: cannot split ${total} over weights that are all zero`);
  const big = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((w) => Number((big * BigInt(w)) / bigSum));
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % bigSum }));
  let left = total - parts.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/** Formats minor units for sentences in API answers (`€12.50`), with the currency's own number of decimals. */
export function formatMoney(value: Money): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: value.currency }).format(
    value.amount / 10 ** fractionDigits(value.currency),
  );
}

/** Minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export const fractionDigits = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
