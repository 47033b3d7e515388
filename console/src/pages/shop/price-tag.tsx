/**
 * @module A price as the shop shows it: the channel's price in its currency, and — when a sale or a
 * compare-at price makes it lower than before — the former price struck through with the saving.
 */
import { Badge, Group, Skeleton, Text } from '@mantine/core';
import type { StorePrice } from '../../api/store';
import { useShop } from './shop-context';
import { formatMoney, percentOff } from './shop-format';
import { useShopT } from './shop-i18n';

export function PriceTag(props: {
  price: StorePrice | undefined;
  loading?: boolean;
  size?: 'sm' | 'lg';
  testId?: string;
}) {
  const { t } = useShopT();
  const { locale } = useShop();
  const large = props.size === 'lg';
  if (props.loading) return <Skeleton height={large ? 28 : 18} width={80} />;
  const price = props.price?.price;
  if (!price)
    return (
      <Text size="sm" c="dimmed" data-testid={props.testId}>
        {t('shop.product.noPrice')}
      </Text>
    );
  const was = props.price?.compare_at ?? props.price?.base ?? null;
  const off = was ? percentOff(price, was) : null;
  return (
    <Group gap={8} wrap="wrap" align="baseline" data-testid={props.testId} data-sale={off !== null}>
      <Text fw={700} size={large ? '1.6rem' : 'md'} c={off !== null ? 'red.7' : undefined}>
        {formatMoney(price, locale)}
      </Text>
      {off !== null && was && (
        <>
          <Text size={large ? 'md' : 'sm'} c="dimmed" td="line-through" aria-label={t('shop.product.was')}>
            {formatMoney(was, locale)}
          </Text>
          <Badge color="red" variant="light" size={large ? 'md' : 'sm'}>
            −{off} %
          </Badge>
        </>
      )}
    </Group>
  );
}
