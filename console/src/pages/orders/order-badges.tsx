/** @module Status badges of orders, fulfilments and payments, coloured the same on every screen. */
import { Badge, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Fulfilment, FulfilmentStatus, OrderStatus, PaymentStatus } from '../../api/orders';
import { formatDateTime } from '../../lib/format';
import { FULFILMENT_STATUS_COLOURS, ORDER_STATUS_COLOURS, PAYMENT_STATUS_COLOURS } from './orders-display';
import { label, useOrdersT } from './orders-i18n';

export function OrderStatusBadge({ status, size }: { status: OrderStatus; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={ORDER_STATUS_COLOURS[status]} variant="light" size={size} data-testid="order-status">
      {label('statuses', status)}
    </Badge>
  );
}

export function FulfilmentStatusBadge({ status }: { status: FulfilmentStatus }) {
  return (
    <Badge color={FULFILMENT_STATUS_COLOURS[status]} variant="light" data-testid="fulfilment-status">
      {label('fulfilmentStatuses', status)}
    </Badge>
  );
}

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  return (
    <Badge color={PAYMENT_STATUS_COLOURS[status]} variant="dot" data-testid="payment-status">
      {label('paymentStatuses', status)}
    </Badge>
  );
}

/** A desk row's status: the badge, until when the store holds it, and whatever the desk adds below. */
export function FulfilmentHold({
  fulfilment: f,
  children,
}: {
  fulfilment: Fulfilment;
  children?: ReactNode;
}) {
  const { t } = useOrdersT();
  return (
    <Stack gap={4}>
      <FulfilmentStatusBadge status={f.status} />
      {f.hold_until && (
        <Text size="xs" c="dimmed">
          {t('orders.fulfilments.holdUntil', { when: formatDateTime(f.hold_until) })}
        </Text>
      )}
      {children}
    </Stack>
  );
}
