/**
 * @module Conversation and contact queries and the row mappers; every function takes the database or a
 * transaction first.
 */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { ConversationContactRow, ConversationRow } from './conversation.table';
import { atRiskIds, listUnassignedRows } from './routing.repository';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const conversationViews = ['mine', 'unassigned', 'all', 'sla_at_risk'] as const;
export type ConversationView = (typeof conversationViews)[number];

export interface Conversation {
  id: string;
  customer_id: string;
  status: ConversationStatus;
  snoozed_until: string | null;
  priority: Priority;
  labels: string[];
  assignee_id: string | null;
  team_id: string | null;
  last_inbound_channel_id: string | null;
  first_inbound_at: string | null;
  last_inbound_at: string | null;
  first_response_at: string | null;
  last_response_at: string | null;
  waiting_since: string | null;
  last_message_at: string;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An address the customer wrote from in a conversation: where a reply on that channel goes. */
export interface ConversationContact {
  channel_id: string;
  channel_kind: string;
  address: string;
  first_inbound_at: string;
  last_inbound_at: string;
}

export function conversationFromRow(row: Selectable<ConversationRow>): Conversation {
  return {
    id: row.id,
    customer_id: row.customer_id,
    status: row.status as ConversationStatus,
    snoozed_until: toIso(row.snoozed_until),
    priority: row.priority as Priority,
    labels: decodeJson<string[]>(row.labels) ?? [],
    assignee_id: row.assignee_id,
    team_id: row.team_id,
    last_inbound_channel_id: row.last_inbound_channel_id,
    first_inbound_at: toIso(row.first_inbound_at),
    last_inbound_at: toIso(row.last_inbound_at),
    first_response_at: toIso(row.first_response_at),
    last_response_at: toIso(row.last_response_at),
    waiting_since: toIso(row.waiting_since),
    last_message_at: toIsoRequired(row.last_message_at),
    resolved_at: toIso(row.resolved_at),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export function contactFromRow(row: Selectable<ConversationContactRow>): ConversationContact {
  return {
    channel_id: row.channel_id,
    channel_kind: row.channel_kind,
    address: row.address,
    first_inbound_at: toIsoRequired(row.first_inbound_at),
    last_inbound_at: toIsoRequired(row.last_inbound_at),
  };
}

export async function findConversationRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<ConversationRow> | undefined> {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findThread(
  db: DbOrTrx,
  customerId: string,
  threadKey: string,
): Promise<Selectable<ConversationRow> | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('thread_key', '=', threadKey)
    .executeTakeFirst();
}

export async function findByReplyToken(
  db: DbOrTrx,
  token: string,
): Promise<Selectable<ConversationRow> | undefined> {
  return db.selectFrom('conversations').selectAll().where('reply_token', '=', token).executeTakeFirst();
}

export async function insertConversation(db: DbOrTrx, row: Insertable<ConversationRow>): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

export async function updateConversationRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<ConversationRow>>,
): Promise<void> {
  await db.updateTable('conversations').set(set).where('id', '=', id).execute();
}

export interface ConversationFilter extends PageRequest {
  view?: ConversationView | undefined;
  /** The staff user asking, for the `mine` view. */
  userId?: string | null | undefined;
  status?: ConversationStatus | undefined;
  channel_id?: string | undefined;
  customer_id?: string | undefined;
}

/** Newest first; `channel_id` keeps conversations whose customer last wrote on that channel. */
export async function listConversationRows(
  db: DbOrTrx,
  filter: ConversationFilter,
): Promise<Page<Conversation>> {
  // The unassigned queue reads oldest-waiting first (routing.repository), not newest first.
  if (filter.view === 'unassigned') return listUnassignedRows(db, filter);
  let q = db.selectFrom('conversations').selectAll();
  if (filter.view === 'sla_at_risk') q = q.where('id', 'in', atRiskIds(db)).where('status', '<>', 'resolved');
  if (filter.view === 'mine') q = q.where('assignee_id', '=', filter.userId ?? '');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.channel_id) q = q.where('last_inbound_channel_id', '=', filter.channel_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  return paginate(q, 'id', filter, conversationFromRow);
}

export async function listContacts(db: DbOrTrx, conversationId: string): Promise<ConversationContact[]> {
  const rows = await db
    .selectFrom('conversation_contacts')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('last_inbound_at', 'desc')
    .execute();
  return rows.map(contactFromRow);
}

/**
 * Records that the customer wrote from `address` on a channel: inserts the contact, or moves its
 * last_inbound_at forward (never backwards, for out-of-order deliveries).
 */
export async function touchContact(
  db: DbOrTrx,
  row: Insertable<ConversationContactRow> & { last_inbound_at: number },
): Promise<void> {
  await db
    .insertInto('conversation_contacts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['conversation_id', 'channel_id', 'address']).doUpdateSet((eb) => ({
        last_inbound_at: eb
          .case()
          .when('conversation_contacts.last_inbound_at', '<', row.last_inbound_at)
          .then(row.last_inbound_at)
          .else(eb.ref('conversation_contacts.last_inbound_at'))
          .end(),
      })),
    )
    .execute();
}
