/**
 * @module Routes: gift cards for staff (/v1/gift-cards: issue, list, retrieve, disable, look up by code at the
 * till) and the storefront's balance check (/store/v1/gift-cards/balance). Codes travel in bodies, so they stay
 * out of URLs and access logs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { refuseCardNumbers } from './payment.pan';
import { GiftCardMovementSchema, GiftCardSchema, Id, MoneyInput, MoneySchema } from './payment.schemas';
import type { GiftCardsService } from './gift-card.service';

const tags = ['gift cards'];

export function giftCardsRoutes(giftCards: GiftCardsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preValidation', refuseCardNumbers);

    app.post(
      '/v1/gift-cards',
      {
        config: { access: 'orders:write', audit: 'gift_card.issue' },
        schema: {
          tags,
          summary: 'Issue a gift card; the answer holds its code, shown this once and never again',
          body: strictObject({
            amount: MoneyInput,
            expires_at: Type.Optional(IsoTime),
            customer_id: Type.Optional(Id),
            channel_id: Type.Optional(Id),
          }),
          response: { 201: Type.Intersect([GiftCardSchema, Type.Object({ code: Type.String() })]) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await giftCards.issueGiftCard(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/gift-cards',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'List gift cards, newest first (by customer, or by the last 4 characters of the code)',
          querystring: strictObject({
            ...ListQuery,
            customer_id: Type.Optional(Id),
            last4: Type.Optional(Type.String({ minLength: 4, maxLength: 4 })),
          }),
          response: { 200: listOf(GiftCardSchema) },
        },
      },
      async (request) => giftCards.listGiftCards(request.query),
    );

    app.get(
      '/v1/gift-cards/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'A gift card with its ledger of movements',
          params: IdParams,
          response: {
            200: Type.Intersect([
              GiftCardSchema,
              Type.Object({ movements: Type.Array(GiftCardMovementSchema) }),
            ]),
          },
        },
      },
      async (request) => giftCards.retrieveGiftCard(request.params.id),
    );

    app.post(
      '/v1/gift-cards/:id/disable',
      {
        config: { access: 'orders:write', audit: 'gift_card.disable' },
        schema: {
          tags,
          summary: 'Disable a gift card (lost or stolen): it can no longer be spent',
          params: IdParams,
          response: { 200: GiftCardSchema },
        },
      },
      async (request) => giftCards.disableGiftCard(request.params.id, actorOf(request.principal)),
    );

    app.post(
      '/v1/gift-cards/lookup',
      {
        config: { access: 'pos:use' },
        schema: {
          tags,
          summary:
            'Look up a gift card by its full code at the till: balance and status (the code is not sent back)',
          body: strictObject({ code: Type.String({ minLength: 4, maxLength: 64 }) }),
          response: {
            200: Type.Object({
              id: Type.String(),
              last4: Type.String(),
              balance: MoneySchema,
              status: Type.String(),
              expires_at: Nullable(Type.String()),
            }),
          },
        },
      },
      async (request) => giftCards.lookupGiftCard(request.body.code),
    );

    app.post(
      '/store/v1/gift-cards/balance',
      {
        config: { access: 'publishable' },
        schema: {
          tags,
          summary: 'Check the balance of a gift card by its code',
          body: strictObject({ code: Type.String({ minLength: 4, maxLength: 64 }) }),
          response: {
            200: Type.Object({
              last4: Type.String(),
              balance: MoneySchema,
              status: Type.String(),
              expires_at: Nullable(Type.String()),
            }),
          },
        },
      },
      async (request) => giftCards.checkBalance(request.body.code),
    );
  };
}
