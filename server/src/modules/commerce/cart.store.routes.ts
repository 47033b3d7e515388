/**
 * @module Storefront routes for carts (/store/v1/carts), for a publishable key: its channel is the one asking,
 * so prices and currency are that channel's. A cart opens with its secret (`X-Cart-Secret`, returned when the
 * cart is made, claimed or resumed) or, once it is a customer's, with that customer's `X-Customer-Token`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, type Actor, type Principal } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, strictObject } from '../../platform/http/schemas';
import type { Cart } from './cart.repository';
import { CartDetails, LinePatchBody, LinesBody, StoreCartSchema } from './cart.schemas';
import type { CartRoutesDeps } from './cart.routes';
import type { CartSigner } from './resume.keys';

const tags = ['storefront'];
const security = [{ bearer: [] }];
const LineParams = strictObject({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  line_id: Type.String({ minLength: 1, maxLength: 64 }),
});
const CART_SECRET_HEADER = 'x-cart-secret';
const CUSTOMER_TOKEN_HEADER = 'x-customer-token';

export interface StoreCartDeps extends CartRoutesDeps {
  signer: CartSigner;
  /** The auth hook's check of a customer token (X-Customer-Token), or null when it opens nothing. */
  customerToken: (token: string) => Promise<Principal | null>;
}

export function storeCartsRoutes(deps: StoreCartDeps): FastifyPluginAsyncTypebox {
  const { carts, claims, pricing, resume, signer } = deps;

  function channelOf(request: FastifyRequest): string {
    if (request.principal.kind !== 'publishable_key')
      throw new AppError('forbidden', 'A publishable key is required.');
    return request.principal.channelId;
  }

  /** The customer the request proves (X-Customer-Token), or null without one; a bad token is a 401. */
  async function customerOf(request: FastifyRequest): Promise<string | null> {
    const header = request.headers[CUSTOMER_TOKEN_HEADER];
    const token = typeof header === 'string' ? header.trim() : '';
    if (!token) return null;
    const principal = await deps.customerToken(token);
    if (principal?.kind !== 'customer')
      throw new AppError('unauthenticated', 'The customer token is unknown, expired or revoked.');
    return principal.customerId;
  }

  /** Who writes: the customer when proven, else the key. */
  const actor = (request: FastifyRequest, customerId: string | null): Actor =>
    customerId ? { type: 'customer', id: customerId, label: 'customer' } : actorOf(request.principal);

  /** The cart, when the request holds its secret or is its customer; otherwise 404 (its existence is not told). */
  async function openCart(
    request: FastifyRequest,
    id: string,
  ): Promise<{ cart: Cart; customerId: string | null }> {
    const customerId = await customerOf(request);
    const header = request.headers[CART_SECRET_HEADER];
    const secret = typeof header === 'string' ? header.trim() : '';
    const cart = await carts.retrieveCart(id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    });
    const allowed =
      cart &&
      ((secret && (await signer.verifyCartSecret(cart.id, secret))) ||
        (customerId !== null && cart.customer_id === customerId));
    if (!cart || !allowed)
      throw new AppError(
        'not_found',
        `No cart with id ${id} for these credentials (X-Cart-Secret or X-Customer-Token).`,
      );
    return { cart, customerId };
  }

  const view = async (cart: Cart, channelId: string) => ({
    ...cart,
    pricing: await pricing.priceCart(cart, { channelId }),
    secret: await signer.cartSecret(cart.id),
  });

  return async (app) => {
    const base = { config: { access: 'publishable' as const } };

    app.post(
      '/store/v1/carts',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Start a cart in this channel (with X-Customer-Token: continue the customer’s open cart)',
          body: strictObject({
            anonymous_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            lines: Type.Optional(Type.Array(LinesBody.items, { maxItems: 100 })),
            ...CartDetails,
          }),
          response: { 200: StoreCartSchema, 201: StoreCartSchema },
        },
      },
      async (request, reply) => {
        const channelId = channelOf(request);
        const customerId = await customerOf(request);
        const { cart, created } = await carts.createCart(
          { ...request.body, customer_id: customerId },
          { channelId, actor: actor(request, customerId) },
        );
        return reply.code(created ? 201 : 200).send(await view(cart, channelId));
      },
    );

    app.get(
      '/store/v1/carts/current',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'The open cart of the customer of X-Customer-Token',
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const customerId = await customerOf(request);
        if (!customerId)
          throw new AppError('unauthenticated', 'Send the customer token in the X-Customer-Token header.');
        const cart = await carts.openCartOf(customerId);
        if (!cart) throw new AppError('not_found', 'The customer has no open cart.');
        return view(cart, channelId);
      },
    );

    app.post(
      '/store/v1/carts/resume',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Open a cart from a resume link token, in this channel',
          body: strictObject({ token: Type.String({ minLength: 1, maxLength: 1000 }) }),
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const opened = await resume.openByToken(request.body.token, channelId, await customerOf(request));
        return view(opened.cart, channelId);
      },
    );

    app.get(
      '/store/v1/carts/:id',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'A cart priced in this channel',
          params: IdParams,
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => view((await openCart(request, request.params.id)).cart, channelOf(request)),
    );

    app.patch(
      '/store/v1/carts/:id',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Change email, shipping address or method, promotion codes',
          params: IdParams,
          body: strictObject(CartDetails),
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { cart, customerId } = await openCart(request, request.params.id);
        return view(
          await carts.updateCart(cart.id, request.body, { channelId, actor: actor(request, customerId) }),
          channelId,
        );
      },
    );

    app.post(
      '/store/v1/carts/:id/lines',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Add lines (more of a variant already there adds to its quantity)',
          params: IdParams,
          body: strictObject({ lines: LinesBody }),
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { cart, customerId } = await openCart(request, request.params.id);
        return view(
          await carts.addLines(cart.id, request.body.lines, { channelId, actor: actor(request, customerId) }),
          channelId,
        );
      },
    );

    app.patch(
      '/store/v1/carts/:id/lines/:line_id',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Change a line’s quantity or delivery choice',
          params: LineParams,
          body: strictObject(LinePatchBody),
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { cart, customerId } = await openCart(request, request.params.id);
        const ctx = { channelId, actor: actor(request, customerId) };
        return view(await carts.updateLine(cart.id, request.params.line_id, request.body, ctx), channelId);
      },
    );

    app.delete(
      '/store/v1/carts/:id/lines/:line_id',
      {
        ...base,
        schema: {
          tags,
          security,
          summary: 'Remove a line',
          params: LineParams,
          response: { 200: StoreCartSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { cart, customerId } = await openCart(request, request.params.id);
        return view(
          await carts.removeLine(cart.id, request.params.line_id, {
            channelId,
            actor: actor(request, customerId),
          }),
          channelId,
        );
      },
    );

    app.post(
      '/store/v1/carts/:id/claim',
      {
        ...base,
        schema: {
          tags,
          security,
          summary:
            'The signed-in shopper (X-Customer-Token) takes this anonymous cart; it joins their open cart',
          params: IdParams,
          response: {
            200: Type.Object({
              ...StoreCartSchema.properties,
              merged_from: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { cart, customerId } = await openCart(request, request.params.id);
        if (!customerId)
          throw new AppError('unauthenticated', 'Send the customer token in the X-Customer-Token header.');
        const claimed = await claims.claimCart(cart.id, customerId, {
          channelId,
          actor: actor(request, customerId),
        });
        return { ...(await view(claimed.cart, channelId)), merged_from: claimed.merged_from };
      },
    );
  };
}
