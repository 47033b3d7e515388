/**
 * @module Routes: returns (/v1/returns: open, list, retrieve, receive, inspect, refund, exchange and its preview), the customer's
 * mail return (/store/v1/returns, publishable key + X-Customer-Token) and return policy rules (/v1/return-policies).
 * POSTs that move money honour Idempotency-Key like every POST; card numbers in a body are refused.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf, type Principal } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { refuseCardNumbers } from './payment.pan';
import { returnStatuses } from './return.repository';
import {
  CreateReturnBody,
  ExchangeBody,
  ExchangePreviewBody,
  ExchangePreviewSchema,
  InspectBody,
  PolicyBody,
  PolicySchema,
  RefundBody,
  ReturnSchema,
  StoreReturnBody,
} from './return.schemas';
import type { ReturnsService } from './return.module';

const tags = ['returns'];

export function returnsRoutes(
  returns: ReturnsService,
  customerToken: (token: string) => Promise<Principal | null>,
  db: Db,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preValidation', refuseCardNumbers);

    app.get(
      '/v1/returns',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary:
            'List or find returns, newest first: the returns desk finds one by return id, order number or id, or the customer (email, phone, name)',
          querystring: strictObject({
            ...ListQuery,
            q: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 320,
                description:
                  'Return id, order number (#1042 or 1042), order id, or the customer’s email, phone or name prefix',
              }),
            ),
            status: Type.Optional(Type.Enum(returnStatuses)),
            open: Type.Optional(
              Type.Boolean({
                description: 'true: requested, received or inspected; false: refunding or completed',
              }),
            ),
            location_id: Type.Optional(Type.String({ maxLength: 64 })),
            customer_id: Type.Optional(Type.String({ maxLength: 64 })),
            order_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: listOf(ReturnSchema) },
        },
      },
      async (request) => {
        const { customer_ids, ...page } = await returns.listReturns(request.query);
        // A search by email, phone or name looks customers up: a read of personal data, audited as
        // /v1/customers audits its searches (what was asked, whom it found).
        if (request.query.q?.trim())
          await recordAudit(db, {
            actor: actorOf(request.principal),
            action: 'return.search',
            targetType: 'customer',
            targetId: null,
            ip: request.ip,
            requestId: String(request.id),
            data: { q: request.query.q, customer_ids, count: page.data.length },
          });
        return page;
      },
    );

    app.get(
      '/v1/returns/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'Retrieve a return with its lines',
          params: IdParams,
          response: { 200: ReturnSchema },
        },
      },
      async (request) => returns.retrieveReturn(request.params.id),
    );

    app.post(
      '/v1/returns',
      {
        config: { access: 'orders:write', audit: 'return.create' },
        schema: {
          tags,
          summary:
            'Open a return of lines of an order from any channel (in store or by mail); policy checked',
          body: CreateReturnBody,
          response: { 201: ReturnSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await returns.createReturn(request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/returns/:id/receive',
      {
        config: { access: 'orders:write', audit: 'return.receive' },
        schema: {
          tags,
          summary: 'The returned goods arrived at a location',
          params: IdParams,
          body: strictObject({ location_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: ReturnSchema },
        },
      },
      async (request) =>
        returns.receiveReturn(request.params.id, request.body.location_id, actorOf(request.principal)),
    );

    app.post(
      '/v1/returns/:id/inspect',
      {
        config: { access: 'orders:write', audit: 'return.inspect' },
        schema: {
          tags,
          summary: 'Inspect lines: restock into the receiving location, or write off (damage)',
          params: IdParams,
          body: InspectBody,
          response: { 200: ReturnSchema },
        },
      },
      async (request) => returns.inspectReturn(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/returns/:id/refund',
      {
        config: { access: 'orders:write', audit: 'return.refund' },
        schema: {
          tags,
          summary:
            'Refund an inspected return to the original payments (never above what they hold) or store credit',
          params: IdParams,
          body: RefundBody,
          response: { 200: ReturnSchema },
        },
      },
      async (request) => returns.refundReturn(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/returns/:id/exchange/preview',
      {
        // The step before the exchange, so the same permission; it changes nothing, so no audit entry.
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'What an exchange would be now: the replacement priced as the exchange prices it and the difference to pay or refund; nothing claimed, reserved or charged',
          params: IdParams,
          body: ExchangePreviewBody,
          response: { 200: ExchangePreviewSchema },
        },
      },
      async (request) => returns.previewExchange(request.params.id, request.body),
    );

    app.post(
      '/v1/returns/:id/exchange',
      {
        config: { access: 'orders:write', audit: 'return.exchange' },
        schema: {
          tags,
          summary: 'Exchange return lines for other items: a replacement order, the difference settled',
          params: IdParams,
          body: ExchangeBody,
          response: { 200: ReturnSchema },
        },
      },
      async (request) => returns.exchangeReturn(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/store/v1/returns',
      {
        // The key names the shop; the customer token (checked below) proves whose orders. A store purchase may be
        // returned through the web shop: the order's channel need not be the key's.
        config: { access: 'publishable' },
        schema: {
          tags: ['store'],
          summary: 'A customer starts a mail return (RMA) of their own order (X-Customer-Token)',
          body: StoreReturnBody,
          response: { 201: ReturnSchema },
        },
      },
      async (request, reply) => {
        const header = request.headers['x-customer-token'];
        const principal =
          typeof header === 'string' && header.trim() ? await customerToken(header.trim()) : null;
        if (principal?.kind !== 'customer')
          throw new AppError('unauthenticated', 'X-Customer-Token is missing, unknown, expired or revoked.');
        const created = await returns.createReturn(
          { ...request.body, method: 'mail' },
          { type: 'customer', id: principal.customerId, label: 'customer' },
          { customerId: principal.customerId },
        );
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/v1/return-policies',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: `Return policy rules (without a matching rule: a ${30}-day window)`,
          response: { 200: Type.Object({ data: Type.Array(PolicySchema) }) },
        },
      },
      async () => ({ data: await returns.policies.listPolicies() }),
    );

    app.post(
      '/v1/return-policies',
      {
        config: { access: 'orders:write', audit: 'return_policy.create' },
        schema: {
          tags,
          summary: 'Add a rule: a window per channel/category/tag, or final sale',
          body: PolicyBody,
          response: { 201: PolicySchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await returns.policies.createPolicy(request.body, actorOf(request.principal))),
    );

    app.put(
      '/v1/return-policies/:id',
      {
        config: { access: 'orders:write', audit: 'return_policy.update' },
        schema: {
          tags,
          summary: 'Replace a rule',
          params: IdParams,
          body: PolicyBody,
          response: { 200: PolicySchema },
        },
      },
      async (request) =>
        returns.policies.updatePolicy(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/return-policies/:id',
      {
        config: { access: 'orders:write', audit: 'return_policy.delete' },
        schema: { tags, summary: 'Delete a rule', params: IdParams, response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        await returns.policies.deletePolicy(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );
  };
}
