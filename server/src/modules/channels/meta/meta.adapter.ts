/**
 * @module Messenger, Instagram and WhatsApp Cloud through Meta's Graph API. Inbound: one stored delivery (see
 * meta.webhook.ts) becomes a message — Messenger/Instagram attachments fetched from their CDN URLs, WhatsApp
 * media through `GET /{media-id}` then its URL, both with the channel's access token. Outbound: the Send API
 * (`POST {base}/{version}/me/messages` with the page access token; `messaging_type: MESSAGE_TAG` and the tag when
 * a reply leaves after the standard 24-hour window, which the core enforces) and WhatsApp's
 * `POST {base}/{version}/{phone_number_id}/messages` (text, media uploaded first, templates outside the 24-hour
 * window — the core enforces the window for every WhatsApp channel).
 */
import { AppError } from '../../../platform/errors';
import type { Channel } from '../index';
import type {
  AttachmentLimits,
  ChannelAdapter,
  InboundAttachment,
  NormalizedInbound,
  OutboundMessage,
  SendResult,
} from '../../conversations';
import { fetchAll, fetchMedia, filenameOf, plainText } from './meta.media';
import type { MetaDelivery, WhatsAppMessage } from './meta.webhook';

/** A Meta channel's config; secrets: `app_secret`, `verify_token`, `access_token` (page or system-user token). */
export interface MetaChannelConfig {
  /** `meta` on a WhatsApp channel served by the Cloud API instead of Twilio. */
  provider?: 'meta';
  page_id?: string;
  /** WhatsApp Cloud: the business number's id, and approved templates (name, language) for outside the window. */
  phone_number_id?: string;
  templates?: Array<{ id: string; name?: string; language?: string }>;
}

export interface GraphDeps {
  baseUrl: () => string;
  version: () => string;
  secrets: (channelId: string) => Promise<Record<string, string>>;
  limits: AttachmentLimits;
}

const WA_MEDIA = ['image', 'document', 'audio', 'video', 'sticker'] as const;

export function createGraphClient(deps: GraphDeps) {
  const url = (path: string) => `${deps.baseUrl().replace(/\/$/, '')}/${deps.version()}/${path}`;
  return {
    url,
    async token(channel: Channel): Promise<string> {
      const token = (await deps.secrets(channel.id)).access_token;
      if (!token) throw new AppError('unprocessable', `Channel ${channel.name} needs secrets.access_token.`);
      return token;
    },
    /** One Graph API call; Meta's error object becomes the thrown message. */
    async call<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
      const form = init.body instanceof FormData;
      const res = await fetch(url(path), {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body && !form ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body ? { body: form ? (init.body as FormData) : JSON.stringify(init.body) } : {}),
      });
      const body = (await res.json().catch(() => ({}))) as T & {
        error?: { message?: string; code?: number };
      };
      if (!res.ok || body.error)
        throw new Error(
          `Meta refused ${path.split('?')[0]} (${res.status}${body.error?.code ? ` code ${body.error.code}` : ''}): ${body.error?.message ?? 'no detail'}`,
        );
      return body;
    },
  };
}

/** Messenger and Instagram: the sender's page-scoped / Instagram-scoped id identifies and addresses them. */
export function createMessengerAdapter(deps: GraphDeps): ChannelAdapter {
  const graph = createGraphClient(deps);
  return {
    kinds: ['messenger', 'instagram'],

    async parseInbound(payload: Buffer, channel: Channel): Promise<NormalizedInbound> {
      const delivery = JSON.parse(payload.toString('utf8')) as MetaDelivery;
      if (delivery.object === 'whatsapp_business_account')
        throw new AppError('unprocessable', 'A WhatsApp delivery reached a Messenger channel.');
      const { event } = delivery;
      const sender = event.sender!.id!;
      const files = (event.message?.attachments ?? []).flatMap((a, i) =>
        a.payload?.url && a.type !== 'fallback'
          ? [
              () =>
                fetchMedia(a.payload!.url!, {}, deps.limits, {
                  filename: filenameOf(a.payload!.url!, `${a.type ?? 'file'}-${i + 1}`),
                }),
            ]
          : [],
      );
      const { attachments, skipped } = await fetchAll(files);
      return {
        providerMessageId: event.message?.mid ?? null,
        identifier: { type: channel.kind === 'instagram' ? 'instagram_id' : 'messenger_psid', value: sender },
        address: sender,
        text: event.message?.text ?? null,
        attachments,
        thread: event.message?.reply_to?.mid ? { references: [event.message.reply_to.mid] } : undefined,
        meta: {
          recipient_id: event.recipient?.id ?? null,
          ...(skipped.length ? { skipped_attachments: skipped } : {}),
        },
        occurredAt: typeof event.timestamp === 'number' ? event.timestamp : undefined,
      };
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const token = await graph.token(message.channel);
      const recipient = { id: message.to };
      // Outside the standard window the core has required a tag (outbound.ts): Meta wants it on every message.
      const tagged: { messaging_type: string; tag?: string } = message.messageTag
        ? { messaging_type: 'MESSAGE_TAG', tag: message.messageTag }
        : { messaging_type: 'RESPONSE' };
      const ids: string[] = [];
      const text = plainText(message);
      if (text) {
        const sent = await graph.call<{ message_id: string }>('me/messages', token, {
          method: 'POST',
          body: { recipient, ...tagged, message: { text } },
        });
        ids.push(sent.message_id);
      }
      // Files go up with the message itself (multipart), one message per file, as the Send API takes them.
      for (const file of message.attachments) {
        const form = new FormData();
        form.set('recipient', JSON.stringify(recipient));
        form.set('messaging_type', tagged.messaging_type);
        if (tagged.tag) form.set('tag', tagged.tag);
        form.set(
          'message',
          JSON.stringify({
            attachment: { type: mediaType(file.contentType), payload: { is_reusable: false } },
          }),
        );
        form.set('filedata', new Blob([file.content], { type: file.contentType }), file.filename);
        const sent = await graph.call<{ message_id: string }>('me/messages', token, {
          method: 'POST',
          body: form,
        });
        ids.push(sent.message_id);
      }
      if (!ids.length)
        throw new AppError('unprocessable', 'Nothing to send: the reply has no text or files.');
      return { providerMessageId: ids[0]!, status: 'sent', meta: { meta_message_ids: ids } };
    },
  };
}

/** WhatsApp through the Cloud API: the `from` wa id is the customer's number (E.164 once prefixed with +). */
export function createWhatsAppCloudAdapter(deps: GraphDeps): ChannelAdapter {
  const graph = createGraphClient(deps);

  async function media(message: WhatsAppMessage, token: string) {
    const type = WA_MEDIA.find((t) => message.type === t);
    const item = type
      ? (message[type] as { id?: string; mime_type?: string; filename?: string } | undefined)
      : undefined;
    if (!type || !item?.id) return { attachments: [] as InboundAttachment[], skipped: [] };
    const info = await graph.call<{ url: string; mime_type?: string; file_size?: number }>(
      encodeURIComponent(item.id),
      token,
    );
    return fetchAll([
      () =>
        fetchMedia(info.url, { authorization: `Bearer ${token}` }, deps.limits, {
          filename: item.filename ?? `${type}-${item.id}`,
          contentType: item.mime_type ?? info.mime_type,
          size: info.file_size,
        }),
    ]);
  }

  return {
    kinds: ['whatsapp'],
    provider: 'meta',

    async parseInbound(payload: Buffer, channel: Channel): Promise<NormalizedInbound> {
      const delivery = JSON.parse(payload.toString('utf8')) as MetaDelivery;
      if (delivery.object !== 'whatsapp_business_account')
        throw new AppError('unprocessable', 'A Messenger delivery reached a WhatsApp channel.');
      const { message, contact, metadata } = delivery;
      const from = `+${message.from!.replace(/^\+/, '')}`;
      const { attachments, skipped } = await media(message, await graph.token(channel));
      const caption = WA_MEDIA.map((t) => (message[t] as { caption?: string } | undefined)?.caption).find(
        Boolean,
      );
      const name = contact?.profile?.name;
      return {
        providerMessageId: message.id ?? null,
        identifier: { type: 'whatsapp', value: from },
        address: from,
        profile: name ? { first_name: name } : undefined,
        text:
          message.text?.body ??
          caption ??
          message.button?.text ??
          message.interactive?.button_reply?.title ??
          message.interactive?.list_reply?.title ??
          null,
        attachments,
        thread: message.context?.id ? { references: [message.context.id] } : undefined,
        meta: {
          to: metadata?.display_phone_number ?? null,
          phone_number_id: metadata?.phone_number_id ?? null,
          type: message.type ?? null,
          ...(name ? { profile_name: name } : {}),
          ...(skipped.length ? { skipped_attachments: skipped } : {}),
        },
        occurredAt: message.timestamp ? Number(message.timestamp) * 1000 : undefined,
      };
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const { channel } = message;
      const config = channel.config as MetaChannelConfig;
      if (!config.phone_number_id)
        throw new AppError('unprocessable', `Channel ${channel.name} needs config.phone_number_id.`);
      const token = await graph.token(channel);
      const path = `${encodeURIComponent(config.phone_number_id)}/messages`;
      const base = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: message.to.replace(/^\+/, ''),
      };
      const bodies: object[] = [];
      if (message.template) {
        const approved = config.templates?.find((t) => t.id === message.template!.id);
        const params = Object.entries(message.template.variables)
          .sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
          .map(([, text]) => ({ type: 'text', text }));
        bodies.push({
          type: 'template',
          template: {
            name: message.template.id,
            language: { code: approved?.language ?? 'en' },
            ...(params.length ? { components: [{ type: 'body', parameters: params }] } : {}),
          },
        });
      } else {
        const text = plainText(message);
        if (text) bodies.push({ type: 'text', text: { body: text, preview_url: false } });
      }
      // WhatsApp sends media by id: each file is uploaded to the number's media store first.
      for (const file of message.attachments) {
        const form = new FormData();
        form.set('messaging_product', 'whatsapp');
        form.set('type', file.contentType);
        form.set('file', new Blob([file.content], { type: file.contentType }), file.filename);
        const { id } = await graph.call<{ id: string }>(
          `${encodeURIComponent(config.phone_number_id)}/media`,
          token,
          { method: 'POST', body: form },
        );
        const kind = mediaType(file.contentType) === 'file' ? 'document' : mediaType(file.contentType);
        bodies.push({
          type: kind,
          [kind]: { id, ...(kind === 'document' ? { filename: file.filename } : {}) },
        });
      }
      if (!bodies.length)
        throw new AppError('unprocessable', 'Nothing to send: the reply has no text or files.');
      const ids: string[] = [];
      for (const body of bodies) {
        const sent = await graph.call<{ messages?: Array<{ id: string }> }>(path, token, {
          method: 'POST',
          body: { ...base, ...body },
        });
        if (!sent.messages?.[0]?.id) throw new Error('Meta accepted the message but returned no id.');
        ids.push(sent.messages[0].id);
      }
      // Accepted is not yet sent: the `sent` status webhook moves it on.
      return { providerMessageId: ids[0]!, status: 'queued', meta: { meta_message_ids: ids } };
    },
  };
}

/** Meta's attachment type for a MIME type. */
function mediaType(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const top = contentType.split('/')[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'file';
}
