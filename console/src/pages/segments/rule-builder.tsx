/**
 * @module The segment builder's tree: a group says whether all, any or none of its items must hold; each item
 * is a condition (its type, its fields, "exclude") or, one level down, another group. Conditions that are not
 * finished yet, and those the server refused, say why in place.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Divider,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconCalendarEvent,
  IconFingerprint,
  IconFolderPlus,
  IconPlus,
  IconShieldCheck,
  IconTag,
  IconTrash,
  IconUserCircle,
  IconWorld,
  type Icon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CONDITION_TYPES, type ConditionType } from '../../api/segments';
import type { Channel } from '../../api/types';
import { ConditionFields } from './condition-fields';
import { conditionTypeLabel } from './describe';
import {
  emptyDraft,
  incompleteReason,
  newCondition,
  newGroup,
  type ConditionDraft,
  type ConditionNode,
  type GroupNode,
  type RuleNode,
} from './rule-model';
import { st, type SegmentsKey } from './segments-i18n';

export const TYPE_ICONS: Record<ConditionType, Icon> = {
  event: IconCalendarEvent,
  consent: IconShieldCheck,
  trait: IconTag,
  identifier: IconFingerprint,
  channel_used: IconWorld,
  profile: IconUserCircle,
};

/** Groups nest one level: enough for "none of these" inside "all of these", and still readable. */
const MAX_GROUP_DEPTH = 1;

export interface TreeActions {
  update: (id: string, change: (node: RuleNode) => RuleNode) => void;
  remove: (id: string) => void;
  add: (groupId: string, child: RuleNode) => void;
}

interface Shared {
  actions: TreeActions;
  channels: Channel[];
  /** Server field errors by node id. */
  errors: Map<string, string[]>;
  readOnly?: boolean;
}

type GroupMode = 'all' | 'any' | 'not_any' | 'not_all';
const modeOf = (node: GroupNode): GroupMode => (node.negate ? `not_${node.op}` : node.op);

export function GroupEditor({ node, depth, ...shared }: Shared & { node: GroupNode; depth: number }) {
  useTranslation(); // re-renders on a language change
  const { actions } = shared;
  const modes: GroupMode[] = depth === 0 ? ['all', 'any'] : ['all', 'any', 'not_any', 'not_all'];
  const joiner = node.op === 'all' ? st('segments.and') : st('segments.or');
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      bg={depth === 0 ? undefined : 'var(--mantine-color-gray-0)'}
      data-testid={depth === 0 ? 'segment-root-group' : 'segment-group'}
      data-mode={modeOf(node)}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={500}>
              {st('segments.match')}
            </Text>
            <Select
              size="xs"
              aria-label={st('segments.groupMode')}
              data={modes.map((mode) => ({
                value: mode,
                label: st(`segments.groupOps.${mode}` as SegmentsKey),
              }))}
              value={modeOf(node)}
              onChange={(value) => {
                if (!value) return;
                const negate = value.startsWith('not_');
                const op = value.replace('not_', '') as 'all' | 'any';
                actions.update(node.id, (n) => ({ ...n, op, negate }) as GroupNode);
              }}
              allowDeselect={false}
              disabled={shared.readOnly}
              w={180}
              data-testid="group-mode"
            />
          </Group>
          {depth > 0 && !shared.readOnly && (
            <Tooltip label={st('segments.removeGroup')} withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={st('segments.removeGroup')}
                onClick={() => actions.remove(node.id)}
                data-testid="group-remove"
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
        <ServerErrors messages={shared.errors.get(node.id)} />
        {node.children.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="group-empty">
            {depth === 0 ? st('segments.emptyRule') : st('segments.emptyGroup')}
          </Text>
        )}
        {node.children.map((child, index) => (
          <Stack key={child.id} gap="xs">
            {index > 0 && (
              <Divider
                label={
                  <Badge size="xs" variant="light" color={node.op === 'all' ? 'blue' : 'grape'}>
                    {joiner}
                  </Badge>
                }
                labelPosition="left"
              />
            )}
            {child.kind === 'group' ? (
              <GroupEditor node={child} depth={depth + 1} {...shared} />
            ) : (
              <ConditionCard node={child} {...shared} />
            )}
          </Stack>
        ))}
        {!shared.readOnly && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              onClick={() => actions.add(node.id, newCondition())}
              data-testid="add-condition"
            >
              {st('segments.addCondition')}
            </Button>
            {depth < MAX_GROUP_DEPTH && (
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconFolderPlus size={14} />}
                onClick={() => actions.add(node.id, newGroup('any', true))}
                data-testid="add-group"
              >
                {st('segments.addGroup')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ConditionCard({ node, actions, channels, errors, readOnly }: Shared & { node: ConditionNode }) {
  useTranslation(); // re-renders on a language change
  const reason = incompleteReason(node.draft);
  const TypeIcon = TYPE_ICONS[node.draft.type];
  const patch = (change: Partial<ConditionDraft>) =>
    actions.update(node.id, (n) => (n.kind === 'condition' ? { ...n, draft: { ...n.draft, ...change } } : n));
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid="segment-condition"
      data-type={node.draft.type}
      data-incomplete={reason ? 'true' : 'false'}
      style={node.negate ? { borderLeft: '3px solid var(--mantine-color-red-5)' } : undefined}
    >
      <fieldset disabled={readOnly} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="sm" wrap="wrap">
              <Select
                size="xs"
                aria-label={st('segments.conditionType')}
                leftSection={<TypeIcon size={14} />}
                data={CONDITION_TYPES.map((type) => ({ value: type, label: conditionTypeLabel(type) }))}
                value={node.draft.type}
                onChange={(value) =>
                  value &&
                  actions.update(node.id, (n) =>
                    n.kind === 'condition' ? { ...n, draft: emptyDraft(value as ConditionType) } : n,
                  )
                }
                allowDeselect={false}
                w={200}
                data-testid="condition-type"
              />
              <Switch
                size="xs"
                color="red"
                label={st('segments.exclude')}
                checked={node.negate}
                onChange={(event) => {
                  const negate = event.currentTarget.checked;
                  actions.update(node.id, (n) => ({ ...n, negate }));
                }}
                data-testid="condition-negate"
              />
            </Group>
            {!readOnly && (
              <Tooltip label={st('segments.removeCondition')} withArrow>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={st('segments.removeCondition')}
                  onClick={() => actions.remove(node.id)}
                  data-testid="condition-remove"
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
          <ConditionFields draft={node.draft} onChange={patch} channels={channels} />
          {reason && (
            <Text size="xs" c="orange.8" data-testid="condition-incomplete">
              {st(`segments.incomplete.${reason}` as SegmentsKey)}
            </Text>
          )}
          <ServerErrors messages={errors.get(node.id)} />
        </Stack>
      </fieldset>
    </Paper>
  );
}

function ServerErrors({ messages }: { messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <Stack gap={2} data-testid="condition-error">
      {messages.map((message) => (
        <Group key={message} gap={4} wrap="nowrap">
          <IconAlertCircle size={14} color="var(--mantine-color-red-6)" />
          <Text size="xs" c="red.7">
            {message}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
