/**
 * @module The email channel's one door: the adapter the conversations pipeline uses (parse, send), the checks
 * at the door (malformed, attachments over limits), the built-in SMTP listener and the raw-mail hook.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../config';
import { AppError, notFound } from '../../../platform/errors';
import type { Channel, ChannelsService } from '../index';
import {
  checkAttachments,
  type AcceptResult,
  type ChannelAdapter,
  type NormalizedInbound,
} from '../../conversations';
import { normalizeEmail, parseEmail, type EmailChannelConfig } from './email.parse';
import { createEmailSender } from './email.send';
import { createSmtpListener } from './email.smtp';

export { emailHooksRoutes } from './email.routes';
export { sanitizeEmailHtml, visibleText } from './email.parse';

export interface EmailChannelDeps {
  config: Config;
  channels: ChannelsService;
  /** The conversations pipeline's door (bound late: conversations take this adapter first). */
  acceptInbound: (
    channel: Channel,
    input: {
      providerMessageId: string | null;
      payload: Buffer;
      attachments?: NormalizedInbound['attachments'];
      sender?: string | null;
    },
  ) => Promise<AcceptResult>;
  log: FastifyBaseLogger;
}

export function createEmailChannel(deps: EmailChannelDeps) {
  const { config, channels } = deps;
  const sender = createEmailSender(() => config.emailRelayUrl);
  let smtp: ReturnType<typeof createSmtpListener> | null = null;

  const adapter: ChannelAdapter = {
    kinds: ['email'],
    parseInbound: (payload, channel) => normalizeEmail(payload, channel.config as EmailChannelConfig),
    send: (message) => sender.send(message),
  };

  /** The active email channel whose address (or +token form of it) this is. */
  async function channelFor(address: string): Promise<Channel | null> {
    const wanted = address.toLowerCase().replace(/\+[^@]*@/, '@');
    const { data } = await channels.listChannels({ kind: 'email', active: true, limit: 200 });
    return data.find((c) => (c.config as EmailChannelConfig).address?.toLowerCase() === wanted) ?? null;
  }

  /**
   * Checks a raw message at the door (well-formed, attachments within limits), then hands it to the pipeline,
   * which stores it before anything else.
   */
  async function accept(channel: Channel, raw: Buffer): Promise<AcceptResult> {
    if (raw.length > config.emailMaxBytes)
      throw new AppError('payload_too_large', `The message is larger than ${config.emailMaxBytes} bytes.`);
    const mail = await parseEmail(raw);
    checkAttachments(
      mail.attachments.map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        content: a.content,
      })),
      { maxBytes: config.attachmentMaxBytes, types: config.attachmentTypes },
      'attachments',
    );
    return deps.acceptInbound(channel, {
      providerMessageId: mail.messageId ?? null,
      payload: raw,
      sender: mail.fromAddress,
    });
  }

  return {
    adapter,
    accept,
    channelFor,
    /** An active email channel by id with its credentials (one read), for the hook; another kind or unknown → 404. */
    async emailChannel(id: string): Promise<{ channel: Channel; secrets: Record<string, string> }> {
      const found = await channels.retrieveChannelWithSecrets(id); // unknown → 404 naming the channel
      if (found.channel.kind !== 'email' || !found.channel.active) throw notFound('email channel', id);
      return found;
    },
    /** Starts the SMTP listener; resolves with its port. */
    async startSmtp(port = config.smtpPort, host = config.smtpHost): Promise<number> {
      smtp ??= createSmtpListener({
        maxBytes: config.emailMaxBytes,
        channelFor,
        accept: (channel, raw) => accept(channel, raw),
        log: deps.log,
      });
      return smtp.listen(port, host);
    },
    async close(): Promise<void> {
      sender.close();
      await smtp?.close();
      smtp = null;
    },
  };
}

export type EmailChannel = ReturnType<typeof createEmailChannel>;
