/**
 * @module The fulfilments of an order: each location and delivery mode with its lines, the steps it went through
 * with their times (a stepper fitted to the mode), carrier and tracking, the pickup hold, and the buttons for the
 * next step.
 */
import { Anchor, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import type { Fulfilment, Order } from '../../api/orders';
import { formatDateTime } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { FulfilmentStatusBadge } from './order-badges';
import { CollectForm, FulfilmentActions } from './fulfilment-actions';
import { label, useOrdersT, type OrdersKey } from './orders-i18n';
import { useCan } from '../../lib/permissions';

type Step = { key: OrdersKey; at: string | null };

/** The path of a fulfilment's mode, each step with when it happened (null: not yet). */
export function stepsOf(f: Fulfilment): Step[] {
  const created: Step = { key: 'orders.fulfilments.steps.created', at: f.created_at };
  switch (f.mode) {
    case 'ship':
      return [
        created,
        { key: 'orders.fulfilments.steps.picked', at: f.picked_at },
        { key: 'orders.fulfilments.steps.packed', at: f.packed_at },
        { key: 'orders.fulfilments.steps.shipped', at: f.shipped_at },
      ];
    case 'same_day':
      return [
        created,
        { key: 'orders.fulfilments.steps.picked', at: f.picked_at },
        { key: 'orders.fulfilments.steps.outForDelivery', at: f.out_for_delivery_at },
        { key: 'orders.fulfilments.steps.delivered', at: f.delivered_at },
      ];
    case 'pickup':
      return [
        created,
        { key: 'orders.fulfilments.steps.ready', at: f.ready_at },
        { key: 'orders.fulfilments.steps.collected', at: f.collected_at },
      ];
    case 'handover':
      return [created, { key: 'orders.fulfilments.steps.handedOver', at: f.collected_at }];
    case 'reserve_in_store':
      // Reserved to try: sold at the store (handed over) or released.
      return [created, { key: 'orders.fulfilments.steps.handedOver', at: f.collected_at }];
  }
}

function FulfilmentCard({ fulfilment: f, order }: { fulfilment: Fulfilment; order: Order }) {
  const { t } = useOrdersT();
  const can = useCan();
  const index = useLocationIndex();
  const steps = stepsOf(f);
  // The stepper's active step is the first not yet done; a closed fulfilment shows every done step.
  const active = steps.findIndex((s) => s.at === null);
  const lines = order.lines.filter((l) => l.fulfilment_id === f.id);
  return (
    <Paper withBorder radius="md" p="md" data-testid={`fulfilment-${f.mode}`}>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="xs">
          <Text fw={600}>{label('modes', f.mode)}</Text>
          <Text size="sm" c="dimmed">
            {t('orders.fulfilments.from', { location: index.nameOf(f.location_id) })}
          </Text>
          <FulfilmentStatusBadge status={f.status} />
        </Group>
        {can('orders:write') && <FulfilmentActions fulfilment={f} number={order.display_number} />}
      </Group>
      <Text size="sm" mb="sm">
        {lines.map((l) => `${l.quantity} × ${l.title} (${l.sku})`).join(' · ')}
      </Text>
      <Stepper active={active === -1 ? steps.length : active} size="xs" mb="xs">
        {steps.map((s) => (
          <Stepper.Step key={s.key} label={t(s.key)} description={s.at ? formatDateTime(s.at) : undefined} />
        ))}
      </Stepper>
      {(f.carrier || f.tracking_number) && (
        <Text size="sm" data-testid="fulfilment-tracking">
          {[f.carrier, f.tracking_number].filter(Boolean).join(' · ')}
          {f.tracking_url && (
            <>
              {' · '}
              <Anchor href={f.tracking_url} target="_blank" rel="noreferrer" size="sm">
                {t('orders.fulfilments.trackingUrl')}
              </Anchor>
            </>
          )}
        </Text>
      )}
      {f.status === 'ready_for_pickup' && (
        <Stack gap={6} mt="xs">
          <Text size="sm" c="dimmed">
            {f.hold_until && t('orders.fulfilments.holdUntil', { when: formatDateTime(f.hold_until) })}
            {f.pickup_attempts > 0 && ` · ${t('orders.fulfilments.attempts', { count: f.pickup_attempts })}`}
          </Text>
          {can('orders:write') && <CollectForm fulfilment={f} number={order.display_number} />}
        </Stack>
      )}
    </Paper>
  );
}

export function OrderFulfilmentsPanel({ order }: { order: Order }) {
  const { t } = useOrdersT();
  return (
    <Stack gap="sm" data-testid="order-fulfilments">
      <Title order={4}>{t('orders.fulfilments.title')}</Title>
      {order.fulfilments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('orders.fulfilments.empty')}
        </Text>
      ) : (
        order.fulfilments.map((f) => <FulfilmentCard key={f.id} fulfilment={f} order={order} />)
      )}
    </Stack>
  );
}
