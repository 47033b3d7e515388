/**
 * @module Channel allocation editor: for one channel, which locations it may sell from and in which priority
 * (lower sells first), and per location the units of every SKU held back from that channel (a store keeps two
 * for walk-in customers, so the web shop never promises them). Saving replaces the channel's allocation at once;
 * availability and sourcing read it on their next question.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Table,
  Text,
} from '@mantine/core';
import { IconBuildingWarehouse, IconInfoCircle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useChannels } from '../../api/channels';
import {
  useAllocation,
  useLocations,
  useSaveAllocation,
  type Allocation,
  type Location,
} from '../../api/inventory';
import { ErrorAlert } from '../../components/error-alert';
import { ListState } from '../../components/list-state';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { label, useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';

export function AllocationsPage() {
  const { t } = useInventoryT();
  const channels = useChannels({ active: true });
  const locations = useLocations();
  const [channelId, setChannelId] = useState<string | null>(null);
  const channel = channelId ?? channels.items[0]?.id ?? null;
  const allocation = useAllocation(channel);
  const pending = channels.isPending || locations.isPending || (channel !== null && allocation.isPending);
  const error = channels.error ?? locations.error ?? allocation.error;

  return (
    <>
      <InventoryNav active="allocations" />
      <Paper withBorder radius="md" p="md" mb="md">
        <Group align="flex-end" justify="space-between">
          <Select
            label={t('inventory.allocations.channel')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            value={channel}
            onChange={setChannelId}
            allowDeselect={false}
            searchable
            w={320}
            data-testid="allocations-channel"
          />
          <Text size="sm" c="dimmed" maw={560}>
            {t('inventory.allocations.intro')}
          </Text>
        </Group>
      </Paper>
      <ListState
        isPending={pending}
        error={error}
        isEmpty={!channel || (locations.data ?? []).length === 0}
        onRetry={() => {
          void channels.refetch();
          void locations.refetch();
          void allocation.refetch();
        }}
        emptyTitle={
          channel ? t('inventory.allocations.noLocationsTitle') : t('inventory.allocations.noChannelsTitle')
        }
        emptyDescription={
          channel ? t('inventory.allocations.noLocationsBody') : t('inventory.allocations.noChannelsBody')
        }
        emptyIcon={<IconBuildingWarehouse size={28} />}
      >
        {allocation.data && locations.data && (
          // Keyed by the saved allocation: switching channel or saving starts the draft again from the server.
          <AllocationEditor
            key={`${allocation.data.channel_id}:${allocation.dataUpdatedAt}`}
            allocation={allocation.data}
            locations={locations.data}
          />
        )}
      </ListState>
    </>
  );
}

interface DraftRow {
  location: Location;
  selected: boolean;
  priority: number | string;
  holdback: number | string;
}

/** The draft: allocated locations first in their priority, then the others (inactive ones last) by code. */
function draftOf(allocation: Allocation, locations: Location[]): DraftRow[] {
  const saved = new Map(allocation.locations.map((l, i) => [l.location_id, { ...l, rank: i }]));
  return [...locations]
    .sort((a, b) => {
      const sa = saved.get(a.id);
      const sb = saved.get(b.id);
      if (sa && sb) return sa.rank - sb.rank;
      if (sa || sb) return sa ? -1 : 1;
      return Number(b.active) - Number(a.active) || a.code.localeCompare(b.code);
    })
    .map((location) => {
      const s = saved.get(location.id);
      return { location, selected: s !== undefined, priority: s?.priority ?? '', holdback: s?.holdback ?? 0 };
    });
}

function AllocationEditor({ allocation, locations }: { allocation: Allocation; locations: Location[] }) {
  const { t } = useInventoryT();
  const can = useCan();
  const editable = can('inventory:write');
  const save = useSaveAllocation();
  const initial = useMemo(() => draftOf(allocation, locations), [allocation, locations]);
  const [rows, setRows] = useState(initial);
  const dirty = JSON.stringify(rows) !== JSON.stringify(initial);
  const chosen = rows
    .filter((r) => r.selected)
    .sort((a, b) => Number(a.priority === '' ? 0 : a.priority) - Number(b.priority === '' ? 0 : b.priority));

  const update = (id: string, change: Partial<DraftRow>) =>
    setRows((current) =>
      current.map((row) => {
        if (row.location.id !== id) return row;
        const next = { ...row, ...change };
        // A location just ticked sells after the ones already chosen, unless a priority is typed.
        if (change.selected && next.priority === '')
          next.priority =
            Math.max(0, ...current.filter((r) => r.selected).map((r) => Number(r.priority) || 0)) + 1;
        return next;
      }),
    );

  const submit = () =>
    save.mutate(
      {
        channelId: allocation.channel_id,
        input: {
          locations: rows
            .filter((r) => r.selected)
            .map((r) => ({
              location_id: r.location.id,
              priority: r.priority === '' ? 0 : Number(r.priority),
              holdback: r.holdback === '' ? 0 : Number(r.holdback),
            })),
        },
      },
      { onSuccess: () => notifySuccess(t('inventory.allocations.saved')) },
    );

  return (
    <Paper withBorder radius="md" p="md" data-testid="allocations-editor">
      {chosen.length === 0 ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconInfoCircle size={18} />}
          mb="md"
          data-testid="allocations-none"
        >
          {t('inventory.allocations.sellsNowhere')}
        </Alert>
      ) : (
        <Text size="sm" mb="md" data-testid="allocations-summary">
          {t('inventory.allocations.summary', {
            locations: chosen.map((r) => r.location.code).join(' → '),
          })}
        </Text>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" data-testid="allocations-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={110}>{t('inventory.allocations.sellsFrom')}</Table.Th>
              <Table.Th>{t('inventory.allocations.location')}</Table.Th>
              <Table.Th w={140}>{t('inventory.allocations.priority')}</Table.Th>
              <Table.Th w={160}>{t('inventory.allocations.holdback')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const { location } = row;
              const fieldError = (name: 'priority' | 'holdback') => {
                const value = row[name];
                return row.selected && value !== '' && (!Number.isInteger(Number(value)) || Number(value) < 0)
                  ? t('inventory.allocations.wholeNumber')
                  : null;
              };
              return (
                <Table.Tr key={location.id} data-testid={`allocation-row-${location.code}`}>
                  <Table.Td>
                    <Checkbox
                      checked={row.selected}
                      disabled={!editable}
                      onChange={(e) => update(location.id, { selected: e.currentTarget.checked })}
                      aria-label={t('inventory.allocations.sellsFromLocation', { code: location.code })}
                      data-testid={`allocation-selected-${location.code}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={500} ff="monospace">
                        {location.code}
                      </Text>
                      <Text size="sm">{location.name}</Text>
                      <Badge size="xs" variant="light">
                        {label('kinds', location.kind)}
                      </Badge>
                      {!location.active && (
                        <Badge size="xs" color="gray" variant="outline">
                          {t('inventory.allocations.inactive')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      min={0}
                      max={1000}
                      allowDecimal={false}
                      value={row.priority}
                      disabled={!editable || !row.selected}
                      onChange={(value) => update(location.id, { priority: value })}
                      error={fieldError('priority')}
                      aria-label={t('inventory.allocations.priority')}
                      data-testid={`allocation-priority-${location.code}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      min={0}
                      allowDecimal={false}
                      suffix={` ${t('inventory.allocations.unitsSuffix')}`}
                      value={row.holdback}
                      disabled={!editable || !row.selected}
                      onChange={(value) => update(location.id, { holdback: value })}
                      error={fieldError('holdback')}
                      aria-label={t('inventory.allocations.holdback')}
                      data-testid={`allocation-holdback-${location.code}`}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt="xs">
        {t('inventory.allocations.holdbackHint')}
      </Text>
      {save.error && (
        <Box mt="md">
          <ErrorAlert error={save.error} data-testid="allocations-save-error" />
        </Box>
      )}
      {editable && (
        <Group justify="flex-end" mt="md">
          <Button variant="default" disabled={!dirty || save.isPending} onClick={() => setRows(initial)}>
            {t('inventory.allocations.reset')}
          </Button>
          <Button disabled={!dirty} loading={save.isPending} onClick={submit} data-testid="allocations-save">
            {t('inventory.allocations.save')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
