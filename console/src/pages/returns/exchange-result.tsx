/**
 * @module What an exchange made, on the return: the replacement order (a link to it), its lines and how each
 * reaches the customer, what was paid, and the state and next step of each delivery — a take-now line shows
 * handed over (the exchange hands it over, as a POS sale does); a pickup or a parcel goes on from here.
 */
import { Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useOrder } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { FulfilmentActions, PickupCodeHost } from '../orders/fulfilment-actions';
import { FulfilmentStatusBadge } from '../orders/order-badges';
import { usePosT, type PosKey } from '../pos/pos-i18n';

const MODE_LABEL: Record<string, PosKey> = {
  handover: 'pos.exchange.modeHandover',
  pickup: 'pos.exchange.modePickup',
  ship: 'pos.exchange.modeShip',
};

export function ExchangeResult({ orderId }: { orderId: string }) {
  const { t } = usePosT();
  const order = useOrder(orderId);
  const { nameOf } = useLocationIndex();
  if (order.error) return <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />;
  if (!order.data) return null;
  const o = order.data;
  return (
    <Paper withBorder radius="md" p="md" data-testid="exchange-result">
      <Group justify="space-between" mb="xs">
        <Text fw={600} data-testid="exchange-order">
          {t('pos.exchange.done', { number: o.display_number })}
        </Text>
        <Anchor component={Link} to={`/orders/${o.id}`} size="sm" data-testid="exchange-order-link">
          {t('pos.exchange.openOrder')}
        </Anchor>
      </Group>
      <Table mb="sm">
        <Table.Tbody>
          {o.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>
                {l.quantity} × {l.title}{' '}
                <Text span c="dimmed" ff="monospace" size="xs">
                  {l.sku}
                </Text>
              </Table.Td>
              <Table.Td>
                {MODE_LABEL[l.delivery.mode] ? t(MODE_LABEL[l.delivery.mode]!) : l.delivery.mode} ·{' '}
                {nameOf(l.delivery.location_id)}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(l.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" mb="sm">
        <Text size="sm">{t('pos.exchange.replacementTotal')}</Text>
        <Text size="sm" fw={600} data-testid="exchange-order-total">
          {formatMoney(o.totals.total)}
        </Text>
      </Group>
      {o.fulfilments.length > 0 && (
        <PickupCodeHost>
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {t('pos.exchange.deliveries')}
            </Text>
            {o.fulfilments.map((f) => (
              <Group key={f.id} justify="space-between" data-testid={`exchange-fulfilment-${f.mode}`}>
                <Group gap="xs">
                  <Badge variant="light">{MODE_LABEL[f.mode] ? t(MODE_LABEL[f.mode]!) : f.mode}</Badge>
                  <Text size="sm">{nameOf(f.location_id)}</Text>
                  <FulfilmentStatusBadge status={f.status} />
                </Group>
                <FulfilmentActions fulfilment={f} number={o.display_number} />
              </Group>
            ))}
          </Stack>
        </PickupCodeHost>
      )}
    </Paper>
  );
}
