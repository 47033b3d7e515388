/**
 * @module The stock ledger: every movement (receipt, sale, reservation, release, adjustment, count, transfer,
 * damage…) with its deltas, the level after it, reason, actor, channel and reference, filtered by SKU,
 * location and kind. For one SKU at one location it also draws on hand over time from the movements.
 */
import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Badge, Group, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2 } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSetSearchParam } from '../../lib/search-params';
import { useChannels } from '../../api/channels';
import { MOVEMENT_KINDS, useMovements, type Movement, type MovementKind } from '../../api/inventory';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTimePrecise, formatNumber } from '../../lib/format';
import { SKU_PATTERN, useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';

const KIND_COLOURS: Partial<Record<MovementKind, string>> = {
  receipt: 'teal',
  transfer_in: 'teal',
  return_restock: 'teal',
  sale: 'grape',
  pos_sale: 'grape',
  reservation: 'blue',
  release: 'cyan',
  transfer_out: 'orange',
  damage: 'red',
  adjustment: 'yellow',
  cycle_count: 'indigo',
};

function Delta({ value }: { value: number }) {
  if (value === 0)
    return (
      <Text size="sm" c="dimmed">
        0
      </Text>
    );
  return (
    <Text size="sm" fw={600} c={value > 0 ? 'teal.7' : 'red.7'}>
      {value > 0 ? `+${formatNumber(value)}` : formatNumber(value)}
    </Text>
  );
}

export function LedgerPage() {
  const { t } = useInventoryT();
  const [params] = useSearchParams();
  const index = useLocationIndex();
  const channels = useChannels();
  const [sku, setSku] = useState(params.get('sku') ?? '');
  const [debouncedSku] = useDebouncedValue(sku.trim(), 300);
  const locationId = params.get('location_id');
  const kind = params.get('kind') as MovementKind | null;
  const skuValid = debouncedSku === '' || SKU_PATTERN.test(debouncedSku);
  const movements = useMovements(
    {
      sku: skuValid && debouncedSku ? debouncedSku : undefined,
      location_id: locationId ?? undefined,
      kind: kind ?? undefined,
    },
    { enabled: skuValid },
  );
  const channelName = (id: string) => channels.items.find((c) => c.id === id)?.name ?? id;

  const setParam = useSetSearchParam();

  // On hand after each movement, oldest first — meaningful only for one SKU at one location.
  const series = useMemo(() => {
    if (!debouncedSku || !locationId || kind) return [];
    return [...movements.items]
      .filter((m) => m.sku === debouncedSku && m.location_id === locationId)
      .reverse()
      .map((m: Movement) => ({
        at: formatDateTimePrecise(m.occurred_at),
        onHand: m.on_hand_after,
        reserved: m.reserved_after,
      }));
  }, [movements.items, debouncedSku, locationId, kind]);

  return (
    <>
      <InventoryNav active="ledger" />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label={t('inventory.grid.sku')}
          placeholder={t('inventory.ledger.skuPlaceholder')}
          value={sku}
          onChange={(e) => {
            setSku(e.currentTarget.value);
            setParam('sku', e.currentTarget.value.trim() || null);
          }}
          error={skuValid ? undefined : t('inventory.grid.searchInvalid')}
          data-testid="ledger-sku"
          w={220}
        />
        <Select
          label={t('inventory.grid.location')}
          placeholder={t('inventory.grid.allLocations')}
          data={index.options}
          value={locationId}
          onChange={(v) => setParam('location_id', v)}
          clearable
          searchable
          data-testid="ledger-location"
          w={300}
        />
        <Select
          label={t('inventory.ledger.kind')}
          placeholder={t('inventory.common.all')}
          data={MOVEMENT_KINDS.map((k) => ({ value: k, label: label('movementKinds', k) }))}
          value={kind}
          onChange={(v) => setParam('kind', v)}
          clearable
          data-testid="ledger-kind"
          w={220}
        />
      </Group>
      {series.length > 1 && (
        <Paper withBorder radius="md" p="md" mb="md" data-testid="ledger-chart">
          <Title order={5} mb="sm">
            {t('inventory.ledger.chartTitle', {
              sku: debouncedSku,
              location: index.nameOf(locationId ?? ''),
            })}
          </Title>
          <LineChart
            h={220}
            data={series}
            dataKey="at"
            curveType="stepAfter"
            withDots
            withLegend
            series={[
              { name: 'onHand', label: t('inventory.level.onHand'), color: 'blue.6' },
              { name: 'reserved', label: t('inventory.level.reserved'), color: 'orange.6' },
            ]}
          />
        </Paper>
      )}
      {series.length <= 1 && !(debouncedSku && locationId) && (
        <Text size="xs" c="dimmed" mb="sm">
          {t('inventory.ledger.chartHint')}
        </Text>
      )}
      <ListState
        isPending={movements.isPending && skuValid}
        error={movements.error}
        isEmpty={movements.items.length === 0}
        onRetry={() => void movements.refetch()}
        emptyTitle={t('inventory.ledger.empty')}
        emptyDescription={t('inventory.ledger.emptyHint')}
        emptyIcon={<IconBook2 size={28} />}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={1100}>
            <Table striped verticalSpacing={6} data-testid="ledger-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inventory.ledger.when')}</Table.Th>
                  <Table.Th>{t('inventory.grid.sku')}</Table.Th>
                  <Table.Th>{t('inventory.grid.location')}</Table.Th>
                  <Table.Th>{t('inventory.ledger.kind')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.level.onHand')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.level.reserved')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.level.incoming')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.ledger.after')}</Table.Th>
                  <Table.Th>{t('inventory.ledger.reason')}</Table.Th>
                  <Table.Th>{t('inventory.ledger.actor')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {movements.items.map((m) => (
                  <Table.Tr key={m.id} data-testid={`ledger-row-${m.kind}`}>
                    <Table.Td>
                      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTimePrecise(m.occurred_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td ff="monospace">
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {m.sku}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{index.byId.get(m.location_id)?.code ?? m.location_id}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={KIND_COLOURS[m.kind] ?? 'gray'}>
                        {label('movementKinds', m.kind)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Delta value={m.on_hand_delta} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Delta value={m.reserved_delta} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Delta value={m.incoming_delta} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">
                        {t('inventory.ledger.afterValue', {
                          onHand: m.on_hand_after,
                          reserved: m.reserved_after,
                        })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{m.reason ?? '—'}</Text>
                      {m.reference && (
                        <Text size="xs" c="dimmed">
                          {`${m.reference.type} ${m.reference.id}`}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {/* Ids are long and alike at the start: the end tells them apart, the tooltip has it whole. */}
                      <Text size="sm" title={m.actor.id ?? undefined} style={{ whiteSpace: 'nowrap' }}>
                        {m.actor.id ? `${m.actor.type} …${m.actor.id.slice(-6)}` : m.actor.type}
                      </Text>
                      {m.channel_id && (
                        <Text size="xs" c="dimmed">
                          {channelName(m.channel_id)}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...movements} />
      </ListState>
    </>
  );
}
