/**
 * @module One order: number, status, channel and source, the customer, lines and totals, payments with refunds,
 * fulfilments with their steps and actions, and the order's timeline; "Cancel order" while nothing has left.
 */
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCustomer } from '../../api/customers';
import { useCancelOrder, useOrder, useOrderPayments, type Order } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime, formatMoney } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { customerName, useChannelMap } from '../customers/customer-display';
import { useLocationIndex } from '../inventory/inventory-display';
import { OrderStatusBadge } from './order-badges';
import { PickupCodeHost } from './fulfilment-actions';
import { OrderFulfilmentsPanel } from './order-fulfilments-panel';
import { OrderPaymentsPanel } from './order-payments-panel';
import { OrderNotificationsPanel } from './order-notifications-panel';
import { OrderTimeline } from './order-timeline';
import { label, useOrdersT } from './orders-i18n';

/** Nothing has left yet: the server cancels only such orders (and says so if one just left). */
const cancellable = (o: Order) =>
  (o.status === 'pending_payment' || o.status === 'paid' || o.status === 'fulfilling') &&
  o.fulfilments.every((f) =>
    ['pending', 'picked', 'packed', 'ready_for_pickup', 'cancelled'].includes(f.status),
  );

function CancelModal({ order, opened, onClose }: { order: Order; opened: boolean; onClose: () => void }) {
  const { t } = useOrdersT();
  const cancel = useCancelOrder();
  const [reason, setReason] = useState('');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('orders.detail.cancelTitle', { number: order.display_number })}
    >
      <Stack>
        <Text size="sm">{t('orders.detail.cancelBody')}</Text>
        <TextInput
          label={t('orders.detail.cancelReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          data-testid="cancel-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('orders.detail.cancelKeep')}
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            onClick={() =>
              cancel.mutate(
                { id: order.id, reason: reason.trim() || undefined },
                {
                  onSuccess: () => {
                    notifySuccess(t('orders.detail.cancelled'));
                    onClose();
                  },
                  onError: (error) => notifyError(error),
                },
              )
            }
            data-testid="cancel-confirm"
          >
            {t('orders.detail.cancelConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** An address as it is written on a parcel: "28013 Madrid" on one line. */
function addressLines(address: Record<string, unknown>): string[] {
  const text = (k: string) => (typeof address[k] === 'string' ? (address[k] as string).trim() : '');
  const place = [text('postal_code'), text('city')].filter(Boolean).join(' ');
  return [text('name'), text('line1'), text('line2'), place, text('region'), text('country')].filter(Boolean);
}

function Summary({ order }: { order: Order }) {
  const { t } = useOrdersT();
  const channels = useChannelMap();
  const customer = useCustomer(order.customer_id);
  const address = order.shipping_address;
  return (
    <Paper withBorder radius="md" p="md" data-testid="order-summary">
      <Stack gap={6}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {t('orders.common.customer')}
        </Text>
        {order.customer_id ? (
          <Anchor
            component={Link}
            to={`/customers/${order.customer_id}`}
            fw={600}
            data-testid="order-customer"
          >
            {customer.data ? customerName(customer.data) : order.customer_id}
          </Anchor>
        ) : (
          <Text fw={600}>{t('orders.common.guest')}</Text>
        )}
        {(order.email || order.phone) && (
          <Text size="sm">{[order.email, order.phone].filter(Boolean).join(' · ')}</Text>
        )}
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="xs">
          {t('orders.common.channel')}
        </Text>
        <Text size="sm">{channels.get(order.channel_id)?.name ?? order.channel_id}</Text>
        {order.external_id && (
          <Text size="sm" c="dimmed">
            {t('orders.detail.external', { id: order.external_id })}
          </Text>
        )}
        {address && (
          <>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="xs">
              {t('orders.detail.shippingAddress')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {addressLines(address).join('\n')}
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function Lines({ order }: { order: Order }) {
  const { t } = useOrdersT();
  const index = useLocationIndex();
  const row = (name: string, value: string, strong = false) => (
    <Table.Tr>
      <Table.Td colSpan={5} ta="right">
        <Text size="sm" fw={strong ? 700 : 400}>
          {name}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" fw={strong ? 700 : 400} data-testid={strong ? 'order-total' : undefined}>
          {value}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Paper withBorder radius="md" data-testid="order-lines">
      <Title order={4} p="md" pb={0}>
        {t('orders.detail.lines')}
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('orders.detail.item')}</Table.Th>
              <Table.Th>{t('orders.detail.delivery')}</Table.Th>
              <Table.Th ta="right">{t('orders.detail.quantity')}</Table.Th>
              <Table.Th ta="right">{t('orders.detail.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('orders.detail.discount')}</Table.Th>
              <Table.Th ta="right">{t('orders.detail.total')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.lines.map((l) => (
              <Table.Tr key={l.id} data-testid={`order-line-${l.sku}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {l.title}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {l.sku}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{label('modes', l.delivery.mode)}</Text>
                  <Text size="xs" c="dimmed">
                    {index.nameOf(l.delivery.location_id)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{l.quantity}</Table.Td>
                <Table.Td ta="right">{formatMoney(l.unit_price)}</Table.Td>
                <Table.Td ta="right">{l.discount.amount ? `−${formatMoney(l.discount)}` : '—'}</Table.Td>
                <Table.Td ta="right">{formatMoney(l.total)}</Table.Td>
              </Table.Tr>
            ))}
            {row(t('orders.detail.subtotal'), formatMoney(order.totals.subtotal))}
            {order.totals.discount.amount > 0 &&
              row(t('orders.detail.discount'), `−${formatMoney(order.totals.discount)}`)}
            {row(t('orders.detail.shipping'), formatMoney(order.totals.shipping))}
            {order.totals.tax.amount > 0 && row(t('orders.detail.tax'), formatMoney(order.totals.tax))}
            {row(t('orders.detail.total'), formatMoney(order.totals.total), true)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function OrderDetailPage() {
  const { t } = useOrdersT();
  const { id = '' } = useParams();
  const can = useCan();
  const order = useOrder(id);
  const payments = useOrderPayments(id);
  const [cancelling, setCancelling] = useState(false);

  const back = (
    <Anchor
      component={Link}
      to="/orders"
      size="sm"
      mb="sm"
      display="inline-flex"
      style={{ alignItems: 'center', gap: 4 }}
    >
      <IconArrowLeft size={14} /> {t('orders.detail.back')}
    </Anchor>
  );
  if (order.isPending)
    return (
      <>
        {back}
        <Skeleton h={40} mb="md" />
        <Skeleton h={300} />
      </>
    );
  if (order.error)
    return (
      <>
        {back}
        <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />
      </>
    );
  const o = order.data;
  return (
    <PickupCodeHost>
      {back}
      <Group justify="space-between" mb="md" wrap="wrap">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={2} data-testid="order-number">
              {o.display_number}
            </Title>
            <OrderStatusBadge status={o.status} size="lg" />
            {o.edits.length > 0 && (
              <Badge variant="outline" color="yellow">
                {t('orders.detail.edits', { count: o.edits.length })}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('orders.detail.placedVia', {
              when: formatDateTime(o.placed_at),
              source: label('sources', o.source),
            })}
          </Text>
        </Stack>
        {can('orders:write') && cancellable(o) && (
          <Button
            color="red"
            variant="light"
            leftSection={<IconX size={16} />}
            onClick={() => setCancelling(true)}
            data-testid="order-cancel"
          >
            {t('orders.detail.cancel')}
          </Button>
        )}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Lines order={o} />
            <OrderFulfilmentsPanel order={o} />
            <OrderPaymentsPanel order={o} />
            <OrderNotificationsPanel orderId={o.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Summary order={o} />
            <OrderTimeline order={o} payments={payments.data ?? []} />
          </Stack>
        </Grid.Col>
      </Grid>
      <CancelModal order={o} opened={cancelling} onClose={() => setCancelling(false)} />
    </PickupCodeHost>
  );
}
