/**
 * @module Paying and after: the pay modal (split tender, then one sale carrying an idempotency key — the same key
 * on a retry of the same sale, so a double click or a lost answer never sells twice) and the success panel with
 * the receipt. Email and SMS receipts need a message sender the server does not have yet, so the till offers the
 * print view, and says whether the customer would accept a receipt by email or SMS.
 */
import { Alert, Anchor, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconPrinter } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import {
  newSaleKey,
  usePosSale,
  type PosSale,
  type PosSaleInput,
  type PricedCart,
  type Tender,
} from '../../api/pos';
import { formatMoney, type Money } from '../../lib/format';
import { useReceiptConsent } from './pos-customer';
import { usePosT } from './pos-i18n';
import { tendered, TenderPanel } from './pos-tender';

/**
 * Tenders for one sale and the button that rings it up. `sale` is everything but the tenders; the idempotency key
 * is kept while the associate retries the very same sale (a lost answer, a double click) and replaced when
 * anything in it changes — `version` names what the total was priced from (the cart's `updated_at`).
 */
export function SalePayment({
  total,
  sale: saleInput,
  version,
  storeCredit,
  onSold,
}: {
  total: Money;
  sale: Omit<PosSaleInput, 'tenders'>;
  version: string;
  storeCredit: number;
  onSold: (sale: PosSale) => void;
}) {
  const { t } = usePosT();
  const [tenders, setTenders] = useState<Tender[]>([]);
  const sale = usePosSale();
  const key = useRef<{ body: string; key: string } | null>(null);
  const covered = tendered(tenders) === total.amount;

  const complete = () => {
    const input: PosSaleInput = { ...saleInput, tenders };
    const body = JSON.stringify([input, version]);
    if (key.current?.body !== body) key.current = { body, key: newSaleKey() };
    sale.mutate(
      { input, idempotencyKey: key.current.key },
      {
        onSuccess: (done) => {
          onSold(done);
          setTenders([]);
          key.current = null;
        },
      },
    );
  };

  return (
    <Stack data-testid="pos-pay">
      <TenderPanel
        total={total}
        tenders={tenders}
        onChange={setTenders}
        storeCredit={storeCredit}
        hasCustomer={Boolean(saleInput.customer_id)}
      />
      {sale.error && <ErrorAlert error={sale.error} data-testid="pos-sale-error" />}
      <Button
        size="lg"
        color="teal"
        disabled={!covered}
        loading={sale.isPending}
        onClick={complete}
        data-testid="pos-complete"
      >
        {t('pos.pay.complete')}
      </Button>
    </Stack>
  );
}

interface PayModalProps {
  opened: boolean;
  onClose: () => void;
  cart: PricedCart;
  locationId: string;
  customerId: string | null;
  storeCredit: number;
  onSold: (sale: PosSale) => void;
}

/** Pays the basket: the cart itself is sold (`cart_id`), every line handed over here, the cart converted. */
export function PayModal({
  opened,
  onClose,
  cart,
  locationId,
  customerId,
  storeCredit,
  onSold,
}: PayModalProps) {
  const { t } = usePosT();
  const total = cart.pricing.grand_total;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('pos.pay.title', { total: formatMoney(total) })}
      size="lg"
    >
      <SalePayment
        total={total}
        sale={{
          location_id: locationId,
          cart_id: cart.id,
          ...(customerId ? { customer_id: customerId } : {}),
        }}
        version={cart.updated_at}
        storeCredit={storeCredit}
        onSold={onSold}
      />
    </Modal>
  );
}

export function SaleDone({
  sale,
  customerId,
  onNext,
}: {
  sale: PosSale;
  customerId: string | null;
  onNext: () => void;
}) {
  const { t } = usePosT();
  const o = sale.order;
  const change = sale.change_due.amount;
  const receipt = `/pos/receipt/${encodeURIComponent(o.id)}`;
  return (
    <Paper withBorder radius="md" p="xl" data-testid="pos-sale-done">
      <Stack align="center" gap="sm">
        <IconCircleCheck size={48} color="var(--mantine-color-teal-6)" />
        <Text fw={700} size="xl">
          {t('pos.done.title', { number: o.display_number })}
        </Text>
        <Text data-testid="pos-done-total">{t('pos.done.paid', { total: formatMoney(o.totals.total) })}</Text>
        {change > 0 && (
          <Text fw={700} size="xl" c="teal" data-testid="pos-done-change">
            {t('pos.pay.change')}: {formatMoney({ amount: change, currency: o.currency })}
          </Text>
        )}
        <Group>
          <Button
            component="a"
            href={receipt}
            target="_blank"
            leftSection={<IconPrinter size={16} />}
            data-testid="pos-receipt-link"
          >
            {t('pos.done.printReceipt')}
          </Button>
          <Button variant="default" onClick={onNext} data-testid="pos-next-sale">
            {t('pos.done.next')}
          </Button>
        </Group>
        {customerId && <ReceiptChannels customerId={customerId} />}
        <Anchor component={Link} to={`/orders/${encodeURIComponent(o.id)}`} size="sm">
          {t('pos.done.openOrder')}
        </Anchor>
      </Stack>
    </Paper>
  );
}

/** What the customer accepts; the sending itself waits for a receipt sender on the server. */
function ReceiptChannels({ customerId }: { customerId: string }) {
  const { t } = usePosT();
  const consent = useReceiptConsent(customerId);
  if (!consent.loaded) return null;
  const channels = [consent.email && 'email', consent.sms && 'SMS'].filter(Boolean).join(', ');
  return (
    <Alert variant="light" color="gray" data-testid="pos-receipt-channels">
      {channels ? t('pos.done.digitalPending', { channels }) : t('pos.done.noDigitalConsent')}
    </Alert>
  );
}
