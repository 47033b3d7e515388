/**
 * @module Locations: every store, warehouse, dark store and locker on an offline map and in a table with kind,
 * capabilities, opening hours, pickup preparation, same-day cut-off and radius. Clicking a marker or a row
 * selects it; "Edit" and "New location" open the editor.
 */
import { Badge, Button, Group, Paper, Stack, Switch, Table, Text } from '@mantine/core';
import { IconMapPin, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { WEEKDAYS, type Location } from '../../api/inventory';
import { ListState } from '../../components/list-state';
import { formatNumber } from '../../lib/format';
import { useCan } from '../../lib/permissions';
import { useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';
import { LocationEditor, formatDay } from './location-editor';
import { LocationMap } from './location-map';

/** Consecutive weekdays with the same hours folded together: "Mon–Sat 10:00-21:00 · Sun closed". */
function hoursSummary(location: Location, closed: string): string {
  const groups: Array<{ from: string; to: string; text: string }> = [];
  for (const day of WEEKDAYS) {
    const text = formatDay(location.opening_hours[day] ?? []) || closed;
    const last = groups.at(-1);
    if (last && last.text === text) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  return groups
    .map(
      (g) =>
        `${label('weekdaysShort', g.from)}${g.from === g.to ? '' : `–${label('weekdaysShort', g.to)}`} ${g.text}`,
    )
    .join(' · ');
}

export function LocationsPage() {
  const { t } = useInventoryT();
  const can = useCan();
  const { locations } = useLocationIndex();
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Location | null | 'new'>(null);
  const [sameDay, setSameDay] = useState(true);
  const all = locations.data ?? [];

  return (
    <>
      <InventoryNav
        active="locations"
        actions={
          can('inventory:write') && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing('new')}
              data-testid="location-new"
            >
              {t('inventory.locations.new')}
            </Button>
          )
        }
      />
      <ListState
        isPending={locations.isPending}
        error={locations.error}
        isEmpty={all.length === 0}
        onRetry={() => void locations.refetch()}
        emptyTitle={t('inventory.locations.empty')}
        emptyDescription={t('inventory.locations.emptyHint')}
        emptyIcon={<IconMapPin size={28} />}
      >
        <Stack>
          <Paper withBorder radius="md" p="xs">
            <Group justify="space-between" mb={6} px={4}>
              <Text size="sm" c="dimmed">
                {t('inventory.map.hint')}
              </Text>
              <Switch
                size="xs"
                label={t('inventory.map.sameDay')}
                checked={sameDay}
                onChange={(e) => setSameDay(e.currentTarget.checked)}
              />
            </Group>
            <LocationMap locations={all} selectedId={selected} onSelect={setSelected} showSameDay={sameDay} />
          </Paper>
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={1000}>
              <Table highlightOnHover verticalSpacing="sm" data-testid="locations-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('inventory.locations.location')}</Table.Th>
                    <Table.Th>{t('inventory.locations.kind')}</Table.Th>
                    <Table.Th>{t('inventory.locations.capabilities')}</Table.Th>
                    <Table.Th>{t('inventory.locations.hours')}</Table.Th>
                    <Table.Th ta="right">{t('inventory.locations.preparationShort')}</Table.Th>
                    <Table.Th>{t('inventory.locations.sameDay')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {all.map((l) => (
                    <Table.Tr
                      key={l.id}
                      onClick={() => setSelected(l.id)}
                      bg={selected === l.id ? 'var(--mantine-color-blue-light)' : undefined}
                      style={{ cursor: 'pointer' }}
                      data-testid={`location-row-${l.code}`}
                    >
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text fw={600} size="sm">
                            {l.code}
                          </Text>
                          {!l.active && (
                            <Badge size="xs" color="gray">
                              {t('inventory.locations.inactive')}
                            </Badge>
                          )}
                        </Group>
                        <Text size="sm">{l.name}</Text>
                        <Text size="xs" c="dimmed">
                          {`${l.address.city}, ${l.address.country} · ${formatNumber(l.latitude, { maximumFractionDigits: 4 })}, ${formatNumber(l.longitude, { maximumFractionDigits: 4 })}`}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light">{label('kinds', l.kind)}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} maw={260}>
                          {l.capabilities.map((c) => (
                            <Badge key={c} size="sm" variant="outline" color="gray">
                              {label('capabilities', c)}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" maw={280}>
                          {hoursSummary(l, t('inventory.locations.closed'))}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {l.timezone}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">
                          {t('inventory.locations.minutes', { count: l.pickup_preparation_minutes })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {l.capabilities.includes('same_day') ? (
                          <Text size="sm">
                            {t('inventory.locations.sameDaySummary', {
                              cutoff: l.same_day_cutoff ?? '—',
                              radius: formatNumber(l.same_day_radius_km ?? 0),
                            })}
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        {can('inventory:write') && (
                          <Button
                            size="xs"
                            variant="light"
                            onClick={(e) => {
                              e.stopPropagation();
                              setEditing(l);
                            }}
                            data-testid={`location-edit-${l.code}`}
                          >
                            {t('inventory.common.edit')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </Stack>
      </ListState>
      <LocationEditor
        opened={editing !== null}
        location={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
