/**
 * @module The contract between the conversations core and a channel adapter (email, Twilio, and later web chat,
 * Meta, Telegram). An adapter turns a stored raw delivery into a NormalizedInbound and sends a reply; the core
 * owns persistence, dedup, identity resolution, threading, consent and events, so every channel behaves alike.
 */
import type { Channel, ChannelKind } from '../channels';
import { AppError } from '../../platform/errors';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface NormalizedInbound {
  /** The provider's id for this message (email Message-ID, Twilio MessageSid): dedup key per channel. */
  providerMessageId: string | null;
  /** The identifier identity resolution gets (email, phone, whatsapp, or a messaging app's user id). */
  identifier: {
    type: 'email' | 'phone' | 'whatsapp' | 'messenger_psid' | 'instagram_id' | 'telegram_id' | 'anonymous_id';
    value: string;
  };
  /** Where a reply goes on this channel (email address, E.164 number). */
  address: string;
  profile?:
    | {
        first_name?: string | undefined;
        last_name?: string | undefined;
        /** The customer's language as the provider reports it (Telegram's language_code): a locale hint. */
        locale?: string | undefined;
      }
    | undefined;
  subject?: string | null | undefined;
  text: string | null;
  /** Already sanitized by the adapter. */
  html?: string | null | undefined;
  attachments: InboundAttachment[];
  /** Threading hints: a reply-address token, and provider ids of the messages this one answers. */
  thread?: { replyToken?: string | null | undefined; references?: string[] | undefined } | undefined;
  /** Provider details kept with the message (headers, profile name…). */
  meta: Record<string, unknown>;
  /** When the provider says it was sent (ms); defaults to when it was received. */
  occurredAt?: number | undefined;
}

export interface OutboundMessage {
  channel: Channel;
  secrets: Record<string, string>;
  /** Our message id (msg_…), e.g. the left part of an email Message-ID. */
  messageId: string;
  to: string;
  text: string | null;
  html: string | null;
  subject: string | null;
  attachments: InboundAttachment[];
  /** The conversation's reply token, for reply-to addresses. */
  replyToken: string;
  /** What the reply answers (email threading). */
  inReplyTo: { providerMessageId: string; references: string[]; subject: string | null } | null;
  /** An approved template (WhatsApp outside the 24-hour window). */
  template: { id: string; variables: Record<string, string> } | null;
  /** Messenger / Instagram: the message tag that lets a reply out of the 24-hour window (`HUMAN_AGENT`…). */
  messageTag?: string | null | undefined;
  /**
   * Marks the sender put on the message, for channels that can render more than text: `csat_survey_id` makes the
   * web chat widget show its CSAT survey as a 1–5 scale. Others ignore it.
   */
  meta?: { csat_survey_id?: string } | undefined;
}

export interface SendResult {
  providerMessageId: string;
  status: 'queued' | 'sent';
  meta?: Record<string, unknown>;
}

export interface ChannelAdapter {
  kinds: readonly ChannelKind[];
  /**
   * Set when several providers serve one kind (WhatsApp through Twilio or Meta's Cloud API): the adapter handles
   * channels whose `config.provider` names it. Unset: the channels of its kinds that name no provider.
   */
  provider?: string;
  /** Also serves the channels of its kinds that name no provider (Twilio: SMS and WhatsApp by default). */
  isDefault?: boolean;
  /** Turns a stored raw delivery into a message; throws AppError for content that can never be processed. */
  parseInbound(payload: Buffer, channel: Channel): Promise<NormalizedInbound>;
  send(message: OutboundMessage): Promise<SendResult>;
}

/**
 * The adapter that serves a channel: one of its kinds, and the provider its config names (or none).
 * @example adapterFor(adapters, whatsappCloudChannel) // the Meta adapter when config.provider is 'meta'
 */
export function adapterFor(
  adapters: readonly ChannelAdapter[],
  channel: Channel,
): ChannelAdapter | undefined {
  const provider = typeof channel.config.provider === 'string' ? channel.config.provider : undefined;
  const ofKind = adapters.filter((a) => a.kinds.includes(channel.kind));
  if (provider) return ofKind.find((a) => a.provider === provider);
  return ofKind.find((a) => a.isDefault) ?? ofKind.find((a) => a.provider === undefined);
}

/**
 * How a raw delivery's sender is stored (`inbound_messages.sender`) and matched at erasure: trimmed, emails in
 * lower case, a `whatsapp:` prefix dropped — the form identity keeps identifier values in.
 * @example senderKey('whatsapp:+34612345678') // '+34612345678'
 */
export function senderKey(value: string | null | undefined): string | null {
  const key = value
    ?.trim()
    .replace(/^whatsapp:/i, '')
    .slice(0, 320);
  if (!key) return null;
  return key.includes('@') ? key.toLowerCase() : key;
}

/** Attachment limits from config, checked the same way for every channel and direction. */
export interface AttachmentLimits {
  maxBytes: number;
  types: readonly string[];
}

export function typeAllowed(contentType: string, types: readonly string[]): boolean {
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  return types.some((p) => (p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p.toLowerCase()));
}

/**
 * Refuses attachments over the size limit or of a type not allowed, naming each by its position.
 * @example checkAttachments([{ filename: 'a.exe', contentType: 'application/x-msdownload', content }], limits, 'attachments')
 */
export function checkAttachments(
  attachments: ReadonlyArray<{ filename: string; contentType: string; content: Buffer }>,
  limits: AttachmentLimits,
  field: string,
): void {
  const errors = attachments.flatMap((a, i) => {
    if (a.content.length > limits.maxBytes)
      return [{ field: `${field}.${i}`, message: `${a.filename} is larger than ${limits.maxBytes} bytes` }];
    if (!typeAllowed(a.contentType, limits.types))
      return [{ field: `${field}.${i}`, message: `${a.filename}: type ${a.contentType} is not allowed` }];
    return [];
  });
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
}
