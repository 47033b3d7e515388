/**
 * @module Presence across processes: which server process holds an agent's console sockets, with a heartbeat. An
 * agent goes offline only when no process holds a fresh row for her, so N processes behind a load balancer agree
 * on who is online, and a process that dies stops vouching for its agents once its rows go stale.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('agent_connections')
    .addColumn('user_id', t.id, (c) => c.notNull())
    .addColumn('node_id', t.id, (c) => c.notNull())
    .addColumn('seen_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_connections_pk', ['user_id', 'node_id'])
    .execute();
  // The expiry sweep looks for stale rows.
  await db.schema
    .createIndex('agent_connections_seen_idx')
    .on('agent_connections')
    .column('seen_at')
    .execute();
}
