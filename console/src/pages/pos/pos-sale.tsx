/**
 * @module Paying and after: the pay modal (the server's preview of the sale's totals, split tender, then one sale
 * carrying that total as `expected_total` and an idempotency key — the same key on a retry of the same sale, so a
 * double click or a lost answer never sells twice) and the success panel with
 * the receipt. Email and SMS receipts need a message sender the server does not have yet, so the till offers the
 * print view, and says whether the customer would accept a receipt by email or SMS.
 */
import { Alert, Anchor, Button, Group, Modal, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck, IconPrinter } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import {
  newSaleKey,
  posKeys,
  repricedBy,
  usePosPreview,
  usePosSale,
  type CartPricing,
  type PosPreviewInput,
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
 * The sale priced by the server (`POST /v1/pos/preview`: lines, discounts, tax, total, by the same step the sale
 * runs), its tenders, and the button that rings it up with that total as `expected_total`. If a price changed in
 * between, the sale answers 409 with the new pricing and charges nothing: the till shows the new total and the
 * associate settles it. `sale` is everything but the tenders; the idempotency key is kept while the associate
 * retries the very same sale (a lost answer, a double click) and replaced when anything in it changes —
 * `version` names what the basket was priced from (the cart's `updated_at`).
 */
export function SalePayment({
  sale: saleInput,
  version,
  storeCredit,
  onSold,
}: {
  sale: PosPreviewInput;
  version: string;
  storeCredit: number;
  onSold: (sale: PosSale) => void;
}) {
  const { t } = usePosT();
  const [tenders, setTenders] = useState<Tender[]>([]);
  const sale = usePosSale();
  const preview = usePosPreview(saleInput, version);
  const client = useQueryClient();
  const key = useRef<{ body: string; key: string } | null>(null);
  const total = preview.data?.grand_total;
  const covered = total !== undefined && tendered(tenders) === total.amount;

  const complete = () => {
    if (!total) return;
    const input: PosSaleInput = { ...saleInput, tenders, expected_total: total };
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
        onError: (err) => {
          // The price moved since the preview: show the total the sale would charge now.
          const now = repricedBy(err);
          if (now) client.setQueryData(posKeys.preview(JSON.stringify(saleInput), version), now);
        },
      },
    );
  };

  if (preview.isPending) return <Skeleton h={160} data-testid="pos-preview-loading" />;
  if (preview.error)
    return (
      <ErrorAlert
        error={preview.error}
        onRetry={() => void preview.refetch()}
        data-testid="pos-preview-error"
      />
    );
  const priced = preview.data;
  return (
    <Stack data-testid="pos-pay">
      <PreviewTotals pricing={priced} />
      <TenderPanel
        total={priced.grand_total}
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

/** The server's totals for the sale: what the customer will be charged, to the cent. */
function PreviewTotals({ pricing }: { pricing: CartPricing }) {
  const { t } = usePosT();
  const row = (label: string, amount: Money, testId?: string, strong = false) => (
    <Group justify="space-between" data-testid={testId}>
      <Text size="sm" fw={strong ? 700 : undefined}>
        {label}
      </Text>
      <Text size={strong ? 'lg' : 'sm'} fw={strong ? 700 : undefined}>
        {formatMoney(amount)}
      </Text>
    </Group>
  );
  return (
    <Paper withBorder radius="md" p="sm" data-testid="pos-preview">
      <Stack gap={4}>
        {row(t('pos.preview.subtotal'), pricing.subtotal)}
        {pricing.discount_total.amount > 0 &&
          row(t('pos.preview.discount'), {
            ...pricing.discount_total,
            amount: -pricing.discount_total.amount,
          })}
        {pricing.shipping_total.amount > 0 && row(t('pos.preview.shipping'), pricing.shipping_total)}
        {row(t('pos.preview.tax'), pricing.tax_total)}
        {row(t('pos.preview.total'), pricing.grand_total, 'pos-preview-total', true)}
      </Stack>
    </Paper>
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
  const sale: PosPreviewInput = {
    location_id: locationId,
    cart_id: cart.id,
    ...(customerId ? { customer_id: customerId } : {}),
  };
  // The same query SalePayment reads (one request): the title shows the server's total for the sale.
  const preview = usePosPreview(opened ? sale : null, cart.updated_at);
  const total = preview.data?.grand_total ?? cart.pricing.grand_total;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('pos.pay.title', { total: formatMoney(total) })}
      size="lg"
    >
      <SalePayment sale={sale} version={cart.updated_at} storeCredit={storeCredit} onSold={onSold} />
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
