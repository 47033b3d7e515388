/**
 * @module Identity resolution: the one service call every channel uses to turn "whoever this is" into one
 * customer profile. Deterministic rules, in order:
 *
 * 1. Identifiers are normalized; placeholders (`null`, `anonymous`, all zeros…) are refused.
 * 2. No identifier known → a new profile with all of them.
 * 3. Known identifiers point at profiles. A device-like (shareable) identifier joins its profile only when that
 *    profile is anonymous (no strong identifier) — a shared tablet never merges two people.
 * 4. The survivor is the profile matched by the highest-priority identifier type, then the oldest.
 * 5. Another matched profile merges into the survivor unless that would give one profile two different
 *    verified identifiers of a one-per-profile type, or more of a type than its limit: then it is a conflict,
 *    recorded, and the profiles stay apart.
 * 6. New identifiers attach to the survivor within the per-type limits; one that would break a limit is a
 *    conflict and is not attached — except when it is the strongest identifier given, which then gets a profile
 *    of its own (an external_id never lands on someone else's profile).
 *
 * Every creation, attachment, merge and refusal is an append-only identity_log entry. A merge only marks the
 * merged profile `merged_into` the survivor and moves its identifiers; records of other modules keep pointing at
 * the old id and follow it to the survivor, so an unmerge restores everything by moving those identifiers back.
 */
import type { Insertable, Selectable } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import { decodeBool, decodeJson, encodeBool, encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction, inTransactionWithRetry, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import { ConcurrentChangeError } from '../../platform/db/errors';
import { suppressedAmong } from './suppression';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { CustomerIdentifierRow, CustomerRow, IdentityLogRow } from './customer.table';
import {
  customerFromRow,
  identifierFromRow,
  identifiersOf,
  lockCustomerRows,
  nameSearchColumns,
  survivorOf,
  type Customer,
  type CustomerIdentifier,
} from './customer.repository';
import { planMerge, type FillableField, type MergePlan } from './merge.rules';
import {
  IDENTIFIER_TYPE_PATTERN,
  IdentifierError,
  defaultIdentifierRules,
  normalizeIdentifier,
  ruleFor,
  type IdentifierTypeRule,
  type NormalizeOptions,
} from './identifier.rules';

export interface IdentifierInput {
  type: string;
  value: string;
  verified?: boolean | undefined;
}

export interface ResolveInput {
  identifiers: IdentifierInput[];
  /** Channel the person was seen in; recorded on new identifiers and in the profile's channels. */
  channelId?: string | null | undefined;
  /** When they were seen (defaults to now); out-of-order events never move last_seen_at backwards. */
  seenAt?: number | undefined;
  /** Profile fields to fill when empty (never overwrite: rectification is a separate, explicit change). */
  profile?:
    | {
        first_name?: string | undefined;
        last_name?: string | undefined;
        locale?: string | undefined;
        timezone?: string | undefined;
      }
    | undefined;
  actor: Actor;
  /** Why, for the identity log: "segment identify", "inbound whatsapp", "pos sale"… */
  reason: string;
}

export interface ResolveResult {
  customerId: string;
  created: boolean;
  merged: string[];
  conflicts: Array<{ customerId: string; reason: string }>;
}

/** What a staff merge would do (see previewMerge). */
export interface MergePreview {
  survivor_id: string;
  merged_id: string;
  /** Whether the merge goes through without `force`. */
  allowed: boolean;
  /** Why the identity rules refuse it (a forced merge still may), or null. */
  conflict: string | null;
  identifiers_moved: CustomerIdentifier[];
  fields_filled: Partial<Record<FillableField, string>>;
  traits_added: string[];
  channels_added: string[];
  /** The survivor as the merge would leave it. */
  result: Customer;
}

interface Normalized {
  type: string;
  value: string;
  verified: boolean;
  rule: IdentifierTypeRule;
}

export interface IdentityOptions extends NormalizeOptions {
  rules?: Record<string, IdentifierTypeRule>;
}

/** Field errors for identifiers that cannot be used, named by their position in the input. */
export function normalizeAll(
  identifiers: IdentifierInput[],
  options: IdentityOptions,
  field = 'body.identifiers',
): Normalized[] {
  const errors: Array<{ field: string; message: string }> = [];
  const out = new Map<string, Normalized>();
  identifiers.forEach((input, i) => {
    if (!IDENTIFIER_TYPE_PATTERN.test(input.type)) {
      errors.push({ field: `${field}.${i}.type`, message: 'must be lower-case letters, digits and _' });
      return;
    }
    try {
      const value = normalizeIdentifier(input.type, input.value, options);
      const key = `${input.type}\u0000${value}`;
      const previous = out.get(key);
      out.set(key, {
        type: input.type,
        value,
        verified: Boolean(input.verified) || Boolean(previous?.verified),
        rule: ruleFor(input.type, options.rules),
      });
    } catch (err) {
      if (!(err instanceof IdentifierError)) throw err;
      errors.push({ field: `${field}.${i}.value`, message: err.message });
    }
  });
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
      errors,
    });
  return [...out.values()];
}

const isStrong = (rule: IdentifierTypeRule) => !rule.shareable;

/** Rows per multi-row insert of createProfiles: at most ~20 columns each, far below both databases' limits. */
const BULK_ROWS = 500;

export function createIdentityService(deps: {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  options?: IdentityOptions;
}) {
  const { db, dialect, events } = deps;
  const options: IdentityOptions = { rules: defaultIdentifierRules, ...deps.options };
  const rule = (type: string) => ruleFor(type, options.rules);

  interface LogEntry {
    kind: string;
    customerId: string;
    otherId?: string | null;
    reason: string;
    data?: unknown;
    actor: Actor;
  }

  function logRow(entry: LogEntry): Insertable<IdentityLogRow> {
    return {
      id: newId('idl'),
      kind: entry.kind,
      customer_id: entry.customerId,
      other_customer_id: entry.otherId ?? null,
      reason: entry.reason,
      data: encodeJson(entry.data ?? {}),
      actor: encodeJson({ type: entry.actor.type, id: entry.actor.id }),
      undone_by: null,
      occurred_at: Date.now(),
    };
  }

  async function log(trx: Trx, entry: LogEntry): Promise<string> {
    const row = logRow(entry);
    await trx.insertInto('identity_log').values(row).execute();
    return row.id;
  }

  function profileRow(input: ResolveInput, seenAt: number): Insertable<CustomerRow> {
    return {
      id: newId('cus'),
      status: 'active',
      merged_into: null,
      first_name: input.profile?.first_name ?? null,
      last_name: input.profile?.last_name ?? null,
      ...nameSearchColumns(input.profile?.first_name, input.profile?.last_name),
      locale: input.profile?.locale ?? null,
      timezone: input.profile?.timezone ?? null,
      addresses: encodeJson([]),
      traits: encodeJson({}),
      channels: encodeJson(input.channelId ? [input.channelId] : []),
      restricted: encodeBool(false),
      first_seen_at: seenAt,
      last_seen_at: seenAt,
      created_at: Date.now(),
      updated_at: Date.now(),
    };
  }

  function announceCreated(trx: Trx, id: string, input: ResolveInput): Promise<void> {
    return events.append(trx, {
      type: 'customer.created',
      aggregate: { type: 'customer', id },
      customerId: id,
      channelId: input.channelId ?? null,
      actor: input.actor,
      data: { id },
    });
  }

  /** A new profile; its 'created' log entry is written by attach, with the identifiers it starts with. */
  async function createProfile(trx: Trx, input: ResolveInput, seenAt: number): Promise<string> {
    const row = profileRow(input, seenAt);
    await trx.insertInto('customers').values(row).execute();
    await announceCreated(trx, row.id, input);
    return row.id;
  }

  /**
   * Carries out a merge plan (see merge.rules.ts): moves every identifier of `loser` to `survivor`, marks it
   * merged, fills the survivor's empty fields, and logs what an unmerge needs to undo it.
   */
  async function merge(
    trx: Trx,
    survivor: Selectable<CustomerRow>,
    loser: Selectable<CustomerRow>,
    plan: MergePlan,
    reason: string,
    actor: Actor,
  ): Promise<void> {
    await trx
      .updateTable('customer_identifiers')
      .set({ customer_id: survivor.id })
      .where('customer_id', '=', loser.id)
      .execute();
    await trx
      .updateTable('customers')
      .set({ ...plan.survivorAfter, updated_at: Date.now() })
      .where('id', '=', survivor.id)
      .execute();
    await trx
      .updateTable('customers')
      .set({ status: 'merged', merged_into: survivor.id, updated_at: Date.now() })
      .where('id', '=', loser.id)
      .execute();
    await log(trx, {
      kind: 'merged',
      customerId: survivor.id,
      otherId: loser.id,
      reason,
      actor,
      data: {
        moved_identifier_ids: plan.moved.map((m) => m.id),
        filled: plan.filled,
        added_traits: plan.addedTraits,
        survivor_channels_before: plan.channelsBefore,
      },
    });
    await events.append(trx, {
      type: 'customer.merged',
      aggregate: { type: 'customer', id: survivor.id },
      customerId: survivor.id,
      actor,
      data: { survivor_id: survivor.id, merged_id: loser.id },
    });
    // Later merges in the same resolution plan against the survivor as it is now.
    Object.assign(survivor, plan.survivorAfter);
  }

  /**
   * The two profiles of a staff merge (or its preview), checked as the merge checks them, and its plan. With
   * `lock`, the rows are locked for the merge that follows.
   */
  async function mergePair(
    db: DbOrTrx,
    survivorId: string,
    mergedId: string,
    field: string,
    lock: boolean,
  ): Promise<{
    survivor: Selectable<CustomerRow>;
    loser: Selectable<CustomerRow>;
    survivorIds: Array<Selectable<CustomerIdentifierRow>>;
    plan: MergePlan;
  }> {
    if (survivorId === mergedId)
      throw new AppError('validation_failed', 'A profile cannot merge into itself.', {
        errors: [{ field, message: 'must differ from the survivor' }],
      });
    const ids = [survivorId, mergedId];
    const rows = lock
      ? await lockCustomerRows(db, dialect, ids)
      : await db.selectFrom('customers').selectAll().where('id', 'in', ids).execute();
    const survivor = rows.find((r) => r.id === survivorId);
    const loser = rows.find((r) => r.id === mergedId);
    if (!survivor) throw notFound('customer', survivorId);
    if (!loser) throw notFound('customer', mergedId);
    if (survivor.status !== 'active' || loser.status !== 'active')
      throw new AppError('conflict', 'Only active profiles can be merged.');
    const [survivorIds, loserIds] = [
      await identifiersOf(db, [survivorId]),
      await identifiersOf(db, [mergedId]),
    ];
    return { survivor, loser, survivorIds, plan: planMerge(survivor, loser, survivorIds, loserIds, rule) };
  }

  async function resolveOnce(trx: Trx, input: ResolveInput, given: Normalized[]): Promise<ResolveResult> {
    const seenAt = input.seenAt ?? Date.now();
    const conflicts: ResolveResult['conflicts'] = [];
    const merged: string[] = [];

    // Which known identifiers point at which (surviving) profiles.
    const known = given.length
      ? await trx
          .selectFrom('customer_identifiers')
          .selectAll()
          .where((eb) =>
            eb.or(given.map((g) => eb.and([eb('type', '=', g.type), eb('value', '=', g.value)]))),
          )
          .execute()
      : [];
    const owners = new Map<string, { customer: Selectable<CustomerRow>; best: number; strong: boolean }>();
    // Several of the given identifiers are usually on one profile: follow each profile's merges once.
    const survivors = new Map<string, Selectable<CustomerRow> | undefined>();
    for (const row of known) {
      if (!survivors.has(row.customer_id))
        survivors.set(row.customer_id, await survivorOf(trx, row.customer_id));
      const survivor = survivors.get(row.customer_id);
      if (!survivor || survivor.status !== 'active') continue;
      const r = rule(row.type);
      const entry = owners.get(survivor.id) ?? { customer: survivor, best: -1, strong: false };
      entry.best = Math.max(entry.best, r.priority);
      entry.strong ||= isStrong(r);
      owners.set(survivor.id, entry);
    }
    const givesStrong = given.some((g) => isStrong(g.rule));

    // A profile reached only through a shareable identifier joins only when it is anonymous.
    const candidates: Array<{ customer: Selectable<CustomerRow>; best: number }> = [];
    for (const entry of owners.values()) {
      if (!entry.strong && givesStrong) {
        const hasStrong = (await identifiersOf(trx, [entry.customer.id])).some((i) => isStrong(rule(i.type)));
        if (hasStrong) {
          conflicts.push({
            customerId: entry.customer.id,
            reason: 'shared device: the device is already linked to another identified person',
          });
          continue;
        }
      }
      candidates.push(entry);
    }

    let survivorId: string;
    /** The matched survivor's row, locked and kept current through the merges below. */
    let survivorRow: Selectable<CustomerRow> | undefined;
    /** Its identifiers after the merges, when they were read for them. */
    let survivorIdentifiers: Array<Selectable<CustomerIdentifierRow>> | undefined;
    let created = false;
    if (candidates.length === 0) {
      survivorId = await createProfile(trx, input, seenAt);
      created = true;
    } else {
      candidates.sort(
        (a, b) =>
          b.best - a.best ||
          a.customer.created_at - b.customer.created_at ||
          a.customer.id.localeCompare(b.customer.id),
      );
      const locked = await lockCustomerRows(
        trx,
        dialect,
        candidates.map((c) => c.customer.id),
      );
      const byId = new Map(locked.map((r) => [r.id, r]));
      const survivor = byId.get(candidates[0]!.customer.id)!;
      if (survivor.status !== 'active') throw new ConcurrentChangeError(); // merged by a concurrent request meanwhile
      survivorId = survivor.id;
      survivorRow = survivor;
      // Identifiers are read after the lock, in one query per loser, and the survivor's list is then kept as the
      // merges leave it: nobody else can change a locked profile's identifiers meanwhile.
      let survivorIds: Array<Selectable<CustomerIdentifierRow>> | undefined;
      for (const candidate of candidates.slice(1)) {
        const loser = byId.get(candidate.customer.id);
        if (!loser || loser.status !== 'active') throw new ConcurrentChangeError();
        const rows = await identifiersOf(trx, survivorIds ? [loser.id] : [survivor.id, loser.id]);
        survivorIds ??= rows.filter((i) => i.customer_id === survivor.id);
        const loserIds = rows.filter((i) => i.customer_id === loser.id);
        const plan = planMerge(survivor, loser, survivorIds, loserIds, rule);
        const why = plan.conflict;
        if (why) {
          conflicts.push({ customerId: loser.id, reason: why });
          await log(trx, {
            kind: 'conflict',
            customerId: survivor.id,
            otherId: loser.id,
            reason: `${input.reason}: not merged, ${why}`,
            actor: input.actor,
          });
          continue;
        }
        await merge(trx, survivor, loser, plan, `${input.reason}: shared identifiers`, input.actor);
        merged.push(loser.id);
        survivorIds = [...survivorIds, ...loserIds.map((i) => ({ ...i, customer_id: survivor.id }))].sort(
          (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
      }
      survivorIdentifiers = survivorIds;
    }

    // Attach what is new, within the limits; the strongest given identifier never lands on someone else.
    const current = created ? [] : (survivorIdentifiers ?? (await identifiersOf(trx, [survivorId])));
    const knownKeys = new Set(known.map((k) => `${k.type}\u0000${k.value}`));
    const strongest = [...given].sort((a, b) => b.rule.priority - a.rule.priority)[0];
    const toAttach: Normalized[] = [];
    for (const g of given) {
      if (knownKeys.has(`${g.type}\u0000${g.value}`)) continue;
      const sameType = current.filter((i) => i.type === g.type);
      if (sameType.length + toAttach.filter((t) => t.type === g.type).length >= g.rule.maxPerProfile) {
        if (g === strongest && !created) {
          // e.g. an external_id the matched profile cannot take: it belongs to a different person.
          const own = await createProfile(trx, input, seenAt);
          await attach(trx, own, [g], input, 'created');
          await log(trx, {
            kind: 'conflict',
            customerId: own,
            otherId: survivorId,
            reason: `${input.reason}: ${g.type} limit reached on the matched profile; new profile for it`,
            actor: input.actor,
          });
          return {
            customerId: own,
            created: true,
            merged: [],
            conflicts: [...conflicts, { customerId: survivorId, reason: `${g.type} limit reached` }],
          };
        }
        conflicts.push({
          customerId: survivorId,
          reason: `${g.type} ${g.value} not attached: limit ${g.rule.maxPerProfile} reached`,
        });
        await log(trx, {
          kind: 'conflict',
          customerId: survivorId,
          reason: `${input.reason}: ${g.type} not attached, limit reached`,
          data: { type: g.type },
          actor: input.actor,
        });
        continue;
      }
      toAttach.push(g);
    }
    await attach(trx, survivorId, toAttach, input, created ? 'created' : 'attached');
    if (survivorRow) await touch(trx, survivorRow, input, seenAt, known, given);
    return { customerId: survivorId, created, merged, conflicts };
  }

  async function attach(
    trx: Trx,
    customerId: string,
    identifiers: Normalized[],
    input: ResolveInput,
    /** 'created': the profile was just made with these identifiers, and this entry records its creation. */
    kind: 'created' | 'attached',
  ): Promise<void> {
    if (identifiers.length === 0 && kind === 'attached') return;
    const seenAt = input.seenAt ?? Date.now();
    if (identifiers.length)
      await trx
        .insertInto('customer_identifiers')
        .values(identifierRows(customerId, identifiers, input, seenAt))
        .execute();
    await log(trx, attachedEntry(customerId, identifiers, input, kind));
  }

  function identifierRows(
    customerId: string,
    identifiers: Normalized[],
    input: ResolveInput,
    seenAt: number,
  ): Array<Insertable<CustomerIdentifierRow>> {
    return identifiers.map((g) => ({
      id: newId('cid'),
      customer_id: customerId,
      type: g.type,
      value: g.value,
      verified: encodeBool(g.verified),
      source_channel_id: input.channelId ?? null,
      first_seen_at: seenAt,
      last_seen_at: seenAt,
    }));
  }

  function attachedEntry(
    customerId: string,
    identifiers: Normalized[],
    input: ResolveInput,
    kind: 'created' | 'attached',
  ): LogEntry {
    return {
      kind,
      customerId,
      reason: input.reason,
      data: { types: identifiers.map((g) => g.type) },
      actor: input.actor,
    };
  }

  /** Records that the person was seen: channels used, last seen (never backwards), empty fields filled. */
  async function touch(
    trx: Trx,
    /** The profile's row as locked by resolveOnce (merges keep it current): no need to read it again. */
    row: Selectable<CustomerRow>,
    input: ResolveInput,
    seenAt: number,
    known: Array<Selectable<CustomerIdentifierRow>>,
    given: Normalized[],
  ): Promise<void> {
    const customerId = row.id;
    const channels = decodeJson<string[]>(row.channels) ?? [];
    const fill: Partial<Record<FillableField, string>> = {};
    for (const [field, value] of Object.entries(input.profile ?? {}) as Array<[FillableField, string]>) {
      if (value && row[field] == null) fill[field] = value;
    }
    const newChannel = input.channelId && !channels.includes(input.channelId);
    if (seenAt > row.last_seen_at || seenAt < row.first_seen_at || newChannel || Object.keys(fill).length) {
      await trx
        .updateTable('customers')
        .set({
          ...fill,
          // The survivor row is locked by resolveOnce, so the other name read here is current.
          ...(fill.first_name || fill.last_name
            ? nameSearchColumns(fill.first_name ?? row.first_name, fill.last_name ?? row.last_name)
            : {}),
          last_seen_at: Math.max(row.last_seen_at, seenAt),
          first_seen_at: Math.min(row.first_seen_at, seenAt),
          ...(newChannel ? { channels: encodeJson([...channels, input.channelId]) } : {}),
          updated_at: Date.now(),
        })
        .where('id', '=', customerId)
        .execute();
    }
    // An identifier confirmed now (e.g. a clicked email link) becomes verified.
    const upgrade = known.filter(
      (k) =>
        k.customer_id === customerId &&
        !decodeBool(k.verified) &&
        given.some((g) => g.verified && g.type === k.type && g.value === k.value),
    );
    for (const k of upgrade)
      await trx
        .updateTable('customer_identifiers')
        .set({ verified: encodeBool(true) })
        .where('id', '=', k.id)
        .execute();
  }

  /**
   * Identifiers of people erased with suppression never come back: they are dropped, and when nothing else
   * identifies the person the request is refused.
   */
  async function withoutSuppressed(db: DbOrTrx, given: Normalized[]): Promise<Normalized[]> {
    const suppressed = new Set(await suppressedAmong(db, given));
    if (suppressed.size === 0) return given;
    const rest = given.filter((g) => !suppressed.has(g));
    if (rest.length === 0) {
      throw new AppError('unprocessable', 'This person asked to be erased and not to be recorded again.', {
        code_detail: 'suppressed',
      });
    }
    return rest;
  }

  return {
    /**
     * Finds, creates or merges the profile for the given identifiers (see the rules above).
     * @example await identity.resolve({ identifiers: [{ type: 'email', value: 'ana@x.example' }], reason: 'pos sale', actor })
     */
    async resolve(input: ResolveInput, trx?: Trx): Promise<ResolveResult> {
      let given = normalizeAll(input.identifiers, options);
      if (given.length === 0) {
        throw new AppError('validation_failed', 'At least one identifier is needed.', {
          errors: [{ field: 'body.identifiers', message: 'must not be empty' }],
        });
      }
      if (trx) return resolveOnce(trx, input, await withoutSuppressed(trx, given));
      given = await withoutSuppressed(db, given);
      // Two requests racing to create the same identifier: the unique index refuses one, which then retries
      // and finds the profile the other created.
      return inTransactionWithRetry(db, (t) => resolveOnce(t, input, given));
    },

    /**
     * The first rule of `resolve` — nothing known, so a new profile — for many people at once, in multi-row
     * inserts: for callers such as ingestion that have just looked the identifiers up in the same transaction
     * and found none of them, and give no identifier to two inputs. Returns each new profile's id, or null for an
     * input that needs the full rules (an identifier on the suppression list, or more of a type than a profile
     * may hold): the caller passes those to `resolve`. An identifier stored meanwhile by a concurrent writer
     * makes the insert fail with a unique violation, which is retryable: the retry's lookup finds it.
     * @example const ids = await identity.createProfiles(people, trx); // ids[i] ?? (await identity.resolve(people[i], trx)).customerId
     */
    async createProfiles(inputs: ResolveInput[], trx: Trx): Promise<Array<string | null>> {
      const givens = inputs.map((input) => normalizeAll(input.identifiers, options));
      const suppressed = new Set(await suppressedAmong(trx, givens.flat()));
      const profiles: Array<Insertable<CustomerRow>> = [];
      const identifiers: Array<Insertable<CustomerIdentifierRow>> = [];
      const entries: Array<Insertable<IdentityLogRow>> = [];
      const ids = inputs.map((input, i) => {
        const given = givens[i]!;
        const perType = new Map<string, number>();
        for (const g of given) perType.set(g.type, (perType.get(g.type) ?? 0) + 1);
        const fits =
          given.length > 0 &&
          !given.some((g) => suppressed.has(g)) &&
          [...perType].every(([type, n]) => n <= rule(type).maxPerProfile);
        if (!fits) return null;
        const seenAt = input.seenAt ?? Date.now();
        const profile = profileRow(input, seenAt);
        profiles.push(profile);
        identifiers.push(...identifierRows(profile.id, given, input, seenAt));
        entries.push(logRow(attachedEntry(profile.id, given, input, 'created')));
        return profile.id;
      });
      for (let i = 0; i < profiles.length; i += BULK_ROWS)
        await trx
          .insertInto('customers')
          .values(profiles.slice(i, i + BULK_ROWS))
          .execute();
      for (let i = 0; i < identifiers.length; i += BULK_ROWS)
        await trx
          .insertInto('customer_identifiers')
          .values(identifiers.slice(i, i + BULK_ROWS))
          .execute();
      for (let i = 0; i < entries.length; i += BULK_ROWS)
        await trx
          .insertInto('identity_log')
          .values(entries.slice(i, i + BULK_ROWS))
          .execute();
      for (const [i, id] of ids.entries()) if (id) await announceCreated(trx, id, inputs[i]!);
      return ids;
    },

    /**
     * Reverses a merge: the merged profile comes back with the identifiers that were moved, and fields the
     * merge filled on the survivor are emptied again unless they changed since.
     */
    async unmerge(
      survivorId: string,
      mergedId: string,
      actor: Actor,
      reason = 'unmerged by staff',
    ): Promise<void> {
      await inTransaction(db, async (trx) => {
        const entry = await trx
          .selectFrom('identity_log')
          .selectAll()
          .where('kind', '=', 'merged')
          .where('customer_id', '=', survivorId)
          .where('other_customer_id', '=', mergedId)
          .where('undone_by', 'is', null)
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (!entry) throw notFound('merge of customer', `${mergedId} into ${survivorId}`);
        const [survivor, loser] = await lockCustomerRows(trx, dialect, [survivorId, mergedId]).then(
          (rows) => [rows.find((r) => r.id === survivorId), rows.find((r) => r.id === mergedId)],
        );
        if (!survivor || !loser || loser.merged_into !== survivorId || loser.status !== 'merged') {
          throw new AppError('conflict', `Customer ${mergedId} is no longer merged into ${survivorId}.`);
        }
        const data = decodeJson<{
          moved_identifier_ids: string[];
          filled: Record<string, unknown>;
          added_traits: string[];
          survivor_channels_before: string[];
        }>(entry.data);
        if (data.moved_identifier_ids.length) {
          await trx
            .updateTable('customer_identifiers')
            .set({ customer_id: mergedId })
            .where('id', 'in', data.moved_identifier_ids)
            .where('customer_id', '=', survivorId)
            .execute();
        }
        const restore: Partial<Record<FillableField, null>> = {};
        for (const [field, value] of Object.entries(data.filled) as Array<[FillableField, unknown]>) {
          if (survivor[field] === value) restore[field] = null;
        }
        const names = { ...survivor, ...restore };
        const traits = decodeJson<Record<string, unknown>>(survivor.traits) ?? {};
        for (const key of data.added_traits) delete traits[key];
        await trx
          .updateTable('customers')
          .set({
            ...restore,
            ...nameSearchColumns(names.first_name, names.last_name),
            traits: encodeJson(traits),
            channels: encodeJson(data.survivor_channels_before),
            updated_at: Date.now(),
          })
          .where('id', '=', survivorId)
          .execute();
        await trx
          .updateTable('customers')
          .set({ status: 'active', merged_into: null, updated_at: Date.now() })
          .where('id', '=', mergedId)
          .execute();
        const undo = await log(trx, {
          kind: 'unmerged',
          customerId: survivorId,
          otherId: mergedId,
          reason,
          actor,
          data: { merge_log_id: entry.id },
        });
        await trx.updateTable('identity_log').set({ undone_by: undo }).where('id', '=', entry.id).execute();
        await events.append(trx, {
          type: 'customer.unmerged',
          aggregate: { type: 'customer', id: survivorId },
          customerId: survivorId,
          actor,
          data: { survivor_id: survivorId, restored_id: mergedId },
        });
      });
    },

    /** Merges two profiles by hand (staff decision); the same limits apply unless `force` is given. */
    async mergeProfiles(survivorId: string, mergedId: string, actor: Actor, force = false): Promise<void> {
      await inTransaction(db, async (trx) => {
        const { survivor, loser, plan } = await mergePair(trx, survivorId, mergedId, 'body.merge_id', true);
        if (plan.conflict && !force)
          throw new AppError('conflict', `These profiles should not be merged: ${plan.conflict}.`, {
            reason: plan.conflict,
          });
        await merge(trx, survivor, loser, plan, 'merged by staff', actor);
      });
    },

    /**
     * What `mergeProfiles(survivorId, mergedId)` would do, without doing it: the same checks (unknown or
     * inactive profiles are refused the same way) and the same plan, so the preview and the merge never differ.
     * @example const preview = await identity.previewMerge('cus_01…', 'cus_02…'); if (!preview.allowed) …
     */
    async previewMerge(survivorId: string, mergedId: string): Promise<MergePreview> {
      const { survivor, survivorIds, plan } = await mergePair(
        db,
        survivorId,
        mergedId,
        'query.merge_id',
        false,
      );
      const moved = plan.moved.map((m) => ({ ...m, customer_id: survivorId }));
      return {
        survivor_id: survivorId,
        merged_id: mergedId,
        allowed: plan.conflict === null,
        conflict: plan.conflict,
        identifiers_moved: plan.moved.map(identifierFromRow),
        fields_filled: plan.filled,
        traits_added: plan.addedTraits,
        channels_added: (decodeJson<string[]>(plan.survivorAfter.channels) ?? []).filter(
          (c) => !plan.channelsBefore.includes(c),
        ),
        result: customerFromRow({ ...survivor, ...plan.survivorAfter }, [...survivorIds, ...moved]),
      };
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
