/** @module Canned-response queries and the row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { CannedResponseRow } from './conversation.table';
import type { CannedLocale } from './canned.template';

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  body: Partial<Record<CannedLocale, string>> & { en: string };
  team_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export function cannedFromRow(row: Selectable<CannedResponseRow>): CannedResponse {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: decodeJson<CannedResponse['body']>(row.body) ?? { en: '' },
    team_id: row.team_id,
    created_by: row.created_by,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export async function findCannedRow(db: DbOrTrx, id: string) {
  return db.selectFrom('canned_responses').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCanned(db: DbOrTrx, row: Insertable<CannedResponseRow>): Promise<void> {
  await db.insertInto('canned_responses').values(row).execute();
}

export async function updateCannedRow(db: DbOrTrx, id: string, set: Partial<Selectable<CannedResponseRow>>) {
  await db.updateTable('canned_responses').set(set).where('id', '=', id).execute();
}

export async function deleteCannedRow(db: DbOrTrx, id: string): Promise<number> {
  const result = await db.deleteFrom('canned_responses').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * By shortcut. `teamsOf` set: the business-wide ones and those of the user's teams; null: all of them (admins,
 * API keys). `q` keeps those whose shortcut or title starts with it.
 */
export async function listCannedRows(
  db: DbOrTrx,
  filter: { visibleToUser: string | null; q?: string | undefined; team_id?: string | undefined },
): Promise<CannedResponse[]> {
  let q = db.selectFrom('canned_responses').selectAll();
  const userId = filter.visibleToUser;
  if (userId !== null)
    q = q.where((eb) =>
      eb.or([
        eb('team_id', 'is', null),
        eb('team_id', 'in', eb.selectFrom('team_members').select('team_id').where('user_id', '=', userId)),
      ]),
    );
  if (filter.team_id) q = q.where('team_id', '=', filter.team_id);
  const rows = (await q.orderBy('shortcut').limit(500).execute()).map(cannedFromRow);
  const term = filter.q?.trim().toLowerCase();
  return term
    ? rows.filter((r) => r.shortcut.startsWith(term) || r.title.toLowerCase().includes(term))
    : rows;
}
