/**
 * @module A fulfilment's order in a queue card or desk row: its number (a link), the customer's contact and
 * what is in it. Read per order (cached), since the fulfilment list carries only the order's id.
 */
import { Anchor, Group, Skeleton, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useOrder, type Fulfilment, type Order } from '../../api/orders';
import { useOrdersT } from './orders-i18n';

export function useFulfilmentOrder(f: Fulfilment) {
  return useOrder(f.order_id);
}

export function linesOf(order: Order, f: Fulfilment): string {
  return order.lines
    .filter((l) => l.fulfilment_id === f.id)
    .map((l) => `${l.quantity} × ${l.title}`)
    .join(' · ');
}

export function OrderRef({ fulfilment, order }: { fulfilment: Fulfilment; order: Order | undefined }) {
  const { t } = useOrdersT();
  if (!order) return <Skeleton h={36} />;
  const units = order.lines
    .filter((l) => l.fulfilment_id === fulfilment.id)
    .reduce((n, l) => n + l.quantity, 0);
  return (
    <div>
      <Group gap="xs">
        <Anchor component={Link} to={`/orders/${order.id}`} fw={700} data-testid="fulfilment-order">
          {order.display_number}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t('orders.common.items', { count: units })}
        </Text>
      </Group>
      <Text size="sm">{linesOf(order, fulfilment)}</Text>
      {(order.email || order.phone) && (
        <Text size="xs" c="dimmed">
          {[order.email, order.phone].filter(Boolean).join(' · ')}
        </Text>
      )}
    </div>
  );
}
