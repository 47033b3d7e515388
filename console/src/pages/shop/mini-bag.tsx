/**
 * @module The header's bag: an icon with the number of items, and on hover what is in it with the total as the
 * server priced it, with links to the bag and to checkout.
 */
import { Anchor, Badge, Button, Group, Indicator, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconShoppingBag } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useProductsOfSkus, useStoreCart } from '../../api/store-cart';
import { useShop } from './shop-context';
import { formatMoney } from './shop-format';
import { useShopT } from './shop-i18n';

export function MiniBag() {
  const { t } = useShopT();
  const shop = useShop();
  const cart = useStoreCart(shop.key);
  const [open, setOpen] = useState(false);
  const lines = cart.data?.lines ?? [];
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  const products = useProductsOfSkus(shop.key, shop.locale, open ? lines.map((l) => l.sku) : []);
  return (
    <Popover opened={open} onChange={setOpen} position="bottom-end" width={320} shadow="md" withArrow>
      <Popover.Target>
        <UnstyledButton
          component={Link}
          to="/shop/cart"
          aria-label={t('shop.bag.title')}
          onMouseEnter={() => setOpen(true)}
          onMouseLeave={() => setOpen(false)}
          data-testid="shop-mini-bag"
          data-count={count}
        >
          <Indicator label={count} size={18} disabled={count === 0} offset={4}>
            <IconShoppingBag size={26} stroke={1.6} />
          </Indicator>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
        {lines.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('shop.bag.emptyTitle')}
          </Text>
        ) : (
          <Stack gap="xs" data-testid="shop-mini-bag-panel">
            {lines.map((l) => (
              <Group key={l.id} justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" lineClamp={1}>
                  {products.get(l.sku)?.title ?? l.sku}
                </Text>
                <Badge variant="light" color="gray">
                  ×{l.quantity}
                </Badge>
              </Group>
            ))}
            {cart.data && (
              <Group justify="space-between">
                <Text fw={700}>{t('shop.bag.total')}</Text>
                <Text fw={700}>{formatMoney(cart.data.pricing.grand_total, shop.locale)}</Text>
              </Group>
            )}
            <Group grow>
              <Button component={Link} to="/shop/cart" variant="default" size="xs">
                {t('shop.bag.viewBag')}
              </Button>
              <Button component={Link} to="/shop/checkout" size="xs">
                {t('shop.bag.checkout')}
              </Button>
            </Group>
            <Anchor component={Link} to="/shop/cart" size="xs" ta="center">
              {t('shop.bag.itemCount', { count })}
            </Anchor>
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
