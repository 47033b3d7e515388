/**
 * @module A saved rule read aloud: each group as "All of / Any of / None of", each condition as one line with
 * its type's icon, excluded conditions marked.
 */
import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SegmentRule } from '../../api/segments';
import type { Channel } from '../../api/types';
import { describeNode } from './describe';
import { TYPE_ICONS } from './rule-builder';
import { treeFromRule, type RuleNode } from './rule-model';
import { st, type SegmentsKey } from './segments-i18n';

export function RuleSummary({ rule, channels }: { rule: SegmentRule; channels: Map<string, Channel> }) {
  return (
    <div data-testid="segment-rule-summary">
      <SummaryNode node={treeFromRule(rule)} channels={channels} />
    </div>
  );
}

function SummaryNode({ node, channels }: { node: RuleNode; channels: Map<string, Channel> }) {
  useTranslation(); // re-renders on a language change
  if (node.kind === 'group') {
    const mode = node.negate ? `not_${node.op}` : node.op;
    return (
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {st(`segments.groupOps.${mode}` as SegmentsKey)}
        </Text>
        <Stack gap={6} pl="md" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
          {node.children.map((child) => (
            <SummaryNode key={child.id} node={child} channels={channels} />
          ))}
        </Stack>
      </Stack>
    );
  }
  const Icon = TYPE_ICONS[node.draft.type];
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="segment-rule-condition">
      <Icon size={16} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
      {node.negate && (
        <Badge size="xs" color="red" variant="light" style={{ flexShrink: 0, marginTop: 2 }}>
          {st('segments.excluded')}
        </Badge>
      )}
      <Text size="sm">{describeNode({ ...node, negate: false }, channels)}</Text>
    </Group>
  );
}
