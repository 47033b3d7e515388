/**
 * @module The Segment tracking spec, as received: turns one raw event of a Segment call (identify, track, page,
 * screen, group, alias) into a checked, normalized event, or into field errors named by their place in the body
 * (`batch.3.traits.email`). Pure functions: no database, so a bad event costs nothing and never touches its
 * siblings.
 */
import { newId } from '../../platform/ids';
import type { FieldError } from '../../platform/errors';
import { IdentifierError, normalizeIdentifier, type NormalizeOptions } from './identifier.rules';

export const trackingTypes = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type TrackingType = (typeof trackingTypes)[number];

/** Segment's limits: a batch request, and each event in it (or a single-event call). */
export const MAX_BATCH_BYTES = 500 * 1024; // 500 KB
export const MAX_EVENT_BYTES = 32 * 1024; // 32 KB
const MAX_ID_LENGTH = 200;

export interface IdentifierValue {
  type: 'external_id' | 'anonymous_id' | 'email' | 'phone';
  value: string;
}

/** An event that passed every check, with the identifiers it names already normalized. */
export interface CheckedEvent {
  /** Position in the batch (0 for a single-event call). */
  index: number;
  messageId: string;
  type: TrackingType;
  /** Track event name, page or screen name, group id, or alias previousId. */
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** alias only: the id the person had before. */
  previousId: string | null;
  identifiers: IdentifierValue[];
  /** identify only: names that fill empty profile fields. */
  profile: { first_name?: string; last_name?: string };
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  traits: Record<string, unknown>;
  /** Corrected time (epoch ms): `timestamp + (receivedAt - sentAt)`. */
  timestamp: number;
  originalTimestamp: number | null;
  sentAt: number | null;
}

export interface RequestFacts {
  /** When the request arrived (epoch ms). */
  receivedAt: number;
  /** The caller's address, kept as `context.ip` when the event does not say. */
  ip: string;
  /** Batch-level `sentAt` and `context` (a batch call may give them once for all its events). */
  sentAt?: unknown;
  context?: unknown;
}

export type CheckResult = { ok: true; event: CheckedEvent } | { ok: false; errors: FieldError[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Segment ids may arrive as numbers (a database key); they are matched as text. */
function idOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** An ISO-8601 time (or epoch ms) → epoch ms; null when absent; undefined when unreadable. */
function timeOf(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

const nameOf = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined;

/**
 * Checks one event. `prefix` names it in errors (`batch.3` in a batch, `body` for a single call); `type` is
 * forced by the single-event paths (`/v1/track` …) and read from the event in a batch.
 * @example checkEvent({ type: 'track', userId: 'u1', event: 'Signed Up' }, 'batch.0', 0, facts)
 */
export function checkEvent(
  raw: unknown,
  prefix: string,
  index: number,
  facts: RequestFacts,
  options: { type?: TrackingType; normalize?: NormalizeOptions } = {},
): CheckResult {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field: `${prefix}.${field}`, message });
  if (!isObject(raw)) return { ok: false, errors: [{ field: prefix, message: 'must be an object' }] };

  const type = options.type ?? raw.type;
  if (typeof type !== 'string' || !(trackingTypes as readonly string[]).includes(type)) {
    fail('type', `must be one of ${trackingTypes.join(', ')}`);
    return { ok: false, errors };
  }

  const messageId = idOf(raw.messageId);
  if (
    messageId === undefined ||
    (messageId !== null && (messageId === '' || messageId.length > MAX_ID_LENGTH))
  )
    fail('messageId', `must be a string of 1–${MAX_ID_LENGTH} characters`);

  const identifiers: IdentifierValue[] = [];
  const identifier = (field: string, kind: IdentifierValue['type'], value: unknown): string | null => {
    const text =
      kind === 'email' || kind === 'phone' ? (typeof value === 'string' ? value : undefined) : idOf(value);
    if (value === undefined || value === null) return null;
    if (text === undefined || text === null) {
      fail(field, 'must be a string');
      return null;
    }
    try {
      const normalized = normalizeIdentifier(kind, text, options.normalize);
      identifiers.push({ type: kind, value: normalized });
      return normalized;
    } catch (err) {
      if (!(err instanceof IdentifierError)) throw err;
      fail(field, err.message);
      return null;
    }
  };
  const userId = identifier('userId', 'external_id', raw.userId);
  const anonymousId = identifier('anonymousId', 'anonymous_id', raw.anonymousId);
  if (raw.userId == null && raw.anonymousId == null) fail('userId', 'userId or anonymousId is required');

  for (const field of ['properties', 'traits', 'context'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field]))
      fail(field, 'must be an object');
  }
  const traits = isObject(raw.traits) ? raw.traits : {};
  const profile: CheckedEvent['profile'] = {};
  if (type === 'identify') {
    // Only an identify speaks about the person: a group's traits describe the company.
    identifier('traits.email', 'email', traits.email);
    identifier('traits.phone', 'phone', traits.phone);
    const first = nameOf(traits.firstName ?? traits.first_name);
    const last = nameOf(traits.lastName ?? traits.last_name);
    if (first) profile.first_name = first;
    if (last) profile.last_name = last;
  }

  let event: string | null = null;
  let previousId: string | null = null;
  switch (type) {
    case 'track':
      if (typeof raw.event !== 'string' || raw.event.trim() === '' || raw.event.length > MAX_ID_LENGTH)
        fail('event', `is required for a track call: a name of 1–${MAX_ID_LENGTH} characters`);
      else event = raw.event;
      break;
    case 'page':
    case 'screen':
      if (raw.name != null && typeof raw.name !== 'string') fail('name', 'must be a string');
      else event = nameOf(raw.name) ?? null;
      break;
    case 'group': {
      const groupId = idOf(raw.groupId);
      if (!groupId) fail('groupId', 'is required for a group call');
      else event = groupId.slice(0, MAX_ID_LENGTH);
      break;
    }
    case 'alias': {
      const prev = idOf(raw.previousId);
      if (!prev) fail('previousId', 'is required for an alias call');
      else if (raw.userId == null) fail('userId', 'is required for an alias call');
      else {
        try {
          normalizeIdentifier('anonymous_id', prev);
          previousId = prev;
          event = prev.slice(0, MAX_ID_LENGTH);
        } catch (err) {
          if (!(err instanceof IdentifierError)) throw err;
          fail('previousId', err.message);
        }
      }
      break;
    }
  }

  // Clock-skew correction as Segment does it: the client's clock is off by (sentAt - receivedAt).
  const original = timeOf(raw.timestamp ?? raw.originalTimestamp);
  if (original === undefined)
    fail(raw.timestamp !== undefined ? 'timestamp' : 'originalTimestamp', 'must be an ISO-8601 time');
  const sentAt = timeOf(raw.sentAt ?? facts.sentAt);
  if (sentAt === undefined) fail('sentAt', 'must be an ISO-8601 time');

  if (errors.length) return { ok: false, errors };

  const context: Record<string, unknown> = {
    ...(isObject(facts.context) ? facts.context : {}),
    ...(isObject(raw.context) ? raw.context : {}),
  };
  // The request's address stands in when the client did not say, as in Segment. (Not its user agent: a server
  // library sending on a person's behalf is not that person's browser.)
  if (context.ip === undefined) context.ip = facts.ip;
  const properties: Record<string, unknown> = isObject(raw.properties) ? { ...raw.properties } : {};
  // Page and screen calls name the page at the top level; the category goes with the properties.
  if (
    (type === 'page' || type === 'screen') &&
    typeof raw.category === 'string' &&
    properties.category === undefined
  )
    properties.category = raw.category;

  let timestamp = facts.receivedAt;
  if (original != null) timestamp = sentAt != null ? original + (facts.receivedAt - sentAt) : original;

  return {
    ok: true,
    event: {
      index,
      messageId: messageId ?? newId('msg'),
      type: type as TrackingType,
      event,
      userId,
      anonymousId,
      previousId,
      identifiers,
      profile,
      properties,
      context,
      traits: type === 'identify' || type === 'group' ? traits : {},
      timestamp,
      originalTimestamp: original ?? null,
      sentAt: sentAt ?? null,
    },
  };
}
