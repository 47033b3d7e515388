/**
 * @module Segment-compatible ingestion: checks each event on its own (a bad one never rejects its siblings),
 * drops repeated messageIds, resolves each distinct person of a batch once, and stores the batch's events in one
 * transaction with multi-row inserts. Raw events skip the outbox (their volume would drown it): the timeline
 * reads them directly.
 *
 * Resolution: a person whose identifiers are all already on one live profile that needs nothing filled is simply
 * "seen again" (one guarded UPDATE of first/last seen). Anyone else — new identifiers, two profiles, a name to
 * fill, a new channel, an alias — goes through `identity.resolve`, the one place identity rules live.
 */
import type { Insertable } from 'kysely';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import type { FieldError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { IdentityService } from './identity.service';
import type { NormalizeOptions } from './identifier.rules';
import {
  MAX_EVENT_BYTES,
  checkEvent,
  type CheckedEvent,
  type RequestFacts,
  type TrackingType,
} from './ingest';
import {
  identifierKey,
  insertTrackingEvents,
  isKnownUserId,
  knownMessageIds,
  lookupIdentifiers,
  touchSeen,
  type KnownIdentifier,
} from './tracking.repository';
import type { TrackingEventRow } from './tracking.table';

export interface IngestOptions {
  channelId: string;
  actor: Actor;
  /** How events are named in errors: `batch` (→ `batch.3.traits.email`) or `body` for a single-event call. */
  prefix: 'batch' | 'body';
  /** Set by the single-event paths (`/v1/track` → track). */
  type?: TrackingType | undefined;
  /** Measure each event against the 32 KB limit (needless when the whole request is smaller). */
  checkEventSize: boolean;
}

export interface IngestResult {
  /** Events stored now. */
  accepted: number;
  /** Events whose messageId was already received (counted once). */
  duplicates: number;
  /** Events refused, each with the fields that made it so. */
  failed: Array<{ index: number; message_id: string | null; errors: FieldError[] }>;
}

/** A person as a batch names them: the same identifiers and profile fields resolve once. */
interface Person {
  identifiers: Array<{ type: string; value: string }>;
  profile: CheckedEvent['profile'];
  alias: string | null;
  from: number;
  to: number;
  events: CheckedEvent[];
  customerId?: string;
}

const RETRIES = 4;

export function createIngestService(deps: {
  db: Db;
  identity: IdentityService;
  normalize?: NormalizeOptions;
}) {
  const { db, identity } = deps;

  function check(raws: unknown[], facts: RequestFacts, options: IngestOptions) {
    const valid: CheckedEvent[] = [];
    const failed: IngestResult['failed'] = [];
    raws.forEach((raw, index) => {
      const prefix = options.prefix === 'batch' ? `batch.${index}` : 'body';
      const messageId =
        typeof (raw as { messageId?: unknown })?.messageId === 'string'
          ? (raw as { messageId: string }).messageId
          : null;
      if (options.checkEventSize && Buffer.byteLength(JSON.stringify(raw)) > MAX_EVENT_BYTES) {
        failed.push({
          index,
          message_id: messageId,
          errors: [{ field: prefix, message: 'is larger than 32 KB' }],
        });
        return;
      }
      const result = checkEvent(raw, prefix, index, facts, { type: options.type, normalize: deps.normalize });
      if (result.ok) valid.push(result.event);
      else failed.push({ index, message_id: messageId, errors: result.errors });
    });
    return { valid, failed };
  }

  /** Groups events by the person they name, in order of first appearance (an anonymous visit before its identify). */
  function people(events: CheckedEvent[]): Person[] {
    const byKey = new Map<string, Person>();
    for (const e of events) {
      const ids = [...e.identifiers].sort(
        (a, b) => a.type.localeCompare(b.type) || a.value.localeCompare(b.value),
      );
      const key = JSON.stringify([ids, e.profile, e.previousId]);
      let person = byKey.get(key);
      if (!person) {
        person = {
          identifiers: ids,
          profile: e.profile,
          alias: e.previousId,
          from: e.timestamp,
          to: e.timestamp,
          events: [],
        };
        byKey.set(key, person);
      }
      person.from = Math.min(person.from, e.timestamp);
      person.to = Math.max(person.to, e.timestamp);
      person.events.push(e);
    }
    return [...byKey.values()];
  }

  /** The profile the person is already fully on, when seeing them again changes nothing but the times. */
  function alreadyKnown(
    person: Person,
    known: Map<string, KnownIdentifier>,
    dirty: Set<string>,
    channelId: string,
  ) {
    if (person.alias) return null;
    let owner: KnownIdentifier | undefined;
    for (const i of person.identifiers) {
      const k = known.get(identifierKey(i.type, i.value));
      if (!k || (owner && k.customer_id !== owner.customer_id)) return null;
      owner = k;
    }
    if (!owner || owner.status !== 'active' || dirty.has(owner.customer_id)) return null;
    if (!owner.channels.includes(channelId)) return null;
    if (person.profile.first_name && owner.first_name == null) return null;
    if (person.profile.last_name && owner.last_name == null) return null;
    return owner.customer_id;
  }

  async function store(trx: Trx, events: CheckedEvent[], facts: RequestFacts, options: IngestOptions) {
    const { channelId, actor } = options;
    const seen = await knownMessageIds(
      trx,
      channelId,
      events.map((e) => e.messageId),
    );
    const fresh = events.filter((e) => !seen.has(e.messageId));
    const persons = people(fresh);
    const known = await lookupIdentifiers(
      trx,
      persons.flatMap((p) => p.identifiers),
    );
    // Profiles changed by a resolution in this batch: what the lookup says about them is stale.
    const dirty = new Set<string>();
    for (const person of persons) {
      const customerId = alreadyKnown(person, known, dirty, channelId);
      if (customerId) {
        await touchSeen(trx, customerId, person.from, person.to);
        person.customerId = customerId;
        continue;
      }
      const identifiers = [...person.identifiers];
      if (person.alias) {
        const type = (await isKnownUserId(trx, person.alias)) ? 'external_id' : 'anonymous_id';
        identifiers.push({ type, value: person.alias });
      }
      const result = await identity.resolve(
        {
          identifiers,
          channelId,
          seenAt: person.from,
          profile: person.profile,
          actor,
          reason: `segment ${person.events[0]!.type}`,
        },
        trx,
      );
      if (person.to > person.from) await touchSeen(trx, result.customerId, person.from, person.to);
      person.customerId = result.customerId;
      dirty.add(result.customerId);
      for (const m of result.merged) dirty.add(m);
    }
    const customerOf = new Map<CheckedEvent, string>();
    for (const person of persons) for (const e of person.events) customerOf.set(e, person.customerId!);
    const rows = fresh.map((e) => rowOf(e, customerOf.get(e)!, channelId, facts.receivedAt));
    const stored = await insertTrackingEvents(trx, rows);
    return stored.length;
  }

  return {
    /**
     * Checks and stores a Segment batch (or one event): valid events land, bad ones are reported by field.
     * @example await ingest.ingestEvents(body.batch, { receivedAt: Date.now(), ip }, { channelId, actor, prefix: 'batch', checkEventSize: true })
     */
    async ingestEvents(raws: unknown[], facts: RequestFacts, options: IngestOptions): Promise<IngestResult> {
      const { valid, failed } = check(raws, facts, options);
      // A messageId repeated inside the request counts once, like one sent twice.
      const unique = new Map<string, CheckedEvent>();
      for (const e of valid) if (!unique.has(e.messageId)) unique.set(e.messageId, e);
      const events = [...unique.values()];
      let accepted = 0;
      if (events.length) {
        // Concurrent batches on PostgreSQL may race for the same new identifier or lock profiles in another
        // order; the loser rolls back whole and runs again, finding what the winner stored.
        accepted = await inTransactionWithRetry(db, (trx) => store(trx, events, facts, options), RETRIES);
      }
      return { accepted, duplicates: valid.length - accepted, failed };
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;

function rowOf(
  e: CheckedEvent,
  customerId: string,
  channelId: string,
  receivedAt: number,
): Insertable<TrackingEventRow> {
  return {
    id: newId('tev'),
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    customer_id: customerId,
    anonymous_id: e.anonymousId,
    user_id: e.userId,
    channel_id: channelId,
    properties: encodeJson(e.properties),
    context: encodeJson(e.context),
    traits: encodeJson(e.traits),
    timestamp: e.timestamp,
    original_timestamp: e.originalTimestamp,
    sent_at: e.sentAt,
    received_at: receivedAt,
  };
}
