/**
 * @module What merging one profile into another does, as a plan computed before anything is written: whether the
 * identity rules refuse it, which identifiers move, which empty fields are filled, which traits and channels are
 * added. Identity resolution, a staff merge and the merge preview all use this one plan, so a preview can never
 * disagree with the merge it previews.
 */
import type { Selectable } from 'kysely';
import { decodeBool, decodeJson, encodeJson } from '../../platform/db/codecs';
import type { CustomerIdentifierRow, CustomerRow } from './customer.table';
import { nameSearchColumns } from './customer.repository';
import type { IdentifierTypeRule } from './identifier.rules';

type CustomerRowValues = Selectable<CustomerRow>;
type IdentifierRowValues = Selectable<CustomerIdentifierRow>;

/** Profile fields a merge fills on the survivor when the survivor has none and the merged profile has one. */
export const fillableFields = ['first_name', 'last_name', 'locale', 'timezone'] as const;
export type FillableField = (typeof fillableFields)[number];

export interface MergePlan {
  /** Why the rules refuse the merge (a staff merge may force it), or null when they allow it. */
  conflict: string | null;
  /** The merged profile's identifiers, all of which move to the survivor. */
  moved: IdentifierRowValues[];
  /** Survivor fields that are empty and get the merged profile's value. */
  filled: Partial<Record<FillableField, string>>;
  /** Trait keys only the merged profile has (the survivor's value wins on a shared key). */
  addedTraits: string[];
  /** The survivor's columns after the merge (without updated_at). */
  survivorAfter: Pick<
    CustomerRowValues,
    | FillableField
    | 'search_name'
    | 'search_name_reversed'
    | 'traits'
    | 'channels'
    | 'first_seen_at'
    | 'last_seen_at'
  >;
  /** The survivor's channels before the merge, which an unmerge restores. */
  channelsBefore: string[];
}

/**
 * Why `other` may not merge into `survivor` — a type over its per-profile limit, worded more strongly when both
 * hold a different verified value — or null when it may.
 */
export function mergeConflict(
  survivorIds: IdentifierRowValues[],
  otherIds: IdentifierRowValues[],
  rule: (type: string) => IdentifierTypeRule,
): string | null {
  const types = new Set([...survivorIds, ...otherIds].map((i) => i.type));
  for (const type of types) {
    const r = rule(type);
    const a = survivorIds.filter((i) => i.type === type);
    const b = otherIds.filter((i) => i.type === type);
    const distinct = new Set([...a, ...b].map((i) => i.value));
    if (distinct.size > r.maxPerProfile) {
      const verifiedBoth = a.some((i) => decodeBool(i.verified)) && b.some((i) => decodeBool(i.verified));
      return verifiedBoth
        ? `both hold a different verified ${type}`
        : `together they would hold ${distinct.size} ${type} identifiers (limit ${r.maxPerProfile})`;
    }
  }
  return null;
}

/**
 * The plan for merging `loser` into `survivor`, from their rows and identifiers as they are now.
 * @example const plan = planMerge(survivor, loser, survivorIds, loserIds, rule); if (!plan.conflict) apply(plan)
 */
export function planMerge(
  survivor: CustomerRowValues,
  loser: CustomerRowValues,
  survivorIds: IdentifierRowValues[],
  loserIds: IdentifierRowValues[],
  rule: (type: string) => IdentifierTypeRule,
): MergePlan {
  const filled: MergePlan['filled'] = {};
  for (const field of fillableFields) {
    const value = loser[field];
    if (survivor[field] == null && value != null) filled[field] = value;
  }
  const survivorTraits = decodeJson<Record<string, unknown>>(survivor.traits) ?? {};
  const loserTraits = decodeJson<Record<string, unknown>>(loser.traits) ?? {};
  const channelsBefore = decodeJson<string[]>(survivor.channels) ?? [];
  const channels = [...new Set([...channelsBefore, ...(decodeJson<string[]>(loser.channels) ?? [])])];
  const firstName = filled.first_name ?? survivor.first_name;
  const lastName = filled.last_name ?? survivor.last_name;
  return {
    conflict: mergeConflict(survivorIds, loserIds, rule),
    moved: loserIds,
    filled,
    addedTraits: Object.keys(loserTraits).filter((k) => !(k in survivorTraits)),
    survivorAfter: {
      first_name: firstName,
      last_name: lastName,
      locale: filled.locale ?? survivor.locale,
      timezone: filled.timezone ?? survivor.timezone,
      ...nameSearchColumns(firstName, lastName),
      traits: encodeJson({ ...loserTraits, ...survivorTraits }),
      channels: encodeJson(channels),
      first_seen_at: Math.min(survivor.first_seen_at, loser.first_seen_at),
      last_seen_at: Math.max(survivor.last_seen_at, loser.last_seen_at),
    },
    channelsBefore,
  };
}
