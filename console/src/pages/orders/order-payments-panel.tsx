/**
 * @module The money of an order: authorized, captured, refunded and the balance due as the server sums them,
 * each payment with its tender, status and refunds, and "Refund" on payments with captured money left to give
 * back (the server refuses more than captured minus refunded; its answer shows under the amount).
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconReceiptRefund } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { ApiError, NETWORK_ERROR_STATUS } from '../../api/client';
import { useOrderPayments, useRefundPayment, type Order, type PaymentWithRefunds } from '../../api/orders';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors, errorMessage } from '../../lib/errors';
import { formatDateTime, formatMoney, type Money } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { PaymentStatusBadge } from './order-badges';
import { label, useOrdersT } from './orders-i18n';

/** Minor-unit digits of a currency (EUR 2, JPY 0), to let the amount field take "12.50". */
function digitsOf(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

const refundable = (p: PaymentWithRefunds) => p.amount_captured.amount - p.amount_refunded.amount;

function RefundModal({ payment, onClose }: { payment: PaymentWithRefunds | null; onClose: () => void }) {
  const { t } = useOrdersT();
  const refund = useRefundPayment();
  const currency = payment?.amount.currency ?? 'EUR';
  const digits = digitsOf(currency);
  const max = payment ? refundable(payment) : 0;
  const form = useForm<{ amount: number | string; reason: string }>({
    initialValues: { amount: '', reason: '' },
    validate: { reason: (v) => (v.trim() ? null : t('orders.payments.refundReason')) },
  });
  // A new key per refund form; kept across a network failure (the retry must not refund twice), replaced once
  // the server has answered a refusal (the corrected request is a different refund).
  const key = useRef('');
  useEffect(() => {
    key.current = crypto.randomUUID();
  }, [payment]);
  const close = () => {
    form.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    if (!payment) return;
    const amount = values.amount === '' ? undefined : Math.round(Number(values.amount) * 10 ** digits);
    refund.mutate(
      { paymentId: payment.id, amount, reason: values.reason.trim(), key: key.current },
      {
        onSuccess: (answer) => {
          notifySuccess(t('orders.payments.refundDone', { amount: formatMoney(answer.refund.amount) }));
          close();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status !== NETWORK_ERROR_STATUS)
            key.current = crypto.randomUUID();
          if (!applyFieldErrors(form, error, ['amount', 'reason']))
            form.setFieldError('amount', errorMessage(error));
        },
      },
    );
  });
  return (
    <Modal
      opened={payment !== null}
      onClose={close}
      title={
        payment ? t('orders.payments.refundTitle', { provider: label('providers', payment.provider) }) : ''
      }
    >
      <form onSubmit={submit} data-testid="refund-form">
        <Stack>
          <NumberInput
            label={t('orders.payments.refundAmount')}
            description={t('orders.payments.refundAmountHint', {
              max: formatMoney({ amount: max, currency }),
            })}
            placeholder={(max / 10 ** digits).toFixed(digits)}
            decimalScale={digits}
            min={0}
            {...form.getInputProps('amount')}
            data-testid="refund-amount"
          />
          <TextInput
            label={t('orders.payments.refundReason')}
            {...form.getInputProps('reason')}
            data-testid="refund-reason"
          />
          <Group justify="flex-end">
            <Button type="submit" color="red" loading={refund.isPending} data-testid="refund-submit">
              {t('orders.payments.refundConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Figure({ title, value, testId }: { title: string; value: Money; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {title}
      </Text>
      <Text fw={700} data-testid={testId}>
        {formatMoney(value)}
      </Text>
    </div>
  );
}

export function OrderPaymentsPanel({ order }: { order: Order }) {
  const { t } = useOrdersT();
  const can = useCan();
  const payments = useOrderPayments(order.id);
  const [refunding, setRefunding] = useState<PaymentWithRefunds | null>(null);
  return (
    <Paper withBorder radius="md" p="md" data-testid="order-payments">
      <Title order={4} mb="sm">
        {t('orders.payments.title')}
      </Title>
      <SimpleGrid cols={4} mb="md">
        <Figure
          title={t('orders.payments.authorized')}
          value={order.payments.authorized}
          testId="payments-authorized"
        />
        <Figure
          title={t('orders.payments.captured')}
          value={order.payments.captured}
          testId="payments-captured"
        />
        <Figure
          title={t('orders.payments.refunded')}
          value={order.payments.refunded}
          testId="payments-refunded"
        />
        <Figure
          title={t('orders.payments.balanceDue')}
          value={order.payments.balance_due}
          testId="payments-balance"
        />
      </SimpleGrid>
      {payments.error ? (
        <ErrorAlert error={payments.error} onRetry={() => void payments.refetch()} />
      ) : (payments.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {payments.isPending ? '…' : t('orders.payments.empty')}
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="payments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('orders.payments.provider')}</Table.Th>
              <Table.Th>{t('orders.common.status')}</Table.Th>
              <Table.Th ta="right">{t('orders.payments.amount')}</Table.Th>
              <Table.Th ta="right">{t('orders.payments.refunded')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(payments.data ?? []).map((p) => (
              <Table.Tr key={p.id} data-testid={`payment-row-${p.provider}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {label('providers', p.provider)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(p.created_at)}
                  </Text>
                  {p.failure_message && (
                    <Text size="xs" c="red">
                      {t('orders.payments.failed', { message: p.failure_message })}
                    </Text>
                  )}
                  {p.refunds.map((r) => (
                    <Group key={r.id} gap={6} mt={4} wrap="nowrap" data-testid="payment-refund">
                      <Badge size="sm" color="grape" variant="light" style={{ flexShrink: 0 }}>
                        {t('orders.payments.refund')}
                      </Badge>
                      <Text size="xs">
                        {formatMoney(r.amount)} · {r.reason} · {formatDateTime(r.created_at)}
                      </Text>
                    </Group>
                  ))}
                </Table.Td>
                <Table.Td>
                  <PaymentStatusBadge status={p.status} />
                </Table.Td>
                <Table.Td ta="right">{formatMoney(p.amount)}</Table.Td>
                <Table.Td ta="right">{formatMoney(p.amount_refunded)}</Table.Td>
                <Table.Td ta="right">
                  {can('orders:write') && refundable(p) > 0 && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      leftSection={<IconReceiptRefund size={14} />}
                      onClick={() => setRefunding(p)}
                      data-testid="payment-refund-open"
                    >
                      {t('orders.payments.refund')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RefundModal payment={refunding} onClose={() => setRefunding(null)} />
    </Paper>
  );
}
