/**
 * @module Checks shared by price and price-list writes: what the request schema cannot see (ISO-4217 codes,
 * variants, lists, channels and segments that exist, windows that end after they start, one tax flag per
 * variant and currency). They run before any transaction and report every bad field at once.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/events/outbox';
import { variantsByIds } from './variant.repository';
import { isCurrency } from './price.money';
import { findPriceListRow, taxFlagsOf, type PriceListStatus, type PriceListType } from './price.repository';

export interface PriceInput {
  variant_id: string;
  currency: string;
  /** Minor units, ≥ 0. */
  amount: number;
  /** Omitted: the flag of the variant's other prices in this currency, else true. */
  tax_inclusive?: boolean | undefined;
  /** Omitted or null: the variant's base price. */
  price_list_id?: string | null | undefined;
}

export interface PriceListInput {
  name: string;
  description?: string | null | undefined;
  type?: PriceListType | undefined;
  status?: PriceListStatus | undefined;
  channel_ids?: string[] | undefined;
  segment_ids?: string[] | undefined;
  starts_at?: string | null | undefined;
  ends_at?: string | null | undefined;
  priority?: number | undefined;
  /** The list's prices, created with it (all or nothing). */
  prices?: Array<Omit<PriceInput, 'price_list_id'>> | undefined;
}

export type PriceListPatch = Partial<Omit<PriceListInput, 'prices' | 'type'>>;

export interface PricesDeps {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
  segmentExists: (id: string) => Promise<boolean>;
}

export const epoch = (iso: string | null | undefined): number | null =>
  iso == null ? null : Date.parse(iso);

export const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createPriceChecks(deps: PricesDeps) {
  const { db } = deps;
  /** Checks list settings that need other services (channels, segments) or several fields (the window). */
  async function checkListSettings(
    input: PriceListPatch,
    current: { starts_at: number | null; ends_at: number | null } | null,
    errors: FieldError[],
  ) {
    for (const [i, id] of (input.channel_ids ?? []).entries())
      if (!(await deps.channelExists(id)))
        errors.push({ field: `body.channel_ids.${i}`, message: 'is not a known channel' });
    for (const [i, id] of (input.segment_ids ?? []).entries())
      if (!(await deps.segmentExists(id)))
        errors.push({ field: `body.segment_ids.${i}`, message: 'is not a known segment' });
    const starts = input.starts_at !== undefined ? epoch(input.starts_at) : (current?.starts_at ?? null);
    const ends = input.ends_at !== undefined ? epoch(input.ends_at) : (current?.ends_at ?? null);
    if (starts !== null && ends !== null && ends <= starts)
      errors.push({
        field: input.ends_at !== undefined ? 'body.ends_at' : 'body.starts_at',
        message: 'must end after it starts',
      });
  }

  /**
   * Checks prices against what the schema cannot see: the currency is ISO-4217, the variant and list exist, no
   * two inputs name the same price, and a variant's prices in one currency agree on tax_inclusive (a sale is
   * only comparable with the price it beats when both include tax or both do not). Returns the rows' flags.
   */
  async function checkPrices(
    inputs: readonly PriceInput[],
    field: (i: number, name: string) => string,
    errors: FieldError[],
    options: { knownListIds?: ReadonlySet<string>; replacing?: readonly string[] } = {},
  ): Promise<boolean[]> {
    const variants = new Set(
      (
        await variantsByIds(
          db,
          inputs.map((p) => p.variant_id),
        )
      ).map((v) => v.id),
    );
    const lists = new Set(options.knownListIds ?? []);
    for (const id of new Set(inputs.map((p) => p.price_list_id).filter((x): x is string => !!x)))
      if (!lists.has(id) && (await findPriceListRow(db, id))) lists.add(id);
    const stored = await taxFlagsOf(db, inputs, options.replacing);
    const seen = new Map<string, number>();
    const flags: boolean[] = [];
    for (const [i, p] of inputs.entries()) {
      const pair = `${p.variant_id}|${p.currency}`;
      if (!isCurrency(p.currency))
        errors.push({ field: field(i, 'currency'), message: 'is not an ISO-4217 currency code' });
      if (!variants.has(p.variant_id))
        errors.push({ field: field(i, 'variant_id'), message: 'is not a known variant' });
      if (p.price_list_id && !lists.has(p.price_list_id))
        errors.push({ field: field(i, 'price_list_id'), message: 'is not a known price list' });
      const key = `${pair}|${p.price_list_id ?? ''}`;
      if (seen.has(key))
        errors.push({
          field: field(i, 'variant_id'),
          message: `repeats the price at index ${seen.get(key)}`,
        });
      seen.set(key, i);
      const known = stored.get(pair);
      const flag = p.tax_inclusive ?? known ?? true;
      if (known !== undefined && flag !== known)
        errors.push({
          field: field(i, 'tax_inclusive'),
          message: `must be ${known}, like the variant’s other prices in ${p.currency}`,
        });
      stored.set(pair, flag);
      flags.push(flag);
    }
    return flags;
  }

  return { checkListSettings, checkPrices };
}
