/**
 * @module The middle of the inbox: the open conversation's header (status, SLA, bot handoff, CSAT) with the
 * agent's actions (assign to me, transfer to an agent or team with a note, unassign, status with snooze,
 * priority, labels), the interleaved thread, who else is replying or the customer typing (the collision
 * indicator) and the composer; each message (but the first) can start a new conversation (split). A merged
 * conversation is read-only: a banner links to the one it went into and can undo the merge. Opening it tells the realtime hub this
 * agent is viewing it.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  ScrollArea,
  Select,
  Stack,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlarmSnooze,
  IconCheck,
  IconChevronDown,
  IconKeyboard,
  IconUserCheck,
  IconUserX,
} from '@tabler/icons-react';
import { forwardRef, useEffect, useRef } from 'react';
import {
  CONVERSATION_STATUSES,
  PRIORITIES,
  useAssign,
  useSetStatus,
  useSplit,
  useThread,
  useUpdateConversation,
  type ConversationDetail,
  type ConversationStatus,
  type Message,
  type Priority,
} from '../../api/conversations';
import { useAnnounceTyping, useTypists, useViewing } from '../../api/conversations-live';
import type { Customer } from '../../api/customer-types';
import type { Channel, User } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { customerName } from '../customers/customer-display';
import { Composer, type ComposerHandle } from './composer';
import { STATUS_COLORS, useWaited } from './conversation-list';
import { label, useInboxT } from './inbox-i18n';
import { MergedBanner } from './merged-banner';
import { MessageThread } from './message-thread';
import { CsatBadge, HandoffBadge, SlaBadge, TeamBadge, TransferButton } from './pane-routing';

/** Snooze choices, in hours from now (tomorrow and next week start at 9:00 local). */
function snoozeUntil(choice: 'hour' | 'tomorrow' | 'week'): string {
  const d = new Date();
  if (choice === 'hour') d.setHours(d.getHours() + 1);
  else {
    d.setDate(d.getDate() + (choice === 'tomorrow' ? 1 : 7));
    d.setHours(9, 0, 0, 0);
  }
  return d.toISOString();
}

interface Props {
  conversation: ConversationDetail;
  customer: Customer | undefined;
  channels: Map<string, Channel>;
  users: User[];
  selfId: string | null;
  canWrite: boolean;
  onHelp: () => void;
  /** Opens another conversation (the one this was merged into, or one split off). */
  onOpen: (id: string) => void;
}

export const ConversationPane = forwardRef<ComposerHandle, Props>(
  function ConversationPane(props, composerRef) {
    const { t } = useInboxT();
    const { conversation: c, users } = props;
    const thread = useThread(c.id);
    const assign = useAssign(c.id);
    const status = useSetStatus(c.id);
    const update = useUpdateConversation(c.id);
    const split = useSplit(c.id);
    const merged = c.status === 'merged';
    const canWrite = props.canWrite && !merged;
    const splitFrom = (messageId: string) =>
      split.mutate(messageId, {
        onSuccess: (result) => {
          notifySuccess(t('inbox.split.done'));
          props.onOpen(result.conversation.id);
        },
        onError: (error) => notifyError(error),
      });
    useViewing(c.id);
    const typists = useTypists(c.id, props.selfId);
    const announce = useAnnounceTyping(c.id);
    const waited = useWaited(c.status === 'resolved' ? null : c.waiting_since);
    const viewport = useRef<HTMLDivElement>(null);

    // Newest at the bottom: follow new messages as they arrive.
    const count = thread.messages.length;
    useEffect(() => {
      viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
    }, [count, c.id]);

    const userName = (id: string | null) =>
      users.find((u) => u.id === id)?.name ?? (id === props.selfId ? t('inbox.pane.you') : (id ?? ''));
    const authorName = (m: Message) =>
      m.author.type === 'customer'
        ? props.customer
          ? customerName(props.customer)
          : (m.address ?? '')
        : m.author.type === 'staff'
          ? userName(m.author.id)
          : label('authors', m.author.type);

    const onError = (error: unknown) => notifyError(error);
    const setStatus = (next: ConversationStatus, snoozed_until?: string) =>
      status.mutate(snoozed_until ? { status: next, snoozed_until } : { status: next }, { onError });

    const others = typists.filter((x) => x.type === 'staff');
    const customerTyping = typists.some((x) => x.type === 'customer');

    return (
      <Stack gap="sm" h="100%">
        <Paper withBorder radius="md" p="sm">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
            <Stack gap={2}>
              <Title order={4} data-testid="pane-customer-name">
                {props.customer ? customerName(props.customer) : '…'}
              </Title>
              <Group gap={6}>
                <Badge size="sm" variant="light" color={STATUS_COLORS[c.status]} data-testid="pane-status">
                  {label('statuses', c.status)}
                </Badge>
                {c.status === 'snoozed' && c.snoozed_until && (
                  <Text size="xs" c="dimmed">
                    {t('inbox.pane.snoozedUntil', { time: formatDateTime(c.snoozed_until) })}
                  </Text>
                )}
                <Text size="xs" c="dimmed" data-testid="pane-assignee">
                  {c.assignee_id
                    ? t('inbox.pane.assignedTo', { name: userName(c.assignee_id) })
                    : t('inbox.pane.unassigned')}
                </Text>
                {waited && (
                  <Badge size="sm" variant="light" color="orange">
                    {t('inbox.list.waiting', { time: waited })}
                  </Badge>
                )}
                <TeamBadge teamId={c.team_id} />
                <SlaBadge conversationId={c.id} />
                <HandoffBadge conversation={c} />
                <CsatBadge conversation={c} />
              </Group>
            </Stack>
            {canWrite && (
              <Group gap={6} wrap="wrap">
                {c.assignee_id !== props.selfId && props.selfId && (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconUserCheck size={14} />}
                    loading={assign.isPending}
                    onClick={() => assign.mutate(props.selfId, { onError })}
                    data-testid="pane-assign-me"
                  >
                    {t('inbox.pane.assignMe')}
                  </Button>
                )}
                <TransferButton conversation={c} users={users} />
                {c.assignee_id && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="gray"
                    leftSection={<IconUserX size={14} />}
                    onClick={() => assign.mutate(null, { onError })}
                    data-testid="pane-unassign"
                  >
                    {t('inbox.pane.unassign')}
                  </Button>
                )}
                <Menu withinPortal position="bottom-end">
                  <Menu.Target>
                    <Button
                      size="xs"
                      variant="default"
                      rightSection={<IconChevronDown size={14} />}
                      loading={status.isPending}
                      data-testid="pane-status-menu"
                    >
                      {t('inbox.pane.status')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {CONVERSATION_STATUSES.filter((s) => s !== 'snoozed' && s !== c.status).map((s) => (
                      <Menu.Item key={s} onClick={() => setStatus(s)} data-testid={`pane-status-${s}`}>
                        {label('statuses', s)}
                      </Menu.Item>
                    ))}
                    <Menu.Label>{t('inbox.pane.snooze')}</Menu.Label>
                    {(['hour', 'tomorrow', 'week'] as const).map((choice) => (
                      <Menu.Item
                        key={choice}
                        leftSection={<IconAlarmSnooze size={14} />}
                        onClick={() => setStatus('snoozed', snoozeUntil(choice))}
                        data-testid={`pane-snooze-${choice}`}
                      >
                        {t(`inbox.pane.snooze_${choice}`)}
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
                {c.status !== 'resolved' && (
                  <Button
                    size="xs"
                    color="teal"
                    leftSection={<IconCheck size={14} />}
                    onClick={() => setStatus('resolved')}
                    data-testid="pane-resolve"
                  >
                    {t('inbox.pane.resolve')}
                  </Button>
                )}
                <Button
                  size="xs"
                  variant="subtle"
                  onClick={props.onHelp}
                  aria-label={t('inbox.shortcuts.title')}
                  px={6}
                >
                  <IconKeyboard size={16} />
                </Button>
              </Group>
            )}
          </Group>
          {merged && c.merged_into_id && (
            <MergedBanner conversation={c} canUndo={props.canWrite} onOpen={props.onOpen} />
          )}
          {canWrite && (
            <Group gap="xs" mt="xs" wrap="wrap">
              <Select
                size="xs"
                w={130}
                value={c.priority}
                onChange={(p) => p && update.mutate({ priority: p as Priority }, { onError })}
                data={PRIORITIES.map((p) => ({ value: p, label: label('priorities', p) }))}
                allowDeselect={false}
                aria-label={t('inbox.pane.priority')}
                data-testid="pane-priority"
              />
              <TagsInput
                size="xs"
                style={{ flex: 1, minWidth: 200 }}
                value={c.labels}
                onChange={(labels) => update.mutate({ labels }, { onError })}
                placeholder={t('inbox.pane.labels')}
                aria-label={t('inbox.pane.labels')}
                data-testid="pane-labels"
              />
            </Group>
          )}
        </Paper>
        <ScrollArea
          viewportRef={viewport}
          style={{ flex: 1 }}
          mih={240}
          mah="calc(100vh - 520px)"
          offsetScrollbars
        >
          <MessageThread
            messages={thread.messages}
            isPending={thread.isPending}
            error={thread.error}
            refetch={thread.refetch}
            hasOlder={thread.hasNextPage}
            loadingOlder={thread.isFetchingNextPage}
            loadOlder={thread.fetchNextPage}
            channels={props.channels}
            authorName={authorName}
            onSplit={canWrite ? splitFrom : undefined}
          />
        </ScrollArea>
        {(others.length > 0 || customerTyping) && (
          <Alert
            variant="light"
            color={others.length ? 'orange' : 'blue'}
            py={6}
            data-testid="collision-indicator"
          >
            <Text size="sm">
              {others.length
                ? t('inbox.pane.replying', {
                    // The server names the agent (her name, or email without one); the user list is not every role's to read.
                    name: others.map((o) => o.name ?? userName(o.id)).join(', '),
                  })
                : t('inbox.pane.customerTyping')}
            </Text>
          </Alert>
        )}
        {canWrite && (
          <Composer
            ref={composerRef}
            conversation={c}
            customer={props.customer}
            channels={props.channels}
            onTyping={announce}
          />
        )}
      </Stack>
    );
  },
);
