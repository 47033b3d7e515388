/**
 * @module Compiles a segment rule into ONE SQL query that selects the ids of the active customers it matches —
 * all of them, or only among given ids (incremental evaluation). Built with Kysely's expression builder; user
 * input reaches the database only as bound parameters (trait keys are also checked against a strict pattern).
 *
 * Shape of the query:
 * - `customer_family(root_id, member_id)`: each active profile and every profile merged into it (recursively).
 *   Tracking events, domain events and consent records stay on the profile they were recorded for, so a
 *   survivor's behaviour is its family's.
 * - Row-level conditions (traits, channels used, profile facts, identifiers — moved to the survivor on merge)
 *   test the `customers c` row itself.
 * - Event and consent conditions are uncorrelated `c.id IN (SELECT root_id …)` sets, which both databases
 *   compute once per query rather than once per customer.
 * - Every leaf is made NULL-free (`… IS TRUE`), so `not` means "does not match" even when a trait is absent.
 */
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import { encodeBool } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Database } from '../../platform/db/schema';
import type { DbOrTrx } from '../../platform/db/transaction';
import { ANY_CHANNEL } from './consent.rules';
import type { CustomerRow } from './customer.table';
import { normalizeIdentifier } from './identifier.rules';
import type { ComparisonOp, ConsentCondition, EventCondition, Rule, TraitCondition } from './segment.rules';

const DAY_MS = 86_400_000;

export interface CompileContext {
  dialect: Dialect;
  /** "Now" for time windows (epoch ms). */
  now: number;
  /** Channel ids of each channel kind the rule mentions (see channelKindsOf). */
  channelsOfKind: ReadonlyMap<string, readonly string[]>;
}

interface FamilyRow {
  root_id: string;
  member_id: string;
}
type QueryDb = Database & { customer_family: FamilyRow; c: CustomerRow };
type Eb = ExpressionBuilder<QueryDb, 'c'>;

const sqlOps: Record<ComparisonOp, '=' | '<>' | '>' | '>=' | '<' | '<='> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};
const negated: Record<ComparisonOp, ComparisonOp> = {
  eq: 'neq',
  neq: 'eq',
  gt: 'lte',
  gte: 'lt',
  lt: 'gte',
  lte: 'gt',
};
const compare = (a: number, op: ComparisonOp, b: number) =>
  ({ eq: a === b, neq: a !== b, gt: a > b, gte: a >= b, lt: a < b, lte: a <= b })[op];

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

/** How one trait reads in SQL: its JSON type tests and its value as text or number. */
interface TraitSql {
  present: RawBuilder<SqlBool>;
  isString: RawBuilder<SqlBool>;
  isNumber: RawBuilder<SqlBool>;
  isBoolean(value: boolean): RawBuilder<SqlBool>;
  isArray: RawBuilder<SqlBool>;
  /** Compares the trait's text (string traits) with a string; byte order on both databases. */
  compareText(op: string, value: string): RawBuilder<SqlBool>;
  compareNumber(op: string, value: number): RawBuilder<SqlBool>;
  textContains(value: string): RawBuilder<SqlBool>;
  arrayHas(value: string): RawBuilder<SqlBool>;
}

/**
 * The one place that knows how each database reads JSON traits. The key is a bound parameter on both, and
 * matches TRAIT_KEY_PATTERN, so the path it forms cannot escape the traits column.
 */
function traitSql(dialect: Dialect, key: string): TraitSql {
  const traits = sql.ref('c.traits');
  if (dialect === 'postgres') {
    // PostgreSQL: jsonb path functions take the key's parts as a text array; jsonb_typeof says what it holds.
    // `collate "C"` makes text order bytewise, as SQLite's is, whatever the database's locale.
    const parts = key.split('.');
    const value = sql`jsonb_extract_path(${traits}, variadic ${parts}::text[])`;
    const text = sql`jsonb_extract_path_text(${traits}, variadic ${parts}::text[])`;
    const type = sql`jsonb_typeof(${value})`;
    return {
      present: sql<SqlBool>`(${type} is not null and ${type} <> 'null')`,
      isString: sql<SqlBool>`${type} = 'string'`,
      isNumber: sql<SqlBool>`${type} = 'number'`,
      isBoolean: (b) => sql<SqlBool>`${value} = ${b ? 'true' : 'false'}::jsonb`,
      isArray: sql<SqlBool>`${type} = 'array'`,
      compareText: (op, v) =>
        sql<SqlBool>`(${type} = 'string' and ${text} collate "C" ${sql.raw(op)} ${v}::text collate "C")`,
      compareNumber: (op, v) =>
        sql<SqlBool>`(${type} = 'number' and (case when ${type} = 'number' then ${text}::numeric end) ${sql.raw(op)} ${v}::numeric)`,
      textContains: (v) => sql<SqlBool>`(${type} = 'string' and strpos(${text}, ${v}::text) > 0)`,
      arrayHas: (v) => sql<SqlBool>`(${type} = 'array' and ${value} @> jsonb_build_array(${v}::text))`,
    };
  }
  // SQLite: json_extract returns the SQL value (text, integer, real; true/false as 1/0), json_type the JSON type.
  const path = `$.${key}`;
  const value = sql`json_extract(${traits}, ${path})`;
  const type = sql`json_type(${traits}, ${path})`;
  return {
    present: sql<SqlBool>`(${type} is not null and ${type} <> 'null')`,
    isString: sql<SqlBool>`${type} = 'text'`,
    isNumber: sql<SqlBool>`${type} in ('integer', 'real')`,
    isBoolean: (b) => sql<SqlBool>`${type} = ${b ? 'true' : 'false'}`,
    isArray: sql<SqlBool>`${type} = 'array'`,
    compareText: (op, v) => sql<SqlBool>`(${type} = 'text' and ${value} ${sql.raw(op)} ${v})`,
    compareNumber: (op, v) => sql<SqlBool>`(${type} in ('integer', 'real') and ${value} ${sql.raw(op)} ${v})`,
    textContains: (v) => sql<SqlBool>`(${type} = 'text' and instr(${value}, ${v}) > 0)`,
    arrayHas: (v) =>
      sql<SqlBool>`(${type} = 'array' and exists (select 1 from json_each(${traits}, ${path}) as je where je.type = 'text' and je.value = ${v}))`,
  };
}

/** `channels` (a JSON list of channel ids) holds any of these ids. */
function channelsContainAny(dialect: Dialect, ids: readonly string[]): RawBuilder<SqlBool> {
  if (ids.length === 0) return FALSE;
  const list = sql.join(ids.map((id) => sql`${id}`));
  const channels = sql.ref('c.channels');
  // PostgreSQL unnests jsonb with jsonb_array_elements_text, SQLite with the json_each table function.
  return dialect === 'postgres'
    ? sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(${channels}) as ch(value) where ch.value in (${list}))`
    : sql<SqlBool>`exists (select 1 from json_each(${channels}) as ch where ch.value in (${list}))`;
}

function traitCondition(dialect: Dialect, c: TraitCondition): RawBuilder<SqlBool> {
  const t = traitSql(dialect, c.key);
  const v = c.value;
  switch (c.op) {
    case 'exists':
      return t.present;
    case 'contains':
      return sql<SqlBool>`(${t.textContains(String(v))} or ${t.arrayHas(String(v))})`;
    case 'eq':
    case 'neq': {
      const eq =
        typeof v === 'boolean'
          ? t.isBoolean(v)
          : typeof v === 'number'
            ? t.compareNumber('=', v)
            : t.compareText('=', String(v));
      // neq holds for every profile the trait does not equal, including those without it.
      return c.op === 'eq' ? eq : sql<SqlBool>`not ((${eq}) is true)`;
    }
    default:
      return typeof v === 'number'
        ? t.compareNumber(sqlOps[c.op], v)
        : t.compareText(sqlOps[c.op], String(v));
  }
}

function channelIdsOf(
  c: { channel_id?: string | undefined; channel_kind?: string | undefined },
  ctx: CompileContext,
): readonly string[] | null {
  if (c.channel_id !== undefined) return [c.channel_id];
  if (c.channel_kind !== undefined) return ctx.channelsOfKind.get(c.channel_kind) ?? [];
  return null;
}

/** Customers whose family had a number of matching events that satisfies the count. */
function eventCondition(eb: Eb, c: EventCondition, ctx: CompileContext): Expression<SqlBool> {
  const op = c.count?.op ?? 'gte';
  const n = c.count?.value ?? 1;
  const channels = channelIdsOf(c, ctx);
  const since = c.window_days !== undefined ? ctx.now - c.window_days * DAY_MS : null;
  // Only customers with at least one event appear in a GROUP BY, so a count that zero satisfies ("fewer than
  // 3", "none") is written as "not among those whose count fails it".
  const zeroMatches = compare(0, op, n);
  const setOp = zeroMatches ? negated[op] : op;
  const having = (count: Expression<number | string | bigint>) =>
    sql<SqlBool>`${count} ${sql.raw(sqlOps[setOp])} ${n}`;
  const roots =
    (c.source ?? 'tracking') === 'tracking'
      ? eb
          .selectFrom('tracking_events as te')
          .innerJoin('customer_family as f', 'f.member_id', 'te.customer_id')
          .select('f.root_id')
          .$if(c.name !== undefined, (q) => q.where('te.event', '=', c.name!))
          .$if(c.kind !== undefined, (q) => q.where('te.type', '=', c.kind!))
          .$if(channels !== null, (q) =>
            q.where('te.channel_id', 'in', channels!.length ? [...channels!] : ['']),
          )
          .$if(since !== null, (q) => q.where('te.timestamp', '>=', since!))
          .groupBy('f.root_id')
          .having((h) => having(h.fn.countAll()))
      : eb
          .selectFrom('outbox_events as o')
          .innerJoin('customer_family as f', 'f.member_id', 'o.customer_id')
          .select('f.root_id')
          .$if(c.name !== undefined, (q) => q.where('o.type', '=', c.name!))
          // substr rather than LIKE: `_` in a noun would be a wildcard, and LIKE's case rules differ per database.
          .$if(c.kind !== undefined, (q) =>
            q.where(sql`substr(o.type, 1, ${c.kind!.length + 1})`, '=', `${c.kind!}.`),
          )
          .$if(channels !== null, (q) =>
            q.where('o.channel_id', 'in', channels!.length ? [...channels!] : ['']),
          )
          .$if(since !== null, (q) => q.where('o.occurred_at', '>=', since!))
          .groupBy('f.root_id')
          .having((h) => having(h.fn.countAll()));
  return zeroMatches ? eb('c.id', 'not in', roots) : eb('c.id', 'in', roots);
}

/**
 * Customers whose current consent for (purpose, channel) has the status — the record can() decides on: the
 * newest of the family among the channel's own records and the purpose-wide ones that count for it (for
 * marketing, a purpose-wide grant never stands in for a channel, a purpose-wide refusal does).
 */
function consentCondition(eb: Eb, c: ConsentCondition): Expression<SqlBool> {
  const counts = (alias: 'r' | 'r2') => {
    const channel = sql.ref(`${alias}.channel`);
    const status = sql.ref(`${alias}.status`);
    if (!c.channel) return sql<SqlBool>`${channel} = ${ANY_CHANNEL}`;
    const wide =
      c.purpose === 'marketing'
        ? sql<SqlBool>`(${channel} = ${ANY_CHANNEL} and ${status} in ('denied', 'withdrawn'))`
        : sql<SqlBool>`${channel} = ${ANY_CHANNEL}`;
    return sql<SqlBool>`(${channel} = ${c.channel} or ${wide})`;
  };
  const roots = eb
    .selectFrom('consents as r')
    .innerJoin('customer_family as f', 'f.member_id', 'r.customer_id')
    .select('f.root_id')
    .where('r.purpose', '=', c.purpose)
    .where('r.status', '=', c.status)
    .where(counts('r'))
    .where((w) =>
      w.not(
        w.exists(
          w
            .selectFrom('consents as r2')
            .innerJoin('customer_family as f2', 'f2.member_id', 'r2.customer_id')
            .select('r2.event_id')
            .whereRef('f2.root_id', '=', 'f.root_id')
            .where('r2.purpose', '=', c.purpose)
            .where(counts('r2'))
            .where((n) =>
              n.or([
                n('r2.occurred_at', '>', n.ref('r.occurred_at')),
                n.and([
                  n('r2.occurred_at', '=', n.ref('r.occurred_at')),
                  n('r2.event_id', '>', n.ref('r.event_id')),
                ]),
              ]),
            ),
        ),
      ),
    );
  return eb('c.id', 'in', roots);
}

function compileNode(eb: Eb, rule: Rule, ctx: CompileContext): Expression<SqlBool> {
  if ('all' in rule) return eb.and(rule.all.map((r) => compileNode(eb, r, ctx)));
  if ('any' in rule) return eb.or(rule.any.map((r) => compileNode(eb, r, ctx)));
  if ('not' in rule) return eb.not(compileNode(eb, rule.not, ctx));
  switch (rule.type) {
    case 'trait':
      return sql<SqlBool>`((${traitCondition(ctx.dialect, rule)}) is true)`;
    case 'identifier': {
      const value = rule.value !== undefined ? normalizeIdentifier(rule.identifier_type, rule.value) : null;
      return eb.exists(
        eb
          .selectFrom('customer_identifiers as ci')
          .select('ci.id')
          .whereRef('ci.customer_id', '=', 'c.id')
          .where('ci.type', '=', rule.identifier_type)
          .$if(value !== null, (q) => q.where('ci.value', '=', value!)),
      );
    }
    case 'consent':
      return consentCondition(eb, rule);
    case 'event':
      return eventCondition(eb, rule, ctx);
    case 'channel_used':
      return sql<SqlBool>`((${channelsContainAny(ctx.dialect, channelIdsOf(rule, ctx) ?? [])}) is true)`;
    case 'profile': {
      const parts: Array<Expression<SqlBool>> = [];
      if (rule.restricted !== undefined) parts.push(eb('c.restricted', '=', encodeBool(rule.restricted)));
      if (rule.created_within_days !== undefined)
        parts.push(eb('c.created_at', '>=', ctx.now - rule.created_within_days * DAY_MS));
      if (rule.last_seen_within_days !== undefined)
        parts.push(eb('c.last_seen_at', '>=', ctx.now - rule.last_seen_within_days * DAY_MS));
      return parts.length ? eb.and(parts) : TRUE;
    }
  }
}

/**
 * The segment's query: ids of the active customers matching `rule` — among `customerIds` when given.
 * @example await segmentQuery(db, { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' }, ctx).execute()
 */
export function segmentQuery(
  db: DbOrTrx,
  rule: Rule,
  ctx: CompileContext,
  customerIds?: readonly string[],
): SelectQueryBuilder<QueryDb, 'c', { id: string }> {
  const ids = customerIds ? [...customerIds] : null;
  return (
    db
      .withRecursive('customer_family(root_id, member_id)', (qb) =>
        qb
          .selectFrom('customers')
          .select(['id as root_id', 'id as member_id'])
          .where('status', '=', 'active')
          .$if(ids !== null, (q) => q.where('id', 'in', ids!.length ? ids! : ['']))
          .unionAll((u) =>
            u
              .selectFrom('customer_family as fam')
              .innerJoin('customers as m', 'm.merged_into', 'fam.member_id')
              .select(['fam.root_id', 'm.id as member_id'])
              .where('m.status', '=', 'merged'),
          ),
      )
      .selectFrom('customers as c')
      .select('c.id')
      .where('c.status', '=', 'active')
      .$if(ids !== null, (q) => q.where('c.id', 'in', ids!.length ? ids! : ['']))
      // The builder's table type is the database's plus the family CTE: the cast names it once for the helpers.
      .where((eb) => compileNode(eb as unknown as Eb, rule, ctx)) as unknown as SelectQueryBuilder<
      QueryDb,
      'c',
      { id: string }
    >
  );
}
