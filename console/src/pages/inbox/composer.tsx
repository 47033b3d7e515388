/**
 * @module The composer: a reply on a channel the customer can be reached on (the switcher defaults to the
 * channel they last wrote on and marks channels their consent refuses), or a private note with @mentions;
 * canned responses with variables; attachments; Ctrl+Enter sends. The server has the last word: a refusal
 * (consent, the WhatsApp window, no address on that channel) shows here with its reason, the text kept.
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
import { IconAt, IconBookmark, IconMessage2, IconNote, IconPaperclip, IconSend } from '@tabler/icons-react';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { useConsents } from '../../api/consent';
import {
  useAddNote,
  useReply,
  type ConversationDetail,
  type OutgoingAttachment,
} from '../../api/conversations';
import type { Customer } from '../../api/customer-types';
import type { Channel, User } from '../../api/types';
import { ChannelKindIcon } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { fillVariables, loadCanned, saveCanned, type CannedResponse, type Variables } from './canned';
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
  users: User[];
  variables: Variables;
  onTyping: () => void;
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
  const [canned, setCanned] = useState<CannedResponse[]>(loadCanned);
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
    reply.reset();
    note.reset();
  }, [conversation.id]);

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

  const pending = reply.isPending || note.isPending;
  const error = mode === 'reply' ? reply.error : note.error;

  const send = async () => {
    const body = text.trim();
    if (!body || pending) return;
    if (mode === 'note') {
      await note.mutateAsync(body).then(
        () => setText(''),
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
          setText('');
          setFiles([]);
        },
        () => undefined,
      );
  };

  const insert = (snippet: string) => {
    setText((current) => (current && !current.endsWith(' ') ? `${current} ${snippet}` : current + snippet));
    input.current?.focus();
  };

  const saveAsCanned = () => {
    const body = text.trim();
    if (!body) return;
    const next = [...canned, { id: String(Date.now()), title: body.slice(0, 40), text: body }];
    setCanned(next);
    saveCanned(next);
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
                {canned.map((c) => (
                  <Menu.Item
                    key={c.id}
                    onClick={() => insert(fillVariables(c.text, props.variables))}
                    data-testid="canned-item"
                  >
                    <Text size="sm" fw={500}>
                      {c.title}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {c.text}
                    </Text>
                  </Menu.Item>
                ))}
                <Menu.Divider />
                <Menu.Item
                  leftSection={<IconBookmark size={14} />}
                  disabled={!text.trim()}
                  onClick={saveAsCanned}
                >
                  {t('inbox.composer.saveCanned')}
                </Menu.Item>
                <Menu.Label>{t('inbox.composer.cannedLocal')}</Menu.Label>
              </Menu.Dropdown>
            </Menu>
            {mode === 'note' && props.users.length > 0 && (
              <Menu position="top-start" withinPortal>
                <Menu.Target>
                  <Tooltip label={t('inbox.composer.mention')} withArrow>
                    <ActionIcon
                      variant="default"
                      aria-label={t('inbox.composer.mention')}
                      data-testid="composer-mention"
                    >
                      <IconAt size={14} />
                    </ActionIcon>
                  </Tooltip>
                </Menu.Target>
                <Menu.Dropdown>
                  {props.users.map((u) => (
                    <Menu.Item key={u.id} onClick={() => insert(`@${u.name.replace(/\s+/g, '')} `)}>
                      {u.name}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
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
