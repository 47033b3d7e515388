/**
 * @module Routing-state queries: the conversation's channel kind, the routing row (claimed and released only by
 * guarded writes) and the oldest-first unassigned queue.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/transaction';
import { decodeCursor, encodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../platform/http/pagination';
import { conversationFromRow, type ConversationFilter, type Conversation } from './conversation.repository';
import { releaseLoad } from './team.repository';

/** The channel kind the customer last wrote on: the capacity an assignment counts against. */
/**
 * Whether any online member of the team has room for one more conversation of this channel kind (no load row
 * yet, no capacity set, or active below capacity). A superset of routing's candidates: skills, languages and
 * exclusions only narrow it further, so "no" means routing could assign nobody there.
 */
export async function teamHasRoom(db: DbOrTrx, teamId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('team_members as m')
    .innerJoin('agent_states as s', 's.user_id', 'm.user_id')
    .leftJoin('agent_loads as l', (j) =>
      j.onRef('l.user_id', '=', 'm.user_id').on('l.channel_kind', '=', kind),
    )
    .select('m.user_id')
    .where('m.team_id', '=', teamId)
    .where('s.presence', '=', 'online')
    .where((eb) =>
      eb.or([
        eb('l.user_id', 'is', null),
        eb('l.capacity', 'is', null),
        eb('l.active', '<', eb.ref('l.capacity')),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function channelKindOf(db: DbOrTrx, conversationId: string): Promise<string> {
  const row = await db
    .selectFrom('messages')
    .select('channel_kind')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in')
    .where('channel_kind', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.channel_kind ?? 'other';
}

export async function findRoutingRow(db: DbOrTrx, conversationId: string) {
  return db
    .selectFrom('conversation_routing')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

/**
 * Marks the conversation as held by an agent unless it already is: true when this call took it (and so must
 * count the load), false when another writer got there first.
 */
export async function holdRouting(
  db: DbOrTrx,
  row: { conversation_id: string; team_id: string | null; assignee_id: string; load_kind: string },
  now: number,
  answerDueAt: number | null,
): Promise<boolean> {
  const set = {
    state: 'assigned',
    team_id: row.team_id,
    assignee_id: row.assignee_id,
    load_kind: row.load_kind,
    assigned_at: now,
    answer_due_at: answerDueAt,
    updated_at: now,
  };
  const result = await db
    .insertInto('conversation_routing')
    .values({ conversation_id: row.conversation_id, queued_at: null, ...set })
    .onConflict((oc) =>
      oc.column('conversation_id').doUpdateSet(set).where('conversation_routing.state', '<>', 'assigned'),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Lets go of the agent's hold (resolution, unassignment, transfer, reassignment) and gives the load back —
 * exactly once, however many callers race. Returns the agent who held it.
 */
export async function releaseRouting(
  db: DbOrTrx,
  conversationId: string,
  now: number,
  next: 'queued' | 'released',
): Promise<string | null> {
  const row = await findRoutingRow(db, conversationId);
  if (row?.state !== 'assigned' || !row.assignee_id) return null;
  const result = await db
    .updateTable('conversation_routing')
    .set({ state: next, assignee_id: null, answer_due_at: null, queued_at: now, updated_at: now })
    .where('conversation_id', '=', conversationId)
    .where('state', '=', 'assigned')
    .where('assignee_id', '=', row.assignee_id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  if (row.load_kind) await releaseLoad(db, row.assignee_id, row.load_kind);
  await db
    .updateTable('agent_states')
    .set({ idle_since: now })
    .where('user_id', '=', row.assignee_id)
    .execute();
  return row.assignee_id;
}

/** Waiting since, oldest first; a conversation nobody waits on sorts by when it was created. */
const waitedFrom = sql<number>`coalesce(waiting_since, created_at)`;

/** The unassigned queue, oldest waiting first, keyset-paginated on (waiting since, id). */
export async function listUnassignedRows(
  db: DbOrTrx,
  filter: ConversationFilter,
): Promise<{ data: Conversation[]; next_cursor: string | null }> {
  const limit = Math.min(filter.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let q = db.selectFrom('conversations').selectAll().where('assignee_id', 'is', null);
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '<>', 'merged'); // merged ones are read-only history
  if (filter.channel_id) q = q.where('last_inbound_channel_id', '=', filter.channel_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  if (filter.cursor) {
    const [w, id] = decodeCursor(filter.cursor).split('|');
    q = q.where((eb) =>
      eb.or([
        eb(waitedFrom, '>', Number(w)),
        eb.and([eb(waitedFrom, '=', Number(w)), eb('id', '>', id ?? '')]),
      ]),
    );
  }
  const rows = await q
    .orderBy(waitedFrom)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(conversationFromRow),
    next_cursor:
      rows.length > limit && last
        ? encodeCursor(`${Number(last.waiting_since ?? last.created_at)}|${last.id}`)
        : null,
  };
}

/** Conversation ids with an SLA timer at risk, or breached and still unanswered: the "SLA at risk" view. */
export function atRiskIds(db: DbOrTrx) {
  return db
    .selectFrom('sla_timers')
    .select('conversation_id')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'at_risk'),
        eb.and([eb('status', '=', 'breached'), eb('stopped_at', 'is', null)]),
      ]),
    );
}
