/**
 * The price rule on its own, for the ties a merchandiser asks about: a channel list against a segment list, a
 * list naming both, equal priorities, and sales that meet overrides.
 */
import { describe, expect, it } from 'vitest';
import type { PriceListRule } from './price.repository';
import { resolvePrice, type PriceContext, type StoredPrice } from './price.resolve';

const list = (id: string, fields: Partial<PriceListRule> = {}): PriceListRule => ({
  id,
  name: id,
  type: 'override',
  status: 'active',
  channel_ids: [],
  segment_ids: [],
  starts_at: null,
  ends_at: null,
  priority: 0,
  ...fields,
});

const ctx: PriceContext = { currency: 'EUR', channelId: 'cha_store', segmentIds: ['seg_gold'], at: 1_000 };

function price(lists: PriceListRule[], amounts: Record<string, number>, base: number | null = 5000, c = ctx) {
  const prices: StoredPrice[] = Object.entries(amounts).map(([id, amount]) => ({
    price_list_id: id,
    amount,
    tax_inclusive: true,
  }));
  if (base !== null) prices.push({ price_list_id: null, amount: base, tax_inclusive: true });
  return resolvePrice('var_1', prices, new Map(lists.map((l) => [l.id, l])), c);
}

describe('price resolution', () => {
  it('breaks a priority tie by specificity, then by the newest list', () => {
    const channel = list('prl_01', { channel_ids: ['cha_store'] });
    const segment = list('prl_02', { segment_ids: ['seg_gold'] });
    const both = list('prl_03', { channel_ids: ['cha_store'], segment_ids: ['seg_gold'] });
    // A channel list and a segment list are equally specific: the newer (higher id) wins.
    expect(price([channel, segment], { prl_01: 4000, prl_02: 4500 }).source.price_list_id).toBe('prl_02');
    // A list naming both is more specific than either, even if older.
    const older = list('prl_00', { channel_ids: ['cha_store'], segment_ids: ['seg_gold'] });
    expect(price([older, channel, segment], { prl_00: 4800, prl_01: 4000, prl_02: 4500 }).price!.amount).toBe(
      4800,
    );
    // Priority comes before specificity.
    const loud = list('prl_04', { priority: 5 });
    const r = price([both, loud], { prl_03: 4200, prl_04: 4900 });
    expect(r.source.price_list_id).toBe('prl_04');
    expect(r.channel_exception).toBe(false);
    expect(r.considered.find((x) => x.price_list_id === 'prl_03')!.outcome).toBe('outranked');
  });

  it('ignores drafts, lists of other channels and segments, and windows not containing the moment', () => {
    const lists = [
      list('prl_a', { status: 'draft' }),
      list('prl_b', { channel_ids: ['cha_web'] }),
      list('prl_c', { segment_ids: ['seg_other'] }),
      list('prl_d', { starts_at: 1_001 }),
      list('prl_e', { ends_at: 1_000 }),
    ];
    const r = price(lists, { prl_a: 1, prl_b: 2, prl_c: 3, prl_d: 4, prl_e: 5 });
    expect(r.source.type).toBe('base');
    expect(r.considered.map((x) => x.outcome)).toEqual([
      'draft',
      'other_channel',
      'not_in_segment',
      'not_started',
      'ended',
    ]);
    // Without a channel (the default price), a channel list never applies.
    const d = price([list('prl_b', { channel_ids: ['cha_store'] })], { prl_b: 2 }, 5000, {
      ...ctx,
      channelId: null,
    });
    expect(d.price!.amount).toBe(5000);
  });

  it('lets the lowest sale beat the override price, shown as compare-at, and a channel sale mark an exception', () => {
    const override = list('prl_1', { priority: 3 });
    const sale = list('prl_2', { type: 'sale' });
    const storeSale = list('prl_3', { type: 'sale', channel_ids: ['cha_store'] });
    const r = price([override, sale, storeSale], { prl_1: 4000, prl_2: 3500, prl_3: 3000 });
    expect(r).toMatchObject({
      price: { amount: 3000 },
      compare_at: { amount: 4000 },
      base: { amount: 5000 },
      source: { type: 'sale', price_list_id: 'prl_3', channel_specific: true },
      channel_exception: true,
    });
    expect(r.considered.map((x) => [x.price_list_id, x.outcome])).toEqual([
      ['prl_1', 'applied'],
      ['prl_2', 'lower_sale_won'],
      ['prl_3', 'applied'],
    ]);
    // A sale with no price to beat still sells at its price, with nothing struck through.
    expect(price([sale], { prl_2: 3500 }, null)).toMatchObject({ price: { amount: 3500 }, compare_at: null });
  });
});
