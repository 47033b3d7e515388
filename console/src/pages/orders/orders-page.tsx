/**
 * @module Orders from every channel: filters (status, channel, location, placed between two days, order number,
 * customer) kept in the URL so a filtered list can be shared, the orders-per-day chart by channel, and the list
 * with status badges; a row opens the order.
 */
import { Anchor, Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSetSearchParam } from '../../lib/search-params';
import { useChannels } from '../../api/channels';
import { useCustomer, useCustomerSearch } from '../../api/customers';
import { ORDER_STATUSES, useOrders, type OrderStatus } from '../../api/orders';
import { ListState, LoadMore } from '../../components/list-state';
import { formatDateTime, formatMoney } from '../../lib/format';
import { customerName, useChannelMap } from '../customers/customer-display';
import { useLocationIndex } from '../inventory/inventory-display';
import { OrderStatusBadge } from './order-badges';
import { OrdersChart } from './orders-chart';
import { ORDER_NUMBER_PATTERN } from './orders-display';
import { label, useOrdersT } from './orders-i18n';
import { OrdersNav } from './orders-nav';

/** "2026-03-01" (a local calendar day from a date input) → the ISO moment that day starts, or ends. */
function dayBound(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** A searchable customer picker: type a name, email or phone, pick the person. */
function CustomerFilter({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t } = useOrdersT();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const found = useCustomerSearch(debounced, debounced.trim().length > 1);
  const chosen = useCustomer(value);
  const options = (found.data?.data ?? []).map((c) => ({ value: c.id, label: customerName(c) }));
  if (chosen.data && !options.some((o) => o.value === chosen.data.id))
    options.unshift({ value: chosen.data.id, label: customerName(chosen.data) });
  return (
    <Select
      label={t('orders.common.customer')}
      placeholder={t('orders.list.customerPlaceholder')}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      clearable
      nothingFoundMessage={debounced.trim().length > 1 ? '—' : undefined}
      w={260}
      data-testid="orders-customer"
    />
  );
}

export function OrdersPage() {
  const { t } = useOrdersT();
  const [params, setParams] = useSearchParams();
  const channels = useChannels();
  const channelMap = useChannelMap();
  const index = useLocationIndex();
  const [number, setNumber] = useState(params.get('number') ?? '');
  const [debouncedNumber] = useDebouncedValue(number.trim(), 300);
  const numberValid = debouncedNumber === '' || ORDER_NUMBER_PATTERN.test(debouncedNumber);
  const status = params.get('status') as OrderStatus | null;
  const channelId = params.get('channel_id');
  const locationId = params.get('location_id');
  const customerId = params.get('customer_id');
  const from = params.get('from');
  const to = params.get('to');

  const setParam = useSetSearchParam();

  const list = useOrders({
    status: status ?? undefined,
    channel_id: channelId ?? undefined,
    location_id: locationId ?? undefined,
    customer_id: customerId ?? undefined,
    created_from: dayBound(from, false),
    created_to: dayBound(to, true),
    number: numberValid && debouncedNumber ? debouncedNumber.replace(/^#/, '') : undefined,
  });
  const filtered = [status, channelId, locationId, customerId, from, to, debouncedNumber].some(Boolean);

  return (
    <>
      <OrdersNav active="list" />
      <OrdersChart
        channelId={channelId ?? undefined}
        locationId={locationId ?? undefined}
        status={status ?? undefined}
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label={t('orders.list.number')}
          placeholder={t('orders.list.numberPlaceholder')}
          value={number}
          onChange={(e) => {
            setNumber(e.currentTarget.value);
            setParam('number', e.currentTarget.value.trim() || null);
          }}
          error={numberValid ? undefined : t('orders.list.numberInvalid')}
          w={150}
          data-testid="orders-number"
        />
        <CustomerFilter value={customerId} onChange={(v) => setParam('customer_id', v)} />
        <Select
          label={t('orders.common.status')}
          placeholder={t('orders.common.all')}
          data={ORDER_STATUSES.map((s) => ({ value: s, label: label('statuses', s) }))}
          value={status}
          onChange={(v) => setParam('status', v)}
          clearable
          w={190}
          data-testid="orders-status"
        />
        <Select
          label={t('orders.common.channel')}
          placeholder={t('orders.common.all')}
          data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
          value={channelId}
          onChange={(v) => setParam('channel_id', v)}
          clearable
          searchable
          w={220}
          data-testid="orders-channel"
        />
        <Select
          label={t('orders.common.location')}
          placeholder={t('orders.common.all')}
          data={index.options}
          value={locationId}
          onChange={(v) => setParam('location_id', v)}
          clearable
          searchable
          w={240}
          data-testid="orders-location"
        />
        <TextInput
          type="date"
          label={t('orders.list.from')}
          value={from ?? ''}
          onChange={(e) => setParam('from', e.currentTarget.value || null)}
          w={160}
          data-testid="orders-from"
        />
        <TextInput
          type="date"
          label={t('orders.list.to')}
          value={to ?? ''}
          onChange={(e) => setParam('to', e.currentTarget.value || null)}
          w={160}
          data-testid="orders-to"
        />
        {filtered && (
          <Button
            variant="subtle"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              setNumber('');
              setParams(new URLSearchParams(), { replace: true });
            }}
            data-testid="orders-clear"
          >
            {t('orders.list.clear')}
          </Button>
        )}
      </Group>
      <ListState
        isPending={list.isPending && numberValid}
        error={list.error}
        isEmpty={list.items.length === 0}
        onRetry={() => void list.refetch()}
        emptyTitle={t('orders.list.empty')}
        emptyDescription={t('orders.list.emptyHint')}
        emptyIcon={<IconReceipt size={28} />}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={960}>
            <Table striped highlightOnHover data-testid="orders-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('orders.common.order')}</Table.Th>
                  <Table.Th>{t('orders.common.placed')}</Table.Th>
                  <Table.Th>{t('orders.common.customer')}</Table.Th>
                  <Table.Th>{t('orders.common.channel')}</Table.Th>
                  <Table.Th>{t('orders.common.source')}</Table.Th>
                  <Table.Th>{t('orders.common.status')}</Table.Th>
                  <Table.Th ta="right">{t('orders.common.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((o) => (
                  <Table.Tr key={o.id} data-testid={`order-row-${o.number}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/orders/${o.id}`} fw={600} data-testid="order-link">
                        {o.display_number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(o.placed_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {/* The order's own contact: naming each row's profile would read (and audit) one per row. */}
                      {o.customer_id ? (
                        <Anchor component={Link} to={`/customers/${o.customer_id}`} size="sm">
                          {o.email ?? o.phone ?? t('orders.common.customer')}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {o.email ?? o.phone ?? t('orders.common.guest')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{channelMap.get(o.channel_id)?.name ?? o.channel_id}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{label('sources', o.source)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <OrderStatusBadge status={o.status} />
                    </Table.Td>
                    <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(o.totals.total)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <LoadMore {...list} />
      </ListState>
    </>
  );
}
