/**
 * @module What the customer was sent about an order — confirmation, receipt, pickup code, shipping, refund — on
 * which channel and address, and how each went: sent, queued, skipped (with the reason: no consent, no address) or
 * failed (with the relay's or provider's answer).
 */
import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import i18n from '../../i18n';
import { useOrderNotifications, type OrderNotification } from '../../api/notifications';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../lib/format';
import { to as translate, useOrdersT, type OrdersKey } from './orders-i18n';

const statusColor: Record<OrderNotification['status'], string> = {
  sent: 'green',
  queued: 'blue',
  failed: 'red',
  skipped: 'yellow',
};

/** A translated value of one of the notification sets; unknown values show as themselves. */
function nlabel(set: 'kinds' | 'statuses' | 'channels' | 'reasons', value: string): string {
  const key = `orders.notifications.${set}.${value}`;
  return i18n.exists(key) ? translate(key as OrdersKey) : value;
}

export function OrderNotificationsPanel({ orderId }: { orderId: string }) {
  const { t } = useOrdersT();
  const list = useOrderNotifications(orderId);
  const rows = list.data?.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="order-notifications">
      <Title order={4} mb="sm">
        {t('orders.notifications.title')}
      </Title>
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {list.isPending ? '…' : t('orders.notifications.empty')}
        </Text>
      ) : (
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('orders.notifications.kind')}</Table.Th>
              <Table.Th>{t('orders.notifications.channel')}</Table.Th>
              <Table.Th>{t('orders.notifications.to')}</Table.Th>
              <Table.Th>{t('orders.notifications.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((n) => (
              <Table.Tr key={n.id} data-testid={`notification-${n.kind}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {nlabel('kinds', n.kind)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(n.created_at)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{nlabel('channels', n.channel_kind)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{n.address ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={statusColor[n.status]} variant="light" data-testid="notification-status">
                    {nlabel('statuses', n.status)}
                  </Badge>
                  {n.error && (
                    <Text size="xs" c={n.status === 'failed' ? 'red' : 'dimmed'} mt={2}>
                      {nlabel('reasons', n.error)}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
