/** @module Message and attachment queries and the row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { MessageAttachmentRow, MessageRow } from './conversation.table';

export const messageDirections = ['in', 'out'] as const;
export const messageKinds = ['message', 'note', 'event'] as const;
export const authorTypes = ['customer', 'staff', 'bot', 'system'] as const;
/** received (inbound); queued → sent → delivered → read, or failed / undelivered (outbound); none for notes. */
export const deliveryStatuses = [
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
  'none',
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface AttachmentInfo {
  id: string;
  filename: string;
  content_type: string;
  size: number;
}

export interface Message {
  id: string;
  conversation_id: string;
  customer_id: string | null;
  direction: (typeof messageDirections)[number];
  kind: (typeof messageKinds)[number];
  channel_id: string | null;
  channel_kind: string | null;
  provider_message_id: string | null;
  author: { type: (typeof authorTypes)[number]; id: string | null };
  address: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  attachments: AttachmentInfo[];
  /** Staff user ids a private note mentions (@Ana); empty for everything else. */
  mentions: string[];
  delivery_status: DeliveryStatus;
  delivery_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Provider details kept with a message (email headers, Twilio's status codes…), never shown as content. */
export interface MessageMeta {
  email_message_id?: string;
  references?: string[];
  in_reply_to?: string | null;
  /** A note's mentioned staff user ids. */
  mentions?: string[];
  [key: string]: unknown;
}

export function messageFromRow(row: Selectable<MessageRow>): Message {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    customer_id: row.customer_id,
    direction: row.direction as Message['direction'],
    kind: row.kind as Message['kind'],
    channel_id: row.channel_id,
    channel_kind: row.channel_kind,
    provider_message_id: row.provider_message_id,
    author: { type: row.author_type as Message['author']['type'], id: row.author_id },
    address: row.address,
    subject: row.subject,
    text: row.text,
    html: row.html,
    attachments: decodeJson<AttachmentInfo[]>(row.attachments) ?? [],
    mentions: decodeJson<MessageMeta>(row.meta)?.mentions ?? [],
    delivery_status: row.delivery_status as DeliveryStatus,
    delivery_error: row.delivery_error,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export async function findMessageRow(db: DbOrTrx, id: string): Promise<Selectable<MessageRow> | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByProviderId(
  db: DbOrTrx,
  channelId: string,
  providerMessageId: string,
): Promise<Selectable<MessageRow> | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
}

/** The conversation a message with one of these provider ids (email Message-IDs) belongs to, newest first. */
export async function conversationOfProviderIds(db: DbOrTrx, channelId: string, ids: string[]) {
  if (ids.length === 0) return undefined;
  const row = await db
    .selectFrom('messages')
    .select('conversation_id')
    .where('channel_id', '=', channelId)
    .where('provider_message_id', 'in', ids)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.conversation_id;
}

/** The newest inbound message of a conversation on a channel: what an email reply threads onto. */
export async function lastInboundOn(db: DbOrTrx, conversationId: string, channelId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('channel_id', '=', channelId)
    .where('direction', '=', 'in')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertMessage(db: DbOrTrx, row: Insertable<MessageRow>): Promise<void> {
  await db.insertInto('messages').values(row).execute();
}

export async function updateMessageRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<MessageRow>>,
): Promise<void> {
  await db.updateTable('messages').set(set).where('id', '=', id).execute();
}

export async function insertAttachments(
  db: DbOrTrx,
  rows: Array<Insertable<MessageAttachmentRow>>,
): Promise<void> {
  if (rows.length) await db.insertInto('message_attachments').values(rows).execute();
}

export async function findAttachment(db: DbOrTrx, conversationId: string, id: string) {
  return db
    .selectFrom('message_attachments')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Newest first; the cursor walks back through older messages. */
export async function listMessageRows(
  db: DbOrTrx,
  conversationId: string,
  page: PageRequest,
): Promise<Page<Message>> {
  const q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  return paginate(q, 'id', page, messageFromRow);
}

/** A message as a live channel replays it: with the CSAT survey it carries, if it is one. */
export type ChannelMessage = Message & { csat_survey_id: string | null };

/**
 * A customer's messages (not notes) on one channel after a given id, oldest first: what a web chat visitor
 * missed while her socket was down. Ids are time-sortable, so "after" is "newer".
 */
export async function listChannelMessagesAfter(
  db: DbOrTrx,
  customerId: string,
  channelId: string,
  afterId: string | null,
  limit: number,
): Promise<ChannelMessage[]> {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('channel_id', '=', channelId)
    .where('kind', '=', 'message');
  if (afterId) q = q.where('id', '>', afterId);
  return (await q.orderBy('id').limit(limit).execute()).map((row) => {
    const survey = decodeJson<MessageMeta>(row.meta)?.csat_survey_id;
    return { ...messageFromRow(row), csat_survey_id: typeof survey === 'string' ? survey : null };
  });
}
