/**
 * @module The inbox's left column: the views (mine, unassigned, all, mentions, my teams, each of my teams, SLA
 * at risk — with the server's counts of active conversations; mentions counts unread ones) and the
 * selected view's conversations, each with the channel the customer last wrote on, the customer's name, status,
 * priority, a bot handoff, labels, how long the customer has been waiting and, in the SLA view, the SLA status.
 */
import { Badge, Box, Group, NavLink, Paper, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import {
  IconAlarm,
  IconAt,
  IconClockHour4,
  IconHierarchy2,
  IconUser,
  IconUserQuestion,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { request } from '../../api/client';
import {
  CONVERSATION_VIEWS,
  useViewCounts,
  type Conversation,
  type ConversationView,
} from '../../api/conversations';
import type { CustomerDetail } from '../../api/customer-types';
import { customerKeys } from '../../api/customers';
import type { Channel } from '../../api/types';
import { ChannelKindIcon } from '../../components/channel-icon';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTime } from '../../lib/format';
import { customerName } from '../customers/customer-display';
import { label, useInboxT } from './inbox-i18n';
import { HANDOFF_LABEL, HandoffBadge, SlaBadge } from './pane-routing';

const VIEW_ICONS: Record<ConversationView, typeof IconUser> = {
  mine: IconUser,
  unassigned: IconUserQuestion,
  all: IconUsersGroup,
  mentions: IconAt,
  my_teams: IconUsers,
  team: IconHierarchy2,
  sla_at_risk: IconAlarm,
};

export const PRIORITY_COLORS: Record<string, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};
export const STATUS_COLORS: Record<string, string> = {
  open: 'teal',
  pending: 'yellow',
  snoozed: 'grape',
  resolved: 'gray',
  merged: 'gray',
};

function ViewLink(props: {
  view: ConversationView;
  label: string;
  testId: string;
  count: number | undefined;
  /** Mentions: the count is of unread ones, shown in red when there are any. */
  alert?: boolean;
  active: boolean;
  indent?: boolean;
  onSelect: () => void;
}) {
  const Icon = VIEW_ICONS[props.view];
  return (
    <NavLink
      label={props.label}
      leftSection={<Icon size={18} stroke={1.6} />}
      active={props.active}
      onClick={props.onSelect}
      data-testid={`inbox-view-${props.testId}`}
      pl={props.indent ? 'xl' : undefined}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      rightSection={
        props.count !== undefined ? (
          <Badge
            size="sm"
            color={props.alert && props.count > 0 ? 'red' : undefined}
            variant={props.active ? 'filled' : 'light'}
            data-testid={`inbox-count-${props.testId}`}
          >
            {props.count}
          </Badge>
        ) : null
      }
    />
  );
}

export function ViewNav({
  view,
  teamId,
  onChange,
}: {
  view: ConversationView;
  teamId: string | null;
  onChange: (v: ConversationView, teamId?: string) => void;
}) {
  const counts = useViewCounts();
  const teams = counts.data?.teams ?? [];
  return (
    <Stack gap={2}>
      {CONVERSATION_VIEWS.map((v) => (
        <Box key={v}>
          <ViewLink
            view={v}
            label={label('views', v)}
            testId={v}
            count={counts.data?.views[v]}
            alert={v === 'mentions'}
            active={v === view}
            onSelect={() => onChange(v)}
          />
          {v === 'my_teams' &&
            teams.map((team) => (
              <ViewLink
                key={team.id}
                view="team"
                label={team.name}
                testId={`team-${team.id}`}
                count={team.count}
                active={view === 'team' && teamId === team.id}
                indent
                onSelect={() => onChange('team', team.id)}
              />
            ))}
        </Box>
      ))}
    </Stack>
  );
}

/** "12 min", "3 h", "2 d": how long someone has waited, refreshed every minute. */
export function useWaited(since: string | null): string | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  if (!since) return null;
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  const format = (value: number, unit: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: 'unit',
      unit,
      unitDisplay: 'narrow',
    }).format(value);
  if (minutes < 60) return format(minutes, 'minute');
  if (minutes < 48 * 60) return format(Math.floor(minutes / 60), 'hour');
  return format(Math.floor(minutes / 1440), 'day');
}

function Row(props: {
  conversation: Conversation;
  name: string | undefined;
  channel: Channel | undefined;
  selected: boolean;
  showSla: boolean;
  onSelect: () => void;
}) {
  const { t } = useInboxT();
  const { conversation: c, channel } = props;
  const waited = useWaited(c.status === 'resolved' ? null : c.waiting_since);
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      onClick={props.onSelect}
      data-testid="inbox-row"
      data-conversation-id={c.id}
      data-selected={props.selected || undefined}
      style={{
        cursor: 'pointer',
        borderColor: props.selected ? 'var(--mantine-color-blue-5)' : undefined,
        background: props.selected ? 'var(--mantine-color-blue-light)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Tooltip label={channel?.name ?? t('inbox.list.noChannel')} withArrow>
            <Box c="dimmed" style={{ display: 'flex' }} data-testid="inbox-row-channel">
              <ChannelKindIcon kind={channel?.kind ?? ''} />
            </Box>
          </Tooltip>
          <Text fw={600} size="sm" truncate data-testid="inbox-row-name">
            {props.name ?? '…'}
          </Text>
        </Group>
      </Group>
      <Group gap={4} mt={6}>
        <Badge size="xs" variant="light" color={STATUS_COLORS[c.status]}>
          {label('statuses', c.status)}
        </Badge>
        {c.priority !== 'normal' && (
          <Badge size="xs" variant="outline" color={PRIORITY_COLORS[c.priority]}>
            {label('priorities', c.priority)}
          </Badge>
        )}
        <HandoffBadge conversation={c} size="xs" />
        {c.unread_mentions ? (
          <Badge size="xs" color="red" leftSection={<IconAt size={10} />} data-testid="inbox-row-mention">
            {t('inbox.mentions.unread', { count: c.unread_mentions })}
          </Badge>
        ) : null}
        {props.showSla && <SlaBadge conversationId={c.id} size="xs" />}
        {c.labels
          .filter((l) => l !== HANDOFF_LABEL)
          .slice(0, 3)
          .map((l) => (
            <Badge key={l} size="xs" variant="default" tt="none">
              {l}
            </Badge>
          ))}
        {waited && (
          <Badge
            size="xs"
            variant="light"
            color="orange"
            leftSection={<IconClockHour4 size={10} />}
            data-testid="inbox-row-waiting"
          >
            {t('inbox.list.waiting', { time: waited })}
          </Badge>
        )}
        <Text size="xs" c="dimmed" ml="auto">
          {formatDateTime(c.last_message_at)}
        </Text>
      </Group>
    </Paper>
  );
}

interface ListProps {
  items: Conversation[];
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  selectedId: string | null;
  onSelect: (id: string) => void;
  channels: Map<string, Channel>;
  /** Each row shows its SLA status (one request per row: only in the SLA view). */
  showSla: boolean;
}

export function ConversationList(props: ListProps) {
  const { t } = useInboxT();
  // Names come from the customer profiles (cached, shared with the sidebar); the list route carries ids only.
  const customerIds = [...new Set(props.items.map((c) => c.customer_id))];
  const customers = useQueries({
    queries: customerIds.map((id) => ({
      queryKey: customerKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        request<CustomerDetail>(`/v1/customers/${encodeURIComponent(id)}`, { signal }),
      staleTime: 60_000,
    })),
  });
  const names = new Map(customerIds.map((id, i) => [id, customers[i]?.data]));

  return (
    <ListState
      isPending={props.isPending}
      error={props.error}
      isEmpty={props.items.length === 0}
      onRetry={() => void props.refetch()}
      emptyTitle={t('inbox.list.emptyTitle')}
      emptyDescription={t('inbox.list.emptyDescription')}
    >
      {/* Vertical only, and the content no wider than the column: Autosize otherwise grows it to its widest
          row (min-content), so long names never truncate and the row's right edge is cut off. */}
      <ScrollArea.Autosize
        mah="calc(100vh - 260px)"
        offsetScrollbars="y"
        scrollbars="y"
        styles={{ content: { minWidth: 0 } }}
      >
        <Stack gap="xs" data-testid="inbox-list">
          {props.items.map((c) => {
            const customer = names.get(c.customer_id);
            return (
              <Row
                key={c.id}
                conversation={c}
                name={customer ? customerName(customer) : undefined}
                channel={
                  c.last_inbound_channel_id ? props.channels.get(c.last_inbound_channel_id) : undefined
                }
                selected={c.id === props.selectedId}
                showSla={props.showSla}
                onSelect={() => props.onSelect(c.id)}
              />
            );
          })}
        </Stack>
        <LoadMore
          hasNextPage={props.hasNextPage}
          isFetchingNextPage={props.isFetchingNextPage}
          fetchNextPage={props.fetchNextPage}
        />
      </ScrollArea.Autosize>
    </ListState>
  );
}
