/**
 * @module Catalog → Price lists: override and sale lists with the channels and segments they apply to, their
 * window and priority; create and edit in a compact modal (the type is fixed once created). Prices go into a
 * list from the product editor.
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconListDetails, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useChannels } from '../../api/channels';
import { usePriceLists, useSavePriceList, type PriceList } from '../../api/promotions';
import { ErrorAlert } from '../../components/error-alert';
import { ListState, LoadMore } from '../../components/list-state';
import { applyFieldErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { ct, useCatalogT } from './catalog-i18n';
import { CatalogNav } from './catalog-nav';
import { DateTimeField } from './date-time-field';

export function PriceListsPage() {
  const { t } = useCatalogT();
  const lists = usePriceLists();
  const channels = useChannels();
  const channelName = (id: string) => channels.items.find((c) => c.id === id)?.name ?? id;
  const canWrite = useCan()('catalog:write');
  const [editing, setEditing] = useState<PriceList | 'new' | null>(null);

  const createButton = canWrite && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => setEditing('new')}
      data-testid="price-list-create"
    >
      {t('catalog.priceLists.create')}
    </Button>
  );

  return (
    <>
      <CatalogNav active="price-lists" actions={createButton} />
      <ListState
        isPending={lists.isPending}
        error={lists.error}
        onRetry={() => void lists.refetch()}
        isEmpty={lists.items.length === 0}
        emptyIcon={<IconListDetails size={28} />}
        emptyTitle={t('catalog.priceLists.emptyTitle')}
        emptyDescription={t('catalog.priceLists.emptyBody')}
        emptyAction={createButton}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={820}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="price-lists-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('catalog.priceLists.name')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.type')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.appliesTo')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.window')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.priority')}</Table.Th>
                  <Table.Th>{t('catalog.priceLists.prices')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lists.items.map((list) => (
                  <Table.Tr
                    key={list.id}
                    style={{ cursor: canWrite ? 'pointer' : undefined }}
                    onClick={() => canWrite && setEditing(list)}
                    data-testid="price-list-row"
                  >
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {list.name}
                      </Text>
                      {list.status === 'draft' && (
                        <Badge size="xs" color="gray" variant="light">
                          {t('catalog.status.draft')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={list.type === 'sale' ? 'pink' : 'grape'}>
                        {t(`catalog.priceLists.types.${list.type}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {list.channel_ids.length
                          ? list.channel_ids.map(channelName).join(', ')
                          : t('catalog.priceLists.allChannels')}
                      </Text>
                      {list.segment_ids.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('catalog.priceLists.segmentCount', { count: list.segment_ids.length })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{windowText(list.starts_at, list.ends_at)}</Text>
                    </Table.Td>
                    <Table.Td>{list.priority}</Table.Td>
                    <Table.Td>{list.price_count}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...lists} />
      </ListState>
      {editing !== null && (
        <PriceListModal list={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

/** "from … until …", "always". */
export function windowText(startsAt: string | null, endsAt: string | null): string {
  if (!startsAt && !endsAt) return ct('catalog.window.always');
  return [
    startsAt && `${ct('catalog.window.from')} ${formatDateTime(startsAt)}`,
    endsAt && `${ct('catalog.window.until')} ${formatDateTime(endsAt)}`,
  ]
    .filter(Boolean)
    .join(' ');
}

interface ListValues {
  name: string;
  type: string;
  status: string;
  channel_ids: string[];
  starts_at: string | null;
  ends_at: string | null;
  priority: number | string;
}

function PriceListModal({ list, onClose }: { list: PriceList | null; onClose: () => void }) {
  const { t } = useCatalogT();
  const channels = useChannels();
  const save = useSavePriceList();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<ListValues>({
    initialValues: {
      name: list?.name ?? '',
      type: list?.type ?? 'override',
      status: list?.status ?? 'active',
      channel_ids: list?.channel_ids ?? [],
      starts_at: list?.starts_at ?? null,
      ends_at: list?.ends_at ?? null,
      priority: list?.priority ?? 0,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await save.mutateAsync({
        id: list?.id,
        input: {
          name: values.name.trim(),
          ...(list ? {} : { type: values.type as PriceList['type'] }),
          status: values.status as PriceList['status'],
          channel_ids: values.channel_ids,
          starts_at: values.starts_at,
          ends_at: values.ends_at,
          priority: Number(values.priority) || 0,
        },
      });
      onClose();
    } catch (error) {
      const fields = ['name', 'type', 'status', 'channel_ids', 'starts_at', 'ends_at', 'priority'];
      if (!applyFieldErrors(form, error, fields)) setFailure(error);
    }
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={list ? t('catalog.priceLists.editTitle') : t('catalog.priceLists.create')}
    >
      <form onSubmit={submit} data-testid="price-list-form">
        <Stack gap="sm">
          {failure !== null && <ErrorAlert error={failure} />}
          <TextInput
            label={t('catalog.priceLists.name')}
            required
            {...form.getInputProps('name')}
            data-testid="price-list-name"
          />
          <Group grow>
            <Select
              label={t('catalog.priceLists.type')}
              description={list ? t('catalog.priceLists.typeFixed') : t('catalog.priceLists.typeHint')}
              data={(['override', 'sale'] as const).map((value) => ({
                value,
                label: t(`catalog.priceLists.types.${value}`),
              }))}
              disabled={list !== null}
              allowDeselect={false}
              {...form.getInputProps('type')}
              data-testid="price-list-type"
            />
            <Select
              label={t('catalog.priceLists.status')}
              data={(['active', 'draft'] as const).map((value) => ({
                value,
                label: t(`catalog.status.${value}`),
              }))}
              allowDeselect={false}
              {...form.getInputProps('status')}
            />
          </Group>
          <MultiSelect
            label={t('catalog.priceLists.channels')}
            placeholder={form.values.channel_ids.length ? undefined : t('catalog.priceLists.allChannels')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            {...form.getInputProps('channel_ids')}
            data-testid="price-list-channels"
          />
          <Group grow>
            <DateTimeField label={t('catalog.priceLists.startsAt')} {...form.getInputProps('starts_at')} />
            <DateTimeField label={t('catalog.priceLists.endsAt')} {...form.getInputProps('ends_at')} />
          </Group>
          <NumberInput
            label={t('catalog.priceLists.priority')}
            description={t('catalog.priceLists.priorityHint')}
            min={-1000}
            max={1000}
            {...form.getInputProps('priority')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('catalog.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="price-list-save">
              {t('catalog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
