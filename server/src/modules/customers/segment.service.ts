/**
 * @module Segments: rule-based audiences kept current. A segment's rule compiles to one SQL query
 * (segment.compiler.ts); its members are stored, so campaigns read an audience without re-running the rule.
 *
 * How membership stays right:
 * - Creating a segment fills it with one full evaluation; changing its rule re-evaluates it whole.
 * - The durable event consumer `segments` re-evaluates, for every segment, each customer a domain event names
 *   (consent changes, profile changes, merges, and every module's events that carry a customer_id). It runs in
 *   the dispatcher's transaction, so the membership and the consumer's offset commit together.
 * - Tracking events skip the outbox (ingest.service.ts), so they cannot reach the consumer. A periodic job scans
 *   the tracking events received since its last run (by `received_at`, indexed) and re-evaluates their
 *   customers. Chosen over a hook in ingestion because it keeps the ingest hot path untouched, evaluates a
 *   person once however many events they sent in a burst, and catches every writer of tracking events. It
 *   re-reads a grace period before its last position, so an ingest transaction that committed late is not
 *   missed; evaluating a customer twice changes nothing.
 * - Time windows ("in the last 90 days") move without any event: a full re-evaluation runs daily (durable: its
 *   last run is stored, so a restart neither repeats nor skips it, and one process claims each run).
 * - A merged-away or erased profile leaves every segment silently (the person did not leave: their survivor is
 *   evaluated and announces its own changes). Only real changes emit `segment.entered` / `segment.exited`,
 *   which join the customer's timeline.
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError, notFound } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { systemActor, type Actor } from '../../platform/auth/principal';
import type { EventConsumer } from '../../platform/events/dispatcher';
import type { DomainEvent } from '../../platform/events/envelope';
import type { EventBus } from '../../platform/events/outbox';
import { startHousekeeping } from '../../platform/jobs/housekeeping';
import { survivorOf } from './customer.repository';
import { segmentQuery, type CompileContext } from './segment.compiler';
import { channelKindsOf, validateRule, type Rule } from './segment.rules';
import {
  activeAmong,
  addMembers,
  advanceJob,
  allSegmentRows,
  chunks,
  customersWithTrackingBetween,
  deleteSegmentRows,
  findSegmentRow,
  insertSegment,
  listMemberRows,
  listSegmentRows,
  memberIds,
  profileStatuses,
  readJob,
  recountMembers,
  removeFromAllSegments,
  removeMembers,
  segmentFromRow,
  segmentsOfCustomer,
  updateSegmentRow,
  type CustomerSegment,
  type Segment,
  type SegmentMember,
} from './segment.repository';
import type { SegmentRow } from './segment.table';
import type { Selectable } from 'kysely';

export interface SegmentInput {
  name: string;
  description?: string | null | undefined;
  rule: unknown;
}

export interface SegmentPatch {
  name?: string | undefined;
  description?: string | null | undefined;
  rule?: unknown;
}

export interface SegmentsOptions {
  /** How often every segment is re-evaluated whole, so time windows stay right (default: daily). */
  reevaluateEveryMs?: number;
  /** How often tracking events received since the last run are applied (default: every minute). */
  trackingEveryMs?: number;
}

export const SEGMENTS_CONSUMER = 'segments';
const PREVIEW_SAMPLE = 20;
/** Re-read before the tracking job's position: an ingest transaction stamps received_at before it commits. */
const TRACKING_GRACE_MS = 60_000; // 1 minute
/** Customers per transaction in the tracking job: keeps each SQLite write transaction short. */
const TRACKING_BATCH = 200;
const DEFAULT_REEVALUATE_MS = 24 * 3_600_000; // daily
const DEFAULT_TRACKING_MS = 60_000; // every minute

interface Change {
  segmentId: string;
  customerId: string;
  entered: boolean;
}

/** Customer ids a domain event concerns: its customer_id, and for merges the other profile too. */
function customersNamedBy(event: DomainEvent): string[] {
  const ids: string[] = [];
  if (event.customer_id) ids.push(event.customer_id);
  if (event.type.startsWith('customer.') && event.data && typeof event.data === 'object') {
    const data = event.data as Record<string, unknown>;
    for (const key of ['merged_id', 'restored_id', 'survivor_id'])
      if (typeof data[key] === 'string') ids.push(data[key]);
  }
  return ids;
}

export function createSegmentsService(deps: {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  /** The channels registry, to turn a rule's channel kinds into channel ids. */
  listChannels: (page: PageRequest) => Promise<Page<{ id: string; kind: string }>>;
  options?: SegmentsOptions;
}) {
  const { db, dialect, events } = deps;
  const reevaluateEveryMs = deps.options?.reevaluateEveryMs ?? DEFAULT_REEVALUATE_MS;
  const trackingEveryMs = deps.options?.trackingEveryMs ?? DEFAULT_TRACKING_MS;

  // Channel ids by kind. Loaded outside transactions (on SQLite a read on `db` inside one would wait for it
  // forever); the event consumer, which runs inside the dispatcher's transaction, uses the last loaded map.
  let channelKinds: Map<string, string[]> | null = null;
  let loading: Promise<void> | null = null;

  async function loadChannelKinds(): Promise<void> {
    loading ??= (async () => {
      const map = new Map<string, string[]>();
      let cursor: string | undefined;
      do {
        const page = await deps.listChannels({ limit: 200, cursor });
        for (const c of page.data) map.set(c.kind, [...(map.get(c.kind) ?? []), c.id]);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      channelKinds = map;
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  function contextFor(rule: Rule, now: number): CompileContext {
    if (channelKindsOf(rule).size > 0 && channelKinds === null)
      // Only the consumer can get here before a load: it fails, and the dispatcher retries after the load.
      throw new Error('segments: channel kinds are not loaded yet');
    return { dialect, now, channelsOfKind: channelKinds ?? new Map() };
  }

  /** Brings stored membership in line with `matching` (for all customers, or only those in `scope`). */
  async function applyMatches(
    trx: Trx,
    segmentId: string,
    matching: readonly string[],
    scope: readonly string[] | null,
    now: number,
  ): Promise<Change[]> {
    const current = await memberIds(trx, segmentId, scope);
    const matchSet = new Set(matching);
    const currentSet = new Set(current);
    const entered = await addMembers(
      trx,
      segmentId,
      matching.filter((id) => !currentSet.has(id)),
      now,
    );
    const exited = await removeMembers(
      trx,
      segmentId,
      current.filter((id) => !matchSet.has(id)),
    );
    if (entered.length || exited.length) await recountMembers(trx, segmentId);
    // A profile that is no longer active left because it was merged or erased: nothing to announce.
    const stillActive = await activeAmong(trx, exited);
    return [
      ...entered.map((customerId) => ({ segmentId, customerId, entered: true })),
      ...exited
        .filter((id) => stillActive.has(id))
        .map((customerId) => ({ segmentId, customerId, entered: false })),
    ];
  }

  /** Events go last in the transaction: they take the outbox lock on PostgreSQL. */
  async function announce(trx: Trx, changes: Change[], actor: Actor): Promise<void> {
    for (const c of changes) {
      await events.append(trx, {
        type: c.entered ? 'segment.entered' : 'segment.exited',
        aggregate: { type: 'customer', id: c.customerId },
        customerId: c.customerId,
        actor,
        data: { segment_id: c.segmentId, customer_id: c.customerId },
      });
    }
  }

  async function evaluateWhole(trx: Trx, row: Selectable<SegmentRow>, now: number): Promise<Change[]> {
    const rule = segmentFromRow(row).rule;
    const matching = (await segmentQuery(trx, rule, contextFor(rule, now)).execute()).map((r) => r.id);
    const changes = await applyMatches(trx, row.id, matching, null, now);
    await updateSegmentRow(trx, row.id, { evaluated_at: now });
    return changes;
  }

  /**
   * Re-evaluates every segment for these customers (any ids: merged-away ones leave their segments and
   * their survivor is evaluated instead); announces what changed.
   */
  async function evaluateCustomers(trx: Trx, customerIds: readonly string[], now: number): Promise<number> {
    const ids = [...new Set(customerIds)];
    if (ids.length === 0) return 0;
    const statuses = await profileStatuses(trx, ids);
    const gone = statuses.filter((s) => s.status !== 'active').map((s) => s.id);
    if (gone.length)
      for (const segmentId of await removeFromAllSegments(trx, gone)) await recountMembers(trx, segmentId);
    const survivors = new Set(statuses.filter((s) => s.status === 'active').map((s) => s.id));
    for (const s of statuses.filter((s) => s.status === 'merged')) {
      const survivor = await survivorOf(trx, s.id);
      if (survivor?.status === 'active') survivors.add(survivor.id);
    }
    if (survivors.size === 0) return 0;
    const changes: Change[] = [];
    for (const row of await allSegmentRows(trx)) {
      const rule = segmentFromRow(row).rule;
      const ctx = contextFor(rule, now);
      for (const chunk of chunks([...survivors])) {
        const matching = (await segmentQuery(trx, rule, ctx, chunk).execute()).map((r) => r.id);
        changes.push(...(await applyMatches(trx, row.id, matching, chunk, now)));
      }
    }
    await announce(trx, changes, systemActor);
    return changes.length;
  }

  async function retrieveRow(db: DbOrTrx, id: string): Promise<Selectable<SegmentRow>> {
    const row = await findSegmentRow(db, id);
    if (!row) throw notFound('segment', id);
    return row;
  }

  const trimmedName = (name: string) => {
    const trimmed = name.trim();
    if (!trimmed)
      throw new AppError('validation_failed', 'body.name must not be blank', {
        errors: [{ field: 'body.name', message: 'must not be blank' }],
      });
    return trimmed;
  };

  const service = {
    /**
     * How many customers a rule matches now, and some of them, without saving anything.
     * @example await segments.previewSegment({ all: [{ type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' }] })
     */
    async previewSegment(rawRule: unknown): Promise<{ count: number; sample: string[] }> {
      const rule = validateRule(rawRule);
      await loadChannelKinds();
      const ctx = contextFor(rule, Date.now());
      const counted = await db
        .selectFrom(segmentQuery(db, rule, ctx).as('matches'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      const sample = await segmentQuery(db, rule, ctx)
        .orderBy('c.id', 'desc')
        .limit(PREVIEW_SAMPLE)
        .execute();
      return { count: Number(counted?.n ?? 0), sample: sample.map((r) => r.id) };
    },

    async listSegments(page: PageRequest): Promise<Page<Segment>> {
      return listSegmentRows(db, page);
    },

    async retrieveSegment(id: string): Promise<Segment> {
      return segmentFromRow(await retrieveRow(db, id));
    },

    /**
     * Saves a segment and fills it (no segment.entered for the initial members: the segment.created event
     * says how many there are).
     * @example await segments.createSegment({ name: 'Store buyers', rule: { type: 'channel_used', channel_kind: 'store' } }, actor)
     */
    async createSegment(input: SegmentInput, actor: Actor): Promise<Segment> {
      const rule = validateRule(input.rule);
      const name = trimmedName(input.name);
      await loadChannelKinds();
      const now = Date.now();
      const id = newId('seg');
      await inTransaction(db, async (trx) => {
        await insertSegment(trx, {
          id,
          name,
          description: input.description ?? null,
          rule: encodeJson(rule),
          member_count: 0,
          evaluated_at: now,
          created_at: now,
          updated_at: now,
        });
        const row = await retrieveRow(trx, id);
        await evaluateWhole(trx, row, now);
        const count = await recountMembers(trx, id);
        // The tracking job starts from the oldest segment's creation: everything before is in the full evaluation.
        await advanceJob(trx, 'tracking', null, now);
        await events.append(trx, {
          type: 'segment.created',
          aggregate: { type: 'segment', id },
          actor,
          data: { id, member_count: count },
        });
      });
      return service.retrieveSegment(id);
    },

    /** Renames, describes or changes the rule; a new rule re-evaluates the segment and announces who moved. */
    async updateSegment(id: string, patch: SegmentPatch, actor: Actor): Promise<Segment> {
      const rule = patch.rule !== undefined ? validateRule(patch.rule) : undefined;
      const name = patch.name !== undefined ? trimmedName(patch.name) : undefined;
      if (rule) await loadChannelKinds();
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await retrieveRow(trx, id);
        await updateSegmentRow(trx, id, {
          ...(name !== undefined ? { name } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(rule !== undefined ? { rule: encodeJson(rule) } : {}),
          updated_at: now,
        });
        const changes = rule ? await evaluateWhole(trx, await retrieveRow(trx, id), now) : [];
        await events.append(trx, {
          type: 'segment.updated',
          aggregate: { type: 'segment', id },
          actor,
          data: {
            id,
            fields: Object.keys(patch).filter((k) => patch[k as keyof SegmentPatch] !== undefined),
          },
        });
        await announce(trx, changes, actor);
      });
      return service.retrieveSegment(id);
    },

    async deleteSegment(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await deleteSegmentRows(trx, id))) throw notFound('segment', id);
        await events.append(trx, {
          type: 'segment.deleted',
          aggregate: { type: 'segment', id },
          actor,
          data: { id },
        });
      });
    },

    /** Members with their names (personal data: the route audits the read). */
    async listSegmentMembers(id: string, page: PageRequest): Promise<Page<SegmentMember>> {
      await retrieveRow(db, id);
      return listMemberRows(db, id, page);
    },

    /**
     * The segments a customer is in now; a merged-away id answers for its survivor (`customer_id` says which),
     * an unknown or erased one is a 404.
     * @example const { data } = await segments.listCustomerSegments('cus_01…') // [{ id: 'seg_01…', name: 'Store buyers', … }]
     */
    async listCustomerSegments(
      customerId: string,
    ): Promise<{ customer_id: string; data: CustomerSegment[] }> {
      const survivor = await survivorOf(db, customerId);
      if (!survivor || survivor.status !== 'active') throw notFound('customer', customerId);
      return { customer_id: survivor.id, data: await segmentsOfCustomer(db, survivor.id) };
    },

    /**
     * Applies tracking events received since the last run (see the module comment); returns how many
     * customers were evaluated. Safe to run from several processes at once.
     */
    async refreshFromTracking(): Promise<number> {
      await loadChannelKinds();
      const now = Date.now();
      const job = await readJob(db, 'tracking');
      // No job row: no segment was ever created, so there is nothing to keep current.
      if (!job) return 0;
      const ids = await customersWithTrackingBetween(db, Number(job.position) - TRACKING_GRACE_MS, now);
      for (const chunk of chunks(ids, TRACKING_BATCH))
        await inTransaction(db, (trx) => evaluateCustomers(trx, chunk, now));
      // Losing this race to another process is fine: it scanned at least as far.
      await advanceJob(db, 'tracking', Number(job.position), now);
      return ids.length;
    },

    /** Re-evaluates every segment whole, one transaction each; announces who moved. Idempotent. */
    async reevaluateSegments(): Promise<number> {
      await loadChannelKinds();
      let moved = 0;
      for (const { id } of await allSegmentRows(db)) {
        moved += await inTransaction(db, async (trx) => {
          const row = await findSegmentRow(trx, id);
          if (!row) return 0; // deleted meanwhile
          const changes = await evaluateWhole(trx, row, Date.now());
          await announce(trx, changes, systemActor);
          return changes.length;
        });
      }
      return moved;
    },

    /** Runs the periodic re-evaluation when it is due; one process claims each run. Returns whether it ran. */
    async reevaluateIfDue(now = Date.now()): Promise<boolean> {
      const job = await readJob(db, 'reevaluate');
      if (!job) {
        // First sight: every segment was evaluated whole when it was saved, so the clock starts now.
        await advanceJob(db, 'reevaluate', null, now);
        return false;
      }
      if (now - Number(job.position) < reevaluateEveryMs) return false;
      if (!(await advanceJob(db, 'reevaluate', Number(job.position), now))) return false;
      await service.reevaluateSegments();
      return true;
    },

    /** The durable consumer that keeps membership current from domain events. */
    consumer: {
      name: SEGMENTS_CONSUMER,
      mode: 'durable',
      async handle(batch, trx) {
        // A channel was added or changed: reload kinds once this transaction has let go of the database.
        if (batch.some((e) => e.type.startsWith('channel.'))) loadChannelKinds().catch(() => undefined);
        else if (channelKinds === null) loadChannelKinds().catch(() => undefined);
        // Segment events never re-trigger evaluation: that loop would have no end.
        const ids = batch.filter((e) => !e.type.startsWith('segment.')).flatMap(customersNamedBy);
        if (ids.length) await evaluateCustomers(trx as Trx, ids, Date.now());
      },
    } satisfies EventConsumer,

    /** Starts the tracking job and the periodic re-evaluation (app workers only); returns the stopper. */
    startJobs(log: FastifyBaseLogger): () => void {
      loadChannelKinds().catch((err: unknown) => log.warn({ err }, 'segments: loading channels failed'));
      const stopTracking = startHousekeeping(
        [() => service.refreshFromTracking().then(() => undefined)],
        trackingEveryMs,
        log,
      );
      const stopReevaluate = startHousekeeping(
        [() => service.reevaluateIfDue().then(() => undefined)],
        Math.min(reevaluateEveryMs, 15 * 60_000),
        log,
      );
      return () => {
        stopTracking();
        stopReevaluate();
      };
    },
  };
  return service;
}

export type SegmentsService = ReturnType<typeof createSegmentsService>;
