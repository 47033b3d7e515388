/**
 * @module Routes: orders (/v1/orders) — list, retrieve, phone/chat orders taken by staff, cancel, edit lines,
 * marketplace import — and the customer's order status page (/store/v1/orders/:id).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { orderStatuses } from './order.repository';
import {
  CreateOrderBody,
  OrderLineInput,
  OrderSchema,
  OrderStatsSchema,
  OrderSummarySchema,
  StoreOrderSchema,
} from './order.schemas';
import type { Location, LocationsService } from '../inventory';
import type { OrderDetail, OrdersService } from './order.service';

const tags = ['orders'];
const Created = Type.Object({
  order: OrderSchema,
  access_secret: Type.String({ description: 'Opens the order status page (X-Order-Secret); shown once' }),
});
const { source: _source, ...importFields } = CreateOrderBody.properties;
const ImportBody = strictObject({
  ...importFields,
  external_id: Type.String({ minLength: 1, maxLength: 128, description: "The marketplace's order id" }),
});

/** A location as the shopper sees it: name, kind and address (no stock, hours or internal settings). */
type StoreLocation = Pick<Location, 'id' | 'name' | 'kind' | 'address'>;

/**
 * The locations an order's lines and fulfilments name, read once each; a location gone since is shown without
 * details (null) rather than failing the status page.
 */
async function locationsOf(o: OrderDetail, locations: Pick<LocationsService, 'retrieveLocation'>) {
  const ids = new Set([
    ...o.lines.map((l) => l.delivery.location_id),
    ...o.fulfilments.map((f) => f.location_id),
  ]);
  const found = new Map<string, StoreLocation>();
  for (const id of ids) {
    const l = await locations.retrieveLocation(id).catch(() => null);
    if (l) found.set(id, { id: l.id, name: l.name, kind: l.kind, address: l.address });
  }
  return (id: string) => found.get(id) ?? null;
}

/** What the customer sees of their order: no reservation ids, no internal notes. */
function storeView(o: OrderDetail, locationOf: (id: string) => StoreLocation | null) {
  return {
    id: o.id,
    display_number: o.display_number,
    status: o.status,
    totals: o.totals,
    placed_at: o.placed_at,
    lines: o.lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      total: l.total,
      delivery: { ...l.delivery, location: locationOf(l.delivery.location_id) },
    })),
    fulfilments: o.fulfilments.map((f) => ({
      id: f.id,
      mode: f.mode,
      status: f.status,
      location_id: f.location_id,
      location: locationOf(f.location_id),
      carrier: f.carrier,
      tracking_number: f.tracking_number,
      tracking_url: f.tracking_url,
      hold_until: f.hold_until,
    })),
  };
}

export function ordersRoutes(
  orders: OrdersService,
  locations: Pick<LocationsService, 'retrieveLocation'>,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/orders',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'List orders, newest first',
          querystring: strictObject({
            ...ListQuery,
            status: Type.Optional(Type.Enum(orderStatuses)),
            channel_id: Type.Optional(Type.String({ maxLength: 64 })),
            customer_id: Type.Optional(Type.String({ maxLength: 64 })),
            location_id: Type.Optional(Type.String({ maxLength: 64 })),
            created_from: Type.Optional(IsoTime),
            created_to: Type.Optional(IsoTime),
            number: Type.Optional(
              Type.String({ pattern: '^#?[0-9]{1,12}$', description: 'Order number, e.g. #1042' }),
            ),
          }),
          response: { 200: listOf(OrderSummarySchema) },
        },
      },
      async (request) => orders.listOrders(request.query),
    );

    app.get(
      '/v1/orders/stats',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary:
            'Orders per calendar day of a time zone: count, revenue per currency, orders per channel (for charts)',
          querystring: strictObject({
            tz: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 64,
                description: 'IANA time zone of the days; default UTC',
              }),
            ),
            from: Type.Optional(
              Type.String({
                format: 'date',
                description: 'First local day (inclusive); default 13 days before to',
              }),
            ),
            to: Type.Optional(
              Type.String({ format: 'date', description: 'Last local day (inclusive); default today in tz' }),
            ),
            channel_id: Type.Optional(Type.String({ maxLength: 64 })),
            location_id: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Type.Enum(orderStatuses, { description: 'Only this status' })),
            include_cancelled: Type.Optional(
              Type.Boolean({ description: 'Without status: count cancelled orders too (default false)' }),
            ),
          }),
          response: { 200: OrderStatsSchema },
        },
      },
      async (request) => orders.orderStats(request.query),
    );

    app.get(
      '/v1/orders/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'Retrieve an order with its lines, fulfilments and payments',
          params: IdParams,
          response: { 200: OrderSchema },
        },
      },
      async (request) => orders.retrieveOrder(request.params.id),
    );

    app.post(
      '/v1/orders',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'Take an order for a customer (phone, catalog, chat): lines priced by the caller, stock reserved',
          body: CreateOrderBody,
          response: { 201: Created },
        },
      },
      async (request, reply) => {
        const { source, ...rest } = request.body;
        const placed = await orders.placeOrder(
          { ...rest, source: source ?? 'phone' },
          actorOf(request.principal),
        );
        return reply.code(201).send({ order: placed.order, access_secret: placed.access_secret });
      },
    );

    app.post(
      '/v1/orders/import',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'Import a marketplace order (paid by the marketplace); the same external id is the same order',
          body: ImportBody,
          response: { 200: Created, 201: Created },
        },
      },
      async (request, reply) => {
        const placed = await orders.importOrder(request.body, actorOf(request.principal));
        return reply
          .code(placed.created ? 201 : 200)
          .send({ order: placed.order, access_secret: placed.access_secret });
      },
    );

    app.post(
      '/v1/orders/:id/cancel',
      {
        config: { access: 'orders:write' },
        preValidation: async (request) => {
          if (request.body == null) request.body = {};
        },
        schema: {
          tags,
          summary:
            'Cancel an order nothing of which has left: reservations released, payments voided or refunded',
          params: IdParams,
          body: strictObject({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }),
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        await orders.cancelOrder(request.params.id, actorOf(request.principal), request.body.reason);
        return orders.retrieveOrder(request.params.id);
      },
    );

    app.put(
      '/v1/orders/:id/lines',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'Replace the lines of an order before fulfilment; re-priced when the pricing engine is connected',
          params: IdParams,
          body: strictObject({
            lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 200 }),
            shipping: Type.Optional(Type.Integer({ minimum: 0 })),
          }),
          response: { 200: OrderSchema },
        },
      },
      async (request) => orders.editOrder(request.params.id, request.body, actorOf(request.principal)),
    );

    app.get(
      '/store/v1/orders/:id',
      {
        // Either credential below opens it; the handler checks them, so the route itself is public.
        config: { access: 'public' },
        schema: {
          tags: ['store'],
          summary:
            'The order status page: with the customer token (X-Customer-Token) or the order secret (X-Order-Secret)',
          params: IdParams,
          response: { 200: StoreOrderSchema },
        },
      },
      async (request) => {
        const header = (name: string) => {
          const v = request.headers[name];
          return typeof v === 'string' && v.trim() ? v.trim() : undefined;
        };
        const proof = { customerToken: header('x-customer-token'), secret: header('x-order-secret') };
        const order = await orders.retrieveOrderForCustomer(request.params.id, {
          ...(proof.customerToken ? { customerToken: proof.customerToken } : {}),
          ...(proof.secret ? { secret: proof.secret } : {}),
        });
        return storeView(order, await locationsOf(order, locations));
      },
    );
  };
}
