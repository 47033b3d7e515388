/**
 * @module The order status page (`/shop/orders/:id`), opened with the order secret this device kept at checkout:
 * the order's state (waiting for the bank, paid, on its way, ready to collect…), its lines with how each one
 * arrives, each delivery's progress — for a pickup, the store, whether the pickup code was sent and until when the
 * order is held — and the link to the customer's preference centre.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconBuildingStore, IconCircleCheck, IconClock, IconTruck } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useStoreOrder, type StoreOrder, type StoreOrderLocation } from '../../api/store-order';
import { useShop } from './shop-context';
import { formatMoney, formatWhen } from './shop-format';
import { ts, useShopT, type ShopKey } from './shop-i18n';
import { EmptyState, ErrorState } from './shop-states';

const STATUS_COLOUR: Record<StoreOrder['status'], string> = {
  pending_payment: 'yellow',
  paid: 'teal',
  fulfilling: 'blue',
  partially_fulfilled: 'blue',
  completed: 'green',
  cancelled: 'gray',
};

/** The store a line or fulfilment names, as the order tells it: "Alba Madrid · Calle Mayor 1, Madrid". */
const storeLabel = (l: StoreOrderLocation | null) =>
  l ? `${l.name} · ${l.address.line1}, ${l.address.city}` : undefined;

function FulfilmentRow({ f, store }: { f: StoreOrder['fulfilments'][number]; store: string | undefined }) {
  const { t } = useShopT();
  const { locale } = useShop();
  const Icon =
    f.mode === 'pickup' || f.mode === 'reserve_in_store'
      ? IconBuildingStore
      : f.mode === 'same_day'
        ? IconClock
        : IconTruck;
  const pickupNote =
    f.mode !== 'pickup'
      ? null
      : f.status === 'ready_for_pickup'
        ? t('shop.order.pickupReady', { until: f.hold_until ? formatWhen(f.hold_until, locale) : '—' })
        : f.status === 'collected'
          ? t('shop.order.pickupCollected')
          : f.status === 'expired'
            ? t('shop.order.pickupExpired')
            : t('shop.order.pickupPreparing');
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid="shop-order-fulfilment"
      data-mode={f.mode}
      data-status={f.status}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Icon size={22} />
          <Stack gap={2}>
            <Text fw={600}>
              {t(`shop.bag.modes.${f.mode}` as ShopKey)}
              {store ? ` · ${store}` : ''}
            </Text>
            {pickupNote && (
              <Text size="sm" c="dimmed" data-testid="shop-order-pickup-note">
                {pickupNote}
              </Text>
            )}
            {f.tracking_number && (
              <Text size="sm">
                {f.carrier} ·{' '}
                {f.tracking_url ? (
                  <Anchor href={f.tracking_url} target="_blank" rel="noreferrer">
                    {f.tracking_number}
                  </Anchor>
                ) : (
                  f.tracking_number
                )}
              </Text>
            )}
          </Stack>
        </Group>
        <Badge variant="light">{fulfilmentStatus(f.status)}</Badge>
      </Group>
    </Paper>
  );
}

const FULFILMENT_STATUSES = [
  'in_transit',
  'pending',
  'picked',
  'packed',
  'shipped',
  'ready_for_pickup',
  'collected',
  'out_for_delivery',
  'delivered',
  'handed_over',
  'held',
  'expired',
  'cancelled',
] as const;

function fulfilmentStatus(status: string): string {
  const known = FULFILMENT_STATUSES.find((s) => s === status);
  return known ? tsStatus(known) : status;
}
const tsStatus = (s: (typeof FULFILMENT_STATUSES)[number]) => ts(`shop.order.fulfilmentStatus.${s}`);

function Order({ order }: { order: StoreOrder }) {
  const { t } = useShopT();
  const { locale } = useShop();
  // Reserved to try in store: nothing is due online, the store holds it until then.
  const held = order.fulfilments.find((f) => f.mode === 'reserve_in_store' && f.status === 'held');
  return (
    <Stack gap="lg" data-testid="shop-order" data-status={order.status}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('shop.order.placedAt', { when: formatWhen(order.placed_at, locale) })}
          </Text>
          <Title order={1} size="h2" data-testid="shop-order-number">
            {t('shop.order.title', { number: order.display_number })}
          </Title>
        </Stack>
        {/* A reservation to try is not waiting for a payment online: it waits for her visit. */}
        <Badge
          size="lg"
          color={held ? 'violet' : STATUS_COLOUR[order.status]}
          data-testid="shop-order-status"
        >
          {held ? t('shop.order.status.reserved') : t(`shop.order.status.${order.status}` as ShopKey)}
        </Badge>
      </Group>
      {held ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          data-testid="shop-order-reserved"
        >
          {t('shop.order.reservedUntil', {
            store: storeLabel(held.location),
            until: formatWhen(held.hold_until ?? '', locale),
          })}
        </Alert>
      ) : order.status === 'pending_payment' ? (
        <Alert color="yellow" variant="light" icon={<Loader size={16} />} data-testid="shop-order-waiting">
          {t('shop.order.waitingBank')}
        </Alert>
      ) : order.status !== 'cancelled' ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          data-testid="shop-order-thanks"
        >
          {t('shop.order.thanks')}
        </Alert>
      ) : null}
      <Paper withBorder radius="md" p="lg">
        <Table verticalSpacing="xs" data-testid="shop-order-lines">
          <Table.Tbody>
            {order.lines.map((l, i) => (
              <Table.Tr key={`${l.sku}-${i}`} data-testid="shop-order-line" data-mode={l.delivery.mode}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {l.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('shop.product.sku', { sku: l.sku })} · ×{l.quantity}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {t(`shop.bag.modes.${l.delivery.mode}` as ShopKey)}
                    {l.delivery.mode !== 'ship' && l.delivery.location
                      ? ` · ${storeLabel(l.delivery.location)}`
                      : ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatMoney(l.total, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Divider my="sm" />
        <Stack gap={4} maw={320} ml="auto">
          {(['subtotal', 'discount', 'shipping', 'tax'] as const).map((k) =>
            k === 'discount' && order.totals.discount.amount === 0 ? null : (
              <Group key={k} justify="space-between">
                <Text size="sm" c="dimmed">
                  {t(`shop.order.totals.${k}`)}
                </Text>
                <Text size="sm">{formatMoney(order.totals[k], locale)}</Text>
              </Group>
            ),
          )}
          <Group justify="space-between">
            <Text fw={700}>{t('shop.bag.total')}</Text>
            <Text fw={700} data-testid="shop-order-total">
              {formatMoney(order.totals.total, locale)}
            </Text>
          </Group>
        </Stack>
      </Paper>
      {order.fulfilments.length > 0 && (
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('shop.order.deliveries')}
          </Title>
          {order.fulfilments.map((f) => (
            <FulfilmentRow key={f.id} f={f} store={f.mode !== 'ship' ? storeLabel(f.location) : undefined} />
          ))}
        </Stack>
      )}
      <Text size="sm" c="dimmed">
        {t('shop.order.preferencesHint')}{' '}
        <Anchor component={Link} to="/preferences" data-testid="shop-order-preferences">
          {t('shop.footer.preferences')}
        </Anchor>
      </Text>
    </Stack>
  );
}

export function ShopOrderPage() {
  const { t } = useShopT();
  const shop = useShop();
  const { id = '' } = useParams();
  const order = useStoreOrder(shop.key, id);
  if (order.isPending) return <Loader data-testid="shop-order-loading" />;
  if (order.error instanceof ApiError && order.error.status === 404)
    return (
      <EmptyState
        testId="shop-order-missing"
        title={t('shop.order.missingTitle')}
        body={t('shop.order.missingBody')}
        action={
          <Button component={Link} to="/shop" variant="light">
            {t('shop.search.backHome')}
          </Button>
        }
      />
    );
  if (order.error || !order.data) return <ErrorState onRetry={() => void order.refetch()} />;
  return <Order order={order.data} />;
}
