/**
 * @module Privacy handler for the contact centre. Export gives the person's conversations, every message in them
 * (notes included: they are about the person), attachment metadata, the addresses they wrote from and the raw
 * deliveries (theirs by customer, or — when processing failed before a customer was known — by the sender
 * address or id stored at receipt). Erasure deletes all of it: a conversation is nothing but the person's words
 * and ours to them.
 */
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { PrivacyHandler, PrivacySubject } from '../../platform/privacy/privacy';
import { senderKey } from './channel-adapter';

const none = (ids: string[]) => (ids.length ? ids : ['']);

/**
 * The person's addresses and ids as raw deliveries store their sender: a delivery whose processing failed has no
 * customer yet, and is theirs by who sent it.
 */
const sendersOf = (subject: PrivacySubject) =>
  none([...new Set(subject.values.map(senderKey).filter((v): v is string => v !== null))]);

export const conversationsPrivacyHandler: PrivacyHandler = {
  name: 'conversations',
  tables: [
    'conversations',
    'messages',
    'message_attachments',
    'conversation_contacts',
    'inbound_messages',
    'conversation_mentions',
    'conversation_merges',
  ],

  async export(db, subject) {
    const ids = none(subject.customerIds);
    const conversations = await db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const conversationIds = none(conversations.map((c) => c.id));
    const messages = await db
      .selectFrom('messages')
      .selectAll()
      .where((eb) => eb.or([eb('conversation_id', 'in', conversationIds), eb('customer_id', 'in', ids)]))
      .orderBy('id')
      .execute();
    const contacts = await db
      .selectFrom('conversation_contacts')
      .selectAll()
      .where('customer_id', 'in', ids)
      .execute();
    const inbound = await db
      .selectFrom('inbound_messages')
      .select(['id', 'channel_id', 'provider_message_id', 'payload', 'received_at'])
      .where((eb) => eb.or([eb('customer_id', 'in', ids), eb('sender', 'in', sendersOf(subject))]))
      .orderBy('id')
      .execute();
    return {
      conversations: conversations.map((c) => ({
        id: c.id,
        customer_id: c.customer_id,
        status: c.status,
        labels: decodeJson(c.labels),
        created_at: toIsoRequired(c.created_at),
        resolved_at: toIso(c.resolved_at),
      })),
      messages: messages.map((m) => ({
        id: m.id,
        conversation_id: m.conversation_id,
        direction: m.direction,
        kind: m.kind,
        channel_id: m.channel_id,
        author_type: m.author_type,
        address: m.address,
        subject: m.subject,
        text: m.text,
        html: m.html,
        attachments: decodeJson(m.attachments),
        created_at: toIsoRequired(m.created_at),
      })),
      conversation_contacts: contacts.map((c) => ({
        channel_id: c.channel_id,
        address: c.address,
        first_inbound_at: toIsoRequired(c.first_inbound_at),
        last_inbound_at: toIsoRequired(c.last_inbound_at),
      })),
      inbound_messages: inbound.map((i) => ({
        id: i.id,
        channel_id: i.channel_id,
        provider_message_id: i.provider_message_id,
        payload: Buffer.from(i.payload).toString('utf8'),
        received_at: toIsoRequired(i.received_at),
      })),
    };
  },

  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    const conversationIds = none(
      (await trx.selectFrom('conversations').select('id').where('customer_id', 'in', ids).execute()).map(
        (c) => c.id,
      ),
    );
    await trx
      .deleteFrom('message_attachments')
      .where((eb) => eb.or([eb('conversation_id', 'in', conversationIds), eb('customer_id', 'in', ids)]))
      .execute();
    await trx
      .deleteFrom('messages')
      .where((eb) => eb.or([eb('conversation_id', 'in', conversationIds), eb('customer_id', 'in', ids)]))
      .execute();
    await trx.deleteFrom('conversation_contacts').where('customer_id', 'in', ids).execute();
    await trx
      .deleteFrom('inbound_messages')
      .where((eb) => eb.or([eb('customer_id', 'in', ids), eb('sender', 'in', sendersOf(subject))]))
      .execute();
    await trx.deleteFrom('conversation_mentions').where('conversation_id', 'in', conversationIds).execute();
    await trx
      .deleteFrom('conversation_merges')
      .where((eb) => eb.or([eb('source_id', 'in', conversationIds), eb('target_id', 'in', conversationIds)]))
      .execute();
    await trx.deleteFrom('conversations').where('id', 'in', conversationIds).execute();
  },
};
