/**
 * @module Notification routes: `POST /v1/orders/:id/receipt` sends the receipt by email or SMS now (pos:use, as
 * the till that asks for it), `GET /v1/orders/:id/notifications` lists what the customer was sent about the
 * order, with the outcome of each and the provider's delivery report, `POST /v1/notifications/:id/resend` sends
 * one again (orders:write: the contact centre too), and `GET /r/:token` is an SMS receipt's public page.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { deliveryStatuses, notificationStatuses } from './notification.repository';
import type { NotificationsService } from './notification.service';
import { notificationKinds } from './notification.texts';
import { RECEIPT_TOKEN_PATTERN } from './receipt.page';

const tags = ['orders'];

export const NotificationSchema = Type.Object(
  {
    id: Type.String(),
    customer_id: Nullable(Type.String()),
    order_id: Type.String(),
    fulfilment_id: Nullable(Type.String()),
    kind: Type.String({ description: notificationKinds.join(' | ') }),
    channel_kind: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
    channel_id: Nullable(Type.String()),
    address: Nullable(Type.String()),
    locale: Nullable(Type.String()),
    status: Type.Enum(notificationStatuses),
    error: Nullable(Type.String({ description: 'Why it failed or was skipped' })),
    provider_message_id: Nullable(Type.String()),
    delivery_status: Nullable(
      Type.Enum(deliveryStatuses, {
        description: "The provider's last delivery report (Twilio status callbacks)",
      }),
    ),
    delivery_error: Nullable(
      Type.String({ description: 'The provider’s error code with undelivered or failed' }),
    ),
    delivery_updated_at: Nullable(IsoTime),
    subject: Nullable(Type.String()),
    data: Type.Record(Type.String(), Type.Unknown()),
    attempts: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Notification' },
);

export function notificationsRoutes(notifications: NotificationsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/orders/:id/receipt',
      {
        config: { access: 'pos:use' as const },
        schema: {
          tags,
          summary:
            "Send the order's receipt by email or SMS now (to the customer's address unless `to` is given)",
          params: IdParams,
          body: strictObject({
            channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
            to: Type.Optional(
              Type.String({ minLength: 1, maxLength: 254, description: 'An email address or +E.164 number' }),
            ),
          }),
          response: { 201: NotificationSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await notifications.sendReceipt(request.params.id, request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/notifications/:id/resend',
      {
        config: { access: 'orders:write' as const, audit: 'notification.resend' },
        schema: {
          tags,
          summary:
            'Send a notification again (same address; `channel` switches to the customer’s address on file for it). A pickup notice gets a new code',
          params: IdParams,
          // `{}` resends on the same channel kind.
          body: strictObject({
            channel: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('sms')])),
          }),
          response: { 201: NotificationSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await notifications.resendNotification(
              request.params.id,
              request.body,
              actorOf(request.principal),
            ),
          ),
    );

    app.get(
      '/r/:token',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          params: strictObject({ token: Type.String({ pattern: RECEIPT_TOKEN_PATTERN }) }),
        },
        // A malformed token is just a link that does not work: the same 404 page, not a problem+json.
        attachValidation: true,
      },
      async (request, reply) => {
        const page = await notifications.openReceiptLink(
          request.validationError ? '' : request.params.token,
          {
            ip: request.ip,
            requestId: String(request.id),
            acceptLanguage: request.headers['accept-language'],
          },
        );
        return reply
          .code(page.status)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .header('x-robots-tag', 'noindex')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(page.html);
      },
    );

    app.get(
      '/v1/orders/:id/notifications',
      {
        config: { access: 'orders:read' as const },
        schema: {
          tags,
          summary: 'What the customer was sent about this order (email, SMS) and how each went, newest first',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(NotificationSchema) },
        },
      },
      async (request) => notifications.listOrderNotifications(request.params.id, request.query),
    );
  };
}
