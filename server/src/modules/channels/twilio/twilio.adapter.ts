/**
 * @module SMS and WhatsApp through Twilio. Inbound: the webhook's form parameters (MessageSid, From, Body,
 * NumMedia/MediaUrlN…) become a message, media fetched from the Twilio API host with the account's credentials
 * within the attachment limits (a file outside them is named in the message's meta, the text still lands). Outbound: Twilio's
 * Messages resource (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic with account SID and
 * auth token) at a configurable base URL; WhatsApp numbers carry the `whatsapp:` prefix, templates go as
 * ContentSid + ContentVariables.
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
import { fetchAll, fetchMedia, type SkippedAttachment } from '../meta';

/** What an SMS or WhatsApp channel's config holds; the auth token is the secret `auth_token`. */
export interface TwilioChannelConfig {
  account_sid?: string;
  /** The business's number (E.164), or a Messaging Service instead. */
  from?: string;
  messaging_service_sid?: string;
  /** WhatsApp: approved templates (Content SIDs) usable outside the 24-hour window. */
  templates?: Array<{ id: string; name?: string }>;
}

const MAX_MEDIA = 10;

export const parseForm = (body: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(body));

const stripPrefix = (v: string) => v.replace(/^whatsapp:/i, '');

/** A file name for a Twilio media item (its URL ends in a media SID, not a name). */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'video/mp4': '.mp4',
  'text/plain': '.txt',
  'text/vcard': '.vcf',
};
const mediaName = (i: number, type: string | undefined) =>
  `media-${i + 1}${EXTENSIONS[type?.split(';')[0]!.trim().toLowerCase() ?? ''] ?? ''}`;

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

export function createTwilioAdapter(deps: {
  baseUrl: () => string;
  secrets: (channelId: string) => Promise<Record<string, string>>;
  /** Public URL of the status callback for a channel, or null when the server has no public URL. */
  statusCallbackUrl: (channelId: string) => string | null;
  limits: AttachmentLimits;
}): ChannelAdapter {
  async function credentials(channel: Channel) {
    const config = channel.config as TwilioChannelConfig;
    const token = (await deps.secrets(channel.id)).auth_token;
    if (!config.account_sid || !token)
      throw new AppError(
        'unprocessable',
        `Channel ${channel.name} needs config.account_sid and secrets.auth_token.`,
      );
    return {
      sid: config.account_sid,
      auth: `Basic ${Buffer.from(`${config.account_sid}:${token}`).toString('base64')}`,
    };
  }

  return {
    kinds: ['sms', 'whatsapp'],
    provider: 'twilio',
    isDefault: true,

    async parseInbound(payload: Buffer, channel: Channel): Promise<NormalizedInbound> {
      const p = parseForm(payload.toString('utf8'));
      const from = stripPrefix(p.From ?? '');
      const media = Math.min(Number(p.NumMedia ?? 0) || 0, MAX_MEDIA);
      const jobs: Array<() => Promise<InboundAttachment | SkippedAttachment>> = [];
      const refused: SkippedAttachment[] = [];
      if (media > 0) {
        const { auth } = await credentials(channel);
        const twilioOrigin = originOf(deps.baseUrl());
        for (let i = 0; i < media; i++) {
          const url = p[`MediaUrl${i}`];
          if (!url) continue;
          const declared = p[`MediaContentType${i}`];
          const filename = mediaName(i, declared);
          // The account's credentials go only to Twilio's own API host (the configured base URL); Twilio's
          // redirect to its media store drops them (fetch strips Authorization across origins).
          if (originOf(url) !== twilioOrigin) {
            refused.push({ filename, reason: 'not on the Twilio API host' });
            continue;
          }
          // Over the limits → named in meta, the message still lands; a failed download throws and is retried.
          jobs.push(() =>
            fetchMedia(url, { authorization: auth }, deps.limits, { filename, contentType: declared }),
          );
        }
      }
      const { attachments, skipped } = await fetchAll(jobs);
      skipped.push(...refused);
      return {
        providerMessageId: p.MessageSid ?? p.SmsMessageSid ?? null,
        identifier: { type: channel.kind === 'whatsapp' ? 'whatsapp' : 'phone', value: from },
        address: from,
        profile: p.ProfileName ? { first_name: p.ProfileName } : undefined,
        text: p.Body ?? null,
        attachments,
        meta: {
          to: p.To ? stripPrefix(p.To) : null,
          ...(p.ProfileName ? { profile_name: p.ProfileName } : {}),
          ...(p.WaId ? { wa_id: p.WaId } : {}),
          ...(skipped.length ? { skipped_attachments: skipped } : {}),
        },
      };
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const { channel } = message;
      const config = channel.config as TwilioChannelConfig;
      const { sid, auth } = await credentials(channel);
      if (message.attachments.length)
        throw new AppError(
          'unprocessable',
          'Twilio takes media by public URL only; attachments are not sent on SMS or WhatsApp yet.',
        );
      const wa = channel.kind === 'whatsapp';
      const address = (n: string) => (wa ? `whatsapp:${n}` : n);
      const form = new URLSearchParams({ To: address(message.to) });
      if (config.messaging_service_sid) form.set('MessagingServiceSid', config.messaging_service_sid);
      else if (config.from) form.set('From', address(config.from));
      else
        throw new AppError(
          'unprocessable',
          `Channel ${channel.name} needs config.from or config.messaging_service_sid.`,
        );
      if (message.template) {
        form.set('ContentSid', message.template.id);
        form.set('ContentVariables', JSON.stringify(message.template.variables));
      } else form.set('Body', message.text ?? '');
      const callback = deps.statusCallbackUrl(channel.id);
      if (callback) form.set('StatusCallback', callback);
      const res = await fetch(
        `${deps.baseUrl().replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`,
        {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        },
      );
      const body = (await res.json().catch(() => ({}))) as {
        sid?: string;
        status?: string;
        code?: number;
        message?: string;
      };
      if (!res.ok || !body.sid)
        throw new Error(
          `Twilio refused the message (${res.status}${body.code ? ` code ${body.code}` : ''}): ${body.message ?? 'no detail'}`,
        );
      return {
        providerMessageId: body.sid,
        status: body.status === 'sent' ? 'sent' : 'queued',
        meta: { twilio_status: body.status ?? null },
      };
    },
  };
}
