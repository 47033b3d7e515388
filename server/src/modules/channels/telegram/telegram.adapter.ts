/**
 * @module Telegram through the Bot API. Inbound: an Update's message (text or caption; a document or the largest
 * photo size fetched with `getFile` and the file download URL, within the attachment limits) becomes a message
 * from the Telegram user (`telegram_id`), answered in its chat. Outbound: `sendMessage` (JSON; text over 4096
 * characters split at paragraph/sentence/word boundaries, every part's id recorded) and `sendDocument` (multipart;
 * text up to 1024 characters rides as the first file's caption) at `{base}/bot<token>/…`, with a configurable base
 * URL.
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
import { fetchAll, fetchMedia, plainText, type SkippedAttachment } from '../meta';
import { splitText, TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT } from './telegram.split';

/** A Telegram channel's secrets: `bot_token` (from @BotFather) and `secret_token` (set with setWebhook). */
export interface TelegramChannelConfig {
  bot_username?: string;
}

interface TelegramUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramMessage {
  message_id: number;
  date?: number;
  from?: TelegramUser;
  chat: { id: number; type?: string };
  text?: string;
  caption?: string;
  reply_to_message?: { message_id: number };
  document?: { file_id: string; file_name?: string; mime_type?: string; file_size?: number };
  photo?: Array<{ file_id: string; file_size?: number; width?: number; height?: number }>;
}

export interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
}

/** Our dedup key: message ids are unique within a chat, so the pair is unique within the bot. */
export const telegramMessageKey = (chatId: number | string, messageId: number) => `${chatId}:${messageId}`;

export function createTelegramAdapter(deps: {
  baseUrl: () => string;
  secrets: (channelId: string) => Promise<Record<string, string>>;
  limits: AttachmentLimits;
}): ChannelAdapter {
  const base = () => deps.baseUrl().replace(/\/$/, '');

  async function token(channel: Channel): Promise<string> {
    const value = (await deps.secrets(channel.id)).bot_token;
    if (!value) throw new AppError('unprocessable', `Channel ${channel.name} needs secrets.bot_token.`);
    return value;
  }

  /** One Bot API method; `{ ok: false, description }` becomes the thrown message (without the token). */
  async function call<T>(botToken: string, method: string, body: object | FormData): Promise<T> {
    const form = body instanceof FormData;
    const res = await fetch(`${base()}/bot${botToken}/${method}`, {
      method: 'POST',
      ...(form ? { body } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer = (await res.json().catch(() => ({}))) as { ok?: boolean; result?: T; description?: string };
    if (!res.ok || !answer.ok)
      throw new Error(`Telegram refused ${method} (${res.status}): ${answer.description ?? 'no detail'}`);
    return answer.result as T;
  }

  async function download(
    botToken: string,
    file: { file_id: string; file_size?: number | undefined },
    filename: string,
    contentType: string | undefined,
  ): Promise<InboundAttachment | SkippedAttachment> {
    // Refused before asking Telegram for a download link when the update already says it is too big.
    if (file.file_size !== undefined && file.file_size > deps.limits.maxBytes)
      return { filename, reason: `larger than ${deps.limits.maxBytes} bytes` };
    const info = await call<{ file_path?: string; file_size?: number }>(botToken, 'getFile', {
      file_id: file.file_id,
    });
    if (!info.file_path) return { filename, reason: 'Telegram no longer has the file' };
    return fetchMedia(`${base()}/file/bot${botToken}/${info.file_path}`, {}, deps.limits, {
      filename,
      contentType,
      size: info.file_size ?? file.file_size,
    });
  }

  return {
    kinds: ['telegram'],

    async parseInbound(payload: Buffer, channel: Channel): Promise<NormalizedInbound> {
      const update = JSON.parse(payload.toString('utf8')) as TelegramUpdate;
      const message = update.message;
      if (!message?.from) throw new AppError('unprocessable', 'The update carries no message from a user.');
      const { from, chat } = message;
      const jobs: Array<() => Promise<InboundAttachment | SkippedAttachment>> = [];
      if (message.document || message.photo?.length) {
        const botToken = await token(channel);
        const doc = message.document;
        if (doc)
          jobs.push(() =>
            download(botToken, doc, doc.file_name ?? `document-${message.message_id}`, doc.mime_type),
          );
        // Telegram sends every size of a photo, smallest first: the last is the original.
        const photo = message.photo?.at(-1);
        if (photo)
          jobs.push(() => download(botToken, photo, `photo-${message.message_id}.jpg`, 'image/jpeg'));
      }
      const { attachments, skipped } = await fetchAll(jobs);
      return {
        providerMessageId: telegramMessageKey(chat.id, message.message_id),
        identifier: { type: 'telegram_id', value: String(from.id) },
        address: String(chat.id),
        profile: {
          first_name: from.first_name,
          last_name: from.last_name,
          locale: from.language_code,
        },
        text: message.text ?? message.caption ?? null,
        attachments,
        thread: message.reply_to_message
          ? { references: [telegramMessageKey(chat.id, message.reply_to_message.message_id)] }
          : undefined,
        meta: {
          update_id: update.update_id,
          chat_id: chat.id,
          chat_type: chat.type ?? null,
          ...(from.username ? { username: from.username } : {}),
          ...(from.language_code ? { language_code: from.language_code } : {}),
          ...(skipped.length ? { skipped_attachments: skipped } : {}),
        },
        occurredAt: message.date ? message.date * 1000 : undefined,
      };
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const botToken = await token(message.channel);
      const chatId = message.to;
      const ids: string[] = [];
      const text = plainText(message);
      // Short text with a file travels as the first file's caption (one message); longer text goes first, split
      // into as many sendMessage calls as the 4096-character limit needs, in order.
      const caption =
        text && message.attachments.length && text.length <= TELEGRAM_CAPTION_LIMIT ? text : null;
      if (text && !caption)
        for (const part of splitText(text, TELEGRAM_TEXT_LIMIT)) {
          const sent = await call<{ message_id: number }>(botToken, 'sendMessage', {
            chat_id: chatId,
            text: part,
          });
          ids.push(telegramMessageKey(chatId, sent.message_id));
        }
      for (const [i, file] of message.attachments.entries()) {
        const form = new FormData();
        form.set('chat_id', chatId);
        if (caption && i === 0) form.set('caption', caption);
        form.set('document', new Blob([file.content], { type: file.contentType }), file.filename);
        const sent = await call<{ message_id: number }>(botToken, 'sendDocument', form);
        ids.push(telegramMessageKey(chatId, sent.message_id));
      }
      if (!ids.length)
        throw new AppError('unprocessable', 'Nothing to send: the reply has no text or files.');
      return { providerMessageId: ids[0]!, status: 'sent', meta: { telegram_message_ids: ids } };
    },
  };
}
