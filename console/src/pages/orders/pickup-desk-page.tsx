/**
 * @module The pickup desk of my store: click-and-collect orders to prepare (mark ready: a new pickup code is
 * shown once) and orders waiting to be collected, each with its hold, wrong-code count and the code field for
 * the handover, and pickups still on their way from another location (receive the transfer when it arrives), and
 * reservations to try in store (sell what the customer keeps, or release) — a wrong code shows the server's answer under the field. A search narrows both lists by order
 * number or the customer's email or phone.
 */
import { Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useFulfilments } from '../../api/fulfilments';
import type { Fulfilment, FulfilmentStatus, Order } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { LoadMore } from '../../components/list-state';
import { useCan } from '../../lib/permissions';
import { FulfilmentHold } from './order-badges';
import { CollectForm, FulfilmentActions, PickupCodeHost } from './fulfilment-actions';
import { LocationPicker, PickLocationFirst } from './location-picker';
import { OrderRef, useFulfilmentOrder } from './order-ref';
import { useMyLocation } from './orders-display';
import { useOrdersT } from './orders-i18n';
import { OrdersNav } from './orders-nav';
import { ReservedToTry } from './reserved-to-try';

/** Wrong codes after which the server locks a pickup (fulfilment service's MAX_PICKUP_ATTEMPTS). */
const MAX_PICKUP_ATTEMPTS = 5;

function matches(order: Order | undefined, search: string): boolean {
  const q = search.trim().toLowerCase().replace(/^#/, '');
  if (!q) return true;
  if (!order) return false;
  return [String(order.number), order.email ?? '', order.phone ?? ''].some((v) =>
    v.toLowerCase().includes(q),
  );
}

function DeskRow({ fulfilment: f, search }: { fulfilment: Fulfilment; search: string }) {
  const { t } = useOrdersT();
  const can = useCan();
  const order = useFulfilmentOrder(f);
  if (!matches(order.data, search)) return null;
  const number = order.data?.display_number ?? '';
  const locked = f.pickup_attempts >= MAX_PICKUP_ATTEMPTS;
  return (
    <Table.Tr data-testid={`desk-row-${order.data?.number ?? f.id}`} style={{ verticalAlign: 'top' }}>
      <Table.Td w="40%">
        <OrderRef fulfilment={f} order={order.data} />
      </Table.Td>
      <Table.Td>
        <FulfilmentHold fulfilment={f}>
          {f.pickup_attempts > 0 && (
            <Text size="xs" c={locked ? 'red' : 'orange'} data-testid="desk-attempts">
              {t('orders.fulfilments.attempts', { count: f.pickup_attempts })}
            </Text>
          )}
        </FulfilmentHold>
      </Table.Td>
      <Table.Td>
        {can('orders:write') && order.data && (
          <Stack gap="xs" align="flex-end">
            {f.status === 'ready_for_pickup' && !locked && <CollectForm fulfilment={f} number={number} />}
            {locked && (
              <Text size="sm" c="red">
                {t('orders.pickup.locked')}
              </Text>
            )}
            <FulfilmentActions fulfilment={f} number={number} />
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function DeskSection(props: {
  title: string;
  hint: string;
  empty: string;
  locationId: string;
  statuses: FulfilmentStatus[];
  search: string;
  testId: string;
}) {
  // One list per status: the API filters by one status at a time.
  const lists = [
    useFulfilments({ location_id: props.locationId, mode: 'pickup', status: props.statuses[0] }),
    useFulfilments(
      { location_id: props.locationId, mode: 'pickup', status: props.statuses[1] },
      { enabled: props.statuses.length > 1 },
    ),
  ].slice(0, props.statuses.length);
  const items = lists.flatMap((l) => l.items).sort((a, b) => a.id.localeCompare(b.id));
  const error = lists.find((l) => l.error)?.error;
  const pending = lists.some((l) => l.isPending);
  return (
    <Paper withBorder radius="md" p="md" data-testid={props.testId}>
      <Title order={4}>{props.title}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {props.hint}
      </Text>
      {error ? (
        <ErrorAlert error={error} onRetry={() => lists.forEach((l) => void l.refetch())} />
      ) : !pending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="desk-empty">
          {props.empty}
        </Text>
      ) : (
        <Table verticalSpacing="sm">
          <Table.Tbody>
            {items.map((f) => (
              <DeskRow key={f.id} fulfilment={f} search={props.search} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {lists.map((l, i) => (
        <LoadMore key={i} {...l} />
      ))}
    </Paper>
  );
}

export function PickupDeskPage() {
  const { t } = useOrdersT();
  const [locationId, setLocationId] = useMyLocation();
  const [search, setSearch] = useState('');
  return (
    <PickupCodeHost>
      <OrdersNav active="pickup" />
      <Group mb="md" align="flex-end" wrap="wrap">
        <LocationPicker value={locationId} onChange={setLocationId} capability="pickup" />
        <TextInput
          label={t('orders.pickup.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={300}
          data-testid="desk-search"
        />
      </Group>
      {locationId ? (
        <Stack gap="md">
          <DeskSection
            title={t('orders.pickup.ready')}
            hint={t('orders.pickup.readyHint')}
            empty={t('orders.pickup.emptyReady')}
            locationId={locationId}
            statuses={['ready_for_pickup']}
            search={search}
            testId="desk-ready"
          />
          <DeskSection
            title={t('orders.pickup.toPrepare')}
            hint={t('orders.pickup.toPrepareHint')}
            empty={t('orders.pickup.emptyPrepare')}
            locationId={locationId}
            statuses={['pending', 'picked']}
            search={search}
            testId="desk-prepare"
          />
          <DeskSection
            title={t('orders.pickup.inTransit')}
            hint={t('orders.pickup.inTransitHint')}
            empty={t('orders.pickup.emptyInTransit')}
            locationId={locationId}
            statuses={['in_transit']}
            search={search}
            testId="desk-in-transit"
          />
          <ReservedToTry locationId={locationId} search={(o) => matches(o, search)} />
        </Stack>
      ) : (
        <PickLocationFirst />
      )}
    </PickupCodeHost>
  );
}
