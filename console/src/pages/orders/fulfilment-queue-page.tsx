/**
 * @module The fulfilment queue of one location: parcels (pick → pack → ship with carrier and tracking) or
 * same-day deliveries (pick → out for delivery → delivered), as columns of work by status, oldest waiting first,
 * each card with its order and the button for its next step. Pickups are worked at the pickup desk.
 */
import { Group, Paper, ScrollArea, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { useFulfilments } from '../../api/fulfilments';
import type { Fulfilment } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { LoadMore } from '../../components/list-state';
import { useCan } from '../../lib/permissions';
import { FulfilmentActions } from './fulfilment-actions';
import { LocationPicker, PickLocationFirst } from './location-picker';
import { OrderRef, useFulfilmentOrder } from './order-ref';
import { useMyLocation, waited } from './orders-display';
import { label, useOrdersT } from './orders-i18n';
import { OrdersNav } from './orders-nav';

type QueueMode = 'ship' | 'same_day';

type Column = 'pending' | 'picked' | 'packed' | 'out_for_delivery';

const COLUMNS: Record<QueueMode, Column[]> = {
  ship: ['pending', 'picked', 'packed'],
  same_day: ['pending', 'picked', 'packed', 'out_for_delivery'],
};

/** When the card entered its column: the time of the step that put it there. */
function since(f: Fulfilment): string {
  return f.out_for_delivery_at ?? f.packed_at ?? f.picked_at ?? f.created_at;
}

function QueueCard({ fulfilment, now }: { fulfilment: Fulfilment; now: number }) {
  const { t } = useOrdersT();
  const can = useCan();
  const order = useFulfilmentOrder(fulfilment);
  return (
    <Paper withBorder radius="md" p="sm" data-testid={`queue-card-${order.data?.number ?? fulfilment.id}`}>
      <Stack gap={6}>
        <OrderRef fulfilment={fulfilment} order={order.data} />
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {t('orders.queue.age', { age: waited(since(fulfilment), now) })}
          </Text>
          {can('orders:write') && order.data && (
            <FulfilmentActions fulfilment={fulfilment} number={order.data.display_number} />
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function QueueColumn({
  locationId,
  mode,
  status,
  now,
}: {
  locationId: string;
  mode: QueueMode;
  status: Column;
  now: number;
}) {
  const { t } = useOrdersT();
  const list = useFulfilments({ location_id: locationId, mode, status });
  // The list is newest first; a queue is worked oldest first.
  const items = [...list.items].reverse();
  return (
    <Paper radius="md" p="sm" bg="var(--mantine-color-gray-1)" data-testid={`queue-column-${status}`}>
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t(`orders.queue.columns.${status}`)}</Title>
        <Text size="sm" c="dimmed" data-testid="queue-column-count">
          {list.isPending ? '…' : `${list.items.length}${list.hasNextPage ? '+' : ''}`}
        </Text>
      </Group>
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <ScrollArea.Autosize mah={640}>
          <Stack gap="xs">
            {!list.isPending && items.length === 0 && (
              <Text size="sm" c="dimmed" ta="center" py="md">
                {t('orders.queue.columnEmpty')}
              </Text>
            )}
            {items.map((f) => (
              <QueueCard key={f.id} fulfilment={f} now={now} />
            ))}
          </Stack>
          <LoadMore {...list} />
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

export function FulfilmentQueuePage() {
  const { t } = useOrdersT();
  const [locationId, setLocationId] = useMyLocation();
  const [mode, setMode] = useState<QueueMode>('ship');
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 60_000, { autoInvoke: true });
  return (
    <>
      <OrdersNav active="fulfilment" />
      <Group mb="md" align="flex-end" wrap="wrap">
        <LocationPicker value={locationId} onChange={setLocationId} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('orders.queue.mode')}
          </Text>
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as QueueMode)}
            data={(['ship', 'same_day'] as const).map((m) => ({ value: m, label: label('modes', m) }))}
            data-testid="queue-mode"
          />
        </Stack>
      </Group>
      {locationId ? (
        <SimpleGrid cols={{ base: 1, md: COLUMNS[mode].length }} data-testid="fulfilment-queue">
          {COLUMNS[mode].map((status) => (
            <QueueColumn key={status} locationId={locationId} mode={mode} status={status} now={now} />
          ))}
        </SimpleGrid>
      ) : (
        <PickLocationFirst />
      )}
    </>
  );
}
