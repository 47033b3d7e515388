/**
 * @module Click-and-collect pickup codes and the expiry of uncollected pickups. A code is six digits shown to the
 * customer once; only sha256(fulfilment id : code) is stored, and wrong codes are counted and limited, so the code
 * cannot be guessed at the desk. An uncollected pickup past its hold releases its units back on sale.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** Wrong codes a pickup takes before it is locked (marking it ready again issues a new code). */
export const MAX_PICKUP_ATTEMPTS = 5;

export function newPickupCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Salted by the fulfilment id, so equal codes of two pickups do not hash alike. */
export function hashPickupCode(fulfilmentId: string, code: string): string {
  return createHash('sha256').update(`${fulfilmentId}:${code.trim()}`).digest('hex');
}

export function pickupCodeMatches(fulfilmentId: string, code: string, stored: string | null): boolean {
  if (!stored) return false;
  const given = Buffer.from(hashPickupCode(fulfilmentId, code), 'hex');
  const expected = Buffer.from(stored, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
