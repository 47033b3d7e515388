/**
 * @module Settings → Channels: every place customers meet the business (stores, web, app, messaging…),
 * with filters by kind and state, inline activate/deactivate, and a modal to create or edit.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Switch,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconPencil, IconPlug, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChannels, useUpdateChannel } from '../../../api/channels';
import { CHANNEL_KINDS, type Channel, type ChannelKind } from '../../../api/types';
import { ActiveBadge } from '../../../components/active-badge';
import { ListState, LoadMore } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { formatDateTime } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { useCan } from '../../../lib/permissions';
import { ChannelFormModal } from './channel-form-modal';
import { KIND_COLORS } from './channel-kinds';

type ActiveFilter = 'all' | 'active' | 'inactive';

export function ChannelsPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ChannelKind | null>(null);
  const [activeFilter, setActiveFilter] = useState<ActiveFilter>('all');
  const [editing, setEditing] = useState<Channel | null>(null);
  const [modalOpened, setModalOpened] = useState(false);

  const channels = useChannels({
    kind: kind ?? undefined,
    active: activeFilter === 'all' ? undefined : activeFilter === 'active',
  });
  const update = useUpdateChannel();
  const canWrite = useCan()('channels:write');
  const filtered = kind !== null || activeFilter !== 'all';

  const openCreate = () => {
    setEditing(null);
    setModalOpened(true);
  };
  const openEdit = (channel: Channel) => {
    setEditing(channel);
    setModalOpened(true);
  };

  const toggleActive = (channel: Channel, active: boolean) =>
    update.mutate(
      { id: channel.id, patch: { active } },
      {
        onSuccess: (saved) =>
          notifySuccess(
            saved.active
              ? t('channels.activated', { name: saved.name })
              : t('channels.deactivated', { name: saved.name }),
          ),
        onError: (error) => notifyError(error, t('channels.updateFailed')),
      },
    );

  // The header button and the empty state's call to action share a look but not a test id.
  const createButton = (testId = 'channel-create-button') =>
    canWrite && (
      <Button leftSection={<IconPlus size={16} />} onClick={openCreate} data-testid={testId}>
        {t('channels.create')}
      </Button>
    );

  return (
    <>
      <PageHeader title={t('channels.title')} description={t('channels.subtitle')} actions={createButton()} />

      <Group mb="md" gap="sm" wrap="wrap">
        <Select
          placeholder={t('channels.allKinds')}
          aria-label={t('channels.filterKind')}
          clearable
          value={kind}
          onChange={(value) => setKind(value as ChannelKind | null)}
          data={CHANNEL_KINDS.map((value) => ({ value, label: t(`channelKinds.${value}`) }))}
          w={200}
          data-testid="channel-filter-kind"
        />
        <SegmentedControl
          value={activeFilter}
          onChange={(value) => setActiveFilter(value as ActiveFilter)}
          data={[
            { value: 'all', label: t('common.all') },
            { value: 'active', label: t('common.active') },
            { value: 'inactive', label: t('common.inactive') },
          ]}
          data-testid="channel-filter-active"
        />
      </Group>

      <ListState
        isPending={channels.isPending}
        error={channels.error}
        onRetry={() => void channels.refetch()}
        isEmpty={channels.items.length === 0}
        emptyIcon={<IconPlug size={28} />}
        emptyTitle={filtered ? t('channels.emptyFilteredTitle') : t('channels.emptyTitle')}
        emptyDescription={filtered ? t('channels.emptyFilteredBody') : t('channels.emptyBody')}
        emptyAction={filtered ? undefined : createButton('channel-create-button-empty')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={760}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="channels-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('channels.name')}</Table.Th>
                  <Table.Th>{t('channels.kind')}</Table.Th>
                  <Table.Th>{t('channels.secrets.label')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('common.updated')}</Table.Th>
                  <Table.Th w={60}>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {channels.items.map((channel) => {
                  const secretNames = Object.keys(channel.secrets ?? {});
                  return (
                    <Table.Tr key={channel.id} data-testid="channel-row" data-channel-id={channel.id}>
                      <Table.Td>
                        <Text fw={500} size="sm" data-testid="channel-row-name">
                          {channel.name}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {channel.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          color={KIND_COLORS[channel.kind] ?? 'gray'}
                          variant="light"
                          data-testid="channel-row-kind"
                        >
                          {t(`channelKinds.${channel.kind}`, { defaultValue: channel.kind })}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {secretNames.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            {t('channels.secrets.none')}
                          </Text>
                        ) : (
                          <Group gap={4}>
                            {secretNames.map((secret) => (
                              <Tooltip key={secret} label={t('channels.secrets.setTooltip')} withArrow>
                                <Badge variant="outline" color="gray" size="sm" tt="none" ff="monospace">
                                  {secret} · {t('channels.secrets.set')}
                                </Badge>
                              </Tooltip>
                            ))}
                          </Group>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Switch
                            checked={channel.active}
                            disabled={!canWrite}
                            onChange={(event) => toggleActive(channel, event.currentTarget.checked)}
                            aria-label={channel.active ? t('channels.deactivate') : t('channels.activate')}
                            data-testid="channel-row-active"
                          />
                          <ActiveBadge active={channel.active} />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(channel.updated_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {canWrite && (
                          <Tooltip label={t('common.edit')} withArrow>
                            <ActionIcon
                              variant="subtle"
                              aria-label={t('common.edit')}
                              onClick={() => openEdit(channel)}
                              data-testid="channel-row-edit"
                            >
                              <IconPencil size={18} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...channels} />
      </ListState>

      <ChannelFormModal opened={modalOpened} channel={editing} onClose={() => setModalOpened(false)} />
    </>
  );
}
