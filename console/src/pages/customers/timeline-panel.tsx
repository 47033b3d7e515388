/**
 * @module The unified timeline of one customer: every interaction from every channel and module, newest
 * first, each naming its channel; filters by channel and kind, "Load more" for older entries, and the raw
 * entry data on demand.
 */
import { Badge, Button, Collapse, Group, Select, Stack, Text, Timeline } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconTimeline } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../api/customer-types';
import { useTimeline } from '../../api/timeline';
import type { Channel } from '../../api/types';
import { ChannelBadge, ChannelKindIcon } from '../../components/channel-icon';
import { JsonView } from '../../components/json-view';
import { ListState, LoadMore } from '../../components/list-state';
import i18n from '../../i18n';
import { formatDateTimePrecise } from '../../lib/format';
import { areaTranslator, type AreaKey } from '../../i18n/area-translation';

/** Kinds the modules emit today; others still show and can be filtered once seen. */
const KNOWN_KINDS = [
  'track',
  'page',
  'screen',
  'identify',
  'alias',
  'group',
  'customer',
  'consent',
  'order',
  'sale',
  'return',
  'message',
  'conversation',
  'delivery',
  'feedback',
] as const;

const KIND_COLORS: Record<string, string> = {
  track: 'blue',
  page: 'cyan',
  screen: 'cyan',
  identify: 'gray',
  alias: 'gray',
  group: 'gray',
  customer: 'indigo',
  consent: 'teal',
  order: 'orange',
  sale: 'orange',
  return: 'red',
  message: 'violet',
  conversation: 'violet',
  delivery: 'lime',
  feedback: 'yellow',
};

/**
 * What happened, in the reader's language: tracking page/screen/group/alias and known event types have a
 * message; a tracked event's own name (chosen by the business) and unknown types show as the server sent them.
 */
// One summary per event type every module emits: a large, growing list, typed apart from the shared keys.
const summaries = areaTranslator<'timelineSummaries'>();

export function entrySummary(entry: TimelineEntry): string {
  const key = entry.source === 'event' ? entry.type.replace(/\./g, '_') : entry.kind;
  if (entry.source === 'tracking' && entry.kind === 'track') return entry.summary;
  const name = entry.source === 'tracking' && entry.type !== entry.kind ? entry.type : '';
  return summaries(`timelineSummaries.${key}` as AreaKey<'timelineSummaries'>, {
    name,
    defaultValue: entry.summary,
  }).trim();
}

export function kindLabel(kind: string): string {
  return i18n.t(`customers.timeline.kinds.${kind}` as 'customers.timeline.kinds.track', {
    defaultValue: kind,
  });
}

interface Props {
  customerId: string;
  channels: Map<string, Channel>;
}

export function TimelinePanel({ customerId, channels }: Props) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  const timeline = useTimeline(customerId, { channel, kind });
  const filtered = channel !== null || kind !== null;

  const seenKinds = new Set<string>(KNOWN_KINDS);
  for (const entry of timeline.items) seenKinds.add(entry.kind);
  if (kind) seenKinds.add(kind);

  return (
    <Stack gap="md" data-testid="customer-timeline">
      <Group gap="sm" wrap="wrap">
        <Select
          aria-label={t('customers.timeline.filterChannel')}
          placeholder={t('customers.timeline.allChannels')}
          data={[...channels.values()].map((c) => ({ value: c.id, label: c.name }))}
          value={channel}
          onChange={setChannel}
          clearable
          searchable
          w={220}
          clearButtonProps={{ 'aria-label': t('customers.timeline.allChannels') }}
          renderOption={({ option }) => {
            const known = channels.get(option.value);
            return (
              <Group gap={6} wrap="nowrap">
                <ChannelKindIcon kind={known?.kind ?? ''} size={14} />
                <Text size="sm">{option.label}</Text>
              </Group>
            );
          }}
          data-testid="timeline-channel-filter"
        />
        <Select
          aria-label={t('customers.timeline.filterKind')}
          placeholder={t('customers.timeline.allKinds')}
          data={[...seenKinds].map((k) => ({ value: k, label: kindLabel(k) }))}
          value={kind}
          onChange={setKind}
          clearable
          searchable
          w={200}
          clearButtonProps={
            { 'aria-label': t('customers.timeline.allKinds'), 'data-testid': 'timeline-kind-clear' } as object
          }
          data-testid="timeline-kind-filter"
        />
      </Group>
      <ListState
        isPending={timeline.isPending}
        error={timeline.error}
        onRetry={() => void timeline.refetch()}
        isEmpty={timeline.items.length === 0}
        emptyIcon={<IconTimeline size={28} />}
        emptyTitle={
          filtered ? t('customers.timeline.emptyFilteredTitle') : t('customers.timeline.emptyTitle')
        }
        emptyDescription={
          filtered ? t('customers.timeline.emptyFilteredBody') : t('customers.timeline.emptyBody')
        }
      >
        <Timeline bulletSize={22} lineWidth={2} active={-1}>
          {timeline.items.map((entry) => (
            <Timeline.Item
              key={entry.id}
              bullet={
                <ChannelKindIcon
                  kind={entry.channel_id ? (channels.get(entry.channel_id)?.kind ?? '') : ''}
                  size={12}
                />
              }
              data-testid="timeline-entry"
              data-kind={entry.kind}
            >
              <TimelineItem entry={entry} channels={channels} />
            </Timeline.Item>
          ))}
        </Timeline>
        <LoadMore {...timeline} />
      </ListState>
    </Stack>
  );
}

function TimelineItem({ entry, channels }: { entry: TimelineEntry; channels: Map<string, Channel> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const hasData = Object.keys(entry.data).length > 0;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
          <Badge size="sm" variant="light" color={KIND_COLORS[entry.kind] ?? 'gray'}>
            {kindLabel(entry.kind)}
          </Badge>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="timeline-entry-summary">
            {entrySummary(entry)}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTimePrecise(entry.occurred_at)}
        </Text>
      </Group>
      <Group gap="xs" wrap="wrap">
        {entry.channel_id ? (
          <ChannelBadge id={entry.channel_id} channels={channels} />
        ) : (
          <Badge size="sm" variant="outline" color="gray" tt="none" fw={500} data-testid="channel-badge">
            {t('customers.timeline.noChannel')}
          </Badge>
        )}
        <Text size="xs" c="dimmed" ff="monospace">
          {entry.type}
        </Text>
        {hasData && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            rightSection={open ? <IconChevronUp size={12} /> : <IconChevronDown size={12} />}
            onClick={() => setOpen((value) => !value)}
            data-testid="timeline-entry-details"
          >
            {t('customers.timeline.details')}
          </Button>
        )}
      </Group>
      {hasData && (
        <Collapse expanded={open}>
          <JsonView value={entry.data} maxHeight={240} />
        </Collapse>
      )}
    </Stack>
  );
}
