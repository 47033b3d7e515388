/**
 * @module Inventory grid: SKU × location with available, reserved, incoming, on hand and safety stock. Search
 * by the start of a SKU, filter by location or to low stock; a cell opens the level to adjust or count it; one
 * location shows its levels as rows with every figure in its own column.
 */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPackageImport, IconSearch, IconTable } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useStockLevels, type Location, type StockLevel } from '../../api/inventory';
import { ListState, LoadMore } from '../../components/list-state';
import { formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useLocationIndex } from './inventory-display';
import { useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';
import { ReceiveModal } from './receive-modal';
import { StockLevelModal } from './stock-level-modal';

export function InventoryPage() {
  const { t } = useInventoryT();
  const can = useCan();
  const [search, setSearch] = useState('');
  const [skuPrefix] = useDebouncedValue(search.trim(), 250);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [low, setLow] = useState(false);
  const [open, setOpen] = useState<StockLevel | null>(null);
  const [receiving, setReceiving] = useState(false);
  const index = useLocationIndex();
  const stock = useStockLevels({
    skuPrefix: skuPrefix || undefined,
    location_id: locationId ?? undefined,
    low,
  });

  const badSearch = skuPrefix !== '' && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(skuPrefix);
  const columns = useMemo(
    () => (index.locations.data ?? []).filter((l) => locationId === null || l.id === locationId),
    [index.locations.data, locationId],
  );

  return (
    <>
      <InventoryNav
        active="stock"
        actions={
          can('inventory:write') && (
            <Button
              leftSection={<IconPackageImport size={16} />}
              onClick={() => setReceiving(true)}
              data-testid="stock-receive"
            >
              {t('inventory.grid.receive')}
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label={t('inventory.grid.search')}
          placeholder={t('inventory.grid.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          error={badSearch ? t('inventory.grid.searchInvalid') : undefined}
          data-testid="stock-search"
          w={260}
        />
        <Select
          label={t('inventory.grid.location')}
          placeholder={t('inventory.grid.allLocations')}
          data={index.options}
          value={locationId}
          onChange={setLocationId}
          clearable
          searchable
          data-testid="stock-location-filter"
          w={300}
        />
        <Checkbox
          label={t('inventory.grid.lowOnly')}
          checked={low}
          onChange={(e) => setLow(e.currentTarget.checked)}
          mb={8}
          data-testid="stock-low-filter"
        />
      </Group>
      <ListState
        isPending={stock.isPending || index.locations.isPending}
        error={badSearch ? null : (stock.error ?? index.locations.error)}
        isEmpty={stock.items.length === 0}
        onRetry={() => void stock.refetch()}
        emptyTitle={skuPrefix || locationId || low ? t('inventory.grid.noMatch') : t('inventory.grid.empty')}
        emptyDescription={t('inventory.grid.emptyHint')}
        emptyIcon={<IconTable size={28} />}
      >
        {locationId === null ? (
          <PivotGrid levels={stock.items} locations={columns} onOpen={setOpen} />
        ) : (
          <LevelRows levels={stock.items} onOpen={setOpen} />
        )}
        <LoadMore {...stock} />
      </ListState>
      {open && (
        <StockLevelModal
          level={stock.items.find((l) => l.sku === open.sku && l.location_id === open.location_id) ?? open}
          locationName={index.nameOf(open.location_id)}
          canWrite={can('inventory:write')}
          onClose={() => setOpen(null)}
        />
      )}
      <ReceiveModal opened={receiving} onClose={() => setReceiving(false)} />
    </>
  );
}

/** One cell: what can be sold now, large; what is held and on the way, small. */
function LevelCell({ level, onOpen }: { level: StockLevel; onOpen: () => void }) {
  const { t } = useInventoryT();
  return (
    <Tooltip
      label={t('inventory.grid.cellTooltip', {
        onHand: level.on_hand,
        reserved: level.reserved,
        safety: level.safety_stock,
        incoming: level.incoming,
      })}
      withinPortal
    >
      <UnstyledButton onClick={onOpen} data-testid={`stock-cell-${level.sku}-${level.location_id}`}>
        <Text fw={700} size="lg" c={level.available === 0 ? 'red' : undefined} lh={1.1}>
          {formatNumber(level.available)}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {t('inventory.grid.cellDetail', { reserved: level.reserved, incoming: level.incoming })}
        </Text>
      </UnstyledButton>
    </Tooltip>
  );
}

function PivotGrid(props: {
  levels: StockLevel[];
  locations: Location[];
  onOpen: (level: StockLevel) => void;
}) {
  const { t } = useInventoryT();
  // Levels arrive in (SKU, location) order: one row per SKU, one cell per location.
  const rows = useMemo(() => {
    const bySku = new Map<string, Map<string, StockLevel>>();
    for (const level of props.levels) {
      const row = bySku.get(level.sku) ?? new Map<string, StockLevel>();
      row.set(level.location_id, level);
      bySku.set(level.sku, row);
    }
    return [...bySku.entries()];
  }, [props.levels]);
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="stock-grid" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('inventory.grid.sku')}</Table.Th>
              <Table.Th ta="right">{t('inventory.grid.total')}</Table.Th>
              {props.locations.map((l) => (
                <Table.Th key={l.id}>
                  <Tooltip label={l.name}>
                    <Text size="sm" fw={600} span>
                      {l.code}
                    </Text>
                  </Tooltip>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(([sku, cells]) => {
              const total = [...cells.values()].reduce((sum, l) => sum + l.available, 0);
              return (
                <Table.Tr key={sku} data-testid={`stock-row-${sku}`}>
                  <Table.Td>
                    <Text ff="monospace" size="sm" fw={500}>
                      {sku}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Badge variant="light" color={total > 0 ? 'teal' : 'red'}>
                      {formatNumber(total)}
                    </Badge>
                  </Table.Td>
                  {props.locations.map((l) => {
                    const level = cells.get(l.id);
                    return (
                      <Table.Td key={l.id}>
                        {level ? (
                          <LevelCell level={level} onOpen={() => props.onOpen(level)} />
                        ) : (
                          <Text c="dimmed">—</Text>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function LevelRows({ levels, onOpen }: { levels: StockLevel[]; onOpen: (level: StockLevel) => void }) {
  const { t } = useInventoryT();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover data-testid="stock-levels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('inventory.grid.sku')}</Table.Th>
              <Table.Th ta="right">{t('inventory.level.onHand')}</Table.Th>
              <Table.Th ta="right">{t('inventory.level.reserved')}</Table.Th>
              <Table.Th ta="right">{t('inventory.level.safety')}</Table.Th>
              <Table.Th ta="right">{t('inventory.level.incoming')}</Table.Th>
              <Table.Th ta="right">{t('inventory.level.available')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {levels.map((level) => (
              <Table.Tr key={`${level.sku}|${level.location_id}`} data-testid={`stock-level-${level.sku}`}>
                <Table.Td ff="monospace">{level.sku}</Table.Td>
                <Table.Td ta="right">{formatNumber(level.on_hand)}</Table.Td>
                <Table.Td ta="right">{formatNumber(level.reserved)}</Table.Td>
                <Table.Td ta="right">{formatNumber(level.safety_stock)}</Table.Td>
                <Table.Td ta="right">{formatNumber(level.incoming)}</Table.Td>
                <Table.Td ta="right">
                  <Text fw={700} c={level.available === 0 ? 'red' : undefined} span>
                    {formatNumber(level.available)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="xs" variant="light" onClick={() => onOpen(level)}>
                    {t('inventory.grid.open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack p="xs">
        <Text size="xs" c="dimmed">
          {t('inventory.grid.availableFormula')}
        </Text>
      </Stack>
    </Paper>
  );
}
