/**
 * One cent-splitter serves the three places that share an amount out in whole cents: promotion discounts over
 * lines (the catalog's `allocate`), an order line's discount, tax and total over the locations it ships from
 * (`shareOut`), and a returned line's refund (`lineShare`). Each always adds up exactly, deterministically.
 */
import { describe, expect, it } from 'vitest';
import { allocate } from '../catalog';
import { shareOut, toOrderLines } from './checkout.lines';
import { lineShare } from './return.service';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  return (max: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % max) + 1;
}

describe('the cent-splitter', () => {
  it('shares any amount over any weights to the cent, largest remainders first, ties to the earlier part', () => {
    const rand = random(7);
    for (let round = 0; round < 1000; round++) {
      const weights = Array.from({ length: rand(9) }, () => rand(50_000) - 1);
      if (Math.max(...weights) === 0) weights[0] = 1;
      const total = rand(2_000_000) - 1_000_000;
      const parts = allocate(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      // Each part is within one cent of its exact share, and never off the other way from the total's sign.
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1));
      expect(allocate(total, weights)).toEqual(parts);
    }
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(101, [1, 2, 2])).toEqual([20, 41, 40]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocate(5, [0, 0])).toThrow(RangeError);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
  });

  it('an order line split over locations keeps the priced line to the cent', () => {
    expect(shareOut(1000, [1, 2])).toEqual([333, 667]);
    const priced = {
      id: 'l1',
      variant_id: 'v',
      sku: 'TEE',
      quantity: 3,
      delivery_mode: 'ship' as const,
      unit_price: { amount: 1999, currency: 'EUR' },
      subtotal: { amount: 5997, currency: 'EUR' },
      discount: { amount: 100, currency: 'EUR' },
      tax: { amount: 1023, currency: 'EUR' },
      tax_rate_bp: 2100,
      tax_inclusive: true,
      total: { amount: 5897, currency: 'EUR' },
    };
    const lines = toOrderLines(priced, 'ship', [
      { id: 'r1', location_id: 'a', quantity: 1 },
      { id: 'r2', location_id: 'b', quantity: 2 },
    ]);
    expect(lines.map((l) => [l.quantity, l.discount, l.tax, l.total])).toEqual([
      [1, 33, 341, 1966],
      [2, 67, 682, 3931],
    ]);
  });

  it('returning every unit, in any number of returns, gives back exactly the line total', () => {
    const rand = random(11);
    for (let round = 0; round < 300; round++) {
      const bought = rand(12);
      const total = rand(100_000);
      let before = 0;
      let given = 0;
      while (before < bought) {
        const quantity = rand(bought - before);
        given += lineShare(total, bought, before, quantity);
        before += quantity;
      }
      expect(given).toBe(total);
    }
    // 10.00 over three units: the odd cent goes with the first unit returned.
    expect([lineShare(1000, 3, 0, 1), lineShare(1000, 3, 1, 1), lineShare(1000, 3, 2, 1)]).toEqual([
      334, 333, 333,
    ]);
    expect(lineShare(1000, 3, 1, 2)).toBe(666);
  });
});
