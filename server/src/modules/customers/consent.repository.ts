/** @module Consent and preference queries and row mappers; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { ANY_CHANNEL, isNewer } from './consent.rules';
import type {
  ConsentConfirmationRow,
  ConsentEventRow,
  ConsentRow,
  CustomerPreferencesRow,
} from './consent.table';

export interface ConsentEvidence {
  wording?: string | undefined;
  version?: string | undefined;
  page_url?: string | undefined;
  ip?: string | undefined;
  user_agent?: string | undefined;
  note?: string | undefined;
}

/** One entry of the current matrix. */
export interface Consent {
  purpose: string;
  channel: string | null;
  status: string;
  source: { type: string; channel_id: string | null };
  legal_basis: string;
  occurred_at: string;
  /** The history entry this state comes from. */
  event_id: string;
  /** The profile the record was made on (a merged-away id keeps its records; they count for the survivor). */
  customer_id: string;
}

/** One entry of the history. */
export interface ConsentRecord extends Omit<Consent, 'event_id'> {
  id: string;
  evidence: ConsentEvidence;
  actor: { type: string; id: string | null };
  recorded_at: string;
}

export interface Preferences {
  preferred_channel: string | null;
  quiet_hours: { start: string; end: string; timezone: string | null } | null;
  updated_at: string | null;
}

const channelFromColumn = (channel: string) => (channel === ANY_CHANNEL ? null : channel);

export function consentFromRow(row: Selectable<ConsentRow>): Consent {
  return {
    purpose: row.purpose,
    channel: channelFromColumn(row.channel),
    status: row.status,
    source: { type: row.source_type, channel_id: row.source_channel_id },
    legal_basis: row.legal_basis,
    occurred_at: toIsoRequired(row.occurred_at),
    event_id: row.event_id,
    customer_id: row.customer_id,
  };
}

export function consentRecordFromRow(row: Selectable<ConsentEventRow>): ConsentRecord {
  return {
    id: row.id,
    customer_id: row.customer_id,
    purpose: row.purpose,
    channel: channelFromColumn(row.channel),
    status: row.status,
    source: { type: row.source_type, channel_id: row.source_channel_id },
    legal_basis: row.legal_basis,
    evidence: decodeJson<ConsentEvidence>(row.evidence) ?? {},
    actor: decodeJson<{ type: string; id: string | null }>(row.actor),
    occurred_at: toIsoRequired(row.occurred_at),
    recorded_at: toIsoRequired(row.recorded_at),
  };
}

export function preferencesFromRow(row: Selectable<CustomerPreferencesRow> | undefined): Preferences {
  return {
    preferred_channel: row?.preferred_channel ?? null,
    quiet_hours:
      row?.quiet_hours_start && row.quiet_hours_end
        ? { start: row.quiet_hours_start, end: row.quiet_hours_end, timezone: row.quiet_hours_timezone }
        : null,
    updated_at: row ? toIsoRequired(row.updated_at) : null,
  };
}

export async function insertConsentEvent(db: DbOrTrx, row: Insertable<ConsentEventRow>): Promise<void> {
  await db.insertInto('consent_events').values(row).execute();
}

/**
 * Makes `row` the current state unless a newer record (by occurred_at, then arrival) is already there — one
 * conditional upsert, so concurrent writers and late arrivals cannot overwrite newer state. A pending double
 * opt-in never replaces a granted state: re-subscribing must not pause a confirmed subscription.
 * @returns whether the current state changed
 */
export async function applyCurrentConsent(db: DbOrTrx, row: Insertable<ConsentRow>): Promise<boolean> {
  const updated = await db
    .insertInto('consents')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['customer_id', 'purpose', 'channel'])
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          source_type: eb.ref('excluded.source_type'),
          source_channel_id: eb.ref('excluded.source_channel_id'),
          legal_basis: eb.ref('excluded.legal_basis'),
          event_id: eb.ref('excluded.event_id'),
          occurred_at: eb.ref('excluded.occurred_at'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where((eb) =>
          eb.and([
            eb.or([
              eb('consents.occurred_at', '<', eb.ref('excluded.occurred_at')),
              eb.and([
                eb('consents.occurred_at', '=', eb.ref('excluded.occurred_at')),
                eb('consents.event_id', '<', eb.ref('excluded.event_id')),
              ]),
            ]),
            eb.not(
              eb.and([
                eb(eb.ref('excluded.status'), '=', 'pending_confirmation'),
                eb('consents.status', '=', 'granted'),
              ]),
            ),
          ]),
        ),
    )
    .returning('event_id')
    .executeTakeFirst();
  return updated !== undefined;
}

export async function findCurrentConsent(
  db: DbOrTrx,
  customerId: string,
  purpose: string,
  channel: string,
): Promise<Selectable<ConsentRow> | undefined> {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('purpose', '=', purpose)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

/**
 * The current state of a merged family: per (purpose, channel), the newest record of any of its profiles.
 * @example await currentConsentsOf(db, ['cus_survivor', 'cus_merged'], 'marketing')
 */
export async function currentConsentsOf(
  db: DbOrTrx,
  customerIds: string[],
  purpose?: string,
): Promise<Array<Selectable<ConsentRow>>> {
  let q = db.selectFrom('consents').selectAll().where('customer_id', 'in', customerIds);
  if (purpose) q = q.where('purpose', '=', purpose);
  const newest = new Map<string, Selectable<ConsentRow>>();
  for (const row of await q.execute()) {
    const key = `${row.purpose}\u0000${row.channel}`;
    const seen = newest.get(key);
    if (!seen || isNewer(row, seen)) newest.set(key, row);
  }
  return [...newest.values()].sort(
    (a, b) => a.purpose.localeCompare(b.purpose) || a.channel.localeCompare(b.channel),
  );
}

export async function consentHistoryOf(
  db: DbOrTrx,
  customerIds: string[],
  page: PageRequest,
): Promise<Page<ConsentRecord>> {
  const q = db.selectFrom('consent_events').selectAll().where('customer_id', 'in', customerIds);
  return paginate(q, 'id', page, consentRecordFromRow);
}

export async function insertConfirmation(
  db: DbOrTrx,
  row: Insertable<ConsentConfirmationRow>,
): Promise<void> {
  await db.insertInto('consent_confirmations').values(row).execute();
}

/** Spends a token: one guarded UPDATE, so two clicks at once confirm once. Undefined when unusable. */
export async function consumeConfirmation(
  db: DbOrTrx,
  tokenHash: string,
  now: number,
): Promise<Selectable<ConsentConfirmationRow> | undefined> {
  return db
    .updateTable('consent_confirmations')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function findConfirmation(
  db: DbOrTrx,
  tokenHash: string,
): Promise<Selectable<ConsentConfirmationRow> | undefined> {
  return db
    .selectFrom('consent_confirmations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function findConsentEvent(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<ConsentEventRow> | undefined> {
  return db.selectFrom('consent_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The survivor's own preferences, else the most recently set of its merged family. */
export async function preferencesOf(
  db: DbOrTrx,
  survivorId: string,
  family: string[],
): Promise<Selectable<CustomerPreferencesRow> | undefined> {
  const rows = await db
    .selectFrom('customer_preferences')
    .selectAll()
    .where('customer_id', 'in', family)
    .orderBy('updated_at', 'desc')
    .execute();
  return rows.find((r) => r.customer_id === survivorId) ?? rows[0];
}

export async function upsertPreferences(db: DbOrTrx, row: Insertable<CustomerPreferencesRow>): Promise<void> {
  await db
    .insertInto('customer_preferences')
    .values(row)
    .onConflict((oc) =>
      oc.column('customer_id').doUpdateSet((eb) => ({
        preferred_channel: eb.ref('excluded.preferred_channel'),
        quiet_hours_start: eb.ref('excluded.quiet_hours_start'),
        quiet_hours_end: eb.ref('excluded.quiet_hours_end'),
        quiet_hours_timezone: eb.ref('excluded.quiet_hours_timezone'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
