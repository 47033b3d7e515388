/**
 * @module Reservations: units held for carts and orders, by status, with a live countdown to expiry and the
 * actions each status allows (confirm an active one, release active or confirmed, fulfil a confirmed one), plus
 * "Reserve" to hold units from the console (a phone order, say), at a location or sourced by the server.
 */
import { Badge, Button, Group, Paper, SegmentedControl, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useInterval } from '@mantine/hooks';
import { IconLock, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import {
  RESERVATION_STATUSES,
  useReservationAction,
  useReservations,
  type Reservation,
  type ReservationStatus,
} from '../../api/inventory';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTime, formatNumber } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { useLocationIndex } from './inventory-display';
import { label, useInventoryT } from './inventory-i18n';
import { InventoryNav } from './inventory-nav';
import { ReserveModal } from './reserve-modal';

const STATUS_COLOURS: Record<ReservationStatus, string> = {
  active: 'blue',
  confirmed: 'teal',
  in_transit: 'cyan',
  released: 'gray',
  expired: 'orange',
  fulfilled: 'grape',
};

/** "14:59", "1:02:03": time left until `expiresAt`, never below zero. */
function countdown(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export function ReservationsPage() {
  const { t } = useInventoryT();
  const can = useCan();
  const index = useLocationIndex();
  const [status, setStatus] = useState<'all' | ReservationStatus>('all');
  const [sku, setSku] = useState('');
  const [debouncedSku] = useDebouncedValue(sku.trim(), 300);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [reserving, setReserving] = useState(false);
  const list = useReservations({
    status: status === 'all' ? undefined : status,
    sku: debouncedSku || undefined,
    location_id: locationId ?? undefined,
  });
  const act = useReservationAction();
  const [now, setNow] = useState(() => Date.now());
  // The TTL column counts down every second between the list's polls.
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });

  const run = (reservation: Reservation, action: 'confirm' | 'release' | 'fulfil') =>
    act.mutate(
      { id: reservation.id, action },
      {
        onSuccess: () => notifySuccess(t(`inventory.reservations.${action}Done`)),
        onError: (error) => notifyError(error),
      },
    );

  return (
    <>
      <InventoryNav
        active="reservations"
        actions={
          can('inventory:write') && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setReserving(true)}
              data-testid="reservation-new"
            >
              {t('inventory.reservations.new')}
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          data={[
            { value: 'all', label: t('inventory.common.all') },
            ...RESERVATION_STATUSES.map((s) => ({ value: s, label: label('reservationStatuses', s) })),
          ]}
          data-testid="reservation-status-filter"
        />
        <TextInput
          placeholder={t('inventory.reservations.skuFilter')}
          value={sku}
          onChange={(e) => setSku(e.currentTarget.value)}
          w={200}
        />
        <Select
          placeholder={t('inventory.grid.allLocations')}
          data={index.options}
          value={locationId}
          onChange={setLocationId}
          clearable
          w={280}
        />
      </Group>
      <ListState
        isPending={list.isPending}
        error={list.error}
        isEmpty={list.items.length === 0}
        onRetry={() => void list.refetch()}
        emptyTitle={t('inventory.reservations.empty')}
        emptyDescription={t('inventory.reservations.emptyHint')}
        emptyIcon={<IconLock size={28} />}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover data-testid="reservations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inventory.grid.sku')}</Table.Th>
                  <Table.Th>{t('inventory.grid.location')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.receive.quantity')}</Table.Th>
                  <Table.Th>{t('inventory.common.status')}</Table.Th>
                  <Table.Th>{t('inventory.reservations.reference')}</Table.Th>
                  <Table.Th>{t('inventory.reservations.expires')}</Table.Th>
                  <Table.Th>{t('inventory.reservations.created')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((r) => (
                  <Table.Tr key={r.id} data-testid={`reservation-row-${r.sku}`}>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {r.sku}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{index.nameOf(r.location_id)}</Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(r.quantity)}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={STATUS_COLOURS[r.status]}
                        variant="light"
                        data-testid="reservation-status"
                      >
                        {label('reservationStatuses', r.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{`${r.reference.type} ${r.reference.id}`}</Text>
                      {r.key && (
                        <Text size="xs" c="dimmed">
                          {r.key}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {r.status === 'active' && r.expires_at ? (
                        <Text
                          size="sm"
                          ff="monospace"
                          fw={600}
                          data-testid="reservation-ttl"
                          title={formatDateTime(r.expires_at)}
                        >
                          {countdown(r.expires_at, now)}
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {r.ended_at ? formatDateTime(r.ended_at) : '—'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(r.created_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {can('inventory:write') && (
                        <Group gap={6} justify="flex-end" wrap="nowrap">
                          {r.status === 'active' && (
                            <Button
                              size="xs"
                              variant="light"
                              onClick={() => run(r, 'confirm')}
                              data-testid="reservation-confirm"
                            >
                              {t('inventory.reservations.confirm')}
                            </Button>
                          )}
                          {r.status === 'confirmed' && (
                            <Button
                              size="xs"
                              variant="light"
                              color="grape"
                              onClick={() => run(r, 'fulfil')}
                              data-testid="reservation-fulfil"
                            >
                              {t('inventory.reservations.fulfil')}
                            </Button>
                          )}
                          {(r.status === 'active' || r.status === 'confirmed') && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => run(r, 'release')}
                              data-testid="reservation-release"
                            >
                              {t('inventory.reservations.release')}
                            </Button>
                          )}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...list} />
      </ListState>
      <ReserveModal opened={reserving} onClose={() => setReserving(false)} />
    </>
  );
}
