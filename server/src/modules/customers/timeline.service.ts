/**
 * @module The unified customer timeline: every interaction of a person, newest first, whatever module or
 * channel it came from. Two sources merged on (occurred_at, id): raw tracking events (this module's table) and
 * domain events from the outbox that carry a customer_id. A module joins the timeline by emitting events with a
 * customer_id, and by nothing else; the entry's kind is the event type's noun (`order.placed` → `order`).
 * A merged-away id reads its survivor's timeline, which includes every profile merged into it.
 */
import type { Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { AppError, notFound } from '../../platform/errors';
import type { DomainEvent } from '../../platform/events/envelope';
import { listEventsForCustomers } from '../../platform/events/outbox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from '../../platform/http/pagination';
import { mergedFamily, survivorOf } from './customer.repository';
import { trackingTypes } from './ingest';
import { listTrackingEventsForCustomers } from './tracking.repository';
import type { TrackingEventRow } from './tracking.table';

export interface TimelineEntry {
  id: string;
  occurred_at: string;
  /** track | page | screen | identify | group | alias for tracking; the type's noun for domain events. */
  kind: string;
  /** The track event's name, a page or screen name, or the domain event type (`order.placed`). */
  type: string;
  channel_id: string | null;
  source: 'tracking' | 'event';
  summary: string;
  data: Record<string, unknown>;
}

export interface TimelineFilter {
  limit?: number | undefined;
  cursor?: string | undefined;
  channel?: string | undefined;
  kind?: string | undefined;
}

interface Position {
  at: number;
  id: string;
}

function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify({ t: p.at, id: p.id })).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      t?: unknown;
      id?: unknown;
    };
    if (typeof parsed.t === 'number' && Number.isSafeInteger(parsed.t) && typeof parsed.id === 'string')
      return { at: parsed.t, id: parsed.id };
  } catch {
    // fall through: a cursor we did not make
  }
  throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
    errors: [{ field: 'query.cursor', message: 'is not a valid cursor' }],
  });
}

const SUMMARIES: Record<string, (name: string | null) => string> = {
  track: (name) => name ?? 'Tracked an event',
  page: (name) => (name ? `Viewed page ${name}` : 'Viewed a page'),
  screen: (name) => (name ? `Viewed screen ${name}` : 'Viewed a screen'),
  identify: () => 'Identified',
  group: (name) => `Joined group ${name ?? ''}`.trim(),
  alias: (name) => `Linked previous id ${name ?? ''}`.trim(),
};

function fromTracking(row: Selectable<TrackingEventRow>): TimelineEntry & { at: number } {
  const named = row.type === 'track' || row.type === 'page' || row.type === 'screen';
  return {
    at: row.timestamp,
    id: row.id,
    occurred_at: toIsoRequired(row.timestamp),
    kind: row.type,
    type: (named ? row.event : null) ?? row.type,
    channel_id: row.channel_id,
    source: 'tracking',
    summary: SUMMARIES[row.type]?.(row.event) ?? row.type,
    data: {
      customer_id: row.customer_id,
      message_id: row.message_id,
      user_id: row.user_id,
      anonymous_id: row.anonymous_id,
      ...(row.type === 'group' ? { group_id: row.event } : {}),
      ...(row.type === 'alias' ? { previous_id: row.event } : {}),
      properties: decodeJson(row.properties),
      traits: decodeJson(row.traits),
      context: decodeJson(row.context),
      original_timestamp: toIso(row.original_timestamp),
      sent_at: toIso(row.sent_at),
      received_at: toIsoRequired(row.received_at),
    },
  };
}

function fromEvent(event: DomainEvent): TimelineEntry & { at: number } {
  const [noun = event.type, verb = ''] = event.type.split('.');
  return {
    at: Date.parse(event.occurred_at),
    id: event.id,
    occurred_at: event.occurred_at,
    kind: noun,
    type: event.type,
    channel_id: event.channel_id,
    source: 'event',
    summary: `${noun} ${verb}`.replace(/_/g, ' ').trim(),
    data: {
      customer_id: event.customer_id,
      aggregate: event.aggregate,
      actor: event.actor,
      payload: event.data,
    },
  };
}

/** Newest first; ties in time broken by id, in the same order SQL compares them. */
const newestFirst = (a: { at: number; id: string }, b: { at: number; id: string }) =>
  b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function createTimelineService(deps: { db: Db }) {
  const { db } = deps;
  return {
    /**
     * One page of a customer's timeline (a merged-away id reads its survivor's).
     * @example await timeline.listTimeline('cus_01…', { kind: 'order', limit: 20 })
     */
    async listTimeline(
      id: string,
      filter: TimelineFilter,
    ): Promise<Page<TimelineEntry> & { customer_id: string }> {
      const survivor = await survivorOf(db, id);
      if (!survivor) throw notFound('customer', id);
      if (survivor.status === 'erased') throw new AppError('not_found', `Customer ${id} was erased.`);
      const family = await mergedFamily(db, survivor.id);
      const limit = Math.min(filter.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const query = {
        before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
        channel: filter.channel,
        kind: filter.kind,
        limit: limit + 1,
      };
      // The tracking kinds are reserved for tracking events; any other kind is a domain event noun.
      const tracking = !filter.kind || (trackingTypes as readonly string[]).includes(filter.kind);
      const [rows, events] = await Promise.all([
        tracking ? listTrackingEventsForCustomers(db, family, query) : [],
        !filter.kind || !tracking ? listEventsForCustomers(db, family, query) : [],
      ]);
      const merged = [...rows.map(fromTracking), ...events.map(fromEvent)].sort(newestFirst);
      const page = merged.slice(0, limit);
      const last = page[page.length - 1];
      return {
        customer_id: survivor.id,
        data: page.map(({ at: _at, ...entry }) => entry),
        next_cursor: merged.length > limit && last ? encodeCursor(last) : null,
      };
    },
  };
}

export type TimelineService = ReturnType<typeof createTimelineService>;
