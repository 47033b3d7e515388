/**
 * @module The thread of one conversation: every channel interleaved in time order, each message with its
 * channel's icon and name and its direction (customer → us, us → customer), private notes set apart in
 * yellow, attachments to download and the delivery status of replies (a failed one shows why). A message's
 * menu splits the conversation from it (a new topic).
 */
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  Paper,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowsSplit2,
  IconDots,
  IconArrowDownLeft,
  IconArrowUpRight,
  IconCheck,
  IconChecks,
  IconClock,
  IconLock,
  IconPaperclip,
  IconX,
} from '@tabler/icons-react';
import { attachmentPath, type Message, type MessageAttachment } from '../../api/conversations';
import type { Channel } from '../../api/types';
import { ChannelKindIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime, formatNumber } from '../../lib/format';
import { notifyError } from '../../lib/notify';
import { getToken } from '../../lib/session';
import { label, useInboxT } from './inbox-i18n';

/** Fetches with the session's bearer token (a plain link would carry none) and hands the file to the browser. */
async function download(conversationId: string, attachment: MessageAttachment) {
  try {
    const response = await fetch(attachmentPath(conversationId, attachment.id), {
      headers: { Authorization: `Bearer ${getToken() ?? ''}` },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = attachment.filename;
    link.click();
    URL.revokeObjectURL(url);
  } catch (error) {
    notifyError(error);
  }
}

/** The body as plain text: the server sanitizes html, but the desk shows text only (no remote content). */
function bodyText(message: Message): string {
  if (message.text) return message.text;
  if (!message.html) return '';
  return new DOMParser().parseFromString(message.html, 'text/html').body.textContent ?? '';
}

const DELIVERY_ICONS: Record<string, typeof IconCheck> = {
  queued: IconClock,
  sent: IconCheck,
  delivered: IconChecks,
  read: IconChecks,
  failed: IconX,
  undelivered: IconX,
};

function Delivery({ message }: { message: Message }) {
  const Icon = DELIVERY_ICONS[message.delivery_status];
  if (!Icon) return null;
  const failed = message.delivery_status === 'failed' || message.delivery_status === 'undelivered';
  return (
    <Tooltip
      label={message.delivery_error ?? label('delivery', message.delivery_status)}
      withArrow
      multiline
      maw={320}
    >
      <Group
        gap={2}
        c={failed ? 'red' : message.delivery_status === 'read' ? 'blue' : 'dimmed'}
        data-testid="message-delivery"
      >
        <Icon size={14} />
        <Text size="xs">{label('delivery', message.delivery_status)}</Text>
      </Group>
    </Tooltip>
  );
}

function Bubble(props: {
  message: Message;
  channels: Map<string, Channel>;
  authorName: (m: Message) => string;
  onSplit?: (() => void) | undefined;
}) {
  const { t } = useInboxT();
  const { message: m } = props;
  const note = m.kind === 'note';
  const inbound = m.direction === 'in';
  const channel = m.channel_id ? props.channels.get(m.channel_id) : undefined;
  return (
    <Group
      justify={inbound ? 'flex-start' : 'flex-end'}
      data-testid={note ? 'thread-note' : 'thread-message'}
    >
      <Paper
        radius="md"
        p="sm"
        maw="78%"
        withBorder
        data-direction={m.direction}
        data-channel-kind={m.channel_kind ?? undefined}
        style={{
          background: note
            ? 'var(--mantine-color-yellow-light)'
            : inbound
              ? 'var(--mantine-color-body)'
              : 'var(--mantine-color-blue-light)',
          borderStyle: note ? 'dashed' : undefined,
          borderColor: note ? 'var(--mantine-color-yellow-6)' : undefined,
        }}
      >
        <Group gap={6} mb={4} wrap="nowrap">
          {note ? (
            <Badge size="xs" color="yellow" variant="filled" leftSection={<IconLock size={10} />}>
              {t('inbox.thread.note')}
            </Badge>
          ) : (
            <Tooltip label={channel?.name ?? m.channel_kind ?? ''} withArrow>
              <Group gap={2} c="dimmed" wrap="nowrap" data-testid="message-channel">
                {inbound ? <IconArrowDownLeft size={12} /> : <IconArrowUpRight size={12} />}
                <ChannelKindIcon kind={m.channel_kind ?? ''} size={14} />
                <Text size="xs">{channel?.name ?? m.channel_kind}</Text>
              </Group>
            </Tooltip>
          )}
          <Text size="xs" fw={600}>
            {props.authorName(m)}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(m.created_at)}
          </Text>
          {props.onSplit && (
            <Menu withinPortal position="bottom-end">
              <Menu.Target>
                <ActionIcon
                  size="xs"
                  variant="subtle"
                  color="gray"
                  ml="auto"
                  aria-label={t('inbox.split.action')}
                  data-testid="message-menu"
                >
                  <IconDots size={12} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  leftSection={<IconArrowsSplit2 size={14} />}
                  onClick={props.onSplit}
                  data-testid="message-split"
                >
                  {t('inbox.split.action')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
        {m.subject && (
          <Text size="sm" fw={600}>
            {m.subject}
          </Text>
        )}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {bodyText(m)}
        </Text>
        {m.attachments.length > 0 && (
          <Group gap={4} mt={6}>
            {m.attachments.map((a) => (
              <Button
                key={a.id}
                size="compact-xs"
                variant="default"
                leftSection={<IconPaperclip size={12} />}
                onClick={() => void download(m.conversation_id, a)}
                data-testid="message-attachment"
              >
                {a.filename} · {formatNumber(Math.ceil(a.size / 1024))} KB
              </Button>
            ))}
          </Group>
        )}
        {!inbound && !note && (
          <Group justify="flex-end" mt={4}>
            <Delivery message={m} />
          </Group>
        )}
      </Paper>
    </Group>
  );
}

interface ThreadProps {
  messages: Message[];
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => unknown;
  channels: Map<string, Channel>;
  authorName: (m: Message) => string;
  /** Starts a new conversation from a message (not offered on the first: something must stay). */
  onSplit?: ((messageId: string) => void) | undefined;
}

export function MessageThread(props: ThreadProps) {
  const { t } = useInboxT();
  if (props.isPending)
    return (
      <Center p="xl" data-testid="thread-loading">
        <Loader size="sm" />
      </Center>
    );
  if (props.error) return <ErrorAlert error={props.error} onRetry={() => void props.refetch()} />;
  return (
    <Stack gap="sm" data-testid="thread">
      {props.hasOlder && (
        <Center>
          <Button
            size="xs"
            variant="subtle"
            loading={props.loadingOlder}
            onClick={() => void props.loadOlder()}
          >
            {t('inbox.thread.older')}
          </Button>
        </Center>
      )}
      {props.messages.length === 0 && (
        <Text c="dimmed" size="sm" ta="center">
          {t('inbox.thread.empty')}
        </Text>
      )}
      {props.messages.map((m, i) => (
        <Bubble
          key={m.id}
          message={m}
          channels={props.channels}
          authorName={props.authorName}
          onSplit={props.onSplit && i > 0 && !props.hasOlder ? () => props.onSplit!(m.id) : undefined}
        />
      ))}
      <Box />
    </Stack>
  );
}
