/**
 * @module "Email receipt" / "Text receipt" on the receipt screen: the address is prefilled with the customer's
 * (editable, or typed for a walk-in), the server sends at once and answers with the outcome — sent, skipped (and
 * why) or failed (the relay's answer) — shown under the buttons; a refusal (no address, no channel, no consent)
 * lands on the field it names.
 */
import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMail, IconMessage, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useCustomer } from '../../api/customers';
import { useSendReceipt, type OrderNotification } from '../../api/notifications';
import { useOrder } from '../../api/orders';
import { applyFieldErrors, errorMessage } from '../../lib/errors';
import { usePosT } from './pos-i18n';

type Kind = 'email' | 'sms';

function Outcome({ n }: { n: OrderNotification }) {
  const { t } = usePosT();
  const color = { sent: 'green', queued: 'blue', failed: 'red', skipped: 'yellow' }[n.status];
  const values = { address: n.address ?? '', error: n.error ?? '' };
  return (
    <Alert color={color} variant="light" p="xs" data-testid="pos-receipt-outcome" data-status={n.status}>
      {/* Queued with an error: the relay failed and the worker tries again later. */}
      {n.status === 'queued' && n.error
        ? t('pos.receipt.retrying', values)
        : t(`pos.receipt.${n.status}`, values)}
    </Alert>
  );
}

export function PosReceiptSend({ orderId }: { orderId: string }) {
  const { t } = usePosT();
  const order = useOrder(orderId);
  const customer = useCustomer(order.data?.customer_id);
  const send = useSendReceipt(orderId);
  const [kind, setKind] = useState<Kind | null>(null);
  const [outcome, setOutcome] = useState<OrderNotification | null>(null);
  const form = useForm<{ channel: Kind; to: string }>({ initialValues: { channel: 'email', to: '' } });

  const open = (k: Kind) => {
    const c = customer.data;
    const fromOrder = k === 'email' ? order.data?.email : order.data?.phone;
    form.setValues({ channel: k, to: (k === 'email' ? c?.emails[0] : c?.phones[0]) ?? fromOrder ?? '' });
    form.clearErrors();
    setOutcome(null);
    setKind(k);
  };
  const submit = form.onSubmit((values) => {
    send.mutate(
      { channel: values.channel, to: values.to.trim() || undefined },
      {
        onSuccess: (n) => {
          setOutcome(n);
          setKind(null);
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error, ['to', 'channel']))
            form.setFieldError('to', errorMessage(error));
        },
      },
    );
  });

  return (
    <Stack gap="xs" className="no-print" mb="sm" data-testid="pos-receipt-send">
      <Group gap="xs" justify="flex-end">
        <Button
          size="xs"
          variant={kind === 'email' ? 'filled' : 'light'}
          leftSection={<IconMail size={14} />}
          onClick={() => open('email')}
          data-testid="pos-receipt-email"
        >
          {t('pos.receipt.email')}
        </Button>
        <Button
          size="xs"
          variant={kind === 'sms' ? 'filled' : 'light'}
          leftSection={<IconMessage size={14} />}
          onClick={() => open('sms')}
          data-testid="pos-receipt-sms"
        >
          {t('pos.receipt.sms')}
        </Button>
      </Group>
      {kind && (
        <form onSubmit={submit}>
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              aria-label={t('pos.receipt.to')}
              placeholder={t(
                kind === 'email' ? 'pos.receipt.emailPlaceholder' : 'pos.receipt.phonePlaceholder',
              )}
              type={kind === 'email' ? 'email' : 'tel'}
              data-testid="pos-receipt-to"
              {...form.getInputProps('to')}
              error={form.errors.to ?? form.errors.channel}
            />
            <Button
              size="xs"
              type="submit"
              loading={send.isPending}
              leftSection={<IconSend size={14} />}
              data-testid="pos-receipt-send-submit"
            >
              {t('pos.receipt.send')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setKind(null)}>
              {t('pos.receipt.cancel')}
            </Button>
          </Group>
        </form>
      )}
      {outcome && <Outcome n={outcome} />}
    </Stack>
  );
}
