/**
 * @module SMS and WhatsApp through Twilio. Inbound: the webhook's form parameters (MessageSid, From, Body,
 * NumMedia/MediaUrlN…) become a message, media fetched with the account's credentials. Outbound: Twilio's
 * Messages resource (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic with account SID and
 * auth token) at a configurable base URL; WhatsApp numbers carry the `whatsapp:` prefix, templates go as
 * ContentSid + ContentVariables.
 */
import { AppError } from '../../../platform/errors';
import type { Channel } from '../index';
import type { ChannelAdapter, NormalizedInbound, OutboundMessage, SendResult } from '../../conversations';

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

export function createTwilioAdapter(deps: {
  baseUrl: () => string;
  secrets: (channelId: string) => Promise<Record<string, string>>;
  /** Public URL of the status callback for a channel, or null when the server has no public URL. */
  statusCallbackUrl: (channelId: string) => string | null;
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
      const attachments = [];
      if (media > 0) {
        const { auth } = await credentials(channel);
        for (let i = 0; i < media; i++) {
          const url = p[`MediaUrl${i}`];
          if (!url) continue;
          // The signature proved Twilio sent these URLs; a failed fetch fails the attempt, which is retried.
          const res = await fetch(url, { headers: { authorization: auth } });
          if (!res.ok) throw new Error(`Twilio media ${i} answered ${res.status}`);
          const contentType =
            p[`MediaContentType${i}`] ?? res.headers.get('content-type') ?? 'application/octet-stream';
          attachments.push({
            filename: `media-${i + 1}`,
            contentType,
            content: Buffer.from(await res.arrayBuffer()),
          });
        }
      }
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
