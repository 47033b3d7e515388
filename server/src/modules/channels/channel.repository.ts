/** @module Channel queries and the row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { decodeBool, decodeJson, encodeBool, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { ChannelRow } from './channel.table';

export const channelKinds = [
  'web',
  'app',
  'store',
  'phone',
  'email',
  'webchat',
  'sms',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'marketplace',
  'kiosk',
] as const;
export type ChannelKind = (typeof channelKinds)[number];

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  active: boolean;
  config: Record<string, unknown>;
  /** Which secrets are set (`{ auth_token: true }`), never their values. */
  secrets: Record<string, true>;
  created_at: string;
  updated_at: string;
}

export function channelFromRow(row: Selectable<ChannelRow>): Channel {
  const secrets = decodeJson<Record<string, string>>(row.secrets) ?? {};
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    name: row.name,
    active: decodeBool(row.active),
    config: decodeJson<Record<string, unknown>>(row.config) ?? {},
    secrets: Object.fromEntries(Object.keys(secrets).map((k) => [k, true as const])),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export async function findChannelRow(db: DbOrTrx, id: string): Promise<Selectable<ChannelRow> | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertChannel(db: DbOrTrx, row: Insertable<ChannelRow>): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

export async function updateChannelRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<ChannelRow>>,
): Promise<void> {
  await db.updateTable('channels').set(set).where('id', '=', id).execute();
}

export async function listChannelRows(
  db: DbOrTrx,
  filter: PageRequest & { kind?: string | undefined; active?: boolean | undefined },
): Promise<Page<Channel>> {
  let q = db.selectFrom('channels').selectAll();
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.active !== undefined) q = q.where('active', '=', encodeBool(filter.active));
  return paginate(q, 'id', filter, channelFromRow);
}
