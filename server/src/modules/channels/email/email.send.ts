/**
 * @module Outbound email through an SMTP relay with nodemailer. Headers make replies thread in common mail
 * clients: our own Message-ID, In-Reply-To the customer's last message, References its chain plus it, the
 * subject kept as "Re: …", and a Reply-To carrying the conversation's token (support+<token>@…) so an answer
 * finds its conversation even when a client drops the headers.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { AppError } from '../../../platform/errors';
import type { OutboundMessage, SendResult } from '../../conversations';
import type { EmailChannelConfig } from './email.parse';

export function createEmailSender(relayUrl: () => string | undefined) {
  // One pooled transport per relay URL: opening an SMTP session per reply would be slow.
  const transports = new Map<string, Transporter>();
  const transportFor = (url: string) => {
    let t = transports.get(url);
    if (!t) {
      t = nodemailer.createTransport(url);
      transports.set(url, t);
    }
    return t;
  };

  return {
    async send(message: OutboundMessage): Promise<SendResult> {
      const config = message.channel.config as EmailChannelConfig;
      const url = config.relay_url ?? relayUrl();
      if (!url) throw new AppError('unprocessable', 'No outbound mail relay is configured (emailRelayUrl).');
      if (!config.address)
        throw new AppError('unprocessable', `Email channel ${message.channel.name} has no address.`);
      const [local, domain] = config.address.split('@');
      const messageId = `<${message.messageId}@${domain}>`;
      const thread = message.inReplyTo;
      const info = await transportFor(url).sendMail({
        from: config.name ? { name: config.name, address: config.address } : config.address,
        to: message.to,
        replyTo: `${local}+${message.replyToken}@${domain}`,
        subject:
          message.subject ?? (thread?.subject ? `Re: ${thread.subject}` : (config.name ?? 'Your message')),
        messageId,
        ...(thread
          ? {
              inReplyTo: thread.providerMessageId,
              references: [
                ...thread.references.filter((r) => r !== thread.providerMessageId),
                thread.providerMessageId,
              ],
            }
          : {}),
        ...(message.text ? { text: message.text } : {}),
        ...(message.html ? { html: message.html } : {}),
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return {
        providerMessageId: info.messageId ?? messageId,
        status: 'sent',
        meta: { email_message_id: messageId },
      };
    },
    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
