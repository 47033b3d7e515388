/**
 * @module Conversation and contact queries and the row mappers; every function takes the database or a
 * transaction first.
 */
import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import { AppError } from '../../platform/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { Database } from '../../platform/db/schema';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  paginate,
  type Page,
  type PageRequest,
} from '../../platform/http/pagination';
import type { ConversationContactRow, ConversationRow } from './conversation.table';
import { atRiskIds, listUnassignedRows } from './routing.repository';

/** 'merged' is set only by a merge (read-only, pointing at the survivor); agents set the other four. */
export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved', 'merged'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const settableStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type SettableStatus = (typeof settableStatuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const conversationViews = [
  'mine',
  'unassigned',
  'all',
  'sla_at_risk',
  'mentions',
  'my_teams',
  'team',
] as const;
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
  /** Set when this conversation was merged into another (status 'merged'). */
  merged_into_id: string | null;
  merged_at: string | null;
  created_at: string;
  updated_at: string;
  /** In the mentions view: how many mentions of the asking agent she has not opened yet. */
  unread_mentions?: number;
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
    merged_into_id: row.merged_into_id,
    merged_at: toIso(row.merged_at),
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

/** A merged conversation is history: every change, reply included, goes to the one it was merged into. */
export function writable<Row extends Pick<ConversationRow, 'id' | 'merged_into_id'>>(row: Row): Row {
  if (row.merged_into_id)
    throw new AppError('conflict', `Conversation ${row.id} was merged into ${row.merged_into_id}.`, {
      merged_into_id: row.merged_into_id,
    });
  return row;
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

export async function insertConversation(
  db: DbOrTrx,
  row: Omit<Insertable<ConversationRow>, 'merged_into_id' | 'merged_at'>,
): Promise<void> {
  await db
    .insertInto('conversations')
    .values({ merged_into_id: null, merged_at: null, ...row })
    .execute();
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
  /** The staff user asking, for the `mine`, `mentions` and `my_teams` views. */
  userId?: string | null | undefined;
  /** The team of the `team` view. */
  team_id?: string | undefined;
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
  if (filter.view === 'mentions') return listMentionedRows(db, filter);
  let q = db.selectFrom('conversations').selectAll();
  if (filter.view === 'sla_at_risk') q = q.where('id', 'in', atRiskIds(db)).where('status', '<>', 'resolved');
  if (filter.view === 'mine') q = q.where('assignee_id', '=', filter.userId ?? '');
  if (filter.view === 'my_teams') q = q.where('team_id', 'in', teamsOf(db, filter.userId ?? ''));
  if (filter.view === 'team') q = q.where('team_id', '=', filter.team_id ?? '');
  // Merged conversations are read-only history: only a status filter asking for them shows them.
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '<>', 'merged');
  if (filter.channel_id) q = q.where('last_inbound_channel_id', '=', filter.channel_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  return paginate(q, 'id', filter, conversationFromRow);
}

/** The teams a staff user belongs to, as a subquery. */
function teamsOf(db: DbOrTrx, userId: string) {
  return db.selectFrom('team_members').select('team_id').where('user_id', '=', userId);
}

/**
 * The mentions view: conversations where the asking agent was mentioned, those with unread mentions first, then
 * by the latest mention. One page of up to `limit` (no cursor: an agent's mentions are a short list).
 */
async function listMentionedRows(db: DbOrTrx, filter: ConversationFilter): Promise<Page<Conversation>> {
  const limit = Math.min(filter.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const mentions = await db
    .selectFrom('conversation_mentions')
    .select((eb) => [
      'conversation_id',
      eb.fn.max('created_at').as('last_at'),
      eb.fn.sum<number>(eb.case().when('read_at', 'is', null).then(1).else(0).end()).as('unread'),
    ])
    .where('user_id', '=', filter.userId ?? '')
    .groupBy('conversation_id')
    .execute();
  mentions.sort(
    (a, b) =>
      Number(Number(b.unread) > 0) - Number(Number(a.unread) > 0) || Number(b.last_at) - Number(a.last_at),
  );
  const ids = mentions.map((m) => m.conversation_id);
  if (ids.length === 0) return { data: [], next_cursor: null };
  let q = db.selectFrom('conversations').selectAll().where('id', 'in', ids);
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '<>', 'merged');
  if (filter.channel_id) q = q.where('last_inbound_channel_id', '=', filter.channel_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  const rows = new Map((await q.execute()).map((r) => [r.id, r]));
  const data = mentions
    .filter((m) => rows.has(m.conversation_id))
    .slice(0, limit)
    .map((m) => ({
      ...conversationFromRow(rows.get(m.conversation_id)!),
      unread_mentions: Number(m.unread),
    }));
  return { data, next_cursor: null };
}

/**
 * How many active (not resolved, not merged) conversations each view holds for a staff user, plus her unread
 * mentions and one count per team she belongs to.
 */
export async function countViews(db: DbOrTrx, userId: string) {
  const active = (eb: ExpressionBuilder<Database, 'conversations'>) =>
    eb('status', 'not in', ['resolved', 'merged']);
  const counts = await db
    .selectFrom('conversations')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn.sum<number>(eb.case().when('assignee_id', '=', userId).then(1).else(0).end()).as('mine'),
      eb.fn.sum<number>(eb.case().when('assignee_id', 'is', null).then(1).else(0).end()).as('unassigned'),
      eb.fn.sum<number>(eb.case().when('id', 'in', atRiskIds(db)).then(1).else(0).end()).as('sla_at_risk'),
      eb.fn
        .sum<number>(eb.case().when('team_id', 'in', teamsOf(db, userId)).then(1).else(0).end())
        .as('my_teams'),
    ])
    .where(active)
    .executeTakeFirstOrThrow();
  const mentions = await db
    .selectFrom('conversation_mentions as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select((eb) => eb.fn.count<number>('m.conversation_id').distinct().as('n'))
    .where('m.user_id', '=', userId)
    .where('m.read_at', 'is', null)
    .where('c.status', '<>', 'merged')
    .executeTakeFirstOrThrow();
  const teams = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .leftJoin('conversations as c', (j) =>
      j.onRef('c.team_id', '=', 't.id').on('c.status', 'not in', ['resolved', 'merged']),
    )
    .select((eb) => ['t.id', 't.name', eb.fn.count<number>('c.id').as('n')])
    .where('tm.user_id', '=', userId)
    .groupBy(['t.id', 't.name'])
    .orderBy('t.name')
    .execute();
  return {
    views: {
      mine: Number(counts.mine ?? 0),
      unassigned: Number(counts.unassigned ?? 0),
      all: Number(counts.all ?? 0),
      sla_at_risk: Number(counts.sla_at_risk ?? 0),
      mentions: Number(mentions.n ?? 0),
      my_teams: Number(counts.my_teams ?? 0),
    },
    teams: teams.map((t) => ({ id: t.id, name: t.name, count: Number(t.n) })),
  };
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
