/**
 * @module Routes: promotions (/v1/promotions), evaluation of a cart's lines (/v1/promotions/evaluate and
 * /store/v1/promotions/evaluate for a publishable key's channel), and redemption (/v1/promotions/redeem,
 * /v1/promotions/release) which counts uses against the limits.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/auth/principal';
import {
  IdParams,
  IsoTime,
  ListQuery,
  Nullable,
  NullableIsoTime,
  listOf,
  strictObject,
} from '../../platform/http/schemas';
import { MAX_AMOUNT } from './price.money';
import { MoneySchema } from './price.schemas';
import { promotionKinds, promotionStatuses } from './promotion.repository';
import type { PromotionsService } from './promotion.service';
import type { Evaluation } from './promotion.engine';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Ids = Type.Array(Id, { maxItems: 100, uniqueItems: true });
const Money = (min: number) =>
  strictObject({
    amount: Type.Integer({ minimum: min, maximum: MAX_AMOUNT, description: 'Minor units' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO-4217 code' }),
  });
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Code = Type.String({
  pattern: '^[A-Za-z0-9_-]{3,40}$',
  description: 'Letters, digits, - and _; case-insensitive',
});

const ConditionsBody = strictObject({
  channel_ids: Type.Optional(Ids),
  segment_ids: Type.Optional(Ids),
  product_ids: Type.Optional(Ids),
  category_ids: Type.Optional(Ids),
  min_subtotal: Type.Optional(Nullable(Money(1))),
});

const settings = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  code: Type.Optional(Nullable(Code)),
  status: Type.Optional(Type.Enum(promotionStatuses)),
  percent: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: 100, description: 'percentage: whole percent off' })),
  ),
  amount_off: Type.Optional(Money(1)),
  buy_quantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  get_quantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  get_percent: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 100 (free)' })),
  ),
  max_applications: Type.Optional(Nullable(Count)),
  conditions: Type.Optional(ConditionsBody),
  starts_at: Type.Optional(NullableIsoTime),
  ends_at: Type.Optional(NullableIsoTime),
  usage_limit: Type.Optional(Nullable(Count)),
  usage_limit_per_customer: Type.Optional(Nullable(Count)),
  priority: Type.Optional(
    Type.Integer({ minimum: -1000, maximum: 1000, description: 'Higher applies first' }),
  ),
};

const PromotionSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    code: Nullable(Type.String()),
    kind: Type.Enum(promotionKinds),
    status: Type.Enum(promotionStatuses),
    percent: Nullable(Type.Integer()),
    amount_off: Nullable(MoneySchema),
    buy_quantity: Nullable(Type.Integer()),
    get_quantity: Nullable(Type.Integer()),
    get_percent: Nullable(Type.Integer()),
    max_applications: Nullable(Type.Integer()),
    conditions: Type.Object({
      channel_ids: Type.Array(Type.String()),
      segment_ids: Type.Array(Type.String()),
      product_ids: Type.Array(Type.String()),
      category_ids: Type.Array(Type.String()),
      min_subtotal: Nullable(MoneySchema),
    }),
    starts_at: NullableIsoTime,
    ends_at: NullableIsoTime,
    usage_limit: Nullable(Type.Integer()),
    usage_limit_per_customer: Nullable(Type.Integer()),
    times_used: Type.Integer(),
    priority: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Promotion' },
);

const RedemptionFields = {
  id: Type.String(),
  promotion_id: Type.String(),
  reference: Type.String(),
  customer_id: Nullable(Type.String()),
  channel_id: Nullable(Type.String()),
  status: Type.Union([Type.Literal('redeemed'), Type.Literal('released')]),
  redeemed_at: IsoTime,
  released_at: NullableIsoTime,
};
const RedemptionSchema = Type.Object(RedemptionFields, { title: 'Redemption' });

const LineBody = strictObject({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  variant_id: Id,
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  unit_price: Type.Optional(Money(0)),
});
const evaluateFields = {
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
  lines: Type.Array(LineBody, { minItems: 1, maxItems: 500 }),
  shipping: Type.Optional(Nullable(Money(0))),
  at: Type.Optional(IsoTime),
};

const Adjustment = Type.Object({
  promotion_id: Type.String(),
  code: Nullable(Type.String()),
  name: Type.String(),
  amount: MoneySchema,
});
const EvaluationSchema = Type.Object(
  {
    currency: Type.String(),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    at: IsoTime,
    subtotal: MoneySchema,
    discount_total: MoneySchema,
    total: MoneySchema,
    free_shipping: Type.Boolean(),
    shipping: Nullable(Type.Object({ amount: MoneySchema, discount: MoneySchema, total: MoneySchema })),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        variant_id: Type.String(),
        quantity: Type.Integer(),
        unit_price: MoneySchema,
        subtotal: MoneySchema,
        discount: MoneySchema,
        total: MoneySchema,
        adjustments: Type.Array(Adjustment),
      }),
    ),
    applied: Type.Array(
      Type.Object({
        promotion_id: Type.String(),
        code: Nullable(Type.String()),
        name: Type.String(),
        kind: Type.String(),
        amount: MoneySchema,
        free_shipping: Type.Boolean(),
        description: Type.String(),
      }),
    ),
    not_applied: Type.Array(
      Type.Object({
        promotion_id: Nullable(Type.String()),
        code: Nullable(Type.String()),
        name: Nullable(Type.String()),
        reason: Type.String(),
        detail: Type.String(),
      }),
    ),
  },
  { title: 'PromotionEvaluation' },
);

/** What a shopper may learn about offers they did not get: their own codes, and how to reach an automatic one. */
const SHOPPER_HINTS = new Set(['min_subtotal_not_met', 'quantity_not_met']);
const forShopper = <T extends Evaluation>(e: T): T => ({
  ...e,
  not_applied: e.not_applied.filter((n) => n.code !== null || SHOPPER_HINTS.has(n.reason)),
});

export function promotionsRoutes(promotions: PromotionsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['promotions'];

    app.get(
      '/v1/promotions',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List promotions',
          querystring: strictObject({
            ...ListQuery,
            status: Type.Optional(Type.Enum(promotionStatuses)),
            kind: Type.Optional(Type.Enum(promotionKinds)),
            code: Type.Optional(Type.String({ maxLength: 40 })),
          }),
          response: { 200: listOf(PromotionSchema) },
        },
      },
      async (request) => promotions.listPromotions(request.query),
    );

    app.post(
      '/v1/promotions',
      {
        config: { access: 'catalog:write', audit: 'promotion.create' },
        schema: {
          tags,
          summary:
            'Create a code or automatic promotion (percentage, fixed amount, buy X get Y, free shipping)',
          body: strictObject({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.Enum(promotionKinds),
            ...settings,
          }),
          response: { 201: PromotionSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await promotions.createPromotion(request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/promotions/evaluate',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary:
            'Which promotions a cart gets, what each takes off each line, and why the others do not apply',
          body: strictObject({ ...evaluateFields, channel_id: Id, customer_id: Type.Optional(Nullable(Id)) }),
          response: { 200: EvaluationSchema },
        },
      },
      async (request) => promotions.evaluate(request.body),
    );

    app.post(
      '/v1/promotions/redeem',
      {
        config: { access: 'orders:write', audit: 'promotion.redeem' },
        schema: {
          tags,
          summary:
            'Count the use of promotions for an order or cart: atomic, idempotent per reference, within the limits',
          body: strictObject({
            reference: Type.String({ minLength: 1, maxLength: 100, description: 'Order or cart id' }),
            channel_id: Id,
            customer_id: Type.Optional(Nullable(Id)),
            codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
            promotion_ids: Type.Optional(Ids),
          }),
          response: {
            200: Type.Object({
              reference: Type.String(),
              redemptions: Type.Array(
                Type.Object({ ...RedemptionFields, code: Nullable(Type.String()), replayed: Type.Boolean() }),
              ),
            }),
          },
        },
      },
      async (request) => promotions.redeem(request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/promotions/release',
      {
        config: { access: 'orders:write', audit: 'promotion.release' },
        schema: {
          tags,
          summary:
            'Give back the uses counted for an order or cart (all, or those of some promotions); idempotent',
          body: strictObject({
            reference: Type.String({ minLength: 1, maxLength: 100 }),
            promotion_ids: Type.Optional(Ids),
          }),
          response: {
            200: Type.Object({ reference: Type.String(), released: Type.Array(RedemptionSchema) }),
          },
        },
      },
      async (request) => promotions.release(request.body, actorOf(request.principal)),
    );

    app.get(
      '/v1/promotions/:id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Retrieve a promotion',
          params: IdParams,
          response: { 200: PromotionSchema },
        },
      },
      async (request) => promotions.retrievePromotion(request.params.id),
    );

    app.patch(
      '/v1/promotions/:id',
      {
        config: { access: 'catalog:write', audit: 'promotion.update' },
        schema: {
          tags,
          summary: 'Change a promotion (not its kind); status archived retires it',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            ...settings,
          }),
          response: { 200: PromotionSchema },
        },
      },
      async (request) =>
        promotions.updatePromotion(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/promotions/:id',
      {
        config: { access: 'catalog:write', audit: 'promotion.delete' },
        schema: { tags, summary: 'Delete a promotion never redeemed', params: IdParams },
      },
      async (request, reply) => {
        await promotions.deletePromotion(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );

    app.get(
      '/v1/promotions/:id/redemptions',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'A promotion’s redemptions, newest first',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(RedemptionSchema) },
        },
      },
      async (request) => promotions.listRedemptions(request.params.id, request.query),
    );

    app.post(
      '/store/v1/promotions/evaluate',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['storefront'],
          summary: 'Evaluate the shopper’s cart and codes in this key’s channel',
          body: strictObject(evaluateFields),
          response: { 200: EvaluationSchema },
        },
      },
      async (request) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        return forShopper(
          await promotions.evaluate({ ...request.body, channel_id: request.principal.channelId }),
        );
      },
    );
  };
}
