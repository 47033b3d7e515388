/**
 * @module Consent and preferences: what each customer allowed, for which purpose and channel, on what basis and
 * with what evidence — full history plus the current state — and `can()`, the one question every sender asks.
 *
 * - Every record is appended to `consent_events`; the current state per (customer, purpose, channel) moves only
 *   forward in `occurred_at`, by one conditional upsert, so a late or concurrent older record never wins.
 * - Records follow a merged-away id to its survivor; records made on a profile before it was merged still count
 *   for the survivor (the newest of the family wins), and stay with their profile if the merge is undone.
 * - Email marketing consent from a source that has not proved the address (no verified email identifier) is
 *   `pending_confirmation` until the customer confirms with a single-use, expiring token (double opt-in).
 *   The token is returned to the caller and never written to events: events reach webhooks, the realtime
 *   stream and NATS, and anyone who could read one could confirm in the customer's name. Only its sha256 is
 *   stored, so a database reader cannot confirm either.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { decodeBool, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page, PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import { identifiersOf, mergedFamily, survivorOf } from './customer.repository';
import type { CustomerRow } from './customer.table';
import {
  applyCurrentConsent,
  consentFromRow,
  consentHistoryOf,
  consumeConfirmation,
  currentConsentsOf,
  findConfirmation,
  findConsentEvent,
  findCurrentConsent,
  insertConfirmation,
  insertConsentEvent,
  preferencesFromRow,
  preferencesOf,
  upsertPreferences,
  type Consent,
  type ConsentEvidence,
  type ConsentRecord,
  type Preferences,
} from './consent.repository';
import {
  ANY_CHANNEL,
  communicationChannels,
  consentPurposes,
  consentSources,
  decide,
  defaultLegalBasis,
  isValidTimeZone,
  legalBases,
  needsDoubleOptIn,
  recordableStatuses,
  type CanResult,
  type CommunicationChannel,
  type ConsentPurpose,
  type ConsentSource,
  type ConsentStatus,
  type LegalBasis,
  type RecordableStatus,
} from './consent.rules';

export interface ConsentInput {
  purpose: ConsentPurpose;
  /** Omitted or null: the purpose as a whole. */
  channel?: CommunicationChannel | null | undefined;
  status: RecordableStatus;
  source: { type: ConsentSource; channel_id?: string | null | undefined };
  /** Defaults to `contract` for service and `consent` otherwise. */
  legal_basis?: LegalBasis | undefined;
  /** ISO-8601; when the person expressed it (defaults to now). */
  occurred_at?: string | undefined;
  evidence?: ConsentEvidence | undefined;
}

export interface RecordedConsent {
  id: string;
  purpose: ConsentPurpose;
  channel: CommunicationChannel | null;
  status: ConsentStatus;
  /** False when a newer record already stands: this one is kept in history only. */
  current: boolean;
  /** Double opt-in: the token to put in the confirmation message (shown once, never stored). */
  confirmation: { token: string; expires_at: string; path: string } | null;
}

export interface PreferencesInput {
  preferred_channel: CommunicationChannel | null;
  /** 'HH:MM'–'HH:MM' local time; timezone defaults to the profile's. */
  quiet_hours: { start: string; end: string; timezone?: string | null | undefined } | null;
}

export const CONFIRM_PATH = '/store/v1/consent/confirm';
/** How far ahead of our clock an occurred_at may be (clock skew), so a wrong date cannot pin the state forever. */
const MAX_FUTURE_MS = 5 * 60_000; // 5 minutes

const eventTypeFor: Record<ConsentStatus, string> = {
  granted: 'consent.granted',
  denied: 'consent.denied',
  withdrawn: 'consent.withdrawn',
  pending_confirmation: 'consent.confirmation_requested',
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

interface Prepared {
  input: ConsentInput;
  channel: string;
  occurredAt: number;
  status: ConsentStatus;
}

export function createConsentService(deps: {
  db: Db;
  events: EventBus;
  /** Lifetime of a double opt-in token, in milliseconds. */
  confirmationTtlMs: number;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  /** The profile that answers for `id` (a merged-away id leads to its survivor). */
  async function profileOf(id: string): Promise<Selectable<CustomerRow>> {
    const row = await survivorOf(db, id);
    if (!row) throw notFound('customer', id);
    return row;
  }

  async function activeProfileOf(id: string): Promise<Selectable<CustomerRow>> {
    const row = await profileOf(id);
    if (row.status === 'erased') throw new AppError('not_found', `Customer ${id} was erased.`);
    return row;
  }

  async function validate(inputs: ConsentInput[], field: string, now: number): Promise<Prepared[]> {
    const errors: FieldError[] = [];
    const prepared: Prepared[] = [];
    for (const [i, input] of inputs.entries()) {
      const at = `${field}.${i}`;
      if (!consentPurposes.includes(input.purpose))
        errors.push({ field: `${at}.purpose`, message: `must be one of ${consentPurposes.join(', ')}` });
      if (input.channel != null && !communicationChannels.includes(input.channel))
        errors.push({
          field: `${at}.channel`,
          message: `must be one of ${communicationChannels.join(', ')}`,
        });
      if (!recordableStatuses.includes(input.status))
        errors.push({ field: `${at}.status`, message: `must be one of ${recordableStatuses.join(', ')}` });
      if (!consentSources.includes(input.source?.type))
        errors.push({ field: `${at}.source.type`, message: `must be one of ${consentSources.join(', ')}` });
      if (input.legal_basis !== undefined && !legalBases.includes(input.legal_basis))
        errors.push({ field: `${at}.legal_basis`, message: `must be one of ${legalBases.join(', ')}` });
      const channelId = input.source?.channel_id;
      if (input.source?.type === 'channel' && !channelId)
        errors.push({
          field: `${at}.source.channel_id`,
          message: 'is required when the source is a channel',
        });
      else if (channelId && !(await deps.channelExists(channelId)))
        errors.push({ field: `${at}.source.channel_id`, message: 'is not a known channel' });
      let occurredAt = now;
      if (input.occurred_at !== undefined) {
        occurredAt = Date.parse(input.occurred_at);
        if (Number.isNaN(occurredAt))
          errors.push({ field: `${at}.occurred_at`, message: 'must be an ISO-8601 time' });
        else if (occurredAt > now + MAX_FUTURE_MS)
          errors.push({ field: `${at}.occurred_at`, message: 'must not be in the future' });
      }
      prepared.push({ input, channel: input.channel ?? ANY_CHANNEL, occurredAt, status: input.status });
    }
    if (errors.length) throw invalid(errors);
    return prepared;
  }

  /** Appends one record and moves the current state if it is the newest; returns whether it did. */
  async function writeRecord(
    trx: Trx,
    customerId: string,
    p: Prepared,
    actor: Actor,
    now: number,
  ): Promise<{ id: string; current: boolean }> {
    const id = newId('cev');
    const legalBasis = p.input.legal_basis ?? defaultLegalBasis(p.input.purpose);
    const base = {
      customer_id: customerId,
      purpose: p.input.purpose,
      channel: p.channel,
      status: p.status,
      source_type: p.input.source.type,
      source_channel_id: p.input.source.channel_id ?? null,
      legal_basis: legalBasis,
      occurred_at: p.occurredAt,
    };
    await insertConsentEvent(trx, {
      ...base,
      id,
      evidence: encodeJson(p.input.evidence ?? {}),
      actor: encodeJson({ type: actor.type, id: actor.id }),
      recorded_at: now,
    });
    const current = await applyCurrentConsent(trx, { ...base, event_id: id, updated_at: now });
    return { id, current };
  }

  /** Events go last in the transaction (they take the outbox lock) and carry ids and vocabulary only. */
  async function emit(trx: Trx, customerId: string, p: Prepared, id: string, current: boolean, actor: Actor) {
    await events.append(trx, {
      type: eventTypeFor[p.status],
      aggregate: { type: 'customer', id: customerId },
      customerId,
      channelId: p.input.source.channel_id ?? null,
      actor,
      data: {
        consent_id: id,
        customer_id: customerId,
        purpose: p.input.purpose,
        channel: p.channel === ANY_CHANNEL ? null : p.channel,
        status: p.status,
        source: p.input.source.type,
        legal_basis: p.input.legal_basis ?? defaultLegalBasis(p.input.purpose),
        occurred_at: new Date(p.occurredAt).toISOString(),
        current,
      },
    });
  }

  async function familyOf(id: string) {
    const profile = await profileOf(id);
    return { profile, family: await mergedFamily(db, profile.id) };
  }

  return {
    /**
     * Records one or several consent changes, all or nothing.
     * @example await consent.recordConsents('cus_01…', [{ purpose: 'marketing', channel: 'sms', status: 'granted', source: { type: 'staff' } }], actor)
     */
    async recordConsents(
      customerId: string,
      inputs: ConsentInput[],
      actor: Actor,
      field = 'body.consents',
    ): Promise<{ customer_id: string; consents: RecordedConsent[] }> {
      const now = Date.now();
      const prepared = await validate(inputs, field, now);
      const profile = await activeProfileOf(customerId);
      const emailVerified = (await identifiersOf(db, [profile.id])).some(
        (i) => i.type === 'email' && decodeBool(i.verified),
      );
      for (const p of prepared) {
        if (needsDoubleOptIn(p.input.purpose, p.input.channel ?? null, p.status) && !emailVerified)
          p.status = 'pending_confirmation';
      }
      const consents = await inTransaction(db, async (trx) => {
        const written: Array<{ p: Prepared; id: string; current: boolean }> = [];
        const out: RecordedConsent[] = [];
        for (const p of prepared) {
          const { id, current } = await writeRecord(trx, profile.id, p, actor, now);
          written.push({ p, id, current });
          let confirmation: RecordedConsent['confirmation'] = null;
          // Only a request that is now the current state gets a token: one that lost to a newer record, or
          // arrived while the address is already confirmed, has nothing to confirm.
          if (p.status === 'pending_confirmation' && current) {
            const token = randomBytes(32).toString('base64url');
            const expiresAt = now + deps.confirmationTtlMs;
            await insertConfirmation(trx, {
              id: newId('coc'),
              token_hash: hashToken(token),
              customer_id: profile.id,
              purpose: p.input.purpose,
              channel: p.channel,
              event_id: id,
              expires_at: expiresAt,
              used_at: null,
              created_at: now,
            });
            confirmation = { token, expires_at: new Date(expiresAt).toISOString(), path: CONFIRM_PATH };
          }
          out.push({
            id,
            purpose: p.input.purpose,
            channel: p.input.channel ?? null,
            status: p.status,
            current,
            confirmation,
          });
        }
        for (const w of written) await emit(trx, profile.id, w.p, w.id, w.current, actor);
        return out;
      });
      return { customer_id: profile.id, consents };
    },

    /**
     * Double opt-in: the customer proves they read the mailbox. Single use; refused when unknown (404), used
     * (409), expired (422) or overtaken by a later denial or withdrawal (409).
     * @example await consent.confirmConsent(token, { channelId: 'cha_01…', ip, userAgent })
     */
    async confirmConsent(
      token: string,
      context: { channelId?: string | null; ip?: string; userAgent?: string } = {},
    ): Promise<{ customer_id: string; consent: Consent }> {
      const now = Date.now();
      const hash = hashToken(token);
      return inTransaction(db, async (trx) => {
        const request = await consumeConfirmation(trx, hash, now);
        if (!request) {
          const known = await findConfirmation(trx, hash);
          if (!known)
            throw new AppError('not_found', 'This confirmation link is not valid.', { reason: 'unknown' });
          if (known.used_at !== null)
            throw new AppError('conflict', 'This confirmation link was already used.', { reason: 'used' });
          throw new AppError('unprocessable', 'This confirmation link has expired; ask for a new one.', {
            reason: 'expired',
          });
        }
        const standing = await findCurrentConsent(trx, request.customer_id, request.purpose, request.channel);
        if (
          standing &&
          standing.event_id !== request.event_id &&
          (standing.status === 'denied' || standing.status === 'withdrawn')
        ) {
          throw new AppError('conflict', 'The consent was withdrawn after this link was sent.', {
            reason: 'superseded',
          });
        }
        const pending = await findConsentEvent(trx, request.event_id);
        const survivor = (await survivorOf(trx, request.customer_id)) ?? { id: request.customer_id };
        const actor: Actor = { type: 'customer', id: survivor.id, label: 'customer' };
        const p: Prepared = {
          input: {
            purpose: request.purpose as ConsentPurpose,
            channel: request.channel as CommunicationChannel,
            status: 'granted',
            source: { type: 'customer', channel_id: context.channelId ?? null },
            legal_basis: (pending?.legal_basis as LegalBasis | undefined) ?? 'consent',
            evidence: {
              note: 'double opt-in confirmed',
              ...(context.ip ? { ip: context.ip } : {}),
              ...(context.userAgent ? { user_agent: context.userAgent } : {}),
            },
          },
          channel: request.channel,
          occurredAt: now,
          status: 'granted',
        };
        const { id, current } = await writeRecord(trx, request.customer_id, p, actor, now);
        await emit(trx, survivor.id, p, id, current, actor);
        const row = await findCurrentConsent(trx, request.customer_id, request.purpose, request.channel);
        return { customer_id: survivor.id, consent: consentFromRow(row!) };
      });
    },

    /** The current matrix: per purpose and channel, the newest record of the profile and everything merged into it. */
    async listConsents(
      customerId: string,
    ): Promise<{ customer_id: string; consents: Consent[]; preferences: Preferences }> {
      const { profile, family } = await familyOf(customerId);
      const rows = await currentConsentsOf(db, family);
      return {
        customer_id: profile.id,
        consents: rows.map(consentFromRow),
        preferences: preferencesFromRow(await preferencesOf(db, profile.id, family)),
      };
    },

    /** Every record ever received for the profile (and profiles merged into it), newest recorded first. */
    async listConsentHistory(customerId: string, page: PageRequest): Promise<Page<ConsentRecord>> {
      const { family } = await familyOf(customerId);
      return consentHistoryOf(db, family, page);
    },

    async retrievePreferences(customerId: string): Promise<Preferences> {
      const { profile, family } = await familyOf(customerId);
      return preferencesFromRow(await preferencesOf(db, profile.id, family));
    },

    /**
     * Replaces the preferred channel and quiet hours. Quiet hours are local to the given IANA zone, else the
     * profile's timezone, which must then be set.
     * @example await consent.updatePreferences(id, { preferred_channel: 'sms', quiet_hours: { start: '21:00', end: '08:00' } }, actor)
     */
    async updatePreferences(customerId: string, input: PreferencesInput, actor: Actor): Promise<Preferences> {
      const profile = await activeProfileOf(customerId);
      const errors: FieldError[] = [];
      if (input.preferred_channel !== null && !communicationChannels.includes(input.preferred_channel))
        errors.push({
          field: 'body.preferred_channel',
          message: `must be one of ${communicationChannels.join(', ')}`,
        });
      const quiet = input.quiet_hours;
      if (quiet) {
        if (quiet.start === quiet.end)
          errors.push({ field: 'body.quiet_hours.end', message: 'must differ from start' });
        if (quiet.timezone != null && !isValidTimeZone(quiet.timezone))
          errors.push({ field: 'body.quiet_hours.timezone', message: 'is not an IANA time zone' });
        else if (quiet.timezone == null && !(profile.timezone && isValidTimeZone(profile.timezone)))
          errors.push({
            field: 'body.quiet_hours.timezone',
            message: 'is required: the customer profile has no valid timezone',
          });
      }
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await upsertPreferences(trx, {
          customer_id: profile.id,
          preferred_channel: input.preferred_channel,
          quiet_hours_start: quiet?.start ?? null,
          quiet_hours_end: quiet?.end ?? null,
          quiet_hours_timezone: quiet?.timezone ?? null,
          updated_at: now,
        });
        await events.append(trx, {
          type: 'preferences.updated',
          aggregate: { type: 'customer', id: profile.id },
          customerId: profile.id,
          actor,
          data: {
            customer_id: profile.id,
            preferred_channel: input.preferred_channel,
            quiet_hours: quiet !== null,
          },
        });
      });
      return preferencesFromRow(await preferencesOf(db, profile.id, await mergedFamily(db, profile.id)));
    },

    /**
     * May we process this customer's data for `purpose` (and contact them on `channel`) — now, or at `at`?
     * Every sender asks this before sending.
     * @example await consent.can('cus_01…', 'marketing', 'sms', new Date()) // { allowed: false, reason: 'quiet_hours' }
     */
    async can(
      customerId: string,
      purpose: ConsentPurpose,
      channel?: CommunicationChannel | null,
      at?: Date | null,
    ): Promise<CanResult & { customer_id: string }> {
      const errors: FieldError[] = [];
      if (!consentPurposes.includes(purpose))
        errors.push({ field: 'purpose', message: `must be one of ${consentPurposes.join(', ')}` });
      if (channel != null && !communicationChannels.includes(channel))
        errors.push({ field: 'channel', message: `must be one of ${communicationChannels.join(', ')}` });
      if (errors.length) throw invalid(errors);
      const { profile, family } = await familyOf(customerId);
      if (profile.status === 'erased') return { customer_id: profile.id, allowed: false, reason: 'erased' };
      const rows = await currentConsentsOf(db, family, purpose);
      const stateOf = (c: string) => rows.find((r) => r.channel === c);
      const prefs = await preferencesOf(db, profile.id, family);
      const zone = prefs?.quiet_hours_timezone ?? profile.timezone;
      const result = decide({
        purpose,
        channel: channel ?? null,
        exact: channel ? stateOf(channel) : undefined,
        wide: stateOf(ANY_CHANNEL),
        restricted: decodeBool(profile.restricted),
        // A zone that is no longer valid (the profile changed since) falls back to UTC rather than to no quiet hours.
        quietHours:
          prefs?.quiet_hours_start && prefs.quiet_hours_end
            ? {
                start: prefs.quiet_hours_start,
                end: prefs.quiet_hours_end,
                timezone: zone && isValidTimeZone(zone) ? zone : 'UTC',
              }
            : null,
        at: at ?? null,
      });
      return { customer_id: profile.id, ...result };
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
