/**
 * @module Promotions: codes and automatic offers (percentage, fixed amount, buy X get Y, free shipping) with
 * their conditions, and `evaluate`, which prices a cart-like list of lines through priceFor and says which
 * promotions take what off each line, and why. Redemption (the usage counters) is promotion.redemption.ts.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page, PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import { isCurrency, type Money } from './price.money';
import {
  deleteUnusedPromotion,
  existingIds,
  findPromotionRow,
  insertPromotion,
  isDuplicateCode,
  listPromotionRows,
  listRedemptionRows,
  promotionFromRow,
  updatePromotionRow,
  type Promotion,
  type PromotionConditions,
  type PromotionKind,
  type PromotionStatus,
  type Redemption,
} from './promotion.repository';
import type { CatalogPromotionRow } from './promotion.table';
import type { PriceComputation, PricingCustomer } from './price.compute';
import { createPromotionEvaluation } from './promotion.evaluate';
import { createPromotionRedemption } from './promotion.redemption';

export interface PromotionInput {
  name: string;
  description?: string | null | undefined;
  /** Omitted or null: an automatic promotion. Stored upper-cased; unique. */
  code?: string | null | undefined;
  kind: PromotionKind;
  status?: PromotionStatus | undefined;
  percent?: number | null | undefined;
  amount_off?: Money | null | undefined;
  buy_quantity?: number | null | undefined;
  get_quantity?: number | null | undefined;
  get_percent?: number | null | undefined;
  max_applications?: number | null | undefined;
  conditions?: Partial<PromotionConditions> | undefined;
  starts_at?: string | null | undefined;
  ends_at?: string | null | undefined;
  usage_limit?: number | null | undefined;
  usage_limit_per_customer?: number | null | undefined;
  priority?: number | undefined;
}

export type PromotionPatch = Partial<Omit<PromotionInput, 'kind'>>;

export interface PromotionsDeps {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
  segmentExists: (id: string) => Promise<boolean>;
}

/** A promotion's settings, complete: what a create sets or what a patch leaves after merging. */
type State = Required<Omit<PromotionInput, 'conditions'>> & { conditions: PromotionConditions };

/** Fields that only some kinds take. */
const kindFields: Record<PromotionKind, Array<keyof State>> = {
  percentage: ['percent'],
  fixed_amount: ['amount_off'],
  buy_x_get_y: ['buy_quantity', 'get_quantity', 'get_percent', 'max_applications'],
  free_shipping: [],
};
const allKindFields = [
  'percent',
  'amount_off',
  'buy_quantity',
  'get_quantity',
  'get_percent',
  'max_applications',
] as const;
const required: Record<PromotionKind, Array<keyof State>> = {
  percentage: ['percent'],
  fixed_amount: ['amount_off'],
  buy_x_get_y: ['buy_quantity', 'get_quantity'],
  free_shipping: [],
};

const epoch = (iso: string | null) => (iso === null ? null : Date.parse(iso));

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

function stateOf(p: Promotion): State {
  return {
    name: p.name,
    description: p.description,
    code: p.code,
    kind: p.kind,
    status: p.status,
    percent: p.percent,
    amount_off: p.amount_off,
    buy_quantity: p.buy_quantity,
    get_quantity: p.get_quantity,
    get_percent: p.get_percent,
    max_applications: p.max_applications,
    conditions: p.conditions,
    starts_at: p.starts_at,
    ends_at: p.ends_at,
    usage_limit: p.usage_limit,
    usage_limit_per_customer: p.usage_limit_per_customer,
    priority: p.priority,
  };
}

function merge(base: State, patch: PromotionPatch): State {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return {
    ...base,
    ...defined,
    conditions: {
      ...base.conditions,
      ...Object.fromEntries(Object.entries(patch.conditions ?? {}).filter(([, v]) => v !== undefined)),
    },
  } as State;
}

function rowOf(s: State) {
  return {
    name: s.name.trim(),
    description: s.description,
    code: s.code ? s.code.toUpperCase() : null,
    kind: s.kind,
    status: s.status,
    percent: s.percent,
    amount: s.amount_off?.amount ?? null,
    currency: s.amount_off?.currency ?? null,
    buy_quantity: s.buy_quantity,
    get_quantity: s.get_quantity,
    get_percent: s.kind === 'buy_x_get_y' ? (s.get_percent ?? 100) : null,
    max_applications: s.max_applications,
    channel_ids: encodeJson([...new Set(s.conditions.channel_ids)]),
    segment_ids: encodeJson([...new Set(s.conditions.segment_ids)]),
    product_ids: encodeJson([...new Set(s.conditions.product_ids)]),
    category_ids: encodeJson([...new Set(s.conditions.category_ids)]),
    min_subtotal_amount: s.conditions.min_subtotal?.amount ?? null,
    min_subtotal_currency: s.conditions.min_subtotal?.currency ?? null,
    starts_at: epoch(s.starts_at),
    ends_at: epoch(s.ends_at),
    usage_limit: s.usage_limit,
    usage_limit_per_customer: s.usage_limit_per_customer,
    priority: s.priority,
  } satisfies Partial<CatalogPromotionRow>;
}

export function createPromotionCrud(deps: PromotionsDeps) {
  const { db, events } = deps;

  /** Checks a complete state, naming the fields of `given` (what the caller sent) where it can. */
  async function check(s: State, given: PromotionPatch): Promise<void> {
    const errors: FieldError[] = [];
    for (const f of allKindFields) {
      if (!kindFields[s.kind].includes(f) && given[f as keyof PromotionPatch] != null)
        errors.push({ field: `body.${f}`, message: `does not apply to a ${s.kind} promotion` });
    }
    for (const f of required[s.kind])
      if (s[f] == null) errors.push({ field: `body.${f}`, message: `is required for a ${s.kind} promotion` });
    if (s.amount_off && !isCurrency(s.amount_off.currency))
      errors.push({ field: 'body.amount_off.currency', message: 'is not an ISO-4217 currency code' });
    const min = s.conditions.min_subtotal;
    if (min && !isCurrency(min.currency))
      errors.push({
        field: 'body.conditions.min_subtotal.currency',
        message: 'is not an ISO-4217 currency code',
      });
    const starts = epoch(s.starts_at);
    const ends = epoch(s.ends_at);
    if (starts !== null && ends !== null && ends <= starts)
      errors.push({
        field: given.ends_at !== undefined ? 'body.ends_at' : 'body.starts_at',
        message: 'must end after it starts',
      });
    const c = given.conditions ?? {};
    for (const [i, id] of (c.channel_ids ?? []).entries())
      if (!(await deps.channelExists(id)))
        errors.push({ field: `body.conditions.channel_ids.${i}`, message: 'is not a known channel' });
    for (const [i, id] of (c.segment_ids ?? []).entries())
      if (!(await deps.segmentExists(id)))
        errors.push({ field: `body.conditions.segment_ids.${i}`, message: 'is not a known segment' });
    const products = await existingIds(db, 'catalog_products', c.product_ids ?? []);
    (c.product_ids ?? []).forEach((id, i) => {
      if (!products.has(id))
        errors.push({ field: `body.conditions.product_ids.${i}`, message: 'is not a known product' });
    });
    const categories = await existingIds(db, 'catalog_categories', c.category_ids ?? []);
    (c.category_ids ?? []).forEach((id, i) => {
      if (!categories.has(id))
        errors.push({ field: `body.conditions.category_ids.${i}`, message: 'is not a known category' });
    });
    if (errors.length) throw invalid(errors);
  }

  async function guardCode<T>(code: string | null | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isDuplicateCode(err))
        throw new AppError('conflict', `Another promotion already has the code ${code?.toUpperCase()}.`, {
          errors: [{ field: 'body.code', message: 'is already used by another promotion' }],
        });
      throw err;
    }
  }

  return {
    async listPromotions(
      filter: PageRequest & {
        status?: PromotionStatus | undefined;
        kind?: PromotionKind | undefined;
        code?: string | undefined;
      },
    ): Promise<Page<Promotion>> {
      return listPromotionRows(db, filter);
    },

    async retrievePromotion(id: string): Promise<Promotion> {
      const row = await findPromotionRow(db, id);
      if (!row) throw notFound('promotion', id);
      return promotionFromRow(row);
    },

    /**
     * Creates a code or automatic promotion.
     * @example await promotions.createPromotion({ name: 'Welcome', code: 'WELCOME10', kind: 'percentage',
     *   percent: 10, usage_limit_per_customer: 1, conditions: { min_subtotal: { amount: 3000, currency: 'EUR' } } }, actor)
     */
    async createPromotion(input: PromotionInput, actor: Actor): Promise<Promotion> {
      const state = merge(
        {
          name: input.name,
          description: null,
          code: null,
          kind: input.kind,
          status: 'active',
          percent: null,
          amount_off: null,
          buy_quantity: null,
          get_quantity: null,
          get_percent: null,
          max_applications: null,
          conditions: {
            channel_ids: [],
            segment_ids: [],
            product_ids: [],
            category_ids: [],
            min_subtotal: null,
          },
          starts_at: null,
          ends_at: null,
          usage_limit: null,
          usage_limit_per_customer: null,
          priority: 0,
        },
        input,
      );
      await check(state, input);
      const now = Date.now();
      const row = { id: newId('pro'), ...rowOf(state), times_used: 0, created_at: now, updated_at: now };
      await guardCode(input.code, () =>
        inTransaction(db, async (trx) => {
          await insertPromotion(trx, row);
          await events.append(trx, {
            type: 'promotion.created',
            aggregate: { type: 'promotion', id: row.id },
            actor,
            data: { id: row.id, kind: row.kind, code: row.code, status: row.status },
          });
        }),
      );
      return promotionFromRow(row);
    },

    /** Changes a promotion; its kind is fixed once created. Its usage count is redemption's alone. */
    async updatePromotion(id: string, patch: PromotionPatch, actor: Actor): Promise<Promotion> {
      const current = await findPromotionRow(db, id);
      if (!current) throw notFound('promotion', id);
      const state = merge(stateOf(promotionFromRow(current)), patch);
      await check(state, patch);
      return guardCode(patch.code, () =>
        inTransaction(db, async (trx) => {
          if (!(await updatePromotionRow(trx, id, { ...rowOf(state), updated_at: Date.now() })))
            throw notFound('promotion', id);
          const fields = Object.keys(patch).filter((k) => patch[k as keyof PromotionPatch] !== undefined);
          await events.append(trx, {
            type: 'promotion.updated',
            aggregate: { type: 'promotion', id },
            actor,
            data: { id, fields },
          });
          return promotionFromRow((await findPromotionRow(trx, id))!);
        }),
      );
    },

    /** Deletes a promotion that was never redeemed; one with redemptions is archived instead (a 409 says so). */
    async deletePromotion(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await findPromotionRow(trx, id))) throw notFound('promotion', id);
        if (!(await deleteUnusedPromotion(trx, id)))
          throw new AppError(
            'conflict',
            'The promotion has been redeemed: archive it (status archived) instead.',
          );
        await events.append(trx, {
          type: 'promotion.deleted',
          aggregate: { type: 'promotion', id },
          actor,
          data: { id },
        });
      });
    },

    async listRedemptions(id: string, page: PageRequest): Promise<Page<Redemption>> {
      if (!(await findPromotionRow(db, id))) throw notFound('promotion', id);
      return listRedemptionRows(db, id, page);
    },
  };
}

/**
 * The promotions service: CRUD, `evaluate` (what a cart gets and why) and `redeem` / `release` (the counters).
 * @example const promotions = createPromotionsService({ db, events, channelExists, segmentExists, customerSegments, pricing: prices })
 */
export function createPromotionsService(
  deps: PromotionsDeps & {
    pricing: PriceComputation;
    customerSegments: (customerId: string) => Promise<PricingCustomer | null>;
  },
) {
  return {
    ...createPromotionCrud(deps),
    ...createPromotionEvaluation(deps),
    ...createPromotionRedemption(deps),
  };
}

export type PromotionsService = ReturnType<typeof createPromotionsService>;

export const promotionEventTypes: EventTypeDefinition[] = [
  {
    type: 'promotion.created',
    description: 'A promotion (code or automatic) was created',
    permission: 'catalog:read',
  },
  {
    type: 'promotion.updated',
    description: 'A promotion changed (conditions, limits, window, status)',
    permission: 'catalog:read',
  },
  {
    type: 'promotion.deleted',
    description: 'A promotion never redeemed was deleted',
    permission: 'catalog:read',
  },
  {
    type: 'promotion.redeemed',
    description: 'A promotion was used for an order or cart (carries the customer and channel)',
    permission: 'catalog:read',
  },
  {
    type: 'promotion.released',
    description: 'A redemption was given back (order cancelled, cart abandoned)',
    permission: 'catalog:read',
  },
];

/** Promotions themselves name channels, segments and products, never a person (redemptions have a privacy handler). */
export const promotionNoCustomerData = {
  catalog_promotions: 'promotion definitions and their total usage count',
};
