/** @module Web chat visitor and upload queries and the visitor mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import { decodeBool } from '../../../platform/db/codecs';
import type { DbOrTrx } from '../../../platform/db/transaction';
import type { WebchatUploadRow, WebchatVisitorRow } from './webchat.table';

export interface Visitor {
  id: string;
  channelId: string;
  anonymousId: string | null;
  customerId: string | null;
  conversationId: string | null;
  name: string | null;
  email: string | null;
  locale: string | null;
  emailFallback: boolean;
}

export function visitorFromRow(row: Selectable<WebchatVisitorRow>): Visitor {
  return {
    id: row.id,
    channelId: row.channel_id,
    anonymousId: row.anonymous_id,
    customerId: row.customer_id,
    conversationId: row.conversation_id,
    name: row.name,
    email: row.email,
    locale: row.locale,
    emailFallback: decodeBool(row.email_fallback),
  };
}

export async function findVisitorByTokenHash(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('webchat_visitors').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findVisitorRow(db: DbOrTrx, id: string) {
  return db.selectFrom('webchat_visitors').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The visitors chatting in a conversation (several when she chats from a phone and a laptop). */
export async function visitorIdsOfConversation(db: DbOrTrx, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webchat_visitors')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertVisitor(db: DbOrTrx, row: Insertable<WebchatVisitorRow>): Promise<void> {
  await db.insertInto('webchat_visitors').values(row).execute();
}

export async function updateVisitorRow(
  db: DbOrTrx,
  id: string,
  patch: Updateable<WebchatVisitorRow>,
): Promise<void> {
  await db.updateTable('webchat_visitors').set(patch).where('id', '=', id).execute();
}

export async function insertUpload(db: DbOrTrx, row: Insertable<WebchatUploadRow>): Promise<void> {
  await db.insertInto('webchat_uploads').values(row).execute();
}

/** A visitor's own uploads among these ids (another visitor's ids are simply not found). */
export async function findUploads(db: DbOrTrx, visitorId: string, ids: string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('webchat_uploads')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .where('id', 'in', ids)
    .execute();
}
