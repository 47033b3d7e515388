/**
 * The promotion rules as a cashier would check them on a receipt: percentages rounded once for the order and
 * split to the cent, buy-X-get-Y taking the cheapest items, stacking in priority order, and every line discount
 * adding up to the order discount.
 */
import { describe, expect, it } from 'vitest';
import { allocate, roundHalfUp } from './price.money';
import { evaluatePromotions, type EngineContext, type EngineLine } from './promotion.engine';
import type { Promotion } from './promotion.repository';

let n = 0;
function promo(fields: Partial<Promotion>): Promotion {
  n += 1;
  return {
    id: `pro_${String(n).padStart(4, '0')}`,
    name: `Offer ${n}`,
    description: null,
    code: null,
    kind: 'percentage',
    status: 'active',
    percent: null,
    amount_off: null,
    buy_quantity: null,
    get_quantity: null,
    get_percent: null,
    max_applications: null,
    conditions: { channel_ids: [], segment_ids: [], product_ids: [], category_ids: [], min_subtotal: null },
    starts_at: null,
    ends_at: null,
    usage_limit: null,
    usage_limit_per_customer: null,
    times_used: 0,
    priority: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}

const line = (
  id: string,
  unit: number,
  quantity = 1,
  product = `prd_${id}`,
  paths: string[] = [],
): EngineLine => ({
  id,
  variant_id: `var_${id}`,
  quantity,
  unit_price: unit,
  product_id: product,
  category_paths: paths,
});

const ctx = (over: Partial<EngineContext> = {}): EngineContext => ({
  currency: 'EUR',
  channelId: 'cha_web',
  customerId: null,
  segmentIds: [],
  at: Date.UTC(2026, 5, 1),
  shippingAmount: null,
  ...over,
});

const run = (lines: EngineLine[], promos: Promotion[], c: EngineContext = ctx()) =>
  evaluatePromotions(
    lines,
    promos.map((p) => ({ promotion: p, code: p.code, customerUses: 0 })),
    [],
    c,
  );

const discounts = (e: ReturnType<typeof run>) => e.lines.map((l) => l.discount.amount);

describe('money arithmetic', () => {
  it('rounds half up', () => {
    expect(roundHalfUp(1999 * 15, 100)).toBe(300); // 299.85
    expect(roundHalfUp(5 * 50, 100)).toBe(3); // 2.5
    expect(roundHalfUp(4 * 50, 100)).toBe(2);
    expect(roundHalfUp(1, 3)).toBe(0);
  });

  it('splits any total over any weights to the cent, never above a weight', () => {
    let seed = 42;
    const rand = (max: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % max) + 1;
    for (let round = 0; round < 500; round++) {
      const weights = Array.from({ length: rand(8) }, () => rand(100_000));
      const total = rand(weights.reduce((a, b) => a + b, 0));
      const parts = allocate(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      parts.forEach((p, i) => expect(p).toBeLessThanOrEqual(weights[i]!));
    }
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
});

describe('promotion engine', () => {
  it('rounds a percentage once for the order and splits it so the lines add up to it', () => {
    const e = run([line('a', 333), line('b', 333), line('c', 333)], [promo({ percent: 10 })]);
    // 10 % of 9.99 is 0.999 → 1.00 for the order; per-line rounding would have given 0.99.
    expect(e.discount_total.amount).toBe(100);
    expect(discounts(e)).toEqual([34, 33, 33]);
    expect(e.total.amount).toBe(999 - 100);
    expect(e.applied[0]).toMatchObject({
      amount: { amount: 100, currency: 'EUR' },
      description: '10% off 3 line(s)',
    });
  });

  it('takes a fixed amount off the qualifying lines only, never more than they cost', () => {
    const shoes = promo({
      kind: 'fixed_amount',
      amount_off: { amount: 5000, currency: 'EUR' },
      conditions: {
        channel_ids: [],
        segment_ids: [],
        product_ids: ['prd_shoe'],
        category_ids: [],
        min_subtotal: null,
      },
    });
    const e = run([line('shoe', 1500, 2, 'prd_shoe'), line('sock', 500, 1, 'prd_sock')], [shoes]);
    expect(discounts(e)).toEqual([3000, 0]);
    expect(e.lines[0]!.adjustments).toEqual([
      { promotion_id: shoes.id, code: null, name: shoes.name, amount: { amount: 3000, currency: 'EUR' } },
    ]);
  });

  it('makes the cheapest qualifying items free in buy X get Y, up to the application limit', () => {
    const b2g1 = promo({ kind: 'buy_x_get_y', buy_quantity: 2, get_quantity: 1, get_percent: 100 });
    const one = run([line('tee', 1000, 3), line('cap', 500, 1)], [b2g1]);
    // Four items make one group of three: the cap (the cheapest) is free.
    expect(discounts(one)).toEqual([0, 500]);
    expect(one.applied[0]!.description).toBe('Buy 2, get 1 free: 1 item(s)');

    const halfOff = promo({
      kind: 'buy_x_get_y',
      buy_quantity: 1,
      get_quantity: 1,
      get_percent: 50,
      max_applications: 1,
    });
    const e = run([line('a', 1000), line('b', 900), line('c', 800), line('d', 101)], [halfOff]);
    // Two groups would discount d and c; the limit of one application leaves only d: 50.5 → 51.
    expect(discounts(e)).toEqual([0, 0, 0, 51]);

    const short = run([line('a', 1000, 2)], [b2g1]);
    expect(short.applied).toEqual([]);
    expect(short.not_applied[0]).toMatchObject({
      reason: 'quantity_not_met',
      detail: 'Add 1 more qualifying item(s)',
    });
  });

  it('matches categories and everything below them', () => {
    const footwear = promo({
      percent: 20,
      conditions: {
        channel_ids: [],
        segment_ids: [],
        product_ids: [],
        category_ids: ['cat_foot'],
        min_subtotal: null,
      },
    });
    const e = run(
      [
        line('boot', 1000, 1, 'prd_boot', ['/cat_foot/cat_boots/']),
        line('tee', 1000, 1, 'prd_tee', ['/cat_tops/']),
      ],
      [footwear],
    );
    expect(discounts(e)).toEqual([200, 0]);
  });

  it('stacks by priority, each on what the earlier left, and gives free shipping once', () => {
    const tenOff = promo({
      kind: 'fixed_amount',
      amount_off: { amount: 1000, currency: 'EUR' },
      priority: 1,
    });
    const half = promo({ percent: 50, priority: 5 });
    const ship1 = promo({ kind: 'free_shipping' });
    const ship2 = promo({ kind: 'free_shipping' });
    const e = run([line('a', 3000)], [tenOff, half, ship1, ship2], ctx({ shippingAmount: 495 }));
    // 50 % first (priority 5): 1500 off, then 10.00 off the remaining 1500.
    expect(e.lines[0]!.adjustments.map((a) => a.amount.amount)).toEqual([1500, 1000]);
    expect(e.total.amount).toBe(500);
    expect(e.shipping).toEqual({
      amount: { amount: 495, currency: 'EUR' },
      discount: { amount: 495, currency: 'EUR' },
      total: { amount: 0, currency: 'EUR' },
    });
    expect(e.not_applied).toEqual([
      expect.objectContaining({ promotion_id: ship2.id, reason: 'nothing_to_discount' }),
    ]);
  });

  it('explains each condition that keeps an offer away', () => {
    const at = Date.UTC(2026, 5, 1);
    const cases: Array<[Partial<Promotion>, Partial<EngineContext>, string]> = [
      [{ status: 'draft' }, {}, 'inactive'],
      [{ starts_at: new Date(at + 1).toISOString() }, {}, 'not_started'],
      [{ ends_at: new Date(at).toISOString() }, {}, 'expired'],
      [
        {
          conditions: {
            channel_ids: ['cha_store'],
            segment_ids: [],
            product_ids: [],
            category_ids: [],
            min_subtotal: null,
          },
        },
        {},
        'channel_not_eligible',
      ],
      [
        {
          conditions: {
            channel_ids: [],
            segment_ids: ['seg_vip'],
            product_ids: [],
            category_ids: [],
            min_subtotal: null,
          },
        },
        {},
        'customer_required',
      ],
      [
        {
          conditions: {
            channel_ids: [],
            segment_ids: ['seg_vip'],
            product_ids: [],
            category_ids: [],
            min_subtotal: null,
          },
        },
        { customerId: 'cus_1', segmentIds: ['seg_other'] },
        'customer_not_eligible',
      ],
      [{ usage_limit: 5, times_used: 5 }, {}, 'usage_limit_reached'],
      [
        {
          conditions: {
            channel_ids: [],
            segment_ids: [],
            product_ids: [],
            category_ids: [],
            min_subtotal: { amount: 5000, currency: 'EUR' },
          },
        },
        {},
        'min_subtotal_not_met',
      ],
      [
        {
          conditions: {
            channel_ids: [],
            segment_ids: [],
            product_ids: [],
            category_ids: [],
            min_subtotal: { amount: 10, currency: 'USD' },
          },
        },
        {},
        'currency_mismatch',
      ],
      [
        {
          conditions: {
            channel_ids: [],
            segment_ids: [],
            product_ids: ['prd_other'],
            category_ids: [],
            min_subtotal: null,
          },
        },
        {},
        'no_eligible_items',
      ],
    ];
    for (const [fields, context, reason] of cases) {
      const e = run([line('a', 4000)], [promo({ percent: 10, ...fields })], ctx({ at, ...context }));
      expect(e.applied, reason).toEqual([]);
      expect(e.not_applied[0]?.reason, reason).toBe(reason);
    }
    const short = run(
      [line('a', 4000)],
      [
        promo({
          percent: 10,
          conditions: {
            channel_ids: [],
            segment_ids: [],
            product_ids: [],
            category_ids: [],
            min_subtotal: { amount: 5000, currency: 'EUR' },
          },
        }),
      ],
    );
    expect(short.not_applied[0]!.detail).toBe('Spend €10.00 more');
    const limited = evaluatePromotions(
      [line('a', 4000)],
      [{ promotion: promo({ percent: 10, usage_limit_per_customer: 1 }), code: 'ONCE', customerUses: 1 }],
      ['NOPE'],
      ctx({ customerId: 'cus_1' }),
    );
    expect(limited.not_applied.map((x) => x.reason)).toEqual(['unknown_code', 'customer_limit_reached']);
  });
});
