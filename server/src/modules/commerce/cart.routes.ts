/**
 * @module Staff routes for carts (/v1/carts): an agent or associate builds or continues a cart for a customer,
 * pulls up a customer's open cart, claims an anonymous one, makes a resume link, opens one by its code. Every
 * write names the channel it comes through (`channel_id`: the store's POS, the phone line…), which is recorded
 * as the cart's last touch and whose prices the answer shows.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { cartStatuses, type Cart } from './cart.repository';
import {
  CartDetails,
  CartSchema,
  ChannelId,
  LinePatchBody,
  LinesBody,
  PricedCartSchema,
  ResumeLinkSchema,
} from './cart.schemas';
import type { CartsService } from './cart.service';
import type { CartClaims } from './cart.merge';
import type { Pricing } from './pricing';
import type { ResumeService } from './resume.service';

const tags = ['carts'];
const Identifiers = Type.Array(
  strictObject({
    type: Type.String({ minLength: 1, maxLength: 40 }),
    value: Type.String({ minLength: 1, maxLength: 320 }),
  }),
  { minItems: 1, maxItems: 10 },
);
const LineParams = strictObject({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  line_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export interface CartRoutesDeps {
  carts: CartsService;
  claims: CartClaims;
  pricing: Pricing;
  resume: ResumeService;
}

export function cartsRoutes(deps: CartRoutesDeps): FastifyPluginAsyncTypebox {
  const { carts, claims, pricing, resume } = deps;
  const priced = async (cart: Cart, channelId?: string) => ({
    ...cart,
    pricing: await pricing.priceCart(cart, { channelId: channelId ?? cart.last_channel_id }),
  });

  return async (app) => {
    app.post(
      '/v1/carts',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Start a cart in a channel — for a customer (continuing their open cart) or anonymous',
          body: strictObject({
            channel_id: ChannelId,
            customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            identifiers: Type.Optional(Identifiers),
            anonymous_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            lines: Type.Optional(Type.Array(LinesBody.items, { maxItems: 100 })),
            ...CartDetails,
          }),
          response: { 200: PricedCartSchema, 201: PricedCartSchema },
        },
      },
      async (request, reply) => {
        const { channel_id, identifiers, ...input } = request.body;
        const ctx = { channelId: channel_id, actor: actorOf(request.principal) };
        if (identifiers && input.customer_id)
          throw new AppError('validation_failed', 'Give customer_id or identifiers, not both.', {
            errors: [{ field: 'body.identifiers', message: 'give customer_id or identifiers, not both' }],
          });
        const customerId = identifiers ? await claims.customerFor(identifiers, ctx) : input.customer_id;
        const { cart, created } = await carts.createCart({ ...input, customer_id: customerId }, ctx);
        return reply.code(created ? 201 : 200).send(await priced(cart, channel_id));
      },
    );

    app.get(
      '/v1/carts',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'Carts newest first; a customer’s open cart with ?customer_id=…&status=open',
          querystring: strictObject({
            ...ListQuery,
            customer_id: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Type.Enum(cartStatuses)),
            channel_id: Type.Optional(
              Type.String({ maxLength: 64, description: 'Last touched in this channel' }),
            ),
          }),
          response: { 200: listOf(CartSchema) },
        },
      },
      async (request) => carts.listCarts(request.query),
    );

    app.get(
      '/v1/carts/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'A cart priced for a channel (default: its last channel)',
          params: IdParams,
          querystring: strictObject({ channel_id: Type.Optional(ChannelId) }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => priced(await carts.retrieveCart(request.params.id), request.query.channel_id),
    );

    app.patch(
      '/v1/carts/:id',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Change email, shipping address or method, promotion codes',
          params: IdParams,
          body: strictObject({ channel_id: ChannelId, ...CartDetails }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => {
        const { channel_id, ...patch } = request.body;
        const cart = await carts.updateCart(request.params.id, patch, {
          channelId: channel_id,
          actor: actorOf(request.principal),
        });
        return priced(cart, channel_id);
      },
    );

    app.post(
      '/v1/carts/:id/lines',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Add lines (more of a variant already there adds to its quantity)',
          params: IdParams,
          body: strictObject({ channel_id: ChannelId, lines: LinesBody }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => {
        const ctx = { channelId: request.body.channel_id, actor: actorOf(request.principal) };
        return priced(await carts.addLines(request.params.id, request.body.lines, ctx), ctx.channelId);
      },
    );

    app.patch(
      '/v1/carts/:id/lines/:line_id',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Change a line’s quantity or delivery choice',
          params: LineParams,
          body: strictObject({ channel_id: ChannelId, ...LinePatchBody }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => {
        const { channel_id, ...patch } = request.body;
        const ctx = { channelId: channel_id, actor: actorOf(request.principal) };
        return priced(
          await carts.updateLine(request.params.id, request.params.line_id, patch, ctx),
          channel_id,
        );
      },
    );

    app.delete(
      '/v1/carts/:id/lines/:line_id',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Remove a line',
          params: LineParams,
          querystring: strictObject({ channel_id: ChannelId }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => {
        const ctx = { channelId: request.query.channel_id, actor: actorOf(request.principal) };
        return priced(await carts.removeLine(request.params.id, request.params.line_id, ctx), ctx.channelId);
      },
    );

    app.post(
      '/v1/carts/:id/claim',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary: 'Give an anonymous cart to a customer (by id or identifiers); merges into their open cart',
          params: IdParams,
          body: strictObject({
            channel_id: ChannelId,
            customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            identifiers: Type.Optional(Identifiers),
          }),
          response: {
            200: Type.Object({
              ...PricedCartSchema.properties,
              merged_from: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { channel_id, customer_id, identifiers } = request.body;
        if (!customer_id === !identifiers)
          throw new AppError('validation_failed', 'Give customer_id or identifiers.', {
            errors: [{ field: 'body.customer_id', message: 'give customer_id or identifiers (one of them)' }],
          });
        const ctx = { channelId: channel_id, actor: actorOf(request.principal) };
        const customerId = customer_id ?? (await claims.customerFor(identifiers!, ctx));
        const { cart, merged_from } = await claims.claimCart(request.params.id, customerId, ctx);
        return { ...(await priced(cart, channel_id)), merged_from };
      },
    );

    app.post(
      '/v1/carts/:id/resume-link',
      {
        config: { access: 'orders:write' },
        // No body reads as `{}`, so the schema still rejects unknown fields.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags,
          summary:
            'A signed, expiring resume link and a short code for the customer’s cart (send it through any channel)',
          params: IdParams,
          body: strictObject({
            ttl_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 30 * 24 * 60 })),
          }),
          response: { 201: ResumeLinkSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await resume.createResumeLink(request.params.id, request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/carts/resume',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'Open a cart from its resume code (typed or scanned at the POS) or link token, for a channel',
          body: strictObject({
            channel_id: ChannelId,
            code: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
            token: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
          }),
          response: { 200: PricedCartSchema },
        },
      },
      async (request) => {
        const { channel_id, code, token } = request.body;
        if (!code === !token)
          throw new AppError('validation_failed', 'Give code or token.', {
            errors: [{ field: 'body.code', message: 'give code or token (one of them)' }],
          });
        const opened = code
          ? await resume.openByCode(code, channel_id)
          : await resume.openByToken(token!, channel_id, null);
        return priced(opened.cart, channel_id);
      },
    );
  };
}
