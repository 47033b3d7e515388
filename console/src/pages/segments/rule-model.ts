/**
 * @module The builder's editable form of a segment rule, and its two-way translation to the JSON rule language
 * the server takes. The builder edits a tree of groups (all / any, optionally negated) and conditions (each
 * a flat draft of strings and numbers, as form fields hold them); the JSON side is `SegmentRule`.
 *
 * Incomplete conditions are kept in the tree but left out of the JSON (so the live count keeps answering while
 * someone types); `toRule` reports them so saving can refuse. It also records which node each JSON path came
 * from, so a 400 naming `body.rule.all.2.not.any.0.window_days` lands on the right condition.
 */
import {
  COMPARISON_OPS,
  type ComparisonOp,
  type Condition,
  type ConditionType,
  type SegmentRule,
  type TraitOp,
} from '../../api/segments';

export interface ConditionDraft {
  type: ConditionType;
  // trait
  key: string;
  op: TraitOp;
  valueType: 'text' | 'number' | 'boolean';
  value: string;
  // identifier
  identifierType: string;
  identifierValue: string;
  // consent
  purpose: string;
  /** '' = the purpose as a whole. */
  consentChannel: string;
  status: 'granted' | 'denied' | 'withdrawn';
  // event
  source: 'tracking' | 'domain';
  name: string;
  eventKind: string;
  countOp: ComparisonOp;
  countValue: number | '';
  /** '' = ever. */
  windowDays: number | '';
  // event and channel_used: '' (any), `kind:<channel kind>` or `id:<channel id>`
  channel: string;
  // profile
  restricted: '' | 'true' | 'false';
  createdWithinDays: number | '';
  lastSeenWithinDays: number | '';
}

export interface GroupNode {
  id: string;
  kind: 'group';
  op: 'all' | 'any';
  negate: boolean;
  children: RuleNode[];
}

export interface ConditionNode {
  id: string;
  kind: 'condition';
  negate: boolean;
  draft: ConditionDraft;
}

export type RuleNode = GroupNode | ConditionNode;

let counter = 0;
const nextId = () => `n${++counter}`;

export function emptyDraft(type: ConditionType): ConditionDraft {
  return {
    type,
    key: '',
    op: 'eq',
    valueType: 'text',
    value: '',
    identifierType: 'email',
    identifierValue: '',
    purpose: 'marketing',
    consentChannel: 'email',
    status: 'granted',
    source: 'tracking',
    name: type === 'event' ? 'Order Completed' : '',
    eventKind: '',
    countOp: 'gte',
    countValue: 1,
    windowDays: '',
    channel: '',
    restricted: '',
    createdWithinDays: '',
    lastSeenWithinDays: '',
  };
}

export const newCondition = (type: ConditionType = 'event'): ConditionNode => ({
  id: nextId(),
  kind: 'condition',
  negate: false,
  draft: emptyDraft(type),
});

export const newGroup = (op: 'all' | 'any' = 'any', negate = false): GroupNode => ({
  id: nextId(),
  kind: 'group',
  op,
  negate,
  children: [newCondition()],
});

export const emptyRoot = (): GroupNode => ({
  id: nextId(),
  kind: 'group',
  op: 'all',
  negate: false,
  children: [],
});

const channelValue = (c: { channel_id?: string; channel_kind?: string }) =>
  c.channel_id ? `id:${c.channel_id}` : c.channel_kind ? `kind:${c.channel_kind}` : '';

function channelFields(value: string): { channel_id?: string; channel_kind?: string } {
  if (value.startsWith('id:')) return { channel_id: value.slice(3) };
  if (value.startsWith('kind:')) return { channel_kind: value.slice(5) };
  return {};
}

export function draftFromCondition(c: Condition): ConditionDraft {
  const d = emptyDraft(c.type);
  d.name = '';
  switch (c.type) {
    case 'trait':
      d.key = c.key;
      d.op = c.op;
      d.valueType =
        typeof c.value === 'number' ? 'number' : typeof c.value === 'boolean' ? 'boolean' : 'text';
      d.value = c.value === undefined ? '' : String(c.value);
      break;
    case 'identifier':
      d.identifierType = c.identifier_type;
      d.identifierValue = c.value ?? '';
      break;
    case 'consent':
      d.purpose = c.purpose;
      d.consentChannel = c.channel ?? '';
      d.status = c.status;
      break;
    case 'event':
      d.source = c.source ?? 'tracking';
      d.name = c.name ?? '';
      d.eventKind = c.kind ?? '';
      d.channel = channelValue(c);
      d.countOp = c.count?.op ?? 'gte';
      d.countValue = c.count?.value ?? 1;
      d.windowDays = c.window_days ?? '';
      break;
    case 'channel_used':
      d.channel = channelValue(c);
      break;
    case 'profile':
      d.restricted = c.restricted === undefined ? '' : c.restricted ? 'true' : 'false';
      d.createdWithinDays = c.created_within_days ?? '';
      d.lastSeenWithinDays = c.last_seen_within_days ?? '';
      break;
  }
  return d;
}

/** Why a draft cannot be sent yet (a translation key under segments.incomplete), or null when it can. */
export function incompleteReason(d: ConditionDraft): string | null {
  switch (d.type) {
    case 'trait':
      if (!d.key.trim()) return 'traitKey';
      if (d.op !== 'exists') {
        if (d.valueType === 'number' && (d.value.trim() === '' || !Number.isFinite(Number(d.value))))
          return 'number';
        if (d.valueType === 'text' && d.value === '') return 'value';
        if (d.valueType === 'boolean' && d.value !== 'true' && d.value !== 'false') return 'value';
      }
      return null;
    case 'identifier':
      return d.identifierType.trim() ? null : 'identifierType';
    case 'event':
      if (!d.name.trim() && !d.eventKind.trim()) return 'eventName';
      if (d.countValue === '') return 'count';
      return null;
    case 'channel_used':
      return d.channel ? null : 'channel';
    case 'profile':
      return d.restricted === '' && d.createdWithinDays === '' && d.lastSeenWithinDays === ''
        ? 'profile'
        : null;
    default:
      return null;
  }
}

/** The condition a complete draft stands for (call incompleteReason first). */
export function conditionFromDraft(d: ConditionDraft): Condition {
  switch (d.type) {
    case 'trait': {
      if (d.op === 'exists') return { type: 'trait', key: d.key.trim(), op: 'exists' };
      const value =
        d.valueType === 'number' ? Number(d.value) : d.valueType === 'boolean' ? d.value === 'true' : d.value;
      return { type: 'trait', key: d.key.trim(), op: d.op, value };
    }
    case 'identifier':
      return {
        type: 'identifier',
        identifier_type: d.identifierType.trim(),
        ...(d.identifierValue.trim() ? { value: d.identifierValue.trim() } : {}),
      };
    case 'consent':
      return {
        type: 'consent',
        purpose: d.purpose,
        ...(d.consentChannel ? { channel: d.consentChannel } : {}),
        status: d.status,
      };
    case 'event': {
      const defaultCount = d.countOp === 'gte' && d.countValue === 1;
      return {
        type: 'event',
        ...(d.source === 'domain' ? { source: 'domain' as const } : {}),
        ...(d.name.trim() ? { name: d.name.trim() } : {}),
        ...(d.eventKind.trim() ? { kind: d.eventKind.trim() } : {}),
        ...channelFields(d.channel),
        ...(defaultCount ? {} : { count: { op: d.countOp, value: Number(d.countValue) } }),
        ...(d.windowDays !== '' ? { window_days: d.windowDays } : {}),
      };
    }
    case 'channel_used':
      return { type: 'channel_used', ...channelFields(d.channel) };
    case 'profile':
      return {
        type: 'profile',
        ...(d.restricted !== '' ? { restricted: d.restricted === 'true' } : {}),
        ...(d.createdWithinDays !== '' ? { created_within_days: d.createdWithinDays } : {}),
        ...(d.lastSeenWithinDays !== '' ? { last_seen_within_days: d.lastSeenWithinDays } : {}),
      };
  }
}

const isCombinator = (rule: SegmentRule): rule is { all: SegmentRule[] } | { any: SegmentRule[] } =>
  'all' in rule || 'any' in rule;

function nodeFromRule(rule: SegmentRule, negate: boolean): RuleNode {
  if ('not' in rule) return nodeFromRule(rule.not, !negate);
  if (isCombinator(rule)) {
    const op = 'all' in rule ? 'all' : 'any';
    const children = 'all' in rule ? rule.all : rule.any;
    return { id: nextId(), kind: 'group', op, negate, children: children.map((c) => nodeFromRule(c, false)) };
  }
  return { id: nextId(), kind: 'condition', negate, draft: draftFromCondition(rule) };
}

/** The builder's tree for a saved rule; the root is always a plain group, so a bare condition gets wrapped. */
export function treeFromRule(rule: SegmentRule): GroupNode {
  const node = nodeFromRule(rule, false);
  if (node.kind === 'group' && !node.negate) return node;
  return { id: nextId(), kind: 'group', op: 'all', negate: false, children: [node] };
}

export interface Translated {
  /** null when nothing complete is left. */
  rule: SegmentRule | null;
  /** Ids of conditions left out because they are incomplete. */
  incomplete: string[];
  /** JSON path (`body.rule.all.1`) → node id. */
  paths: Map<string, string>;
}

/** The JSON rule for a tree, skipping incomplete conditions and groups left empty. */
export function toRule(root: GroupNode): Translated {
  const incomplete: string[] = [];
  const paths = new Map<string, string>();
  const walk = (node: RuleNode, path: string): SegmentRule | null => {
    // A negated node is `{ not: … }`: its own fields live one step further down.
    const inner = node.negate ? `${path}.not` : path;
    let rule: SegmentRule | null;
    if (node.kind === 'condition') {
      if (incompleteReason(node.draft)) {
        incomplete.push(node.id);
        return null;
      }
      rule = conditionFromDraft(node.draft);
    } else {
      const children: SegmentRule[] = [];
      for (const child of node.children) {
        const built = walk(child, `${inner}.${node.op}.${children.length}`);
        if (built) children.push(built);
      }
      if (children.length === 0) return null;
      rule = node.op === 'all' ? { all: children } : { any: children };
    }
    paths.set(path, node.id);
    if (inner !== path) paths.set(inner, node.id);
    return node.negate ? { not: rule } : rule;
  };
  const rule = walk(root, 'body.rule');
  return { rule, incomplete, paths };
}

/** The node a server field error (`body.rule.all.1.window_days`) is about: the longest known path prefix. */
export function nodeForField(field: string, paths: Map<string, string>): string | null {
  let best: string | null = null;
  let bestLength = -1;
  for (const [path, id] of paths) {
    if ((field === path || field.startsWith(`${path}.`)) && path.length > bestLength) {
      best = id;
      bestLength = path.length;
    }
  }
  return best;
}

/** Rule steps for the narrowing chart: the first 1, 2, … complete children of the root group. */
export function cumulativeSteps(root: GroupNode): Array<{ node: RuleNode; rule: SegmentRule }> {
  const steps: Array<{ node: RuleNode; rule: SegmentRule }> = [];
  const kept: SegmentRule[] = [];
  for (const child of root.children) {
    const { rule } = toRule({ ...root, negate: false, children: [child] });
    if (!rule) continue;
    const only =
      root.op === 'all' ? (rule as { all: SegmentRule[] }).all[0]! : (rule as { any: SegmentRule[] }).any[0]!;
    kept.push(only);
    steps.push({ node: child, rule: root.op === 'all' ? { all: [...kept] } : { any: [...kept] } });
  }
  return steps;
}

// ——— tree edits (immutable) ———

export function updateNode(root: GroupNode, id: string, change: (node: RuleNode) => RuleNode): GroupNode {
  const visit = (node: RuleNode): RuleNode => {
    if (node.id === id) return change(node);
    if (node.kind === 'group') return { ...node, children: node.children.map(visit) };
    return node;
  };
  return visit(root) as GroupNode;
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  const visit = (node: GroupNode): GroupNode => ({
    ...node,
    children: node.children
      .filter((child) => child.id !== id)
      .map((child) => (child.kind === 'group' ? visit(child) : child)),
  });
  return visit(root);
}

export function addChild(root: GroupNode, groupId: string, child: RuleNode): GroupNode {
  return updateNode(root, groupId, (node) =>
    node.kind === 'group' ? { ...node, children: [...node.children, child] } : node,
  );
}

export const isComparisonOp = (op: string): op is ComparisonOp =>
  (COMPARISON_OPS as readonly string[]).includes(op);
