/**
 * @module Customer notifications about orders — confirmation, receipt on request, pickup ready (with the code),
 * shipped, out for delivery, refund issued — by email or SMS on the business's channels, in the customer's locale.
 *
 * Durable and honest: a durable dispatcher consumer turns domain events into `queued` rows in the dispatcher's
 * transaction (no I/O there); a worker claims each row with a lease, renders it, asks consent (`service` on that
 * channel: refused → `skipped` with the reason), sends it through the channel's adapter outside any transaction
 * and records `sent` or `failed` with `notification.*` on the customer's timeline. A crash before the outcome is
 * written leaves the row queued and the lease lapses: it is sent again (at least once). The pickup code exists
 * only in memory at ready-for-pickup, so that notice is rendered before the step and recorded in the step's own
 * transaction: the row exists if and only if the code was issued; its body is dropped once the message left.
 *
 * After the hand-over, Twilio's status callbacks move `delivery_status` (queued → sent → delivered / undelivered /
 * failed) with the error code; `status` stays what Omnis did. Staff resend a notification (`resendNotification`):
 * a new row composed and consent-checked as the first one was; a pickup notice gets a new code, because the old one
 * exists only hashed. An SMS receipt links to its public page (`/r/<token>`, receipt.page.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../../platform/audit/audit';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { encodeJson, decodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { afterCommit, inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import type { EventConsumer } from '../../platform/events/dispatcher';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { EventBus } from '../../platform/events/outbox';
import type { PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { Channel, ChannelsService } from '../channels';
import { adapterFor, type ChannelAdapter } from '../conversations';
import type { ConsentService } from '../customers';
import { findFulfilmentRow, replacePickupCode } from './fulfilment.repository';
import {
  applyDeliveryReport,
  claimNotification,
  countReceiptLinkRead,
  dueNotificationIds,
  findNotificationByProviderId,
  findNotificationRow,
  findReceiptLinkByHash,
  insertNotification,
  insertReceiptLink,
  listNotificationRows,
  notificationFromRow,
  queuedPickupNotices,
  settleNotification,
  updateQueuedNotification,
  type DeliveryStatus,
  type Notification,
} from './notification.repository';
import type { NotificationRow } from './notification.table';
import { renderNotification, type NotificationFacts, type NotificationKind } from './notification.texts';
import { hashPickupCode, newPickupCode } from './pickup';
import {
  orderLocale,
  receiptFor,
  receiptLocale,
  receiptOf,
  type Receipt,
  type ReceiptDeps,
  type ReceiptLocale,
} from './pos.receipt';
import {
  RECEIPT_LINK_TTL_MS,
  hashReceiptToken,
  mintReceiptToken,
  renderReceiptGonePage,
  renderReceiptPage,
} from './receipt.page';

/** How long a worker holds a queued row before another may take it (a crashed worker's row comes back). */
const LEASE_MS = 60_000; // 1 minute
/** Sending attempts before a row is given up as failed (each claim counts, so a row that kills the process too). */
export const MAX_ATTEMPTS = 5;
/** Waits before the next attempt after a failed send: 1, 4, 16, then 64 minutes. */
export const retryDelayMs = (attempts: number) => 60_000 * 4 ** Math.max(0, attempts - 1);
/** The worker polls this often besides being woken after each commit that queues something. */
const POLL_MS = 5_000; // 5 seconds

export type NotifyChannelKind = 'email' | 'sms';

export const notificationEventTypes: EventTypeDefinition[] = [
  {
    type: 'notification.sent',
    description: 'A notification about an order left by email or SMS (data.kind, data.channel_kind)',
    permission: 'orders:read',
  },
  {
    type: 'notification.failed',
    description: 'A notification could not be sent (data.reason: the relay’s or provider’s answer)',
    permission: 'orders:read',
  },
  {
    type: 'notification.delivery_updated',
    description:
      'The provider reported on a sent notification (data.delivery_status: queued, sent, delivered, undelivered, failed, read; data.error: its code)',
    permission: 'orders:read',
  },
  {
    type: 'notification.skipped',
    description: 'A notification was not sent (data.reason: no_address, no_channel, consent: …)',
    permission: 'orders:read',
  },
];

export interface NotificationsDeps extends ReceiptDeps {
  db: Db;
  events: EventBus;
  channels: Pick<ChannelsService, 'retrieveChannel' | 'listChannels' | 'channelExists' | 'channelSecrets'>;
  consent: Pick<ConsentService, 'can'>;
  /** The channel adapters (bound late: they are built after commerce). */
  adapters: () => readonly ChannelAdapter[];
  /** Mints the customer's self-service preference link for a message on a channel (null: none can be made). */
  preferenceLink: (customerId: string, channelId: string) => Promise<string | null>;
  /** The server's own base URL: an SMS receipt links to its page there. */
  publicUrl: () => string;
  log?: FastifyBaseLogger | undefined;
}

type Composed =
  | {
      status: 'skipped';
      reason: string;
      channelKind: NotifyChannelKind;
      channel: Channel | null;
      address: string | null;
      locale: string;
    }
  | {
      status: 'queued';
      channelKind: NotifyChannelKind;
      channel: Channel;
      address: string;
      locale: string;
      subject: string;
      text: string;
      html: string | null;
      /** An SMS receipt's page: the hash of the token its text links to, stored with the row. */
      receiptLink: { tokenHash: string; locale: ReceiptLocale } | null;
    };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

const invalid = (code: 'validation_failed' | 'unprocessable', field: string, message: string) =>
  new AppError(code, message, { errors: [{ field, message }] });

/** Why a message staff asked for cannot go, as the problem they see (nothing is recorded). */
function refusal(c: Extract<Composed, { status: 'skipped' }>, addressField: string): AppError {
  if (c.reason === 'no_channel')
    return invalid('unprocessable', 'body.channel', `No active ${c.channelKind} channel is configured.`);
  if (c.reason === 'no_address')
    return invalid(
      'unprocessable',
      addressField,
      `The customer has no ${c.channelKind === 'email' ? 'email address' : 'phone number'}${addressField === 'body.to' ? ': give one.' : '.'}`,
    );
  return new AppError(
    'consent_refused',
    `The customer does not allow service messages by ${c.channelKind} (${c.reason}).`,
    { reason: c.reason, errors: [{ field: 'body.channel', message: `consent refused: ${c.reason}` }] },
  );
}

const conflict = (message: string) =>
  new AppError('conflict', message, { errors: [{ field: 'params.id', message }] });

/** The first language of an Accept-Language header Omnis has receipt texts for. */
const browserLocale = (header: string | undefined) =>
  receiptLocale(...(header ?? '').split(',').map((part) => part.split(';')[0]?.trim()));

export function createNotifications(deps: NotificationsDeps) {
  const { db, events } = deps;
  let wakeWorker: () => void = () => undefined;

  /** The business's channel of a kind: the one the order's channel names, else its oldest active one. */
  /** A pickup notice's facts: the code, the store's name, and the hold-until time in the store's zone. */
  async function pickupFacts(locationId: string, code: string, holdUntil: number) {
    const store = await deps.locations.retrieveLocation(locationId).catch(() => null);
    return (receipt: Receipt): NotificationFacts => ({
      code,
      store: store?.name ?? '',
      until: new Intl.DateTimeFormat(receipt.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: store?.timezone ?? 'UTC',
      }).format(new Date(holdUntil)),
    });
  }

  async function businessChannel(
    orderChannel: Channel | null,
    kind: NotifyChannelKind,
  ): Promise<Channel | null> {
    const named = orderChannel?.config[`notify_${kind}_channel_id`];
    if (typeof named === 'string' && (await deps.channels.channelExists(named))) {
      const channel = await deps.channels.retrieveChannel(named);
      if (channel.active && channel.kind === kind) return channel;
    }
    const { data } = await deps.channels.listChannels({ kind, active: true, limit: 200 });
    // Newest first: the last one is the business's first channel of that kind.
    return data.at(-1) ?? null;
  }

  /**
   * Everything but the sending: the order's receipt (locale, formatted amounts), the channel, the address, the
   * customer's consent, the preference link and the rendered message — or why it is not to be sent.
   */
  async function compose(input: {
    kind: NotificationKind;
    orderId: string;
    /** Email or SMS as asked; `auto`: email when an address is known, else SMS. */
    channelKind: NotifyChannelKind | 'auto';
    to?: string | undefined;
    facts: (receipt: Receipt) => Promise<NotificationFacts> | NotificationFacts;
  }): Promise<Composed> {
    const order = await deps.orders.retrieveOrder(input.orderId);
    const customer = order.customer_id
      ? await deps.customers.retrieveCustomer(order.customer_id).catch(() => null)
      : null;
    const orderChannel = await deps.channels.retrieveChannel(order.channel_id).catch(() => null);
    const locale = orderLocale(customer, orderChannel);
    const addressOf = (kind: NotifyChannelKind) =>
      (kind === 'email' ? (customer?.emails[0] ?? order.email) : (customer?.phones[0] ?? order.phone)) ??
      null;
    const channelKind: NotifyChannelKind =
      input.channelKind === 'auto'
        ? addressOf('email') || !addressOf('sms')
          ? 'email'
          : 'sms'
        : input.channelKind;
    const channel = await businessChannel(orderChannel, channelKind);
    const address = input.to ?? addressOf(channelKind);
    const base = { channelKind, channel, address, locale };
    if (!channel || !adapterFor(deps.adapters(), channel))
      return { ...base, status: 'skipped', reason: 'no_channel' };
    if (!address) return { ...base, status: 'skipped', reason: 'no_address' };
    // A walk-in or guest without a profile has no consent record: a transactional message to the address they
    // gave is the service they asked for.
    if (customer) {
      const can = await deps.consent.can(customer.id, 'service', channelKind);
      if (!can.allowed) return { ...base, status: 'skipped', reason: `consent: ${can.reason}` };
    }
    const link =
      channelKind === 'email' && customer
        ? await deps.preferenceLink(customer.id, channel.id).catch(() => null)
        : null;
    // Only a message that goes needs the receipt: built from the order read above, not read again.
    const receipt = await receiptFor(deps, order, locale);
    const facts = await input.facts(receipt);
    // An SMS has room for the total only: the receipt itself is a link away.
    const minted = input.kind === 'receipt' && channelKind === 'sms' ? mintReceiptToken() : null;
    if (minted) facts.receipt_url = `${deps.publicUrl().replace(/\/$/, '')}/r/${minted.token}`;
    const rendered = renderNotification(input.kind, channelKind, receipt, facts, link);
    const receiptLink = minted ? { tokenHash: minted.tokenHash, locale: receipt.locale } : null;
    return { ...base, channel, address, status: 'queued', ...rendered, receiptLink };
  }

  const factsOf = (row: { data: string }) => (receipt: Receipt) => {
    const data = decodeJson<Record<string, unknown>>(row.data) ?? {};
    const refund = data.refund_amount as { amount: number; currency: string } | undefined;
    return {
      carrier: (data.carrier as string | null | undefined) ?? undefined,
      tracking: (data.tracking_number as string | null | undefined) ?? undefined,
      tracking_url: (data.tracking_url as string | null | undefined) ?? undefined,
      amount: refund
        ? new Intl.NumberFormat(receipt.locale, { style: 'currency', currency: refund.currency }).format(
            refund.amount / 100,
          )
        : undefined,
    };
  };

  const actorOfRow = (row: { actor_type: string; actor_id: string | null }): Actor => ({
    type: row.actor_type as Actor['type'],
    id: row.actor_id,
    label: 'notification',
  });

  /** Moves a queued row to its outcome with its event, in one transaction. */
  async function settle(
    row: NotificationRow,
    status: 'sent' | 'failed' | 'skipped',
    patch: Partial<NotificationRow>,
    reason: string | null,
  ) {
    await inTransaction(db, async (trx) => {
      if (!(await settleNotification(trx, row.id, { ...patch, status, error: reason }))) return;
      await appendOutcome(trx, { ...row, ...patch }, status, reason);
    });
  }

  function appendOutcome(trx: Trx, row: NotificationRow, status: string, reason: string | null) {
    return events.append(trx, {
      type: `notification.${status}`,
      aggregate: { type: 'order', id: row.order_id },
      customerId: row.customer_id,
      channelId: row.channel_id,
      actor: actorOfRow(row),
      // Ids and the outcome only: the address stays in the row, where erasure finds it.
      data: {
        id: row.id,
        order_id: row.order_id,
        kind: row.kind,
        channel_kind: row.channel_kind,
        status,
        ...(reason ? { reason } : {}),
      },
    });
  }

  const outcomeColumns = (c: Composed) => ({
    channel_kind: c.channelKind,
    channel_id: c.channel?.id ?? null,
    address: c.address,
    locale: c.locale,
  });

  /** Renders (unless it was rendered when queued), sends and records the outcome of one claimed row. */
  async function deliver(id: string): Promise<void> {
    const row = await findNotificationRow(db, id);
    if (!row || row.status !== 'queued') return;
    if (Number(row.attempts) > MAX_ATTEMPTS)
      return settle(row, 'failed', {}, `gave up after ${MAX_ATTEMPTS} attempts`);
    let message: {
      channel: Channel;
      address: string;
      subject: string | null;
      text: string;
      html: string | null;
    };
    if (row.body_text !== null && row.channel_id && row.address) {
      message = {
        channel: await deps.channels.retrieveChannel(row.channel_id),
        address: row.address,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
      };
    } else {
      const composed = await compose({
        kind: row.kind as NotificationKind,
        orderId: row.order_id,
        channelKind: 'auto',
        facts: factsOf(row),
      });
      if (composed.status === 'skipped')
        return settle(row, 'skipped', outcomeColumns(composed), composed.reason);
      message = { ...composed };
      Object.assign(row, outcomeColumns(composed), { subject: composed.subject });
    }
    const adapter = adapterFor(deps.adapters(), message.channel);
    const columns = {
      channel_kind: row.channel_kind,
      channel_id: message.channel.id,
      address: message.address,
      locale: row.locale,
      subject: message.subject,
    };
    if (!adapter) return settle(row, 'skipped', columns, 'no_channel');
    try {
      const result = await adapter.send({
        channel: message.channel,
        secrets: await deps.channels.channelSecrets(message.channel.id),
        messageId: row.id,
        to: message.address,
        text: message.text,
        html: message.html,
        subject: message.subject,
        attachments: [],
        // A reply to the email reaches the contact centre (an unknown token threads by the customer).
        replyToken: row.id,
        inReplyTo: null,
        template: null,
      });
      await settle(row, 'sent', { ...columns, provider_message_id: result.providerMessageId }, null);
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      deps.log?.warn({ notification_id: row.id, err: reason, attempts: row.attempts }, 'notification failed');
      const attempts = Number(row.attempts);
      // A relay that is down for a while is the usual failure: try again later, and give up only after the last
      // attempt. The row stays queued with the error, so the order page shows why it has not gone yet.
      if (attempts < MAX_ATTEMPTS)
        await updateQueuedNotification(db, row.id, {
          ...columns,
          error: reason,
          claimed_until: Date.now() + retryDelayMs(attempts),
        });
      else await settle(row, 'failed', columns, reason);
    }
  }

  /** A queued or skipped row as composed, with its event when it is already an outcome. */
  async function record(
    trx: Trx,
    input: {
      kind: NotificationKind;
      order: { id: string; customer_id: string | null };
      fulfilmentId?: string | null;
      composed: Composed;
      actor: Actor;
      data?: Record<string, unknown>;
    },
  ): Promise<string> {
    const now = Date.now();
    const c = input.composed;
    const row: NotificationRow = {
      id: newId('ntf'),
      customer_id: input.order.customer_id,
      order_id: input.order.id,
      fulfilment_id: input.fulfilmentId ?? null,
      kind: input.kind,
      ...outcomeColumns(c),
      status: c.status,
      error: c.status === 'skipped' ? c.reason : null,
      provider_message_id: null,
      delivery_status: null,
      delivery_error: null,
      delivery_updated_at: null,
      subject: c.status === 'queued' ? c.subject : null,
      body_text: c.status === 'queued' ? c.text : null,
      body_html: c.status === 'queued' ? c.html : null,
      data: encodeJson(input.data ?? {}),
      attempts: 0,
      claimed_until: null,
      actor_type: input.actor.type,
      actor_id: input.actor.id,
      created_at: now,
      updated_at: now,
    };
    await insertNotification(trx, row);
    if (c.status === 'queued' && c.receiptLink)
      await insertReceiptLink(trx, {
        id: newId('rcl'),
        token_hash: c.receiptLink.tokenHash,
        order_id: row.order_id,
        notification_id: row.id,
        locale: c.receiptLink.locale,
        expires_at: now + RECEIPT_LINK_TTL_MS,
        read_count: 0,
        last_read_at: null,
        created_at: now,
      });
    if (c.status === 'skipped') await appendOutcome(trx, row, 'skipped', c.reason);
    else afterCommit(trx, () => wakeWorker());
    return row.id;
  }

  /** Queues a notification from an event, in the dispatcher's transaction: rendered later by the worker. */
  async function queueFromEvent(
    trx: DbOrTrx,
    kind: NotificationKind,
    e: { customer_id: string | null; actor: { type: string; id: string | null } },
    orderId: string,
    data: Record<string, unknown>,
  ) {
    const now = Date.now();
    await insertNotification(trx, {
      id: newId('ntf'),
      customer_id: e.customer_id,
      order_id: orderId,
      fulfilment_id: typeof data.fulfilment_id === 'string' ? data.fulfilment_id : null,
      kind,
      channel_kind: 'email',
      channel_id: null,
      address: null,
      locale: null,
      status: 'queued',
      error: null,
      provider_message_id: null,
      delivery_status: null,
      delivery_error: null,
      delivery_updated_at: null,
      subject: null,
      body_text: null,
      body_html: null,
      data: encodeJson(data),
      attempts: 0,
      claimed_until: null,
      actor_type: 'system',
      actor_id: null,
      created_at: now,
      updated_at: now,
    });
  }

  return {
    /**
     * Sends the order's receipt now by email or SMS, to `to` or the customer's (else the order's) address, and
     * returns the recorded notification (`sent`, or `failed` with the relay's answer). Refused (problem+json, nothing
     * recorded) when no such channel is configured, there is no address, or the customer refused `service` messages.
     * @example await notifications.sendReceipt('ord_…', { channel: 'sms', to: '+34600111222' }, actor)
     */
    async sendReceipt(
      orderId: string,
      input: { channel: NotifyChannelKind; to?: string | undefined },
      actor: Actor,
    ): Promise<Notification> {
      const order = await deps.orders.retrieveOrder(orderId);
      const to = input.to?.trim() || undefined;
      if (to && input.channel === 'email' && !EMAIL.test(to))
        throw invalid('validation_failed', 'body.to', 'must be an email address');
      if (to && input.channel === 'sms' && !E164.test(to))
        throw invalid('validation_failed', 'body.to', 'must be a phone number in international form (+34…)');
      const composed = await compose({
        kind: 'receipt',
        orderId,
        channelKind: input.channel,
        to: to?.toLowerCase(),
        facts: () => ({}),
      });
      if (composed.status === 'skipped') throw refusal(composed, 'body.to');
      const id = await inTransaction(db, (trx) => record(trx, { kind: 'receipt', order, composed, actor }));
      // Claimed like the worker would, so a worker woken meanwhile does not send it a second time.
      if (await claimNotification(db, id, Date.now(), LEASE_MS)) await deliver(id);
      return notificationFromRow((await findNotificationRow(db, id))!);
    },

    /**
     * For fulfilments' ready-for-pickup: renders the notice with the plaintext code before the step is written and
     * returns the writer that records it in the step's transaction. Never throws: a notice that cannot be prepared
     * must not stop the pickup (the associate still has the code on screen).
     */
    async preparePickupNotice(info: {
      order_id: string;
      fulfilment_id: string;
      customer_id: string | null;
      location_id: string;
      code: string;
      hold_until: number;
    }): Promise<((trx: Trx) => Promise<void>) | null> {
      try {
        const composed = await compose({
          kind: 'pickup_ready',
          orderId: info.order_id,
          channelKind: 'auto',
          facts: await pickupFacts(info.location_id, info.code, info.hold_until),
        });
        return async (trx) => {
          await record(trx, {
            kind: 'pickup_ready',
            order: { id: info.order_id, customer_id: info.customer_id },
            fulfilmentId: info.fulfilment_id,
            composed,
            actor: { type: 'system', id: null, label: 'notification' },
            data: { fulfilment_id: info.fulfilment_id, location_id: info.location_id },
          });
        };
      } catch (err) {
        deps.log?.error({ err, order_id: info.order_id }, 'pickup notice could not be prepared');
        return null;
      }
    },

    /**
     * Sends an existing notification again, as a new row: same kind and order, on the same channel kind (or the one
     * asked) and to the same address (another channel kind: the customer's address on file for it — staff cannot
     * redirect a message to an address they type). Composed afresh, so consent is asked exactly as for the first
     * send, and refused (problem+json, nothing recorded) the same way. A pickup notice carries a new code: the first
     * one is kept only hashed, so it is replaced (the old code stops working, the wrong-code count restarts) in the
     * transaction that records the notice, and a notice still queued with the old code is skipped as `superseded`.
     * Only while the pickup waits at the store; collected or expired → 409.
     * @example await notifications.resendNotification('ntf_…', { channel: 'sms' }, agent)
     */
    async resendNotification(
      id: string,
      input: { channel?: NotifyChannelKind | undefined },
      actor: Actor,
    ): Promise<Notification> {
      const original = await findNotificationRow(db, id);
      if (!original) throw notFound('notification', id);
      if (original.status === 'queued')
        throw conflict('This notification has not left yet: it is sent (or retried) on its own.');
      const kind = original.kind as NotificationKind;
      const channelKind = input.channel ?? (original.channel_kind as NotifyChannelKind);
      const order = await deps.orders.retrieveOrder(original.order_id);
      const previous = decodeJson<Record<string, unknown>>(original.data) ?? {};
      let facts: (receipt: Receipt) => Promise<NotificationFacts> | NotificationFacts = factsOf(original);
      let pickup: { fulfilmentId: string; code: string } | null = null;
      if (kind === 'pickup_ready') {
        const fulfilment = original.fulfilment_id
          ? await findFulfilmentRow(db, original.fulfilment_id)
          : null;
        if (!fulfilment || fulfilment.status !== 'ready_for_pickup')
          throw conflict('The pickup is no longer waiting at the store: there is no code to send.');
        pickup = { fulfilmentId: fulfilment.id, code: newPickupCode() };
        facts = await pickupFacts(fulfilment.location_id, pickup.code, Number(fulfilment.hold_until));
      }
      const composed = await compose({
        kind,
        orderId: order.id,
        channelKind,
        to: channelKind === original.channel_kind ? (original.address ?? undefined) : undefined,
        facts,
      });
      if (composed.status === 'skipped') throw refusal(composed, 'body.channel');
      const resentId = await inTransaction(db, async (trx) => {
        if (pickup) {
          if (
            !(await replacePickupCode(
              trx,
              pickup.fulfilmentId,
              hashPickupCode(pickup.fulfilmentId, pickup.code),
            ))
          )
            throw conflict('The pickup is no longer waiting at the store: there is no code to send.');
          for (const stale of await queuedPickupNotices(trx, pickup.fulfilmentId))
            if (await settleNotification(trx, stale.id, { status: 'skipped', error: 'superseded' }))
              await appendOutcome(trx, stale, 'skipped', 'superseded');
        }
        return record(trx, {
          kind,
          order,
          fulfilmentId: original.fulfilment_id,
          composed,
          actor,
          data: { ...previous, resent_from: original.id, ...(pickup ? { code_reissued: true } : {}) },
        });
      });
      // Claimed like the worker would, so a worker woken meanwhile does not send it a second time.
      if (await claimNotification(db, resentId, Date.now(), LEASE_MS)) await deliver(resentId);
      return notificationFromRow((await findNotificationRow(db, resentId))!);
    },

    /**
     * A provider's delivery report (Twilio's status callback) for a notification it carried: moves
     * `delivery_status` forward only, with the error code, and emits `notification.delivery_updated`. False when
     * the message id is not a notification's on that channel or the report is not news: nothing changes.
     */
    async recordDelivery(
      channelId: string,
      providerMessageId: string,
      status: DeliveryStatus,
      error: string | null,
    ): Promise<boolean> {
      const row = await findNotificationByProviderId(db, channelId, providerMessageId);
      if (!row) return false;
      return inTransaction(db, async (trx) => {
        const reported = status === 'failed' || status === 'undelivered' ? error : null;
        if (!(await applyDeliveryReport(trx, row.id, { status, error: reported, at: Date.now() })))
          return false;
        await events.append(trx, {
          type: 'notification.delivery_updated',
          aggregate: { type: 'order', id: row.order_id },
          customerId: row.customer_id,
          channelId,
          actor: { type: 'system', id: null, label: 'provider' },
          data: {
            id: row.id,
            order_id: row.order_id,
            kind: row.kind,
            channel_kind: row.channel_kind,
            delivery_status: status,
            ...(reported ? { error: reported } : {}),
          },
        });
        return true;
      });
    },

    /**
     * Opens an SMS receipt's link: 200 with the receipt page in the SMS's language, each read counted and audited
     * (`receipt.view` on the order, with the reader's IP); an unknown or expired token → 404 with a page saying so
     * (in the link's language when known, else the browser's).
     * @example const { status, html } = await notifications.openReceiptLink(token, { ip, requestId, acceptLanguage })
     */
    async openReceiptLink(
      token: string,
      request: { ip: string; requestId: string; acceptLanguage?: string | undefined },
    ): Promise<{ status: 200 | 404; html: string }> {
      const link = await findReceiptLinkByHash(db, hashReceiptToken(token));
      const now = Date.now();
      const gone = (locale: ReceiptLocale) => ({ status: 404 as const, html: renderReceiptGonePage(locale) });
      if (!link) return gone(browserLocale(request.acceptLanguage));
      const locale = receiptLocale(link.locale);
      if (Number(link.expires_at) <= now) return gone(locale);
      const receipt = await receiptOf(deps, link.order_id, { locale }).catch(() => null);
      if (!receipt) return gone(locale);
      await inTransaction(db, async (trx) => {
        await countReceiptLinkRead(trx, link.id, now);
        await recordAudit(trx, {
          actor: { type: 'system', id: null, label: 'receipt link' },
          action: 'receipt.view',
          targetType: 'order',
          targetId: link.order_id,
          ip: request.ip,
          requestId: request.requestId,
          data: { receipt_link_id: link.id, notification_id: link.notification_id },
        });
      });
      return { status: 200, html: renderReceiptPage(receipt) };
    },

    /** The notifications of an order, newest first. */
    async listOrderNotifications(orderId: string, page: PageRequest) {
      await deps.orders.retrieveOrder(orderId);
      return listNotificationRows(db, { ...page, order_id: orderId });
    },

    /**
     * Sends every queued notification whose lease is free; returns how many it handled. The worker calls it;
     * tests call it after the dispatcher drained.
     */
    async runDue(now = Date.now()): Promise<number> {
      let handled = 0;
      for (;;) {
        const ids = await dueNotificationIds(db, now, 50);
        for (const id of ids)
          if (await claimNotification(db, id, Date.now(), LEASE_MS)) {
            await deliver(id).catch((err: unknown) =>
              deps.log?.error({ err, notification_id: id }, 'notification delivery crashed'),
            );
            handled += 1;
          }
        if (ids.length < 50) return handled;
      }
    },

    /** The durable consumer: queues notifications from order, fulfilment and payment events. */
    consumer: {
      name: 'commerce-notifications',
      mode: 'durable',
      async handle(batch, trx) {
        let queued = false;
        for (const e of batch) {
          const data = e.data as Record<string, unknown>;
          const orderId = typeof data.order_id === 'string' ? data.order_id : null;
          if (!orderId) continue;
          const kind: NotificationKind | null =
            e.type === 'order.placed' && data.source !== 'pos'
              ? 'order_confirmation'
              : e.type === 'fulfilment.shipped'
                ? 'shipped'
                : e.type === 'fulfilment.out_for_delivery'
                  ? 'out_for_delivery'
                  : e.type === 'payment.refunded' && data.refund_amount
                    ? 'refund_issued'
                    : null;
          if (!kind) continue;
          const keep = [
            'fulfilment_id',
            'carrier',
            'tracking_number',
            'tracking_url',
            'refund_amount',
            'refund_id',
          ];
          await queueFromEvent(
            trx,
            kind,
            e,
            orderId,
            Object.fromEntries(Object.entries(data).filter(([k]) => keep.includes(k))),
          );
          queued = true;
        }
        if (queued) afterCommit(trx, () => wakeWorker());
      },
    } satisfies EventConsumer,

    /** Starts the worker (polling, and woken after each commit that queues); returns its stopper. */
    startJobs(log: FastifyBaseLogger): () => void {
      let running = false;
      let again = false;
      const tick = () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        this.runDue()
          .catch((err: unknown) => log.error({ err }, 'notification worker failed'))
          .finally(() => {
            running = false;
            if (again) {
              again = false;
              setImmediate(tick);
            }
          });
      };
      wakeWorker = () => setImmediate(tick);
      const timer = setInterval(tick, POLL_MS);
      timer.unref();
      return () => {
        clearInterval(timer);
        wakeWorker = () => undefined;
      };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotifications>;
