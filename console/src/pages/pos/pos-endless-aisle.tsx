/**
 * @module Endless aisle: this store has none of an item, so the till shows where it is and sells it here for
 * delivery — its own POS sale with the line in `ship` mode (sourcing picks the location that sends it) to the
 * customer's address, priced first through the same pricing the sale uses, then paid with split tender.
 */
import { Anchor, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Customer } from '../../api/customer-types';
import {
  useShipmentQuote,
  useStockOf,
  type PosSale,
  type PricedLine,
  type ShippingAddress,
} from '../../api/pos';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { useLocationIndex } from '../inventory/inventory-display';
import { customerName } from './pos-customer';
import { usePosT } from './pos-i18n';
import { SalePayment } from './pos-sale';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export function EndlessAisleModal({
  line,
  channelId,
  locationId,
  customer,
  storeCredit,
  onClose,
  onSold,
}: {
  line: PricedLine;
  channelId: string;
  locationId: string;
  customer: Customer | null;
  storeCredit: number;
  onClose: () => void;
  onSold: () => void;
}) {
  const { t } = usePosT();
  const stock = useStockOf(line.sku);
  const index = useLocationIndex();
  const quote = useShipmentQuote();
  const home = customer?.addresses[0] ?? {};
  const [address, setAddress] = useState({
    line1: text(home.line1),
    postal_code: text(home.postal_code),
    city: text(home.city),
    country: text(home.country) || 'ES',
  });
  const [sold, setSold] = useState<PosSale | null>(null);
  const elsewhere = (stock.data ?? []).filter(
    (s) => s.location_id !== locationId && s.available >= line.quantity,
  );
  const shipTo: ShippingAddress = {
    ...(customer ? { name: customerName(customer) } : {}),
    ...address,
  };
  const complete =
    Boolean(address.line1 && address.postal_code && address.city) && /^[A-Z]{2}$/.test(address.country);
  const priced = quote.data;
  const field = (name: keyof typeof address) => (
    <TextInput
      label={t(`pos.aisle.${name}`)}
      value={address[name]}
      onChange={(e) => {
        setAddress({ ...address, [name]: e.currentTarget.value });
        // The price may depend on where it ships: quote again before paying.
        if (quote.data) quote.reset();
      }}
      data-testid={`pos-aisle-${name}`}
    />
  );

  return (
    <Modal opened onClose={onClose} title={t('pos.aisle.title', { sku: line.sku })} size="lg">
      {sold ? (
        <Stack data-testid="pos-aisle-done">
          <Text fw={600}>{t('pos.aisle.placed', { number: sold.order.display_number })}</Text>
          <Text size="sm">{t('pos.aisle.placedHint', { total: formatMoney(sold.order.totals.total) })}</Text>
          {sold.change_due.amount > 0 && (
            <Text fw={700} c="teal" data-testid="pos-aisle-change">
              {t('pos.pay.change')}: {formatMoney(sold.change_due)}
            </Text>
          )}
          <Group>
            <Anchor component={Link} to={`/pos/receipt/${encodeURIComponent(sold.order.id)}`} target="_blank">
              {t('pos.done.printReceipt')}
            </Anchor>
            <Anchor component={Link} to={`/orders/${encodeURIComponent(sold.order.id)}`}>
              {t('pos.done.openOrder')}
            </Anchor>
            <Button onClick={onSold} data-testid="pos-aisle-close">
              {t('pos.aisle.backToTill')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack data-testid="pos-aisle">
          {stock.data && elsewhere.length === 0 ? (
            <Text c="dimmed" data-testid="pos-aisle-nowhere">
              {t('pos.aisle.nowhere')}
            </Text>
          ) : (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('pos.aisle.from')}
              </Text>
              <List size="sm" data-testid="pos-aisle-where">
                {elsewhere.map((s) => (
                  <List.Item key={s.location_id}>
                    {t('pos.aisle.available', { location: index.nameOf(s.location_id), count: s.available })}
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
          {field('line1')}
          <Group grow>
            {field('postal_code')}
            {field('city')}
            {field('country')}
          </Group>
          {quote.error && <ErrorAlert error={quote.error} data-testid="pos-aisle-error" />}
          {!priced ? (
            <Button
              disabled={!complete || elsewhere.length === 0}
              loading={quote.isPending}
              onClick={() =>
                quote.mutate({
                  channelId,
                  line: { sku: line.sku, quantity: line.quantity },
                  address: shipTo,
                })
              }
              data-testid="pos-aisle-quote"
            >
              {t('pos.aisle.quote')}
            </Button>
          ) : (
            <Stack gap="xs">
              <Group justify="space-between" data-testid="pos-aisle-total">
                <Text size="sm">
                  {t('pos.aisle.shipping', { amount: formatMoney(priced.pricing.shipping_total) })}
                </Text>
                <Text fw={700}>
                  {t('pos.aisle.order', { total: formatMoney(priced.pricing.grand_total) })}
                </Text>
              </Group>
              <SalePayment
                sale={{
                  location_id: locationId,
                  ...(customer ? { customer_id: customer.id } : {}),
                  lines: [{ sku: line.sku, quantity: line.quantity, mode: 'ship' }],
                  shipping_address: shipTo,
                }}
                version={priced.updated_at}
                storeCredit={storeCredit}
                onSold={setSold}
              />
            </Stack>
          )}
        </Stack>
      )}
    </Modal>
  );
}
