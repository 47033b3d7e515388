/**
 * @module Meta's webhook bodies, split into what the pipeline stores. One POST can carry several entries, each
 * with several messages (Messenger/Instagram `entry[].messaging[]`, WhatsApp Cloud `entry[].changes[].value`):
 * every customer message becomes its own inbound delivery (its own raw row, deduplicated by mid / wamid), and
 * delivery reports (WhatsApp `statuses[]`, Messenger `delivery.mids`, Instagram `read.mid`) become status updates.
 * Echoes of our own replies (`is_echo`) are skipped: they are ours, not the customer's.
 */

/** The `object` each channel kind receives. */
export const metaObjectOf = {
  messenger: 'page',
  instagram: 'instagram',
  whatsapp: 'whatsapp_business_account',
};

export interface MessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: {
    mid?: string;
    text?: string;
    is_echo?: boolean;
    reply_to?: { mid?: string };
    attachments?: Array<{ type?: string; payload?: { url?: string } | null }>;
  };
  delivery?: { mids?: string[] };
  read?: { mid?: string; watermark?: number };
}

export interface WhatsAppMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  context?: { id?: string };
  button?: { text?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
  [media: string]: unknown;
}

export interface WhatsAppValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: WhatsAppMessage[];
  statuses?: Array<{
    id?: string;
    status?: string;
    recipient_id?: string;
    errors?: Array<{ code?: number; title?: string; message?: string }>;
  }>;
}

/** What one stored inbound delivery holds: the event as Meta sent it, with the entry context it needs. */
export type MetaDelivery =
  | { object: 'page' | 'instagram'; entry_id: string | null; event: MessagingEvent }
  | {
      object: 'whatsapp_business_account';
      entry_id: string | null;
      metadata: WhatsAppValue['metadata'] | null;
      contact: { wa_id?: string; profile?: { name?: string } } | null;
      message: WhatsAppMessage;
    };

export type MetaDeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface MetaWebhook {
  object: string | null;
  deliveries: Array<{ providerMessageId: string; delivery: MetaDelivery }>;
  statuses: Array<{ providerMessageId: string; status: MetaDeliveryStatus; error: string | null }>;
}

const statuses: readonly string[] = ['sent', 'delivered', 'read', 'failed'];
const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * Splits a verified webhook body into deliveries and status reports.
 * @example splitMetaWebhook({ object: 'page', entry: [{ id: '1', messaging: [{ sender: { id: '9' }, message: { mid: 'm1', text: 'hi' } }] }] })
 */
export function splitMetaWebhook(body: unknown): MetaWebhook {
  const root = (typeof body === 'object' && body !== null ? body : {}) as {
    object?: unknown;
    entry?: unknown;
  };
  const object = typeof root.object === 'string' ? root.object : null;
  const out: MetaWebhook = { object, deliveries: [], statuses: [] };
  for (const entry of asArray<{ id?: unknown; messaging?: unknown; changes?: unknown }>(root.entry)) {
    const entryId = typeof entry?.id === 'string' ? entry.id : null;
    if (object === 'page' || object === 'instagram') {
      for (const event of asArray<MessagingEvent>(entry.messaging)) {
        const mid = event?.message?.mid;
        if (mid && !event.message?.is_echo && event.sender?.id)
          out.deliveries.push({ providerMessageId: mid, delivery: { object, entry_id: entryId, event } });
        for (const id of asArray<string>(event?.delivery?.mids))
          out.statuses.push({ providerMessageId: id, status: 'delivered', error: null });
        if (event?.read?.mid)
          out.statuses.push({ providerMessageId: event.read.mid, status: 'read', error: null });
      }
    } else if (object === 'whatsapp_business_account') {
      for (const change of asArray<{ field?: string; value?: WhatsAppValue }>(entry.changes)) {
        if (change?.field !== 'messages' || !change.value) continue;
        const value = change.value;
        for (const message of asArray<WhatsAppMessage>(value.messages)) {
          if (!message?.id || !message.from) continue;
          const contact = asArray<{ wa_id?: string }>(value.contacts).find((c) => c?.wa_id === message.from);
          out.deliveries.push({
            providerMessageId: message.id,
            delivery: {
              object,
              entry_id: entryId,
              metadata: value.metadata ?? null,
              contact: contact ?? null,
              message,
            },
          });
        }
        for (const s of asArray<NonNullable<WhatsAppValue['statuses']>[number]>(value.statuses)) {
          if (!s?.id || !s.status || !statuses.includes(s.status)) continue;
          const error = s.errors?.[0];
          out.statuses.push({
            providerMessageId: s.id,
            status: s.status as MetaDeliveryStatus,
            error: error
              ? `WhatsApp error ${error.code ?? '?'}: ${error.title ?? error.message ?? ''}`.trim()
              : null,
          });
        }
      }
    }
  }
  return out;
}
