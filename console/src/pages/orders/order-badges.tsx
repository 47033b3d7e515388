/** @module Status badges of orders, fulfilments and payments, coloured the same on every screen. */
import { Badge } from '@mantine/core';
import type { FulfilmentStatus, OrderStatus, PaymentStatus } from '../../api/orders';
import { FULFILMENT_STATUS_COLOURS, ORDER_STATUS_COLOURS, PAYMENT_STATUS_COLOURS } from './orders-display';
import { label } from './orders-i18n';

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
