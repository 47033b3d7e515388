/**
 * @module Conditions and groups in words, in the reader's language: "Order Completed · Physical store · at
 * least 1 time · last 90 days". Used for the saved rule's summary, the narrowing chart's labels and the sample.
 */
import type { Channel } from '../../api/types';
import i18n from '../../i18n';
import { formatNumber } from '../../lib/format';
import { communicationLabel, purposeLabel, statusLabel } from '../customers/consent-panel';
import { identifierTypeLabel } from '../customers/identifier-types';
import { conditionFromDraft, incompleteReason, type RuleNode } from './rule-model';
import type { Condition } from '../../api/segments';
import { st as t, type SegmentsKey } from './segments-i18n';

export const channelKindLabel = (kind: string) =>
  i18n.t(`channelKinds.${kind}` as 'channelKinds.web', { defaultValue: kind });
export const opLabel = (op: string) => t(`segments.ops.${op}` as SegmentsKey, { defaultValue: op });
export const conditionTypeLabel = (type: string) =>
  t(`segments.types.${type}` as SegmentsKey, { defaultValue: type });
export const trackingKindLabel = (kind: string) =>
  i18n.t(`customers.timeline.kinds.${kind}` as 'customers.timeline.kinds.track', { defaultValue: kind });

function channelText(c: { channel_id?: string; channel_kind?: string }, channels: Map<string, Channel>) {
  if (c.channel_id) return channels.get(c.channel_id)?.name ?? c.channel_id;
  if (c.channel_kind) return channelKindLabel(c.channel_kind);
  return null;
}

function days(n: number | undefined, key: SegmentsKey): string | null {
  return n === undefined ? null : t(key, { count: n });
}

export function describeCondition(c: Condition, channels: Map<string, Channel>): string {
  const parts: Array<string | null> = [];
  switch (c.type) {
    case 'trait':
      return c.op === 'exists'
        ? t('segments.describe.traitExists', { key: c.key })
        : `${c.key} ${opLabel(c.op)} ${JSON.stringify(c.value)}`;
    case 'identifier':
      return c.value
        ? t('segments.describe.identifierValue', {
            type: identifierTypeLabel(c.identifier_type),
            value: c.value,
          })
        : t('segments.describe.identifier', { type: identifierTypeLabel(c.identifier_type) });
    case 'consent':
      return t('segments.describe.consent', {
        purpose: purposeLabel(c.purpose),
        channel: c.channel ? communicationLabel(c.channel) : i18n.t('customers.consent.wholePurpose'),
        status: statusLabel(c.status),
      });
    case 'event': {
      parts.push(
        c.name ??
          (c.source === 'domain'
            ? t('segments.describe.anyDomainKind', { kind: c.kind })
            : t('segments.describe.anyKind', { kind: trackingKindLabel(c.kind ?? '') })),
      );
      parts.push(channelText(c, channels));
      const count = c.count ?? { op: 'gte', value: 1 };
      parts.push(
        t('segments.describe.count', {
          op: t(`segments.countOps.${count.op}` as SegmentsKey),
          count: count.value,
          n: formatNumber(count.value),
        }),
      );
      parts.push(
        c.window_days ? t('segments.describe.window', { count: c.window_days }) : t('segments.describe.ever'),
      );
      return parts.filter(Boolean).join(' · ');
    }
    case 'channel_used':
      return t('segments.describe.channelUsed', { channel: channelText(c, channels) ?? '' });
    case 'profile':
      if (c.restricted !== undefined)
        parts.push(c.restricted ? t('segments.describe.restricted') : t('segments.describe.notRestricted'));
      parts.push(days(c.created_within_days, 'segments.describe.createdWithin'));
      parts.push(days(c.last_seen_within_days, 'segments.describe.seenWithin'));
      return parts.filter(Boolean).join(' · ');
  }
}

/** A node of the builder in one line; an incomplete condition says so. */
export function describeNode(node: RuleNode, channels: Map<string, Channel>): string {
  if (node.kind === 'group') {
    const label = t(`segments.groupOps.${node.negate ? `not_${node.op}` : node.op}` as SegmentsKey);
    const inner = node.children.map((child) => describeNode(child, channels)).join('; ');
    return `${label}: ${inner}`;
  }
  if (incompleteReason(node.draft))
    return `${conditionTypeLabel(node.draft.type)} (${t('segments.incompleteShort')})`;
  const text = describeCondition(conditionFromDraft(node.draft), channels);
  return node.negate ? t('segments.describe.not', { text }) : text;
}
