/**
 * @module Inbox: the agent desk. My presence and "take next" above the views on the left (mine, unassigned,
 * all, mentions, my teams and each team, SLA at risk, with counts), the open conversation
 * in the middle (every channel interleaved, actions, live typing, composer), the customer on the right. The
 * open conversation is in the URL (`?c=`) so it can be linked and survives a reload; J/K walk the list.
 */
import { Box, Grid, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMessages } from '@tabler/icons-react';
import { useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import {
  CONVERSATION_VIEWS,
  useConversation,
  useConversations,
  useMentionable,
  useSetStatus,
  type ConversationView,
} from '../../api/conversations';
import { useMentionAlerts } from '../../api/conversations-live';
import { useCustomer } from '../../api/customers';
import { notifications } from '@mantine/notifications';
import { useUsers } from '../../api/users';
import { ErrorAlert } from '../../components/error-alert';
import { useAuth } from '../../lib/auth-context';
import { notifyError } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useChannelMap } from '../customers/customer-display';
import type { ComposerHandle } from './composer';
import { ConversationList, ViewNav } from './conversation-list';
import { ConversationPane } from './conversation-pane';
import { CustomerSidebar } from './customer-sidebar';
import { useInboxT } from './inbox-i18n';
import { InboxNav } from './inbox-nav';
import { InboxToolbar } from './inbox-toolbar';
import { ShortcutsHelp, useInboxShortcuts } from './shortcuts';

export function InboxPage() {
  const { t } = useInboxT();
  const can = useCan();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const teamId = params.get('team');
  const view: ConversationView =
    params.get('view') === 'team' && teamId
      ? 'team'
      : (CONVERSATION_VIEWS as readonly string[]).includes(params.get('view') ?? '')
        ? (params.get('view') as ConversationView)
        : 'all';
  const selectedId = params.get('c');
  const channels = useChannelMap();
  const list = useConversations({ view, ...(view === 'team' && teamId ? { team_id: teamId } : {}) });
  const conversation = useConversation(selectedId);
  const customer = useCustomer(conversation.data?.customer_id);
  // Agents may not read the staff list (403): ask only when the role can, so the console logs no error.
  const users = useUsers({ enabled: can('users:read') });
  const status = useSetStatus(selectedId ?? '');
  const composer = useRef<ComposerHandle>(null);
  const [helpOpened, help] = useDisclosure(false);
  const canWrite = can('conversations:write');
  const selfId = me.data?.id ?? null;
  const userList = can('users:read') ? users.items : [];

  const select = (id: string | null, nextView = view, nextTeam = teamId) => {
    const next = new URLSearchParams(params);
    next.set('view', nextView);
    if (nextView === 'team' && nextTeam) next.set('team', nextTeam);
    else next.delete('team');
    if (id) next.set('c', id);
    else next.delete('c');
    setParams(next, { replace: true });
  };

  // A note mentioned me: a toast that opens the conversation in the Mentions view.
  const mentionable = useMentionable();
  useMentionAlerts(selfId, ({ conversationId, byUserId }) =>
    notifications.show({
      color: 'red',
      title: t('inbox.mentions.notified', {
        // Events carry ids only: the author's name comes from the staff list.
        name: mentionable.data?.find((u) => u.id === byUserId)?.name ?? '—',
      }),
      message: t('inbox.mentions.open'),
      autoClose: 10_000,
      withBorder: true,
      style: { cursor: 'pointer' },
      onClick: () => select(conversationId, 'mentions'),
      'data-testid': 'mention-alert',
    } as Parameters<typeof notifications.show>[0]),
  );

  const move = (step: 1 | -1) => {
    const index = list.items.findIndex((c) => c.id === selectedId);
    const target = list.items[Math.min(list.items.length - 1, Math.max(0, index + step))];
    if (target) select(target.id);
  };

  const handlers = useMemo(
    () => ({
      next: () => move(1),
      previous: () => move(-1),
      reply: () => composer.current?.focus('reply'),
      note: () => composer.current?.focus('note'),
      resolve: () => {
        if (selectedId && canWrite) status.mutate({ status: 'resolved' }, { onError: (e) => notifyError(e) });
      },
      help: help.open,
    }),
    [list.items, selectedId, canWrite, params],
  );
  useInboxShortcuts(handlers);

  return (
    <Box>
      <InboxNav active="desk" />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          {canWrite && <InboxToolbar selfId={selfId} onTaken={(id) => select(id, 'mine')} />}
          <ViewNav view={view} teamId={teamId} onChange={(v, team) => select(null, v, team ?? null)} />
          <Box mt="sm">
            <ConversationList
              items={list.items}
              isPending={list.isPending}
              error={list.error}
              refetch={list.refetch}
              hasNextPage={list.hasNextPage}
              isFetchingNextPage={list.isFetchingNextPage}
              fetchNextPage={list.fetchNextPage}
              selectedId={selectedId}
              onSelect={(id) => select(id)}
              channels={channels}
              showSla={view === 'sla_at_risk'}
            />
          </Box>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 6 }}>
          {!selectedId ? (
            <Paper withBorder radius="md" p="xl" ta="center" data-testid="inbox-no-selection">
              <IconMessages size={32} stroke={1.4} />
              <Text c="dimmed" size="sm" mt="xs">
                {t('inbox.pane.pick')}
              </Text>
            </Paper>
          ) : conversation.error ? (
            <ErrorAlert error={conversation.error} onRetry={() => void conversation.refetch()} />
          ) : conversation.data ? (
            <ConversationPane
              ref={composer}
              conversation={conversation.data}
              customer={customer.data}
              channels={channels}
              users={userList}
              selfId={selfId}
              canWrite={canWrite}
              onHelp={help.open}
              onOpen={(id) => select(id)}
            />
          ) : (
            <Paper withBorder radius="md" p="xl" data-testid="thread-loading" />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          {conversation.data && (
            <CustomerSidebar
              conversation={conversation.data}
              customer={customer.data}
              customerError={customer.error}
              channels={channels}
              onOpen={(id) => select(id)}
            />
          )}
        </Grid.Col>
      </Grid>
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </Box>
  );
}
