/**
 * @module The order's timeline: what happened to it, oldest first — placed, edited, each payment and refund,
 * paid, every fulfilment step, expiry, cancellation, completion. Built from the times the order, its
 * fulfilments and its payments record; each of these moments is also a domain event on the customer's timeline.
 */
import { Paper, Text, Timeline, Title } from '@mantine/core';
import type { Order, PaymentWithRefunds } from '../../api/orders';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { stepsOf } from './order-fulfilments-panel';
import { label, to, useOrdersT } from './orders-i18n';

interface Entry {
  at: string;
  text: string;
  colour: string;
}

export function orderTimeline(
  order: Order,
  payments: PaymentWithRefunds[],
  locationName: (id: string) => string,
): Entry[] {
  const entries: Entry[] = [
    {
      at: order.placed_at,
      text: to('orders.timeline.placed', { source: label('sources', order.source) }),
      colour: 'blue',
    },
  ];
  for (const e of order.edits)
    entries.push({
      at: e.created_at,
      text: to('orders.timeline.edited', {
        before: formatMoney(e.previous_total),
        after: formatMoney(e.new_total),
      }),
      colour: 'yellow',
    });
  for (const p of payments) {
    entries.push({
      at: p.created_at,
      text: to('orders.timeline.payment', {
        provider: label('providers', p.provider),
        amount: formatMoney(p.amount),
        status: label('paymentStatuses', p.status),
      }),
      colour: p.status === 'failed' ? 'red' : 'teal',
    });
    for (const r of p.refunds)
      entries.push({
        at: r.created_at,
        text: to('orders.timeline.refund', { amount: formatMoney(r.amount), reason: r.reason }),
        colour: 'grape',
      });
  }
  if (order.paid_at) entries.push({ at: order.paid_at, text: to('orders.timeline.paid'), colour: 'teal' });
  for (const f of order.fulfilments) {
    const where = { mode: label('modes', f.mode), location: locationName(f.location_id) };
    // "Created" is the order being placed: the fulfilment's own entries start at its first real step.
    for (const s of stepsOf(f).slice(1))
      if (s.at)
        entries.push({
          at: s.at,
          text: to('orders.timeline.fulfilment', { ...where, step: to(s.key) }),
          colour: 'indigo',
        });
    if (f.expired_at) entries.push({ at: f.expired_at, text: to('orders.timeline.expired'), colour: 'red' });
    if (f.cancelled_at)
      entries.push({
        at: f.cancelled_at,
        text: to('orders.timeline.cancelledFulfilment', where),
        colour: 'gray',
      });
  }
  if (order.cancelled_at)
    entries.push({ at: order.cancelled_at, text: to('orders.timeline.cancelled'), colour: 'gray' });
  if (order.completed_at)
    entries.push({ at: order.completed_at, text: to('orders.timeline.completed'), colour: 'teal' });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function OrderTimeline({ order, payments }: { order: Order; payments: PaymentWithRefunds[] }) {
  const { t } = useOrdersT();
  const index = useLocationIndex();
  const entries = orderTimeline(order, payments, index.nameOf);
  return (
    <Paper withBorder radius="md" p="md" data-testid="order-timeline">
      <Title order={4} mb="md">
        {t('orders.timeline.title')}
      </Title>
      <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2}>
        {entries.map((e, i) => (
          <Timeline.Item key={`${e.at}-${i}`} color={e.colour} data-testid="timeline-entry">
            <Text size="sm">{e.text}</Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
