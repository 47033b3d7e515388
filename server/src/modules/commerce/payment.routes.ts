/**
 * @module Routes: payments (/v1/payments…: list, retrieve, take, capture, refund, void; POS split tenders) and the
 * test processor's inbound webhook (/hooks/payments/test). Every payment route refuses card numbers in the body
 * before anything else runs; POSTs that move money honour Idempotency-Key like every POST.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, systemActor } from '../../platform/auth/principal';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { paymentStatuses } from './payment.repository';
import { refuseCardNumbers } from './payment.pan';
import {
  Id,
  MoneyInput,
  PaymentMethodSchema,
  PaymentSchema,
  PositiveAmount,
  Reason,
  RefundSchema,
} from './payment.schemas';
import type { PaymentsService } from './payment.service';
import { payTenders } from './payment.tender';

const tags = ['payments'];

const Owner = {
  channel_id: Id,
  order_id: Type.Optional(Id),
  cart_id: Type.Optional(Id),
  customer_id: Type.Optional(Id),
};

export function paymentsRoutes(payments: PaymentsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preValidation', refuseCardNumbers);

    app.get(
      '/v1/payments',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'List payments, newest first, by order, cart, customer or status',
          querystring: strictObject({
            ...ListQuery,
            order_id: Type.Optional(Id),
            cart_id: Type.Optional(Id),
            customer_id: Type.Optional(Id),
            status: Type.Optional(Type.Enum([...paymentStatuses])),
          }),
          response: { 200: listOf(PaymentSchema) },
        },
      },
      async (request) => payments.listPayments(request.query),
    );

    app.get(
      '/v1/payments/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'A payment with its refunds',
          params: IdParams,
          response: {
            200: Type.Intersect([PaymentSchema, Type.Object({ refunds: Type.Array(RefundSchema) })]),
          },
        },
      },
      async (request) => payments.retrievePayment(request.params.id),
    );

    app.post(
      '/v1/payments',
      {
        config: { access: 'orders:write', audit: 'payment.create' },
        schema: {
          tags,
          summary:
            'Take a payment through a provider (cash, card_terminal, manual, test, gift_card, store_credit)',
          description:
            'A decline answers 402 payment_declined and keeps the failed payment on record. The test provider ' +
            'answers requires_action for tok_async; the processor confirms it later by signed webhook.',
          body: strictObject({
            ...Owner,
            provider: Type.String({ minLength: 1, maxLength: 32 }),
            amount: MoneyInput,
            capture: Type.Optional(Type.Boolean({ description: 'false: authorize only (default true)' })),
            method: Type.Optional(PaymentMethodSchema),
          }),
          response: { 201: PaymentSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await payments.createPayment(request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/payments/tenders',
      {
        config: { access: 'pos:use', audit: 'payment.tender' },
        schema: {
          tags,
          summary: 'Split tender: several payments that together settle an amount due, all or none',
          body: strictObject({
            ...Owner,
            amount_due: MoneyInput,
            tenders: Type.Array(
              strictObject({
                provider: Type.String({ minLength: 1, maxLength: 32 }),
                amount: PositiveAmount,
                method: Type.Optional(PaymentMethodSchema),
              }),
              { minItems: 1, maxItems: 10 },
            ),
          }),
          response: { 201: Type.Object({ data: Type.Array(PaymentSchema) }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ data: await payTenders(payments, request.body, actorOf(request.principal)) }),
    );

    app.post(
      '/v1/payments/:id/capture',
      {
        config: { access: 'orders:write', audit: 'payment.capture' },
        schema: {
          tags,
          summary: 'Capture an authorized payment, in full or in part (manual: mark the money received)',
          params: IdParams,
          body: Type.Optional(strictObject({ amount: Type.Optional(PositiveAmount) })),
          response: { 200: PaymentSchema },
        },
      },
      async (request) =>
        payments.capturePayment(request.params.id, request.body ?? {}, actorOf(request.principal)),
    );

    app.post(
      '/v1/payments/:id/refund',
      {
        config: { access: 'orders:write', audit: 'payment.refund' },
        schema: {
          tags,
          summary: 'Refund part or all of what was captured (never more than captured minus refunded)',
          params: IdParams,
          body: strictObject({ amount: Type.Optional(PositiveAmount), reason: Reason }),
          response: { 201: Type.Intersect([PaymentSchema, Type.Object({ refund: RefundSchema })]) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await payments.refundPayment(request.params.id, request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/payments/:id/void',
      {
        config: { access: 'orders:write', audit: 'payment.void' },
        schema: {
          tags,
          summary: 'Void an authorization that was not captured',
          params: IdParams,
          response: { 200: PaymentSchema },
        },
      },
      async (request) => payments.voidPayment(request.params.id, actorOf(request.principal)),
    );
  };
}

/**
 * The test processor's webhooks. The signature covers the exact bytes sent, so this scope keeps the body as the
 * raw string; the provider verifies it before a single field is read.
 */
export function paymentHooksRoutes(payments: PaymentsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    app.post(
      '/hooks/payments/:provider',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Inbound payment provider webhook (Standard Webhooks signature; replays are ignored)',
          params: strictObject({ provider: Type.String({ minLength: 1, maxLength: 32 }) }),
          response: {
            200: Type.Object({
              received: Type.Boolean(),
              replayed: Type.Boolean(),
              payment_id: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) =>
        payments.handleWebhook(
          request.params.provider,
          typeof request.body === 'string' ? request.body : '',
          request.headers,
          { ...systemActor, label: `${request.params.provider} webhook` },
        ),
    );
  };
}
