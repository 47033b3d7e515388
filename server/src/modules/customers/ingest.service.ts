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
import { createGroupCommit } from '../../platform/db/group-commit';
import type { Trx } from '../../platform/db/transaction';
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
  type SeenSpan,
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

/** A request's checked, deduplicated events, waiting for the group transaction that stores them. */
interface Submission {
  events: CheckedEvent[];
  facts: RequestFacts;
  options: IngestOptions;
}

const RETRIES = 4;
/** Events per shared transaction: 20 full Segment batches; larger groups only lengthen the writer's turn. */
const GROUP_MAX_EVENTS = 2_000;

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

  /**
   * People seen for the first time — none of their identifiers is known, and no one else in the transaction
   * gives any of them — get their profiles in one bulk step instead of one resolution each.
   */
  async function createNewPeople(
    trx: Trx,
    persons: Person[],
    known: Map<string, KnownIdentifier>,
    channelId: string,
    actor: Actor,
  ): Promise<void> {
    const holders = new Map<string, number>();
    for (const p of persons)
      for (const i of p.identifiers) {
        const key = identifierKey(i.type, i.value);
        holders.set(key, (holders.get(key) ?? 0) + 1);
      }
    const fresh = persons.filter(
      (p) =>
        !p.alias &&
        p.identifiers.every((i) => {
          const key = identifierKey(i.type, i.value);
          return !known.has(key) && holders.get(key) === 1;
        }),
    );
    if (fresh.length === 0) return;
    const ids = await identity.createProfiles(
      fresh.map((p) => ({
        identifiers: p.identifiers,
        channelId,
        seenAt: p.from,
        profile: p.profile,
        actor,
        reason: `segment ${p.events[0]!.type}`,
      })),
      trx,
    );
    fresh.forEach((p, i) => {
      if (ids[i]) p.customerId = ids[i];
    });
  }

  /**
   * Stores the events of several requests from one channel in the caller's transaction; returns how many of each
   * request's events were stored. A messageId already received, or sent by an earlier request of the group,
   * counts as a duplicate of the later one.
   */
  async function storeGroup(trx: Trx, submissions: Submission[]): Promise<number[]> {
    const { channelId, actor } = submissions[0]!.options;
    const all = submissions.flatMap((s) => s.events);
    const seen = await knownMessageIds(
      trx,
      channelId,
      all.map((e) => e.messageId),
    );
    const freshBySubmission = submissions.map((s) =>
      s.events.filter((e) => {
        if (seen.has(e.messageId)) return false;
        seen.add(e.messageId);
        return true;
      }),
    );
    const fresh = freshBySubmission.flat();
    const persons = people(fresh);
    const known = await lookupIdentifiers(
      trx,
      persons.flatMap((p) => p.identifiers),
    );
    // Profiles changed by a resolution in this transaction: what the lookup says about them is stale.
    const dirty = new Set<string>();
    await createNewPeople(trx, persons, known, channelId, actor);
    const seenBetween = new Map<string, SeenSpan>();
    for (const person of persons) {
      let customerId = person.customerId ?? alreadyKnown(person, known, dirty, channelId);
      if (!customerId) {
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
        customerId = result.customerId;
        dirty.add(customerId);
        for (const m of result.merged) dirty.add(m);
      }
      person.customerId = customerId;
      const span = seenBetween.get(customerId);
      seenBetween.set(customerId, {
        customerId,
        from: Math.min(span?.from ?? person.from, person.from),
        to: Math.max(span?.to ?? person.to, person.to),
      });
    }
    await touchSeen(trx, [...seenBetween.values()]);
    const customerOf = new Map<CheckedEvent, string>();
    for (const person of persons) for (const e of person.events) customerOf.set(e, person.customerId!);
    const rows = submissions.flatMap((s, i) =>
      freshBySubmission[i]!.map((e) => rowOf(e, customerOf.get(e)!, channelId, s.facts.receivedAt)),
    );
    const stored = new Set(await insertTrackingEvents(trx, rows));
    return freshBySubmission.map((events) => events.filter((e) => stored.has(e.messageId)).length);
  }

  // Concurrent batches of one channel share a transaction; see platform/db/group-commit.ts.
  const writer = createGroupCommit<Submission, number>({
    db,
    keyOf: (s) => `${s.options.channelId}\u0000${s.options.actor.type}:${s.options.actor.id}`,
    weightOf: (s) => s.events.length,
    maxWeight: GROUP_MAX_EVENTS,
    // Concurrent writers on PostgreSQL (other processes) may race for the same new identifier or lock profiles
    // in another order; the loser rolls back whole and runs again, finding what the winner stored.
    attempts: RETRIES,
    run: storeGroup,
  });

  return {
    /**
     * Checks and stores a Segment batch (or one event): valid events land, bad ones are reported by field.
     * Resolves once the events are committed.
     * @example await ingest.ingestEvents(body.batch, { receivedAt: Date.now(), ip }, { channelId, actor, prefix: 'batch', checkEventSize: true })
     */
    async ingestEvents(raws: unknown[], facts: RequestFacts, options: IngestOptions): Promise<IngestResult> {
      const { valid, failed } = check(raws, facts, options);
      // A messageId repeated inside the request counts once, like one sent twice.
      const unique = new Map<string, CheckedEvent>();
      for (const e of valid) if (!unique.has(e.messageId)) unique.set(e.messageId, e);
      const events = [...unique.values()];
      const accepted = events.length ? await writer.submit({ events, facts, options }) : 0;
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
