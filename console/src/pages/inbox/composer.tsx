/**
 * @module The composer: a reply on a channel the customer can be reached on (the switcher defaults to the
 * channel they last wrote on and marks channels their consent refuses), or a private note with @mentions
 * (typing `@` offers the colleagues who can read conversations; the picked ones are sent as `mention_ids`);
 * canned responses kept on the server — typing `/` and a shortcut, or the menu, inserts the response rendered
 * by the server for this conversation (variables filled, in the customer's language); attachments; Ctrl+Enter
 * sends. The server has the last word: a refusal (consent, the WhatsApp window, no address on that channel)
 * shows here with its reason, the text kept.
 */
import {
  ActionIcon,
  Badge,
  Button,
  CloseButton,
  FileButton,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconAt, IconMessage2, IconNote, IconPaperclip, IconSend, IconSettings } from '@tabler/icons-react';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useConsents } from '../../api/consent';
import {
  renderCanned,
  useAddNote,
  useCannedResponses,
  useMentionable,
  useReply,
  type CannedResponse,
  type ConversationDetail,
  type Mentionable,
  type OutgoingAttachment,
} from '../../api/conversations';
import type { Customer } from '../../api/customer-types';
import type { Channel } from '../../api/types';
import { ChannelKindIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { notifyError } from '../../lib/notify';
import { useInboxT } from './inbox-i18n';

/** Channel kinds a reply can leave on, and the consent channel each answers to (as outbound.ts maps them). */
const CONSENT_OF: Record<string, string> = {
  email: 'email',
  sms: 'sms',
  whatsapp: 'whatsapp',
  messenger: 'messenger',
  instagram: 'messenger',
  webchat: 'in_app',
  phone: 'phone',
};
const REFUSED = new Set(['denied', 'withdrawn']);

export type ComposerMode = 'reply' | 'note';
export interface ComposerHandle {
  focus(mode?: ComposerMode): void;
}

interface Props {
  conversation: ConversationDetail;
  customer: Customer | undefined;
  channels: Map<string, Channel>;
  onTyping: () => void;
}

/** Folds case and accents, so "@ana" finds "Ana García" and "/GRE" finds "greet". */
const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** The `/shortcut` or `@name` being typed at the end of the text, if any. */
const SLASH = /(^|\s)\/([a-z0-9_-]*)$/;
const MENTION = /(^|\s)@([\p{L}\p{N}_.-]*)$/u;

function Suggestions<T>(props: {
  items: T[];
  testId: string;
  itemTestId: string;
  render: (item: T) => ReactNode;
  onPick: (item: T) => void;
}) {
  if (props.items.length === 0) return null;
  return (
    <Paper withBorder shadow="sm" radius="md" p={4} data-testid={props.testId}>
      <Stack gap={0}>
        {props.items.slice(0, 8).map((item, i) => (
          <Button
            key={i}
            variant={i === 0 ? 'light' : 'subtle'}
            justify="flex-start"
            size="compact-sm"
            onMouseDown={(e) => {
              e.preventDefault(); // keep the focus in the text box
              props.onPick(item);
            }}
            data-testid={props.itemTestId}
          >
            {props.render(item)}
          </Button>
        ))}
      </Stack>
    </Paper>
  );
}

const toBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });

export const Composer = forwardRef<ComposerHandle, Props>(function Composer(props, ref) {
  const { t } = useInboxT();
  const { conversation, customer, channels } = props;
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [channelId, setChannelId] = useState<string | null>(conversation.last_inbound_channel_id);
  /** Colleagues picked from the @ list: sent as mention_ids while "@Name" is still in the text. */
  const [mentioned, setMentioned] = useState<Mentionable[]>([]);
  const canned = useCannedResponses();
  const mentionable = useMentionable();
  const navigate = useNavigate();
  const input = useRef<HTMLTextAreaElement>(null);
  const reply = useReply(conversation.id);
  const note = useAddNote(conversation.id);
  const consents = useConsents(conversation.customer_id);

  useImperativeHandle(ref, () => ({
    focus(next) {
      if (next) setMode(next);
      input.current?.focus();
    },
  }));

  // A different conversation starts from its customer's last channel, with an empty box.
  useEffect(() => {
    setChannelId(conversation.last_inbound_channel_id);
    setText('');
    setFiles([]);
    setMentioned([]);
    reply.reset();
    note.reset();
  }, [conversation.id]);

  // A conversation that had no channel yet gets one (e.g. another was merged into it): take it.
  useEffect(() => {
    if (!channelId && conversation.last_inbound_channel_id)
      setChannelId(conversation.last_inbound_channel_id);
  }, [conversation.last_inbound_channel_id]);

  /** Channels the customer wrote from, plus active channels where the profile has an address. */
  const options = useMemo(() => {
    const ids = new Set(conversation.contacts.map((c) => c.channel_id));
    for (const channel of channels.values()) {
      if (!channel.active || !CONSENT_OF[channel.kind]) continue;
      if (channel.kind === 'email' && customer?.emails.length) ids.add(channel.id);
      if ((channel.kind === 'sms' || channel.kind === 'whatsapp') && customer?.phones.length)
        ids.add(channel.id);
    }
    const service = (consents.data?.consents ?? []).filter((c) => c.purpose === 'service');
    const refused = (kind: string) =>
      service.some((c) => (c.channel === null || c.channel === CONSENT_OF[kind]) && REFUSED.has(c.status));
    return [...ids].map((id) => {
      const channel = channels.get(id);
      const blocked = channel ? refused(channel.kind) : false;
      return {
        value: id,
        label: `${channel?.name ?? id}${blocked ? ` — ${t('inbox.composer.noConsent')}` : ''}`,
        disabled: blocked,
        kind: channel?.kind ?? '',
      };
    });
  }, [conversation.contacts, channels, customer, consents.data, t]);

  // A reply still on its way (the relay can be slow) must not swallow the note typed meanwhile, nor the reverse.
  const pending = mode === 'note' ? note.isPending : reply.isPending;
  const error = mode === 'reply' ? reply.error : note.error;

  /** Empties the box once sent — unless the agent already typed something else (or switched to a note). */
  const clearSent = (sent: string) => setText((current) => (current.trim() === sent ? '' : current));

  const send = async () => {
    const body = text.trim();
    if (!body || pending) return;
    if (mode === 'note') {
      const ids = [...new Set(mentioned.filter((u) => body.includes(`@${u.name}`)).map((u) => u.id))];
      await note.mutateAsync({ text: body, ...(ids.length ? { mention_ids: ids } : {}) }).then(
        () => {
          clearSent(body);
          setMentioned([]);
        },
        () => undefined,
      );
      return;
    }
    const attachments: OutgoingAttachment[] = await Promise.all(
      files.map(async (f) => ({
        filename: f.name,
        content_type: f.type || 'application/octet-stream',
        content_base64: await toBase64(f),
      })),
    );
    await reply
      .mutateAsync({
        text: body,
        ...(channelId && channelId !== conversation.last_inbound_channel_id ? { channel_id: channelId } : {}),
        ...(attachments.length ? { attachments } : {}),
      })
      .then(
        () => {
          clearSent(body);
          setFiles([]);
        },
        () => undefined,
      );
  };

  const insert = (snippet: string) => {
    setText((current) => (current && !current.endsWith(' ') ? `${current} ${snippet}` : current + snippet));
    input.current?.focus();
  };

  /** Replaces what the regex matched at the end of the text (the `/greet` or `@an` being typed). */
  const replaceTail = (pattern: RegExp, snippet: string) => {
    setText((current) => {
      const m = pattern.exec(current);
      return m ? current.slice(0, m.index + (m[1]?.length ?? 0)) + snippet : current + snippet;
    });
    input.current?.focus();
  };

  /** The server renders the response for this conversation; the text replaces the typed shortcut. */
  const applyCanned = (c: CannedResponse, tail: boolean) => {
    renderCanned(conversation.id, c.id).then(
      (rendered) => (tail ? replaceTail(SLASH, rendered.text) : insert(rendered.text)),
      (error: unknown) => notifyError(error),
    );
  };

  const slash = SLASH.exec(text);
  const slashMatches = slash
    ? (canned.data?.data ?? []).filter(
        (c) => c.shortcut.startsWith(slash[2] ?? '') || fold(c.title).startsWith(slash[2] ?? ''),
      )
    : [];
  const mention = mode === 'note' ? MENTION.exec(text) : null;
  const mentionMatches = mention
    ? (mentionable.data ?? []).filter((u) =>
        fold(u.name)
          .split(/\s+/)
          .some((part) => part.startsWith(fold(mention[2] ?? ''))),
      )
    : [];
  const pickMention = (u: Mentionable) => {
    replaceTail(MENTION, `@${u.name} `);
    setMentioned((current) => [...current.filter((x) => x.id !== u.id), u]);
  };

  const selected = options.find((o) => o.value === channelId);

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid="composer"
      style={mode === 'note' ? { background: 'var(--mantine-color-yellow-light)' } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => setMode(v as ComposerMode)}
            data={[
              { value: 'reply', label: t('inbox.composer.reply') },
              { value: 'note', label: t('inbox.composer.note') },
            ]}
            data-testid="composer-mode"
          />
          {mode === 'reply' ? (
            <Select
              size="xs"
              w={280}
              value={channelId}
              onChange={setChannelId}
              data={options}
              leftSection={<ChannelKindIcon kind={selected?.kind ?? ''} size={14} />}
              placeholder={t('inbox.composer.channel')}
              aria-label={t('inbox.composer.channel')}
              allowDeselect={false}
              data-testid="composer-channel"
            />
          ) : (
            <Text size="xs" c="dimmed">
              {t('inbox.composer.noteHint')}
            </Text>
          )}
        </Group>
        <Textarea
          ref={input}
          autosize
          minRows={3}
          maxRows={10}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            if (mode === 'reply') props.onTyping();
          }}
          onKeyDown={(e) => {
            // Enter takes the first suggestion while a / or @ list is open.
            if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
              if (slashMatches[0]) {
                e.preventDefault();
                applyCanned(slashMatches[0], true);
                return;
              }
              if (mentionMatches[0]) {
                e.preventDefault();
                pickMention(mentionMatches[0]);
                return;
              }
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
          placeholder={
            mode === 'note' ? t('inbox.composer.notePlaceholder') : t('inbox.composer.replyPlaceholder')
          }
          aria-label={mode === 'note' ? t('inbox.composer.note') : t('inbox.composer.reply')}
          data-testid="composer-text"
        />
        <Suggestions
          items={slashMatches}
          testId="canned-picker"
          itemTestId="canned-option"
          onPick={(c) => applyCanned(c, true)}
          render={(c) => (
            <>
              <Text span size="sm" fw={600} mr={6}>
                /{c.shortcut}
              </Text>
              <Text span size="sm" c="dimmed" truncate style={{ minWidth: 0 }}>
                {c.title}
              </Text>
            </>
          )}
        />
        <Suggestions
          items={mentionMatches}
          testId="mention-picker"
          itemTestId="mention-option"
          onPick={pickMention}
          render={(u) => <Text size="sm">{u.name}</Text>}
        />
        {files.length > 0 && (
          <Group gap={4}>
            {files.map((f, i) => (
              <Badge
                key={`${f.name}-${i}`}
                variant="default"
                tt="none"
                rightSection={
                  <CloseButton
                    size="xs"
                    aria-label={t('inbox.composer.removeFile')}
                    onClick={() => setFiles(files.filter((_, j) => j !== i))}
                  />
                }
              >
                {f.name}
              </Badge>
            ))}
          </Group>
        )}
        {error && <ErrorAlert error={error} data-testid="composer-error" />}
        <Group justify="space-between">
          <Group gap={4}>
            <Menu position="top-start" withinPortal>
              <Menu.Target>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconMessage2 size={14} />}
                  data-testid="composer-canned"
                >
                  {t('inbox.composer.canned')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown maw={360}>
                {(canned.data?.data ?? []).map((c) => (
                  <Menu.Item key={c.id} onClick={() => applyCanned(c, false)} data-testid="canned-item">
                    <Text size="sm" fw={500}>
                      /{c.shortcut} · {c.title}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {c.body.en}
                    </Text>
                  </Menu.Item>
                ))}
                {canned.data?.data.length === 0 && <Menu.Label>{t('inbox.composer.cannedEmpty')}</Menu.Label>}
                <Menu.Divider />
                <Menu.Item
                  leftSection={<IconSettings size={14} />}
                  onClick={() => void navigate('/settings/canned-responses')}
                >
                  {t('inbox.composer.cannedManage')}
                </Menu.Item>
                <Menu.Label>{t('inbox.composer.slashHint')}</Menu.Label>
              </Menu.Dropdown>
            </Menu>
            {mode === 'note' && (
              <Tooltip label={t('inbox.composer.mentionHint')} withArrow>
                <ActionIcon
                  variant="default"
                  aria-label={t('inbox.composer.mention')}
                  onClick={() => insert('@')}
                  data-testid="composer-mention"
                >
                  <IconAt size={14} />
                </ActionIcon>
              </Tooltip>
            )}
            {mode === 'reply' && (
              <FileButton multiple onChange={(picked) => setFiles([...files, ...picked])}>
                {(buttonProps) => (
                  <Tooltip label={t('inbox.composer.attach')} withArrow>
                    <ActionIcon
                      {...buttonProps}
                      variant="default"
                      aria-label={t('inbox.composer.attach')}
                      data-testid="composer-attach"
                    >
                      <IconPaperclip size={14} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </FileButton>
            )}
          </Group>
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              Ctrl+Enter
            </Text>
            <Button
              size="xs"
              color={mode === 'note' ? 'yellow' : undefined}
              leftSection={mode === 'note' ? <IconNote size={14} /> : <IconSend size={14} />}
              loading={pending}
              disabled={!text.trim()}
              onClick={() => void send()}
              data-testid="composer-send"
            >
              {mode === 'note' ? t('inbox.composer.addNote') : t('inbox.composer.send')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
});
