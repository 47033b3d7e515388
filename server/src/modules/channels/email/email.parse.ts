/**
 * @module Reading an RFC 822 message: mailparser for MIME, sanitize-html for the HTML part (scripts, handlers
 * and remote-content tricks removed), email-reply-parser to strip the quoted history below a reply, and the
 * threading headers (Message-ID, In-Reply-To, References) plus a reply-address token (support+<token>@…).
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import EmailReplyParser from 'email-reply-parser';
import { AppError } from '../../../platform/errors';
import type { NormalizedInbound } from '../../conversations';

/** What an email channel's config holds: the inbound address (support@shop.example) and a sender name. */
export interface EmailChannelConfig {
  address?: string;
  name?: string;
  relay_url?: string;
}

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'font'],
  allowedAttributes: {
    ...sanitizeHtml.defaults.allowedAttributes,
    img: ['src', 'alt', 'width', 'height'],
    '*': ['style', 'dir', 'align'],
  },
  // Inline images (cid:) and data URIs display; remote images would be tracking pixels, so they are dropped.
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
};

export const sanitizeEmailHtml = (html: string) => sanitizeHtml(html, sanitizeOptions);

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((a) => a.value.flatMap((v) => (v.address ? [v.address.toLowerCase()] : [])));

/** `support+3f9a…@shop.example` → `3f9a…` when the base address is the channel's. */
export function replyTokenIn(recipients: string[], channelAddress: string | undefined): string | null {
  if (!channelAddress) return null;
  const [local, domain] = channelAddress.toLowerCase().split('@');
  for (const r of recipients) {
    const m = /^([^+@]+)\+([a-z0-9]+)@(.+)$/.exec(r);
    if (m && m[1] === local && m[3] === domain) return m[2]!;
  }
  return null;
}

/** Parses and refuses what can never be a customer's email: no sender address. */
export async function parseEmail(raw: Buffer): Promise<ParsedMail & { fromAddress: string }> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    throw new AppError('validation_failed', `The message is not RFC 822: ${(err as Error).message}`, {
      errors: [{ field: 'body', message: 'is not an RFC 822 message' }],
    });
  }
  const fromAddress = addresses(mail.from)[0];
  if (!fromAddress || !mail.headers.size)
    throw new AppError('validation_failed', 'The message has no From address: not an RFC 822 email.', {
      errors: [{ field: 'body', message: 'is not an RFC 822 message with a From address' }],
    });
  return Object.assign(mail, { fromAddress });
}

function splitName(name: string | undefined) {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return undefined;
  return { first_name: parts[0], ...(parts.length > 1 ? { last_name: parts.slice(1).join(' ') } : {}) };
}

/** The visible, newest part of a reply: the quoted history below it stripped. */
export function visibleText(text: string): string {
  const visible = new EmailReplyParser().read(text).getVisibleText().trim();
  return visible || text.trim();
}

/**
 * An email as the conversations pipeline reads it.
 * @example const inbound = await normalizeEmail(raw, { address: 'support@shop.example' })
 */
export async function normalizeEmail(raw: Buffer, config: EmailChannelConfig): Promise<NormalizedInbound> {
  const mail = await parseEmail(raw);
  const delivered = [mail.headers.get('delivered-to')]
    .flat()
    .filter((v): v is string => typeof v === 'string');
  const recipients = [...addresses(mail.to), ...addresses(mail.cc), ...delivered.map((d) => d.toLowerCase())];
  const references = [mail.references ?? []].flat();
  if (mail.inReplyTo && !references.includes(mail.inReplyTo)) references.push(mail.inReplyTo);
  const fromName = [mail.from ?? []].flat()[0]?.value[0]?.name;
  return {
    providerMessageId: mail.messageId ?? null,
    identifier: { type: 'email', value: mail.fromAddress },
    address: mail.fromAddress,
    profile: splitName(fromName),
    subject: mail.subject ?? null,
    text: mail.text ? visibleText(mail.text) : null,
    html: typeof mail.html === 'string' ? sanitizeEmailHtml(mail.html) : null,
    attachments: mail.attachments.map((a, i) => ({
      filename: a.filename ?? `attachment-${i + 1}`,
      contentType: a.contentType,
      content: a.content,
    })),
    thread: { replyToken: replyTokenIn(recipients, config.address), references },
    meta: {
      email_message_id: mail.messageId ?? null,
      in_reply_to: mail.inReplyTo ?? null,
      references,
    },
    occurredAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.getTime() : undefined,
  };
}
