/**
 * @module What the customer was sent about an order — confirmation, receipt, pickup code, shipping, refund — on
 * which channel and address, and how each went: sent, queued, skipped (with the reason: no consent, no address) or
 * failed (with the relay's or provider's answer), then what Twilio reported (delivered, undelivered with its error
 * code). Staff who change orders (agents included) resend one from here: same address, or the customer's address
 * on file for the other channel; a pickup notice gets a new code, which the dialog says before it is sent.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import i18n from '../../i18n';
import {
  useOrderNotifications,
  useResendNotification,
  type DeliveryStatus,
  type OrderNotification,
} from '../../api/notifications';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { to as translate, useOrdersT, type OrdersKey } from './orders-i18n';

const statusColor: Record<OrderNotification['status'], string> = {
  sent: 'green',
  queued: 'blue',
  failed: 'red',
  skipped: 'yellow',
};

const deliveryColor: Record<DeliveryStatus, string> = {
  queued: 'gray',
  sent: 'gray',
  delivered: 'green',
  read: 'green',
  undelivered: 'red',
  failed: 'red',
};

/** A translated value of one of the notification sets; unknown values show as themselves. */
function nlabel(set: 'kinds' | 'statuses' | 'channels' | 'reasons' | 'deliveries', value: string): string {
  const key = `orders.notifications.${set}.${value}`;
  return i18n.exists(key) ? translate(key as OrdersKey) : value;
}

/**
 * An email address may wrap after its "@" (a phone number never wraps): unbroken, a long address widened the
 * table until the resend button was out of view.
 */
function Address({ value }: { value: string }) {
  const at = value.indexOf('@');
  if (at < 0) return <span style={{ whiteSpace: 'nowrap' }}>{value}</span>;
  return (
    <>
      {value.slice(0, at + 1)}
      <wbr />
      {value.slice(at + 1)}
    </>
  );
}

/** Confirms a resend and picks its channel; a pickup notice warns that the old code stops working. */
function ResendDialog({
  orderId,
  notification,
  onClose,
}: {
  orderId: string;
  notification: OrderNotification;
  onClose: () => void;
}) {
  const { t } = useOrdersT();
  const resend = useResendNotification(orderId);
  const [channel, setChannel] = useState<'email' | 'sms'>(notification.channel_kind);
  // One key per dialog: a double click or a retried request is answered once, not sent twice.
  const [idempotencyKey] = useState(() => `resend-${crypto.randomUUID()}`);
  const send = () =>
    resend.mutate(
      { id: notification.id, channel, idempotencyKey },
      {
        onSuccess: (n) => {
          notifySuccess(
            t('orders.notifications.resend.done', { status: nlabel('statuses', n.status).toLowerCase() }),
          );
          onClose();
        },
        onError: (err) => notifyError(err),
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('orders.notifications.resend.title')} size="md">
      <Stack gap="sm">
        <Text size="sm">
          {t('orders.notifications.resend.what', { kind: nlabel('kinds', notification.kind) })}
        </Text>
        <SegmentedControl
          value={channel}
          onChange={(v) => setChannel(v as 'email' | 'sms')}
          data={[
            { value: 'email', label: nlabel('channels', 'email') },
            { value: 'sms', label: nlabel('channels', 'sms') },
          ]}
          data-testid="resend-channel"
        />
        <Text size="xs" c="dimmed">
          {channel === notification.channel_kind && notification.address
            ? t('orders.notifications.resend.sameAddress', { address: notification.address })
            : t('orders.notifications.resend.onFile')}
        </Text>
        {notification.kind === 'pickup_ready' && (
          <Alert color="yellow" variant="light" data-testid="resend-new-code">
            {t('orders.notifications.resend.newCode')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('orders.notifications.resend.cancel')}
          </Button>
          <Button onClick={send} loading={resend.isPending} data-testid="resend-confirm">
            {t('orders.notifications.resend.send')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function OrderNotificationsPanel({ orderId }: { orderId: string }) {
  const { t } = useOrdersT();
  const can = useCan();
  const list = useOrderNotifications(orderId);
  const rows = list.data?.data ?? [];
  const [resending, setResending] = useState<OrderNotification | null>(null);
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
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('orders.notifications.kind')}</Table.Th>
                <Table.Th>{t('orders.notifications.channel')}</Table.Th>
                <Table.Th>{t('orders.notifications.to')}</Table.Th>
                <Table.Th>{t('orders.notifications.status')}</Table.Th>
                <Table.Th>{t('orders.notifications.delivery')}</Table.Th>
                {can('orders:write') && <Table.Th />}
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
                    <Text size="sm">{n.address ? <Address value={n.address} /> : '—'}</Text>
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
                    {typeof n.data.resent_from === 'string' && (
                      <Text size="xs" c="dimmed" mt={2}>
                        {n.data.code_reissued
                          ? t('orders.notifications.resentWithCode')
                          : t('orders.notifications.resent')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {n.delivery_status ? (
                      <>
                        <Badge
                          color={deliveryColor[n.delivery_status]}
                          variant="outline"
                          data-testid="notification-delivery"
                        >
                          {nlabel('deliveries', n.delivery_status)}
                        </Badge>
                        {n.delivery_error && (
                          <Text size="xs" c="red" mt={2}>
                            {n.delivery_error}
                          </Text>
                        )}
                        {n.delivery_updated_at && (
                          <Text size="xs" c="dimmed" mt={2}>
                            {formatDateTime(n.delivery_updated_at)}
                          </Text>
                        )}
                      </>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  {can('orders:write') && (
                    <Table.Td>
                      {n.status !== 'queued' && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => setResending(n)}
                          data-testid="notification-resend"
                        >
                          {t('orders.notifications.resend.button')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {resending && (
        <ResendDialog orderId={orderId} notification={resending} onClose={() => setResending(null)} />
      )}
    </Paper>
  );
}
