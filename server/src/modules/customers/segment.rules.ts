/**
 * @module The segment rule language: its TypeBox schemas, its TypeScript types, and the validator that names
 * the exact path of every mistake (`body.rule.all.1.window_days`).
 *
 * A rule is a tree. Inner nodes combine: `{ "all": [...] }`, `{ "any": [...] }`, `{ "not": {...} }`. Leaves are
 * conditions with a `type`: trait, identifier, consent, event, channel_used, profile. Each leaf is validated
 * against its own schema (chosen by `type`), so an error names the one field that is wrong rather than every
 * branch of a union that did not match.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, type FieldError } from '../../platform/errors';
import { channelKinds } from '../channels';
import { communicationChannels, consentPurposes } from './consent.rules';
import { IDENTIFIER_TYPE_PATTERN, IdentifierError, normalizeIdentifier } from './identifier.rules';

/**
 * Trait keys reach SQL only as bound parameters, but they also become a JSON path (`$.a.b` on SQLite, path
 * elements on PostgreSQL): letters, digits and `_`, dot-separated for nested objects, nothing else.
 */
export const TRAIT_KEY_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,4}$';
/** Domain event types are `noun.past_verb`; a kind is the noun. */
const DOMAIN_TYPE_PATTERN = '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$';
const DOMAIN_KIND_PATTERN = '^[a-z][a-z0-9_]*$';

export const comparisonOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOp = (typeof comparisonOps)[number];
export const traitOps = [...comparisonOps, 'contains', 'exists'] as const;
export const trackingKinds = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

/** Bounds that keep one segment's query a reasonable size. */
export const MAX_DEPTH = 6;
export const MAX_CONDITIONS = 50;
const MAX_WINDOW_DAYS = 3650;

const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]);
const ChannelId = Type.String({ minLength: 1, maxLength: 64 });
const ChannelKind = Type.Enum(channelKinds);
const Days = Type.Integer({ minimum: 1, maximum: MAX_WINDOW_DAYS });

const leaf = <P extends Parameters<typeof Type.Object>[0]>(properties: P, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });

export const TraitCondition = leaf(
  {
    type: Type.Literal('trait'),
    key: Type.String({ pattern: TRAIT_KEY_PATTERN, description: 'Trait name; dots reach into objects' }),
    op: Type.Enum(traitOps),
    value: Type.Optional(Scalar),
  },
  'A profile trait compared with a value (`exists`: present and not null)',
);

export const IdentifierCondition = leaf(
  {
    type: Type.Literal('identifier'),
    identifier_type: Type.String({ pattern: IDENTIFIER_TYPE_PATTERN.source }),
    /** Absent: the profile has any identifier of this type. */
    value: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  'The profile holds an identifier of a type (with this value, when given)',
);

export const ConsentCondition = leaf(
  {
    type: Type.Literal('consent'),
    purpose: Type.Enum(consentPurposes),
    channel: Type.Optional(Type.Enum(communicationChannels)),
    status: Type.Enum(['granted', 'denied', 'withdrawn']),
  },
  'The current consent for a purpose (and communication channel) has this status, as can() reads it',
);

export const EventCondition = leaf(
  {
    type: Type.Literal('event'),
    /** tracking: Segment-compatible events; domain: events of the outbox (`order.placed`…). */
    source: Type.Optional(Type.Enum(['tracking', 'domain'])),
    /** A tracking event's name (`Order Completed`), or a domain event's type (`order.placed`). */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** A tracking type (`track`, `page`…), or a domain event's noun (`order`). */
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    channel_id: Type.Optional(ChannelId),
    channel_kind: Type.Optional(ChannelKind),
    count: Type.Optional(
      Type.Object(
        { op: Type.Enum(comparisonOps), value: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
        { additionalProperties: false },
      ),
    ),
    /** Absent: ever. */
    window_days: Type.Optional(Days),
  },
  'How many matching events the customer had (default: at least one), within the last window_days',
);

export const ChannelUsedCondition = leaf(
  {
    type: Type.Literal('channel_used'),
    channel_id: Type.Optional(ChannelId),
    channel_kind: Type.Optional(ChannelKind),
  },
  'The customer has used this channel, or any channel of this kind',
);

export const ProfileCondition = leaf(
  {
    type: Type.Literal('profile'),
    restricted: Type.Optional(Type.Boolean()),
    created_within_days: Type.Optional(Days),
    last_seen_within_days: Type.Optional(Days),
  },
  'Facts of the profile itself',
);

export type TraitCondition = Static<typeof TraitCondition>;
export type IdentifierCondition = Static<typeof IdentifierCondition>;
export type ConsentCondition = Static<typeof ConsentCondition>;
export type EventCondition = Static<typeof EventCondition>;
export type ChannelUsedCondition = Static<typeof ChannelUsedCondition>;
export type ProfileCondition = Static<typeof ProfileCondition>;
export type Condition =
  | TraitCondition
  | IdentifierCondition
  | ConsentCondition
  | EventCondition
  | ChannelUsedCondition
  | ProfileCondition;
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

const conditionSchemas: Record<Condition['type'], TSchema> = {
  trait: TraitCondition,
  identifier: IdentifierCondition,
  consent: ConsentCondition,
  event: EventCondition,
  channel_used: ChannelUsedCondition,
  profile: ProfileCondition,
};
const conditionTypes = Object.keys(conditionSchemas);

/** The rule's shape for the OpenAPI document (validation itself is `validateRule`, which names paths better). */
export const RuleSchema = Type.Object(
  {},
  {
    additionalProperties: true,
    title: 'SegmentRule',
    description:
      'A tree of `{ "all": [...] }`, `{ "any": [...] }`, `{ "not": {...} }` and conditions with a `type`: ' +
      `${conditionTypes.join(', ')}. See docs/api.md, "Segments".`,
  },
);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Meaning checks the schemas cannot express; each names its field. */
function checkMeaning(node: Condition, path: string, errors: FieldError[]): void {
  const err = (field: string, message: string) => errors.push({ field: `${path}.${field}`, message });
  switch (node.type) {
    case 'trait': {
      const v = node.value;
      if (node.op === 'exists') {
        if (v !== undefined) err('value', 'must be absent when op is exists');
      } else if (v === undefined) err('value', `is required when op is ${node.op}`);
      else if (node.op === 'contains' && typeof v !== 'string') err('value', 'must be a string for contains');
      else if (['gt', 'gte', 'lt', 'lte'].includes(node.op) && typeof v === 'boolean')
        err('value', `must be a number or a string for ${node.op}`);
      break;
    }
    case 'event': {
      if (node.channel_id !== undefined && node.channel_kind !== undefined)
        err('channel_kind', 'must not be given together with channel_id');
      if (node.name === undefined && node.kind === undefined) err('name', 'or kind is required');
      if ((node.source ?? 'tracking') === 'tracking') {
        if (node.kind !== undefined && !(trackingKinds as readonly string[]).includes(node.kind))
          err('kind', `must be one of ${trackingKinds.join(', ')} for tracking events`);
      } else {
        if (node.name !== undefined && !new RegExp(DOMAIN_TYPE_PATTERN).test(node.name))
          err('name', 'must be a domain event type such as order.placed');
        if (node.kind !== undefined && !new RegExp(DOMAIN_KIND_PATTERN).test(node.kind))
          err('kind', 'must be a domain event noun such as order');
        // Segment events feeding segments could chase each other forever (enter → exit → enter…).
        if (node.name?.startsWith('segment.') || node.kind === 'segment')
          err(node.name ? 'name' : 'kind', 'must not refer to segment events');
      }
      break;
    }
    case 'identifier':
      if (node.value !== undefined) {
        try {
          normalizeIdentifier(node.identifier_type, node.value);
        } catch (e) {
          if (!(e instanceof IdentifierError)) throw e;
          err('value', e.message);
        }
      }
      break;
    case 'channel_used':
      if ((node.channel_id === undefined) === (node.channel_kind === undefined))
        err('channel_id', 'or channel_kind is required (exactly one)');
      break;
    case 'profile':
      if (
        node.restricted === undefined &&
        node.created_within_days === undefined &&
        node.last_seen_within_days === undefined
      )
        err('restricted', 'or created_within_days or last_seen_within_days is required');
      break;
    default:
      break;
  }
}

function checkNode(
  node: unknown,
  path: string,
  depth: number,
  errors: FieldError[],
  counter: { n: number },
): void {
  if (!isObject(node)) {
    errors.push({ field: path, message: 'must be an object' });
    return;
  }
  if (depth > MAX_DEPTH) {
    errors.push({ field: path, message: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  const keys = Object.keys(node);
  const combinator = (['all', 'any', 'not'] as const).find((k) => k in node);
  if (combinator) {
    for (const k of keys)
      if (k !== combinator)
        errors.push({ field: `${path}.${k}`, message: `must not appear beside ${combinator}` });
    const inner = node[combinator];
    if (combinator === 'not') {
      checkNode(inner, `${path}.not`, depth + 1, errors, counter);
      return;
    }
    if (!Array.isArray(inner) || inner.length === 0) {
      errors.push({ field: `${path}.${combinator}`, message: 'must be a non-empty array of rules' });
      return;
    }
    inner.forEach((child, i) => checkNode(child, `${path}.${combinator}.${i}`, depth + 1, errors, counter));
    return;
  }
  if (!('type' in node)) {
    errors.push({ field: path, message: 'must have one of all, any, not or type' });
    return;
  }
  const schema = typeof node.type === 'string' ? conditionSchemas[node.type as Condition['type']] : undefined;
  if (!schema) {
    errors.push({ field: `${path}.type`, message: `must be one of ${conditionTypes.join(', ')}` });
    return;
  }
  counter.n += 1;
  const before = errors.length;
  for (const e of Value.Errors(schema, node)) {
    if (e.keyword === 'boolean') continue; // the same unknown property is reported by additionalProperties
    const field = path + e.instancePath.replace(/\//g, '.');
    if (e.keyword === 'additionalProperties') {
      for (const extra of (e.params as { additionalProperties?: string[] }).additionalProperties ?? [])
        errors.push({ field: `${field}.${extra}`, message: 'is not a known field' });
    } else if (e.keyword === 'required') {
      for (const missing of (e.params as { requiredProperties?: string[] }).requiredProperties ?? [])
        errors.push({ field: `${field}.${missing}`, message: 'is required' });
    } else errors.push({ field, message: e.message });
  }
  if (errors.length === before) checkMeaning(node as Condition, path, errors);
}

/**
 * Checks a rule and returns it typed, or throws a 400 naming each bad field under `field`.
 * @example validateRule({ all: [{ type: 'trait', key: 'tier', op: 'eq', value: 'gold' }] }, 'body.rule')
 */
export function validateRule(rule: unknown, field = 'body.rule'): Rule {
  const errors: FieldError[] = [];
  const counter = { n: 0 };
  checkNode(rule, field, 1, errors, counter);
  if (errors.length === 0 && counter.n > MAX_CONDITIONS)
    errors.push({ field, message: `has more than ${MAX_CONDITIONS} conditions` });
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
      errors,
    });
  return rule as Rule;
}

/** Every channel kind a rule mentions: the compiler needs their channel ids. */
export function channelKindsOf(rule: Rule): Set<string> {
  const kinds = new Set<string>();
  const walk = (r: Rule): void => {
    if ('all' in r) r.all.forEach(walk);
    else if ('any' in r) r.any.forEach(walk);
    else if ('not' in r) walk(r.not);
    else if ((r.type === 'event' || r.type === 'channel_used') && r.channel_kind) kinds.add(r.channel_kind);
  };
  walk(rule);
  return kinds;
}
