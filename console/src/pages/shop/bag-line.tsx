/**
 * @module One line of the bag: the product (title, colour, size, picture), its price as the server priced it,
 * quantity, remove, and how it reaches the shopper — shipped, picked up at a store that has it now (the store
 * finder with a "pick up here" button), or delivered today from a nearby store when the server offers it.
 */
import { Anchor, Badge, Button, Group, Paper, Select, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useStoreAvailability, type StoreProduct } from '../../api/store';
import type { CartDeliveryMode, CartLine, LinePatch, PricedLine } from '../../api/store-cart';
import { ProductVisual } from './product-visual';
import { useShop } from './shop-context';
import { useCategoryIndex } from './shop-catalog';
import { formatMoney, formatWhen } from './shop-format';
import { colourName, useShopT } from './shop-i18n';
import { StoreFinder } from './store-finder';
import { useShopperWhere } from './shopper-where';

/**
 * The same-day offer for a SKU near the shopper: the nearest store that can deliver today (a promise without
 * `after_cutoff`), or null — the server refuses same-day otherwise, so the shop does not offer it.
 */
export function useSameDayOffer(sku: string, quantity: number) {
  const shop = useShop();
  const { where } = useShopperWhere();
  const availability = useStoreAvailability(
    shop.key,
    where ? sku : undefined,
    where?.point ?? null,
    'same_day',
  );
  const location = availability.data?.skus[0]?.locations.find(
    (l) =>
      l.available >= quantity &&
      l.promise !== null &&
      !l.promise.factors.includes('after_cutoff') &&
      !l.promise.factors.includes('incoming'),
  );
  return {
    offer: location ?? null,
    point: where?.point ?? null,
    checking: Boolean(where) && availability.isPending,
  };
}

const QUANTITIES = Array.from({ length: 10 }, (_, i) => String(i + 1));

export function BagLine(props: {
  line: CartLine;
  priced: PricedLine | undefined;
  product: StoreProduct | null | undefined;
  busy: boolean;
  onChange: (patch: LinePatch) => void;
  onRemove: () => void;
}) {
  const { line, priced, product } = props;
  const { t } = useShopT();
  const shop = useShop();
  const { shapeOf } = useCategoryIndex();
  // Pickup needs a store before the server accepts it: the choice stays here until one is picked.
  const [mode, setMode] = useState<CartDeliveryMode>(line.delivery_mode);
  const sameDay = useSameDayOffer(line.sku, line.quantity);
  const variant = product?.variants.find((v) => v.sku === line.sku);
  const colour = variant?.options.colour;

  const choose = (next: CartDeliveryMode) => {
    setMode(next);
    if (next === 'ship') props.onChange({ delivery_mode: 'ship', location_id: null });
    if (next === 'same_day' && sameDay.offer)
      props.onChange({ delivery_mode: 'same_day', location_id: sameDay.offer.location_id });
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid="shop-bag-line"
      data-sku={line.sku}
      data-mode={line.delivery_mode}
    >
      <Stack gap="sm">
        <Group align="flex-start" wrap="nowrap" gap="md">
          <div style={{ width: 96, flexShrink: 0 }}>
            <ProductVisual
              media={variant?.media[0] ?? product?.media[0]}
              colour={colour}
              shape={product ? shapeOf(product) : 'garment'}
              alt={product?.title ?? line.sku}
              ratio={1}
            />
          </div>
          <Stack gap={4} style={{ flex: 1 }}>
            {product ? (
              <Anchor
                component={Link}
                to={`/shop/p/${product.handle}`}
                fw={600}
                c="dark"
                data-testid="shop-bag-line-title"
              >
                {product.title}
              </Anchor>
            ) : (
              <Text fw={600} data-testid="shop-bag-line-title">
                {line.sku}
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {[
                colour ? colourName(colour) : null,
                variant?.options.size,
                t('shop.product.sku', { sku: line.sku }),
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
            {priced && (
              <Text size="sm" data-testid="shop-bag-line-unit">
                {formatMoney(priced.unit_price, shop.locale)}
              </Text>
            )}
          </Stack>
          <Stack gap={6} align="flex-end">
            <Text fw={700} data-testid="shop-bag-line-total">
              {priced ? formatMoney(priced.total, shop.locale) : '—'}
            </Text>
            <Group gap={6} wrap="nowrap">
              <Select
                size="xs"
                w={76}
                aria-label={t('shop.bag.quantity')}
                data={
                  QUANTITIES.includes(String(line.quantity))
                    ? QUANTITIES
                    : [...QUANTITIES, String(line.quantity)]
                }
                value={String(line.quantity)}
                allowDeselect={false}
                disabled={props.busy}
                onChange={(value) => value && props.onChange({ quantity: Number(value) })}
                data-testid="shop-bag-quantity"
              />
              <Button
                size="xs"
                variant="subtle"
                color="gray"
                aria-label={t('shop.bag.remove')}
                disabled={props.busy}
                onClick={props.onRemove}
                data-testid="shop-bag-remove"
              >
                <IconTrash size={16} />
              </Button>
            </Group>
          </Stack>
        </Group>
        <Group gap="sm" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => choose(value as CartDeliveryMode)}
            disabled={props.busy}
            data={[
              { value: 'ship', label: t('shop.bag.modes.ship') },
              { value: 'pickup', label: t('shop.bag.modes.pickup') },
              {
                value: 'same_day',
                label: t('shop.bag.modes.same_day'),
                disabled: !sameDay.offer && mode !== 'same_day',
              },
            ]}
            data-testid="shop-bag-mode"
          />
          {sameDay.offer?.promise && (
            <Badge variant="light" color="grape" data-testid="shop-same-day-offer">
              {t('shop.bag.sameDayBy', {
                when: formatWhen(sameDay.offer.promise.ready_at, shop.locale),
                store: sameDay.offer.name,
              })}
            </Badge>
          )}
          {!sameDay.offer && !sameDay.checking && sameDay.point && (
            <Text size="xs" c="dimmed" data-testid="shop-same-day-none">
              {t('shop.bag.sameDayNone')}
            </Text>
          )}
        </Group>
        {mode === 'pickup' && (
          <StoreFinder
            sku={line.sku}
            picked={line.delivery_mode === 'pickup' ? line.location_id : null}
            onPick={(locationId) => props.onChange({ delivery_mode: 'pickup', location_id: locationId })}
            testId="shop-bag-store-finder"
          />
        )}
        {mode === 'pickup' && line.delivery_mode !== 'pickup' && (
          <Text size="xs" c="orange.8" data-testid="shop-pick-a-store">
            {t('shop.bag.pickAStore')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
