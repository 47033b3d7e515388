/**
 * @module Replies: the agent's message leaves on the channel the customer last wrote on, unless the agent picks
 * another channel the customer can be reached on. Before anything is stored the reply must pass the customer's
 * consent for `service` messages on that channel and, on WhatsApp, the 24-hour customer-service window (outside
 * it only an approved template); on Messenger and Instagram, Meta's standard messaging window (outside it only a
 * message tag). The message is stored `queued` with its event, sent outside the transaction
 * (no network I/O inside one), then marked `sent` or `failed` with a second event.
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { Channel, ChannelsService } from '../channels';
import type { CommunicationChannel, ConsentService, CustomersService } from '../customers';
import {
  adapterFor,
  checkAttachments,
  type AttachmentLimits,
  type ChannelAdapter,
  type InboundAttachment,
} from './channel-adapter';
import {
  findConversationRow,
  listContacts,
  updateConversationRow,
  writable,
} from './conversation.repository';
import {
  findByProviderId,
  findMessageRow,
  insertAttachments,
  insertMessage,
  lastInboundOn,
  messageFromRow,
  updateMessageRow,
  type Message,
  type MessageMeta,
} from './message.repository';

/**
 * Whether a reply by this actor counts as a human response (first/next response, the customer no longer
 * waiting). Staff only: bots, the system and API keys (external bots) do not. The SLA and routing consumers ask
 * the same of `message.queued` events.
 */
export const answersCustomer = (actor: Pick<Actor, 'type'>) => actor.type === 'staff';

/** WhatsApp's customer-service window (Meta's rule, not a setting). */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/**
 * Messenger's and Instagram's standard messaging window (Meta's policy, not a setting): 24 hours after the
 * customer's last message. Outside it a reply needs a message tag; `HUMAN_AGENT` is a person's reply and reaches
 * 7 days after her last message.
 */
export const META_WINDOW_MS = 24 * 3_600_000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3_600_000;

/** The message tags Meta accepts per channel kind: Instagram takes only HUMAN_AGENT. */
export const MESSAGE_TAGS: Readonly<Record<'messenger' | 'instagram', readonly string[]>> = {
  messenger: ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE', 'CONFIRMED_EVENT_UPDATE'],
  instagram: ['HUMAN_AGENT'],
};

/** The consent vocabulary's channel for each channel kind that can carry a reply. */
const consentChannel: Partial<Record<string, CommunicationChannel>> = {
  email: 'email',
  sms: 'sms',
  whatsapp: 'whatsapp',
  messenger: 'messenger',
  instagram: 'messenger',
  // Consent has one vocabulary entry for messaging apps; Telegram is one of them.
  telegram: 'messenger',
  webchat: 'in_app',
  phone: 'phone',
};

export interface ReplyInput {
  text?: string | undefined;
  html?: string | undefined;
  channel_id?: string | undefined;
  template?: { id: string; variables?: Record<string, string> | undefined } | undefined;
  /** Messenger / Instagram outside the 24-hour window: one of MESSAGE_TAGS for the channel's kind. */
  message_tag?: string | undefined;
  attachments?: Array<{ filename: string; content_type: string; content_base64: string }> | undefined;
}

export interface OutboundDeps {
  db: Db;
  events: EventBus;
  channels: ChannelsService;
  consent: Pick<ConsentService, 'can'>;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  adapters: ChannelAdapter[];
  attachments: AttachmentLimits;
  log?: FastifyBaseLogger | undefined;
}

const refuse = (code: 'validation_failed' | 'unprocessable', field: string, message: string) =>
  new AppError(code, message, { errors: [{ field, message }] });

export function createOutbound(deps: OutboundDeps) {
  const { db, events, channels } = deps;

  /** The address a reply on `channel` goes to: where the customer wrote from, else their profile's. */
  async function addressOn(conversationId: string, customerId: string, channel: Channel) {
    const contact = (await listContacts(db, conversationId)).find((c) => c.channel_id === channel.id);
    if (contact) return { address: contact.address, lastInboundAt: Date.parse(contact.last_inbound_at) };
    const customer = await deps.customers.retrieveCustomer(customerId);
    // Messaging apps address a user id only learned when the customer writes there: no profile fallback.
    const address =
      channel.kind === 'email'
        ? customer.emails[0]
        : ['sms', 'whatsapp', 'phone'].includes(channel.kind)
          ? customer.phones[0]
          : undefined;
    return address ? { address, lastInboundAt: null } : null;
  }

  async function send(
    messageId: string,
    outbound: Parameters<ChannelAdapter['send']>[0],
    adapter: ChannelAdapter,
    row: { conversation_id: string; customer_id: string; channel_id: string },
    actor: Actor,
  ) {
    let update: {
      status: 'sent' | 'queued' | 'failed';
      providerId: string | null;
      error: string | null;
      meta: Record<string, unknown>;
    };
    try {
      const result = await adapter.send(outbound);
      update = {
        status: result.status,
        providerId: result.providerMessageId,
        error: null,
        meta: result.meta ?? {},
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log?.warn({ message_id: messageId, err: message }, 'outbound message failed');
      update = { status: 'failed', providerId: null, error: message.slice(0, 1000), meta: {} };
    }
    await inTransaction(db, async (trx) => {
      const current = (await findMessageRow(trx, messageId))!;
      await updateMessageRow(trx, messageId, {
        delivery_status: update.status,
        delivery_error: update.error,
        provider_message_id: update.providerId,
        meta: encodeJson({ ...decodeJson<MessageMeta>(current.meta), ...update.meta }),
        updated_at: Date.now(),
      });
      await events.append(trx, {
        type: update.status === 'failed' ? 'message.failed' : 'message.sent',
        aggregate: { type: 'conversation', id: row.conversation_id },
        customerId: row.customer_id,
        channelId: row.channel_id,
        actor,
        data: { id: messageId, conversation_id: row.conversation_id, channel_id: row.channel_id },
      });
    });
  }

  return {
    /**
     * Sends the agent's reply and returns the stored message (`sent`, or `failed` with `delivery_error`).
     * @example await outbound.replyToConversation('cnv_01…', { text: 'Your parcel left today' }, actor)
     */
    async replyToConversation(
      id: string,
      input: ReplyInput,
      actor: Actor,
      /** Internal marks kept in the message's meta and handed to the adapter (never from the API body). */
      marks: { csat_survey_id?: string } = {},
    ): Promise<Message> {
      const found = await findConversationRow(db, id);
      if (!found) throw new AppError('not_found', `No conversation with id ${id}.`);
      const conversation = writable(found);
      const channelId = input.channel_id ?? conversation.last_inbound_channel_id;
      if (!channelId)
        throw refuse(
          'validation_failed',
          'body.channel_id',
          'The customer has not written on any channel yet: name the channel to reply on.',
        );
      if (!(await channels.channelExists(channelId)))
        throw refuse('validation_failed', 'body.channel_id', `No channel ${channelId}.`);
      const channel = await channels.retrieveChannel(channelId);
      const adapter = adapterFor(deps.adapters, channel);
      const consentKind = consentChannel[channel.kind];
      if (!channel.active || !adapter || !consentKind)
        throw refuse(
          'unprocessable',
          'body.channel_id',
          `Channel ${channel.name} cannot carry replies${channel.active ? '' : ' (inactive)'}.`,
        );
      if (!input.text && !input.html && !input.template)
        throw refuse('validation_failed', 'body.text', 'A reply needs text, html or a template.');
      const reach = await addressOn(id, conversation.customer_id, channel);
      if (!reach)
        throw refuse('unprocessable', 'body.channel_id', `The customer has no address on ${channel.name}.`);
      const can = await deps.consent.can(conversation.customer_id, 'service', consentKind);
      if (!can.allowed)
        throw new AppError(
          'consent_refused',
          `The customer does not allow messages on ${consentKind} (${can.reason}).`,
          {
            reason: can.reason,
            errors: [{ field: 'body.channel_id', message: `consent refused: ${can.reason}` }],
          },
        );
      if (channel.kind === 'whatsapp') {
        const open = reach.lastInboundAt !== null && Date.now() - reach.lastInboundAt < WHATSAPP_WINDOW_MS;
        if (!open && !input.template)
          throw new AppError(
            'whatsapp_window_closed',
            'The customer last wrote on WhatsApp more than 24 hours ago (or never): send an approved template.',
            {
              errors: [{ field: 'body.template', message: 'is required outside the 24-hour window' }],
            },
          );
        const approved = (channel.config.templates as Array<{ id: string }> | undefined) ?? [];
        if (input.template && !approved.some((t) => t.id === input.template!.id))
          throw refuse(
            'validation_failed',
            'body.template.id',
            `Template ${input.template.id} is not an approved template of this channel.`,
          );
      } else if (input.template)
        throw refuse('validation_failed', 'body.template', 'Templates are for WhatsApp channels.');
      if (channel.kind === 'messenger' || channel.kind === 'instagram')
        checkMetaWindow(channel.kind, reach.lastInboundAt, input.message_tag, actor);
      else if (input.message_tag)
        throw refuse(
          'validation_failed',
          'body.message_tag',
          'Message tags are for Messenger and Instagram channels.',
        );
      const files: InboundAttachment[] = (input.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.content_type,
        content: Buffer.from(a.content_base64, 'base64'),
      }));
      checkAttachments(files, deps.attachments, 'body.attachments');

      // Email replies thread onto the customer's last email on this channel.
      const last = await lastInboundOn(db, id, channel.id);
      const lastMeta = last ? decodeJson<MessageMeta>(last.meta) : null;
      const inReplyTo =
        last?.provider_message_id && channel.kind === 'email'
          ? {
              providerMessageId: last.provider_message_id,
              references: lastMeta?.references ?? [],
              subject: last.subject,
            }
          : null;

      const messageId = newId('msg');
      const now = Date.now();
      const row = { conversation_id: id, customer_id: conversation.customer_id, channel_id: channel.id };
      await inTransaction(db, async (trx) => {
        await insertMessage(trx, {
          id: messageId,
          ...row,
          direction: 'out',
          kind: 'message',
          channel_kind: channel.kind,
          provider_message_id: null,
          author_type: actor.type === 'staff' ? 'staff' : actor.type === 'system' ? 'system' : 'bot',
          author_id: actor.id,
          address: reach.address,
          subject: inReplyTo?.subject ? replySubject(inReplyTo.subject) : null,
          text: input.text ?? null,
          html: input.html ?? null,
          attachments: encodeJson([]),
          meta: encodeJson({
            ...(input.template ? { template: input.template } : {}),
            ...(input.message_tag ? { message_tag: input.message_tag } : {}),
            ...marks,
          }),
          delivery_status: 'queued',
          delivery_error: null,
          created_at: now,
          updated_at: now,
        });
        const stored = files.map((f) => ({
          id: newId('att'),
          message_id: messageId,
          conversation_id: id,
          customer_id: conversation.customer_id,
          filename: f.filename,
          content_type: f.contentType,
          size: f.content.length,
          content: f.content,
          created_at: now,
        }));
        await insertAttachments(trx, stored);
        await updateMessageRow(trx, messageId, {
          attachments: encodeJson(
            stored.map((a) => ({
              id: a.id,
              filename: a.filename,
              content_type: a.content_type,
              size: a.size,
            })),
          ),
        });
        const current = (await findConversationRow(trx, id))!;
        // Only a person's reply answers the customer: a bot or system message (auto-reply, CSAT survey) leaves
        // her waiting, so SLA timers, routing's reassignment and first-response reports see humans only.
        await updateConversationRow(trx, id, {
          ...(answersCustomer(actor)
            ? {
                first_response_at: current.first_response_at ?? now,
                last_response_at: now,
                waiting_since: null,
              }
            : {}),
          last_message_at: now,
          updated_at: now,
        });
        await events.append(trx, {
          type: 'message.queued',
          aggregate: { type: 'conversation', id },
          customerId: conversation.customer_id,
          channelId: channel.id,
          actor,
          data: { id: messageId, conversation_id: id, channel_id: channel.id },
        });
      });
      await send(
        messageId,
        {
          channel,
          secrets: await channels.channelSecrets(channel.id),
          messageId,
          to: reach.address,
          text: input.text ?? null,
          html: input.html ?? null,
          subject: inReplyTo?.subject ? replySubject(inReplyTo.subject) : null,
          attachments: files,
          replyToken: conversation.reply_token,
          inReplyTo,
          template: input.template
            ? { id: input.template.id, variables: input.template.variables ?? {} }
            : null,
          messageTag: input.message_tag ?? null,
          meta: marks,
        },
        adapter,
        row,
        actor,
      );
      return messageFromRow((await findMessageRow(db, messageId))!);
    },

    /**
     * A provider's delivery report (Twilio status callback): moves the message's status forward and emits
     * `message.delivery_updated`. Unknown ids are ignored (a report for a message sent elsewhere).
     */
    async recordDelivery(
      channelId: string,
      providerMessageId: string,
      status: 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered',
      error: string | null,
    ): Promise<boolean> {
      return inTransaction(db, async (trx) => {
        const message = await findByProviderId(trx, channelId, providerMessageId);
        if (!message || message.direction !== 'out') return false;
        // Reports can arrive out of order: never move back from delivered/read to sent.
        const rank = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 2, undelivered: 2 } as Record<
          string,
          number
        >;
        if ((rank[status] ?? 0) <= (rank[message.delivery_status] ?? 0)) return false;
        await updateMessageRow(trx, message.id, {
          delivery_status: status,
          delivery_error: error,
          updated_at: Date.now(),
        });
        await events.append(trx, {
          type: 'message.delivery_updated',
          aggregate: { type: 'conversation', id: message.conversation_id },
          customerId: message.customer_id,
          channelId,
          actor: { type: 'system', id: null, label: 'provider' },
          data: { id: message.id, conversation_id: message.conversation_id, status },
        });
        return true;
      });
    },
  };
}

/**
 * Meta's standard messaging window on Messenger and Instagram: inside 24 hours of the customer's last message any
 * reply goes; outside it only a tagged one — `HUMAN_AGENT` for a person's reply within 7 days, or (Messenger only)
 * a non-promotional update tag. Throws a problem naming `body.message_tag`.
 * @example checkMetaWindow('instagram', Date.now() - 30 * 3_600_000, 'HUMAN_AGENT', agent) // passes
 */
export function checkMetaWindow(
  kind: 'messenger' | 'instagram',
  lastInboundAt: number | null,
  tag: string | undefined,
  actor: Pick<Actor, 'type'>,
  now = Date.now(),
): void {
  const allowed = MESSAGE_TAGS[kind];
  if (tag && !allowed.includes(tag))
    throw refuse(
      'validation_failed',
      'body.message_tag',
      `${kind === 'instagram' ? 'Instagram' : 'Messenger'} accepts the message tags ${allowed.join(', ')}.`,
    );
  const since = lastInboundAt === null ? Infinity : now - lastInboundAt;
  if (!tag && since >= META_WINDOW_MS)
    throw new AppError(
      'messaging_window_closed',
      `The customer last wrote on ${kind === 'instagram' ? 'Instagram' : 'Messenger'} more than 24 hours ago: send the reply with a message tag (${allowed.join(', ')}).`,
      { errors: [{ field: 'body.message_tag', message: 'is required outside the 24-hour window' }] },
    );
  if (tag !== 'HUMAN_AGENT') return;
  // HUMAN_AGENT is Meta's promise that a person wrote this: never for bots, the system or API keys.
  if (!answersCustomer(actor))
    throw refuse('unprocessable', 'body.message_tag', 'HUMAN_AGENT is only for a reply written by a person.');
  if (since >= HUMAN_AGENT_WINDOW_MS)
    throw new AppError(
      'messaging_window_closed',
      'HUMAN_AGENT reaches only 7 days after the customer’s last message.',
      { errors: [{ field: 'body.message_tag', message: 'HUMAN_AGENT is past its 7-day window' }] },
    );
}

const replySubject = (subject: string) => (/^re:/i.test(subject) ? subject : `Re: ${subject}`);

export type OutboundService = ReturnType<typeof createOutbound>;
